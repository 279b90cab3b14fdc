//! One module per subcommand: each has an `Args` (clap derive) and a `run`.

pub mod init;
pub mod lint;
pub mod pack;
pub mod rules;
