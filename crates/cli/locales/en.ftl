# The CLI's texts in English (the validator's rule texts stay in its catalogue).
# `crates/cli/src/texts.rs` checks that Russian has the same ids and that every id is used.

## Severities, as the report prints them before a message
severity-error = error
severity-warning = warning
severity-info = note
level-help = help
level-note = note

## The text report
count-errors = { $n ->
    [one] { $n } error
   *[other] { $n } errors
}
count-warnings = { $n ->
    [one] { $n } warning
   *[other] { $n } warnings
}
count-notes = { $n ->
    [one] { $n } note
   *[other] { $n } notes
}
list-and = { $rest } and { $last }
summary-errors = `{ $name }` has { $listed } (profile `{ $profile }`)
summary-warnings = `{ $name }` passes the `{ $profile }` checks with { $listed }
summary-clean = `{ $name }` passes the `{ $profile }` checks: no problems found
summary-ok = ok
json-pointer = JSON pointer `{ $pointer }`
libraries-title = known libraries (not judged as your code):
library-how-hash = byte for byte a published release
library-how-normalised_hash = a published release, re-saved
library-how-banner = by its licence banner and file name

## widgetry rules
rules-profile = { $severity } (profile `{ $profile }`)
rules-severity = severity
rules-message = message
rules-why = why
rules-example = example
rules-help = help
summary-errors-preview = `{ $name }` ran in the preview with { $listed }
summary-warnings-preview = `{ $name }` ran in the preview with { $listed }
summary-clean-preview = `{ $name }` ran in the preview: no problems found
