//! # widgetry-server
//!
//! Widgetry's HTTP server: the marketplace API under `/api/v1`, the amoCRM widgets API under
//! `/api/v4/widgets`, and the widgets' files under `/widgets`.
