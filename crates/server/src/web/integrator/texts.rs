//! The integrator pages' texts in English and Russian: the templates' words and the
//! messages of the handlers.

use super::*;

pub(crate) const TEMPLATES: &[Template] = &[
    (
        "integrator/list.html",
        include_str!("../../../templates/integrator/list.html"),
    ),
    (
        "integrator/form.html",
        include_str!("../../../templates/integrator/form.html"),
    ),
    (
        "integrator/integration.html",
        include_str!("../../../templates/integrator/integration.html"),
    ),
    (
        "integrator/submit.html",
        include_str!("../../../templates/integrator/submit.html"),
    ),
    (
        "integrator/history.html",
        include_str!("../../../templates/integrator/history.html"),
    ),
];
