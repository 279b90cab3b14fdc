//! `--format json`: exactly the validator's [`Report`], one object, newline-terminated. Every
//! key is always present (`null` where a finding has no file, pointer, line or column), so
//! scripts can rely on the shape documented for the server's dry-run endpoint too.

use widgetry_validator::Report;

/// The report as one line of JSON followed by a newline.
pub fn render(report: &Report) -> serde_json::Result<String> {
    let mut out = serde_json::to_string(report)?;
    out.push('\n');
    Ok(out)
}
