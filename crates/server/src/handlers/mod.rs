//! Handlers, one module per resource. Each handler is thin: extract, call the registry (or
//! the validator), shape the answer.

pub mod catalog;
pub mod files;
pub mod integrations;
pub mod ops;
pub mod session;
pub mod tokens;
pub mod validate;
pub mod versions;
pub mod widgets_v4;
