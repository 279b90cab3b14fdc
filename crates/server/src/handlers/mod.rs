//! Handlers, one module per resource. Each handler is thin: extract, call the registry (or
//! the validator), shape the answer.

pub mod ops;
pub mod validate;
