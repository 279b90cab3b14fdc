//! Every rule of the catalogue is exercised by at least one test: its code appears in a test
//! (the integration tests here, or the unit tests of the rule modules). Rule code never names
//! codes as strings (it uses the catalogue's constants), so a code found outside
//! `src/catalog/` is a test asserting it.

use std::path::Path;

fn sources(dir: &Path, out: &mut String) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "catalog") {
                sources(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push_str(&std::fs::read_to_string(&path).unwrap_or_default());
        }
    }
}

#[test]
fn every_rule_is_asserted_by_a_test() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut text = String::new();
    sources(&root.join("src"), &mut text);
    sources(&root.join("tests"), &mut text);
    let untested: Vec<&str> = widgetry_validator::catalog::all()
        .map(|r| r.code)
        .filter(|code| !text.contains(&format!("\"{code}\"")))
        .collect();
    assert!(untested.is_empty(), "rules no test asserts: {untested:?}");
}
