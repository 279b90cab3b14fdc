//! One module per subcommand: each has an `Args` (clap derive) and a `run`.

pub mod admin;
pub mod init;
pub mod integrations;
pub mod lint;
pub mod login;
pub mod moderate;
pub mod pack;
pub mod push;
pub mod rollback;
pub mod rules;
pub mod serve;
pub mod status;
pub mod submit;
pub mod webhook;
pub mod withdraw;
