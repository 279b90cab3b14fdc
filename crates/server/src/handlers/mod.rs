//! Handlers, one module per resource. Each handler is thin: extract, call the registry (or
//! the validator), shape the answer.

pub mod catalog;
pub mod files;
pub mod integrations;
pub mod moderation;
pub mod ops;
pub mod session;
pub mod submissions;
pub mod tokens;
pub mod validate;
pub mod versions;
pub mod webhooks;
pub mod widgets_v4;
