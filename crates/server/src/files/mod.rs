//! Widget files: untrusted bytes written by strangers, served only on a separate origin
//! (`--files-url`, its own listener `--files-bind`) that holds no session and reads no
//! credentials.
//!
//! - [`origin`]: the files listener's routes.
//! - [`response`]: the headers of a file answer (caching, CORS, the document guards).
//! - [`signing`]: signed, expiring URL prefixes for the owner account's private versions.
//! - [`urls`]: which base URL a caller gets for a version's files.
//! - [`separation`]: the start-up check that the files origin is another site.
//! - `cache`: the in-memory caches of hot files.

mod cache;
pub mod origin;
pub mod response;
pub mod separation;
pub mod signing;
pub mod urls;

pub(crate) use cache::FileCache;
pub use urls::FilesOrigin;
