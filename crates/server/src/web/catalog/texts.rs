//! The pages' texts in English and Russian: the templates and the handlers' messages.

use super::*;

pub(crate) const TEMPLATES: &[Template] = &[
    (
        "catalog/index.html",
        include_str!("../../../templates/catalog/index.html"),
    ),
    (
        "catalog/widget.html",
        include_str!("../../../templates/catalog/widget.html"),
    ),
    (
        "catalog/install.html",
        include_str!("../../../templates/catalog/install.html"),
    ),
];
