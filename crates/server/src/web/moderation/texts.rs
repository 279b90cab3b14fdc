//! The pages' texts in English and Russian: the templates and the handlers' messages.

use super::*;

pub(crate) const TEMPLATES: &[Template] = &[
    (
        "moderation/queue.html",
        include_str!("../../../templates/moderation/queue.html"),
    ),
    (
        "moderation/submission.html",
        include_str!("../../../templates/moderation/submission.html"),
    ),
    (
        "moderation/file.html",
        include_str!("../../../templates/moderation/file.html"),
    ),
];
