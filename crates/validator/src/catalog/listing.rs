//! Rules for listing.

use super::Rule;

/// The listing rules, in catalogue order.
pub(super) const RULES: &[&Rule] = &[];
