//! One module per subcommand: each has an `Args` (clap derive) and a `run`.

#[cfg(feature = "server")]
pub mod admin;
pub mod init;
pub mod integrations;
pub mod lint;
pub mod login;
pub mod moderate;
pub mod pack;
pub mod preview;
pub mod push;
pub mod rollback;
pub mod rules;
#[cfg(feature = "server")]
pub mod serve;
pub mod status;
pub mod submit;
pub mod webhook;
pub mod withdraw;
#[cfg(not(feature = "server"))]
pub mod without_server;
