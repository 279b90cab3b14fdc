//! # widgetry-preview
//!
//! The widget preview's host, without I/O: what amoCRM's page gives a widget's `script.js`
//! (`assets/host.js` and the vendored libraries, [`assets`]), the frame document that runs it
//! in a sandbox with its configuration ([`frame`]), the areas a manifest's locations open
//! ([`areas`]) and the CRM data the widget sees ([`fixtures`]). The server's preview pages and
//! `widgetry preview` both serve these; what the widget did comes back as the host's events,
//! which `widgetry_validator::preview` turns into findings. See `docs/preview.md`.

pub mod areas;
pub mod assets;
pub mod fixtures;
pub mod frame;
