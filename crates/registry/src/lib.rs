//! # widgetry-registry
//!
//! Widgetry's domain rules and storage: accounts and users, integrations, immutable widget
//! versions and their files, installations and the audit trail, on SQLite or PostgreSQL, with
//! blobs in a content-addressed store.
