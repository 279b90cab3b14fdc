use super::*;
use widgetry_validator::{Input, Options, Profile, Report, Severity, validate};

fn check(opts: &ScaffoldOptions, profile: Profile) -> Report {
    let options = Options {
        profile,
        ..Options::default()
    };
    validate(Input::Files(scaffold(opts)), &options)
}

fn errors(report: &Report) -> Vec<String> {
    report
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| format!("{} {:?} {:?}: {}", d.code, d.file, d.pointer, d.message))
        .collect()
}

fn real_support() -> ScaffoldOptions {
    ScaffoldOptions {
        support: Some(Support {
            link: "https://acme-widgets.io/help".into(),
            email: "help@acme-widgets.io".into(),
        }),
        phone: Some("+1 415 555-01-23".into()),
        ..ScaffoldOptions::default()
    }
}

const ALL_AREAS: &[&str] = &[
    "lcard-1",
    "ccard-0",
    "comcard-1",
    "llist-0",
    "clist-1",
    "tlist",
    "settings",
    "advanced_settings",
    "card_sdk",
    "catalogs",
    "digital_pipeline",
    "lead_sources",
    "sms",
    "mobile_card",
    "amoforms",
    "salesbot_designer",
    "widget_page",
    "ai_agent",
];

fn combos() -> Vec<Vec<&'static str>> {
    vec![
        vec!["lcard-1", "ccard-1", "settings"],
        vec!["settings"],
        vec!["lcard-1", "settings", "digital_pipeline"],
        vec!["everywhere", "settings", "advanced_settings", "widget_page"],
        vec!["llist-0", "clist-0", "tlist-0", "settings"],
        vec![
            "lcard-0",
            "ccard-0",
            "comcard-0",
            "settings",
            "card_sdk",
            "catalogs",
        ],
        vec![
            "lcard-1",
            "settings",
            "salesbot_designer",
            "sms",
            "mobile_card",
            "lead_sources",
            "ai_agent",
            "amoforms",
        ],
        ALL_AREAS.to_vec(),
    ]
}

#[test]
fn default_scaffold_passes_upload_with_no_error() {
    let report = check(&ScaffoldOptions::default(), Profile::Upload);
    assert!(report.valid, "{:#?}", errors(&report));
}

#[test]
fn every_location_combination_passes_upload() {
    for locations in combos() {
        for locales in [
            vec!["ru", "en"],
            vec!["en", "es", "pt", "tr", "id"],
            vec!["ru"],
        ] {
            let opts = ScaffoldOptions {
                locations: locations.iter().map(|s| s.to_string()).collect(),
                locales: locales.iter().map(|s| s.to_string()).collect(),
                ..ScaffoldOptions::default()
            };
            let report = check(&opts, Profile::Upload);
            assert!(
                report.valid,
                "{locations:?} {locales:?}: {:#?}",
                errors(&report)
            );
        }
    }
}

#[test]
fn with_real_contacts_every_combination_passes_publication() {
    for locations in combos() {
        let opts = ScaffoldOptions {
            locations: locations.iter().map(|s| s.to_string()).collect(),
            ..real_support()
        };
        let report = check(&opts, Profile::Publication);
        assert!(report.valid, "{locations:?}: {:#?}", errors(&report));
    }
}

#[test]
fn output_is_sorted_unique_and_deterministic() {
    let a = scaffold(&ScaffoldOptions::default());
    let b = scaffold(&ScaffoldOptions::default());
    assert_eq!(a, b);
    let paths: Vec<&str> = a.iter().map(|(p, _)| p.as_str()).collect();
    let mut sorted = paths.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(paths, sorted);
}

#[test]
fn default_contains_the_expected_files() {
    let files = scaffold(&ScaffoldOptions::default());
    let paths: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
    for p in [
        ".widgetignore",
        "README.md",
        "i18n/en.json",
        "i18n/ru.json",
        "images/logo.png",
        "images/logo_main.png",
        "images/logo_medium.png",
        "images/logo_min.png",
        "images/logo_small.png",
        "images/tour_1_en.png",
        "images/tour_1_ru.png",
        "manifest.json",
        "script.js",
        "style.css",
    ] {
        assert!(paths.contains(&p), "missing {p}");
    }
    assert!(!paths.contains(&"images/logo_dp.png"));
}

fn png_size(data: &[u8]) -> (u32, u32) {
    let decoder = png::Decoder::new(std::io::Cursor::new(data));
    let reader = decoder.read_info().unwrap();
    let info = reader.info();
    (info.width, info.height)
}

#[test]
fn logos_have_exact_sizes_and_stay_small() {
    let opts = ScaffoldOptions {
        locations: vec![
            "lcard-1".into(),
            "settings".into(),
            "digital_pipeline".into(),
        ],
        ..ScaffoldOptions::default()
    };
    let files = scaffold(&opts);
    let get = |p: &str| &files.iter().find(|(q, _)| q == p).unwrap().1;
    for (p, w, h) in [
        ("images/logo.png", 130, 100),
        ("images/logo_main.png", 400, 272),
        ("images/logo_medium.png", 240, 84),
        ("images/logo_min.png", 84, 84),
        ("images/logo_small.png", 108, 108),
        ("images/logo_dp.png", 174, 109),
    ] {
        assert_eq!(png_size(get(p)), (w, h), "{p}");
    }
    for (p, data) in &files {
        if p.ends_with(".png") {
            assert!(!data.is_empty() && data.len() < 300 * 1024, "{p}");
        }
    }
}

#[test]
fn text_files_are_lf_json_pretty_with_trailing_newline() {
    for (p, data) in scaffold(&ScaffoldOptions::default()) {
        if p.ends_with(".png") {
            continue;
        }
        let text = String::from_utf8(data).unwrap();
        assert!(!text.contains('\r'), "{p}");
        assert!(text.ends_with('\n'), "{p}");
        if p.ends_with(".json") {
            let v: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert!(v.is_object());
            assert!(text.starts_with("{\n  \""), "{p}");
        }
    }
}

#[test]
fn i18n_files_share_keys_and_respect_listing_limits() {
    fn keys(v: &serde_json::Value, prefix: &str, out: &mut Vec<String>) {
        if let Some(m) = v.as_object() {
            for (k, v) in m {
                keys(v, &format!("{prefix}.{k}"), out);
            }
        } else {
            out.push(prefix.to_string());
        }
    }
    let opts = ScaffoldOptions {
        locales: LOCALES.iter().map(|s| s.to_string()).collect(),
        locations: ALL_AREAS.iter().map(|s| s.to_string()).collect(),
        ..ScaffoldOptions::default()
    };
    let files = scaffold(&opts);
    let mut first: Option<Vec<String>> = None;
    for locale in LOCALES {
        let data = &files
            .iter()
            .find(|(p, _)| *p == format!("i18n/{locale}.json"))
            .unwrap()
            .1;
        let v: serde_json::Value = serde_json::from_slice(data).unwrap();
        let mut k = Vec::new();
        keys(&v, "", &mut k);
        match &first {
            None => first = Some(k),
            Some(f) => assert_eq!(f, &k, "{locale}"),
        }
        let w = &v["widget"];
        assert!(w["name"].as_str().unwrap().chars().count() <= 30);
        assert!(w["short_description"].as_str().unwrap().chars().count() <= 50);
        let d = w["description"].as_str().unwrap();
        assert!(d.chars().count() <= 400, "{locale}: {}", d.chars().count());
        assert!(d.contains(PLACEHOLDER_EMAIL) && d.contains(PLACEHOLDER_PHONE));
        assert!(d.contains("TODO"));
        assert!(!w["ai_agent_description"].as_str().unwrap().is_empty());
    }
}

#[test]
fn script_has_a_callback_per_location_and_no_debug_leftovers() {
    let opts = ScaffoldOptions {
        locations: ALL_AREAS.iter().map(|s| s.to_string()).collect(),
        ..ScaffoldOptions::default()
    };
    let files = scaffold(&opts);
    let js = String::from_utf8(
        files
            .iter()
            .find(|(p, _)| p == "script.js")
            .unwrap()
            .1
            .clone(),
    )
    .unwrap();
    for cb in [
        "render:",
        "init:",
        "bind_actions:",
        "settings:",
        "onSave:",
        "destroy:",
        "advancedSettings:",
        "dpSettings:",
        "initMenuPage:",
        "onSalesbotDesignerSave:",
        "salesbotDesignerSettings:",
        "loadPreloadedData:",
        "loadElements:",
        "linkCard:",
        "searchDataInCard:",
        "leads:",
        "contacts:",
        "todo:",
    ] {
        assert!(js.contains(cb), "missing {cb}");
    }
    for bad in ["console.", "debugger", "alert(", "eval("] {
        assert!(!js.contains(bad), "{bad}");
    }
}

#[test]
fn placeholders_only_when_contacts_are_missing() {
    let files = scaffold(&real_support());
    let manifest = String::from_utf8(
        files
            .iter()
            .find(|(p, _)| p == "manifest.json")
            .unwrap()
            .1
            .clone(),
    )
    .unwrap();
    assert!(manifest.contains("https://acme-widgets.io/help"));
    assert!(!manifest.contains("example.com"));
    let en = String::from_utf8(
        files
            .iter()
            .find(|(p, _)| p == "i18n/en.json")
            .unwrap()
            .1
            .clone(),
    )
    .unwrap();
    assert!(en.contains("+1 415 555-01-23") && !en.contains("TODO"));
}

#[test]
fn locations_are_checked() {
    assert!(check_location("lcard-1").is_ok());
    assert!(check_location("lcard").is_ok());
    assert!(check_location("settings").is_ok());
    assert!(check_location("lcard-2").is_err());
    assert!(check_location("settings-1").is_err());
    assert!(check_location("kanban").is_err());
}

#[test]
fn slugs_and_origins() {
    assert_eq!(slug("My widget"), "my_widget");
    assert_eq!(slug("  Deal Notes -- Sync! "), "deal_notes_sync");
    assert_eq!(slug("Виджет"), "my_widget");
    assert_eq!(slug("1C sync"), "w_1c_sync");
    assert_eq!(origin("https://Acme.io/help?x=1"), "https://acme.io");
    assert_eq!(origin("javascript:alert(1)"), "https://example.com");
    assert_eq!(origin("https://evil'.io"), "https://example.com");
}

#[test]
fn without_contacts_only_the_placeholders_are_flagged_for_publication() {
    let report = check(&ScaffoldOptions::default(), Profile::Publication);
    for d in &report.diagnostics {
        if d.severity == Severity::Error {
            assert!(
                matches!(
                    d.file.as_deref(),
                    Some("manifest.json") | Some("i18n/en.json") | Some("i18n/ru.json")
                ),
                "{d:?}"
            );
        }
    }
}
