//! One test (at least) per rule of the manifest, JSON, i18n, image, text and listing areas:
//! each breaks the valid baseline widget in one place and asserts the code, the severity
//! under each profile, the file and the line.

mod support;

use support::{Widget, absent, expect, find};
use widgetry_validator::Severity::{Error, Info, Warning};
use widgetry_validator::{Input, Options, Profile, validate};

#[test]
fn the_baseline_widget_is_clean_under_both_profiles() {
    let w = Widget::valid();
    let up = w.upload();
    assert!(up.valid, "{:#?}", up.diagnostics);
    assert!(up.diagnostics.is_empty(), "{:#?}", up.diagnostics);
    let publ = w.publication();
    assert!(publ.valid, "{:#?}", publ.diagnostics);
    assert!(publ.diagnostics.is_empty(), "{:#?}", publ.diagnostics);
    // The same verdict through the ZIP reader.
    let z = validate(Input::Zip(&w.zip()), &Options::default());
    assert!(z.diagnostics.is_empty(), "{:#?}", z.diagnostics);
}

#[test]
fn report_carries_validator_identity_and_counts() {
    let r = Widget::valid().remove("i18n/en.json").upload();
    assert_eq!(r.validator.version, widgetry_validator::VERSION);
    assert_eq!(r.validator.rules_hash.len(), 64);
    assert_eq!(
        r.errors,
        r.diagnostics.iter().filter(|d| d.severity == Error).count()
    );
    assert!(!r.valid);
}

// ---- manifest.json as a file ----

#[test]
fn manifest_missing() {
    let r = Widget::valid().remove("manifest.json").upload();
    expect(&r, "manifest.missing", Error, Some("manifest.json"), None);
}

#[test]
fn manifest_too_large() {
    let big = format!("{{\"pad\": \"{}\"}}", "x".repeat(1024 * 1024 + 10));
    let r = Widget::valid().set("manifest.json", big).upload();
    expect(&r, "manifest.too_large", Error, Some("manifest.json"), None);
}

#[test]
fn json_syntax_error_has_its_position() {
    let r = Widget::valid()
        .edit(
            "manifest.json",
            "\"interface_version\": 2,",
            "\"interface_version\": 2,,",
        )
        .upload();
    let d = expect(&r, "json.syntax", Error, Some("manifest.json"), Some(7));
    assert_eq!(d.column, Some(28));
}

#[test]
fn json_bom_in_manifest_is_an_error_and_checking_goes_on() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(support::MANIFEST.as_bytes());
    let r = Widget::valid().set("manifest.json", bytes).upload();
    expect(&r, "json.bom", Error, Some("manifest.json"), Some(1));
    assert_eq!(r.errors, 1, "{:#?}", r.diagnostics);
}

#[test]
fn json_duplicate_key() {
    let r = Widget::valid()
        .edit(
            "manifest.json",
            "\"init_once\": false,",
            "\"init_once\": false, \"init_once\": true,",
        )
        .upload();
    expect(
        &r,
        "json.duplicate_key",
        Error,
        Some("manifest.json"),
        Some(8),
    );
}

#[test]
fn json_too_deep() {
    let deep = format!("{{\"a\": {}{}}}", "[".repeat(100), "]".repeat(100));
    let r = Widget::valid().set("manifest.json", deep).upload();
    expect(&r, "json.too_deep", Error, Some("manifest.json"), Some(1));
}

#[test]
fn json_not_object() {
    let r = Widget::valid().set("manifest.json", "[1, 2]").upload();
    expect(&r, "json.not_object", Error, Some("manifest.json"), Some(1));
}

#[test]
fn text_not_utf8_points_at_the_first_bad_byte() {
    let mut bytes = b"{\n  \"a\": \"".to_vec();
    bytes.extend_from_slice(b"\xcf\xf0\xe8\"}");
    let r = Widget::valid().set("i18n/ru.json", bytes).upload();
    // A JSON file that is not UTF-8 cannot be read: an error; any other text file is a
    // warning on upload, an error on publication.
    let d = expect(&r, "json.not_utf8", Error, Some("i18n/ru.json"), Some(2));
    assert_eq!(d.column, Some(9));
    let css = b".w { }\n/* \xcf\xf0\xe8 */\n".to_vec();
    let r = Widget::valid().set("style.css", css.clone()).upload();
    let d = expect(&r, "text.not_utf8", Warning, Some("style.css"), Some(2));
    assert_eq!(d.column, Some(4));
    assert!(
        d.hint.contains("at moderation this is an error"),
        "{}",
        d.hint
    );
    let r = Widget::valid().set("style.css", css).publication();
    expect(&r, "text.not_utf8", Error, Some("style.css"), Some(2));
}

// ---- fields ----

#[test]
fn missing_fields_are_named_with_pointer() {
    let r = Widget::valid()
        .manifest(|m| {
            m["widget"]
                .as_object_mut()
                .unwrap()
                .remove("short_description");
            m.as_object_mut().unwrap().remove("locations");
        })
        .upload();
    let found = find(&r, "manifest.missing_field");
    let pointers: Vec<_> = found
        .iter()
        .map(|d| d.pointer.as_deref().unwrap())
        .collect();
    assert!(
        pointers.contains(&"/widget/short_description"),
        "{pointers:?}"
    );
    assert!(pointers.contains(&"/locations"), "{pointers:?}");
    assert!(
        found
            .iter()
            .all(|d| d.severity == Error && d.line.is_some())
    );
}

#[test]
fn settings_required_when_installable() {
    let r = Widget::valid()
        .manifest(|m| {
            m.as_object_mut().unwrap().remove("settings");
        })
        .upload();
    let d = expect(
        &r,
        "manifest.missing_field",
        Error,
        Some("manifest.json"),
        None,
    );
    assert_eq!(d.pointer.as_deref(), Some("/settings"));
}

#[test]
fn wrong_type() {
    let r = Widget::valid()
        .edit(
            "manifest.json",
            "\"installation\": true",
            "\"installation\": \"true\"",
        )
        .upload();
    let d = expect(
        &r,
        "manifest.wrong_type",
        Error,
        Some("manifest.json"),
        Some(10),
    );
    assert!(d.message.contains("true or false"), "{}", d.message);
}

#[test]
fn empty_value() {
    let r = Widget::valid()
        .edit(
            "manifest.json",
            "\"version\": \"1.2.0\"",
            "\"version\": \"\"",
        )
        .upload();
    expect(
        &r,
        "manifest.empty_value",
        Error,
        Some("manifest.json"),
        Some(6),
    );
}

#[test]
fn unknown_key_is_a_warning_with_a_suggestion() {
    let r = Widget::valid()
        .edit(
            "manifest.json",
            "\"init_once\": false,",
            "\"init_onse\": false,",
        )
        .upload();
    let d = expect(
        &r,
        "manifest.unknown_key",
        Warning,
        Some("manifest.json"),
        Some(8),
    );
    assert_eq!(d.column, Some(5));
    assert!(d.hint.contains("init_once"), "{}", d.hint);
    assert!(r.valid);
}

#[test]
fn interface_version_must_be_2() {
    let r = Widget::valid()
        .edit(
            "manifest.json",
            "\"interface_version\": 2",
            "\"interface_version\": 1",
        )
        .upload();
    expect(
        &r,
        "manifest.interface_version",
        Error,
        Some("manifest.json"),
        Some(7),
    );
}

#[test]
fn version_format_is_a_publication_rule() {
    let w = Widget::valid().edit("manifest.json", "\"1.2.0\"", "\"1.1.\"");
    expect(
        &w.upload(),
        "manifest.version_format",
        Warning,
        Some("manifest.json"),
        Some(6),
    );
    expect(
        &w.publication(),
        "manifest.version_format",
        Error,
        Some("manifest.json"),
        Some(6),
    );
}

#[test]
fn locales() {
    let r = Widget::valid()
        .edit("manifest.json", "[\"ru\", \"en\"]", "[]")
        .upload();
    expect(
        &r,
        "manifest.locale_empty",
        Error,
        Some("manifest.json"),
        Some(9),
    );
    let r = Widget::valid()
        .edit(
            "manifest.json",
            "[\"ru\", \"en\"]",
            "[\"ru\", \"en\", \"de\"]",
        )
        .upload();
    let d = expect(
        &r,
        "manifest.locale_not_allowed",
        Error,
        Some("manifest.json"),
        Some(9),
    );
    assert_eq!(d.pointer.as_deref(), Some("/widget/locale/2"));
    assert_eq!(d.column, Some(28));
    let w = Widget::valid().edit(
        "manifest.json",
        "[\"ru\", \"en\"]",
        "[\"ru\", \"en\", \"en\"]",
    );
    expect(
        &w.upload(),
        "manifest.locale_duplicate",
        Warning,
        Some("manifest.json"),
        Some(9),
    );
    expect(
        &w.publication(),
        "manifest.locale_duplicate",
        Error,
        Some("manifest.json"),
        Some(9),
    );
}

#[test]
fn support_contacts() {
    let w = Widget::valid().manifest(|m| {
        m["widget"].as_object_mut().unwrap().remove("support");
    });
    expect(
        &w.upload(),
        "manifest.support_missing",
        Warning,
        Some("manifest.json"),
        None,
    );
    expect(
        &w.publication(),
        "manifest.support_missing",
        Error,
        Some("manifest.json"),
        None,
    );
    let w = Widget::valid()
        .edit(
            "manifest.json",
            "\"https://dealnotes.io/support\"",
            "\"dealnotes support\"",
        )
        .edit("manifest.json", "\"support@dealnotes.io\"", "\"support\"");
    expect(
        &w.upload(),
        "manifest.support_link_invalid",
        Warning,
        Some("manifest.json"),
        Some(11),
    );
    expect(
        &w.publication(),
        "manifest.support_email_invalid",
        Error,
        Some("manifest.json"),
        Some(11),
    );
}

// ---- code and secret key ----

fn legacy_context<'a>(
    code: &'a str,
    matches: &'a dyn Fn(&str) -> bool,
) -> widgetry_validator::IntegrationContext<'a> {
    widgetry_validator::IntegrationContext {
        scheme: widgetry_validator::Scheme::Legacy,
        code: Some(code),
        secret_matches: matches,
    }
}

fn with_context(
    w: &Widget,
    ctx: &widgetry_validator::IntegrationContext<'_>,
) -> widgetry_validator::Report {
    let files = w
        .files
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    validate(
        Input::Files(files),
        &Options {
            integration: Some(ctx),
            ..Options::default()
        },
    )
}

const KEY: &str = "3c9a1e7b5d2f4a6c8e0b1d3f5a7c9e2b4d6f8a0c2e4b6d8f1a3c5e7b9d0f2a4c";

fn with_code(code: &str, secret: &str) -> Widget {
    Widget::valid().edit(
        "manifest.json",
        "\"version\": \"1.2.0\",",
        &format!("\"code\": \"{code}\", \"secret_key\": \"{secret}\", \"version\": \"1.2.0\","),
    )
}

#[test]
fn code_syntax_and_secret_format() {
    let r = with_code("My-Widget", "abc").upload();
    expect(
        &r,
        "manifest.code_invalid",
        Error,
        Some("manifest.json"),
        Some(6),
    );
    expect(
        &r,
        "manifest.secret_key_format",
        Warning,
        Some("manifest.json"),
        Some(6),
    );
}

#[test]
fn legacy_integration_requires_matching_code_and_key() {
    let matches = |s: &str| s == KEY;
    let ctx = legacy_context("acme_reports", &matches);
    let ok = with_code("acme_reports", KEY);
    assert!(
        with_context(&ok, &ctx).diagnostics.is_empty(),
        "{:#?}",
        with_context(&ok, &ctx).diagnostics
    );
    let r = with_context(&Widget::valid(), &ctx);
    expect(
        &r,
        "manifest.legacy_code_missing",
        Error,
        Some("manifest.json"),
        Some(2),
    );
    expect(
        &r,
        "manifest.legacy_secret_missing",
        Error,
        Some("manifest.json"),
        Some(2),
    );
    let r = with_context(&with_code("other_widget", &KEY.replace('3', "4")), &ctx);
    expect(
        &r,
        "manifest.code_mismatch",
        Error,
        Some("manifest.json"),
        Some(6),
    );
    expect(
        &r,
        "manifest.secret_mismatch",
        Error,
        Some("manifest.json"),
        Some(6),
    );
}

#[test]
fn market_integration_ignores_code_unless_it_contradicts() {
    let matches = |s: &str| s == KEY;
    let ctx = widgetry_validator::IntegrationContext {
        scheme: widgetry_validator::Scheme::Market,
        code: Some("deal_notes_x1"),
        secret_matches: &matches,
    };
    let r = with_context(&with_code("deal_notes_x1", KEY), &ctx);
    assert!(r.valid);
    assert_eq!(find(&r, "manifest.code_ignored").len(), 2);
    let r = with_context(&with_code("someone_else", KEY), &ctx);
    expect(
        &r,
        "manifest.code_mismatch",
        Error,
        Some("manifest.json"),
        Some(6),
    );
    // A first upload (no code yet) only warns.
    let first = widgetry_validator::IntegrationContext { code: None, ..ctx };
    let r = with_context(&with_code("anything", KEY), &first);
    assert!(r.valid, "{:#?}", r.diagnostics);
}

// ---- locations ----

#[test]
fn locations_rules() {
    let set = |locs: &str| {
        Widget::valid().edit(
            "manifest.json",
            "[\"lcard-1\", \"ccard-1\", \"llist-0\", \"settings\"]",
            locs,
        )
    };
    expect(
        &set("[]").upload(),
        "manifest.locations_empty",
        Error,
        Some("manifest.json"),
        Some(13),
    );
    let r = set("[\"lcard-1\", \"lead_card\", \"settings\"]").upload();
    let d = expect(
        &r,
        "manifest.unknown_location",
        Error,
        Some("manifest.json"),
        Some(13),
    );
    assert_eq!(d.pointer.as_deref(), Some("/locations/1"));
    let r = set("[\"lcrad-1\", \"settings\"]").upload();
    assert!(
        find(&r, "manifest.unknown_location")[0]
            .hint
            .contains("`lcard`")
    );
    expect(
        &set("[\"lcard-2\", \"settings\"]").upload(),
        "manifest.location_suffix",
        Error,
        Some("manifest.json"),
        Some(13),
    );
    expect(
        &set("[\"lcard-1\", \"settings-1\"]").upload(),
        "manifest.location_suffix",
        Error,
        Some("manifest.json"),
        Some(13),
    );
    expect(
        &set("[\"lcard-0\", \"lcard-1\", \"settings\"]").upload(),
        "manifest.location_pair",
        Error,
        Some("manifest.json"),
        Some(13),
    );
    let w = set("[\"lcard\", \"lcard-1\", \"settings\"]");
    expect(
        &w.upload(),
        "manifest.location_duplicate",
        Warning,
        Some("manifest.json"),
        Some(13),
    );
    expect(
        &w.publication(),
        "manifest.location_duplicate",
        Error,
        Some("manifest.json"),
        Some(13),
    );
    let w = set("[\"card_sdk\", \"settings\"]");
    expect(
        &w.upload(),
        "manifest.card_sdk_needs_card",
        Warning,
        Some("manifest.json"),
        Some(13),
    );
    expect(
        &w.publication(),
        "manifest.card_sdk_needs_card",
        Error,
        Some("manifest.json"),
        Some(13),
    );
}

#[test]
fn companion_objects() {
    let r = Widget::valid()
        .manifest(|m| {
            m["locations"]
                .as_array_mut()
                .unwrap()
                .push("digital_pipeline".into());
        })
        .upload();
    let d = expect(
        &r,
        "manifest.companion_missing",
        Error,
        Some("manifest.json"),
        None,
    );
    assert!(d.message.contains("`dp`"), "{}", d.message);
    let r = Widget::valid()
        .manifest(|m| {
            m["advanced"] = serde_json::json!({"title": "widget.name"});
        })
        .upload();
    expect(
        &r,
        "manifest.companion_unused",
        Warning,
        Some("manifest.json"),
        None,
    );
    let r = Widget::valid()
        .manifest(|m| {
            m["locations"].as_array_mut().unwrap().push("sms".into());
            m["sms"] = serde_json::json!({"endpoint": "http://sms.dealnotes.io/x"});
        })
        .upload();
    let d = expect(
        &r,
        "manifest.url_invalid",
        Error,
        Some("manifest.json"),
        None,
    );
    assert_eq!(d.pointer.as_deref(), Some("/sms/endpoint"));
    let r = Widget::valid()
        .manifest(|m| {
            m["locations"]
                .as_array_mut()
                .unwrap()
                .push("digital_pipeline".into());
            m["dp"] = serde_json::json!({"settings": {}});
        })
        .upload();
    let d = expect(
        &r,
        "manifest.missing_field",
        Error,
        Some("manifest.json"),
        None,
    );
    assert_eq!(d.pointer.as_deref(), Some("/dp/action_multiple"));
    let w = Widget::valid().manifest(|m| {
        m["locations"]
            .as_array_mut()
            .unwrap()
            .push("mobile_card".into());
        m["mobile"] = serde_json::json!({"frame_url": "https://m.dealnotes.io", "color": "purple"});
    });
    expect(
        &w.upload(),
        "manifest.color_invalid",
        Warning,
        Some("manifest.json"),
        None,
    );
    expect(
        &w.publication(),
        "manifest.color_invalid",
        Error,
        Some("manifest.json"),
        None,
    );
}

#[test]
fn salesbot_and_left_menu() {
    let r = Widget::valid().manifest(|m| {
        m["locations"].as_array_mut().unwrap().push("salesbot_designer".into());
        m["salesbot_designer"] = serde_json::json!({"send": {"name": "widget.name", "settings": {"p": {"name": "widget.name", "type": "date"}}}});
    }).upload();
    let d = expect(
        &r,
        "manifest.invalid_value",
        Error,
        Some("manifest.json"),
        None,
    );
    assert_eq!(
        d.pointer.as_deref(),
        Some("/salesbot_designer/send/settings/p/type")
    );
    let r = Widget::valid().manifest(|m| {
        m["locations"].as_array_mut().unwrap().push("widget_page".into());
        m["left_menu"] = serde_json::json!({
            "reports": {"title": "widget.name", "icon": "images/menu.svg", "sort": {"after": "reports"}},
            "settings": {"is_hidden": true}
        });
    }).upload();
    expect(
        &r,
        "manifest.left_menu_settings_hidden",
        Error,
        Some("manifest.json"),
        None,
    );
    expect(
        &r,
        "manifest.invalid_value",
        Error,
        Some("manifest.json"),
        None,
    );
    // A missing file is named in `file`; the message names the manifest field.
    let d = expect(
        &r,
        "manifest.missing_file",
        Error,
        Some("images/menu.svg"),
        None,
    );
    assert!(
        d.message.contains("left_menu.reports.icon"),
        "{}",
        d.message
    );
    // `icons: {light, dark}` instead of `icon`, as real widgets write it: no error when the
    // files are there; a missing one is named.
    let themed = |dark: &str| {
        Widget::valid()
            .set("images/menu_light.svg", support::MENU_SVG)
            .set("images/menu_dark.svg", support::MENU_SVG)
            .manifest(|m| {
                m["locations"]
                    .as_array_mut()
                    .unwrap()
                    .push("widget_page".into());
                m["left_menu"] = serde_json::json!({
                    "reports": {"title": "widget.name",
                                "icons": {"light": "images/menu_light.svg", "dark": dark}}
                });
            })
            .upload()
    };
    let r = themed("images/menu_dark.svg");
    for code in [
        "manifest.missing_field",
        "manifest.unknown_key",
        "manifest.missing_file",
    ] {
        absent(&r, code);
    }
    let r = themed("images/menu_night.svg");
    let d = expect(
        &r,
        "manifest.missing_file",
        Error,
        Some("images/menu_night.svg"),
        None,
    );
    assert!(
        d.message.contains("left_menu.reports.icons.dark"),
        "{}",
        d.message
    );
}

// ---- settings ----

#[test]
fn settings_types_and_custom() {
    let r = Widget::valid()
        .edit(
            "manifest.json",
            "\"type\": \"pass\"",
            "\"type\": \"password\"",
        )
        .upload();
    expect(
        &r,
        "manifest.settings_type",
        Error,
        Some("manifest.json"),
        Some(24),
    );
    let r = Widget::valid()
        .edit(
            "manifest.json",
            "\"type\": \"pass\"",
            "\"type\": \"custom\"",
        )
        .edit(
            "manifest.json",
            "\"type\": \"users\"",
            "\"type\": \"custom\"",
        )
        .upload();
    expect(
        &r,
        "manifest.settings_multiple_custom",
        Error,
        Some("manifest.json"),
        Some(25),
    );
    let r = Widget::valid()
        .edit(
            "manifest.json",
            "\"type\": \"pass\"",
            "\"type\": \"custom\"",
        )
        .edit("manifest.json", ", \"settings\"]", "]")
        .upload();
    // amoCRM takes the upload (the field just does not show): a warning that says what
    // moderation will make of it.
    let d = expect(
        &r,
        "manifest.settings_custom_location",
        Warning,
        Some("manifest.json"),
        Some(24),
    );
    assert!(
        d.hint.contains("at moderation this is an error"),
        "{}",
        d.hint
    );
    assert!(r.valid, "{:?}", r.codes());
    let r = Widget::valid()
        .edit(
            "manifest.json",
            "\"type\": \"pass\"",
            "\"type\": \"custom\"",
        )
        .edit("manifest.json", ", \"settings\"]", "]")
        .publication();
    expect(
        &r,
        "manifest.settings_custom_location",
        Error,
        Some("manifest.json"),
        Some(24),
    );
}

// ---- tour ----

#[test]
fn tour_rules() {
    let w = Widget::valid().manifest(|m| {
        m.as_object_mut().unwrap().remove("tour");
    });
    expect(
        &w.upload(),
        "manifest.tour_missing",
        Warning,
        Some("manifest.json"),
        Some(1),
    );
    expect(
        &w.publication(),
        "manifest.tour_missing",
        Error,
        Some("manifest.json"),
        Some(1),
    );
    let w = Widget::valid().edit("manifest.json", "\"is_tour\": true", "\"is_tour\": false");
    expect(
        &w.upload(),
        "manifest.tour_disabled",
        Warning,
        Some("manifest.json"),
        Some(15),
    );
    expect(
        &w.publication(),
        "manifest.tour_disabled",
        Error,
        Some("manifest.json"),
        Some(15),
    );
    let w = Widget::valid().edit(
        "manifest.json",
        "\"en\": [\"/images/tour_1_en.png\"]",
        "\"en\": []",
    );
    expect(
        &w.upload(),
        "manifest.tour_images_locale",
        Warning,
        Some("manifest.json"),
        Some(16),
    );
    expect(
        &w.publication(),
        "manifest.tour_images_locale",
        Error,
        Some("manifest.json"),
        Some(16),
    );
    let r = Widget::valid().remove("images/tour_1_en.png").upload();
    // A missing file is named in `file`; the message names the manifest field.
    let d = expect(
        &r,
        "manifest.missing_file",
        Error,
        Some("images/tour_1_en.png"),
        None,
    );
    assert!(d.message.contains("tour.tour_images.en"), "{}", d.message);
    let r = Widget::valid()
        .edit("manifest.json", "tour_1_en.png", "tour_1_em.png")
        .upload();
    assert!(
        find(&r, "manifest.missing_file")[0]
            .hint
            .contains("images/tour_1_en.png")
    );
}

// ---- i18n ----

#[test]
fn i18n_missing_and_undeclared_files() {
    let r = Widget::valid().remove("i18n/en.json").upload();
    // The missing file is named in `file`.
    let d = expect(&r, "i18n.missing_file", Error, Some("i18n/en.json"), None);
    assert_eq!(d.pointer, None);
    let w = Widget::valid().set("i18n/es.json", support::EN);
    expect(
        &w.upload(),
        "i18n.undeclared_file",
        Warning,
        Some("i18n/es.json"),
        None,
    );
    expect(
        &w.publication(),
        "i18n.undeclared_file",
        Error,
        Some("i18n/es.json"),
        None,
    );
}

#[test]
fn i18n_structure_mismatch() {
    let r = Widget::valid()
        .edit(
            "i18n/ru.json",
            "\"phones\": \"Добавочные\"",
            "\"phone\": \"Добавочные\"",
        )
        .upload();
    let found = find(&r, "i18n.structure_mismatch");
    // Each finding carries the other file's pointer, placed at its nearest parent here.
    for (file, key, pointer) in [
        ("i18n/ru.json", "settings.phones", "/settings/phones"),
        ("i18n/en.json", "settings.phone`", "/settings/phone"),
    ] {
        assert!(
            found.iter().any(|d| d.file.as_deref() == Some(file)
                && d.message.contains(key)
                && d.pointer.as_deref() == Some(pointer)),
            "{file}"
        );
    }
    assert!(
        found
            .iter()
            .all(|d| d.severity == Error && d.line.is_some())
    );
}

#[test]
fn i18n_key_unresolved_points_at_the_manifest() {
    let r = Widget::valid()
        .edit(
            "manifest.json",
            "\"settings.secret\"",
            "\"settings.secrte\"",
        )
        .upload();
    let found = find(&r, "i18n.key_unresolved");
    assert_eq!(found.len(), 2, "one per language");
    assert_eq!(found[0].file.as_deref(), Some("manifest.json"));
    assert_eq!(found[0].line, Some(24));
    assert!(
        found[0].hint.contains("settings.secret`"),
        "{}",
        found[0].hint
    );
}

#[test]
fn i18n_plain_text_is_a_warning() {
    let r = Widget::valid()
        .edit(
            "manifest.json",
            "\"name\": \"widget.name\"",
            "\"name\": \"Deal Notes\"",
        )
        .upload();
    expect(
        &r,
        "i18n.plain_text",
        Warning,
        Some("manifest.json"),
        Some(3),
    );
    assert!(r.valid);
}

#[test]
fn i18n_empty_and_wrong_type() {
    let w = Widget::valid().edit(
        "i18n/en.json",
        "\"tour_description\": \"How it works\"",
        "\"tour_description\": \"\"",
    );
    expect(
        &w.upload(),
        "i18n.empty_value",
        Warning,
        Some("i18n/en.json"),
        Some(6),
    );
    expect(
        &w.publication(),
        "i18n.empty_value",
        Error,
        Some("i18n/en.json"),
        Some(6),
    );
    let r = Widget::valid()
        .edit("i18n/en.json", "\"How it works\"", "[\"How\"]")
        .upload();
    expect(&r, "i18n.wrong_type", Error, Some("i18n/en.json"), Some(6));
}

#[test]
fn ai_agent_needs_its_description_key() {
    let r = Widget::valid()
        .manifest(|m| {
            m["locations"]
                .as_array_mut()
                .unwrap()
                .push("ai_agent".into());
        })
        .upload();
    let found = find(&r, "i18n.key_unresolved");
    assert!(
        found
            .iter()
            .all(|d| d.message.contains("widget.ai_agent_description"))
    );
    assert_eq!(found.len(), 2);
}

// ---- images ----

#[test]
fn logo_rules() {
    let w = Widget::valid().remove("images/logo_main.png");
    expect(
        &w.upload(),
        "image.logo_missing",
        Warning,
        Some("images/logo_main.png"),
        None,
    );
    expect(
        &w.publication(),
        "image.logo_missing",
        Error,
        Some("images/logo_main.png"),
        None,
    );
    let w = Widget::valid().set("images/logo_small.png", support::png(100, 100));
    let up = w.upload();
    let d = expect(
        &up,
        "image.logo_size",
        Warning,
        Some("images/logo_small.png"),
        None,
    );
    assert!(
        d.message.contains("100x100") && d.message.contains("108x108"),
        "{}",
        d.message
    );
    expect(
        &w.publication(),
        "image.logo_size",
        Error,
        Some("images/logo_small.png"),
        None,
    );
    let r = Widget::valid()
        .set("images/logo.png", "not an image")
        .upload();
    expect(&r, "image.not_image", Error, Some("images/logo.png"), None);
    let dp = Widget::valid().manifest(|m| {
        m["locations"]
            .as_array_mut()
            .unwrap()
            .push("digital_pipeline".into());
        m["dp"] = serde_json::json!({"settings": {}, "action_multiple": false});
    });
    expect(
        &dp.publication(),
        "image.logo_missing",
        Error,
        Some("images/logo_dp.png"),
        None,
    );
}

#[test]
fn image_format_and_weight() {
    // A GIF header with a .png name, 130x100.
    let mut gif = b"GIF89a".to_vec();
    gif.extend_from_slice(&130u16.to_le_bytes());
    gif.extend_from_slice(&100u16.to_le_bytes());
    gif.extend_from_slice(&[0; 16]);
    let w = Widget::valid().set("images/logo.png", gif);
    expect(
        &w.upload(),
        "image.format_mismatch",
        Warning,
        Some("images/logo.png"),
        None,
    );
    expect(
        &w.upload(),
        "image.not_png",
        Warning,
        Some("images/logo.png"),
        None,
    );
    expect(
        &w.publication(),
        "image.not_png",
        Error,
        Some("images/logo.png"),
        None,
    );
    absent(&w.upload(), "image.logo_size");
    let mut big = support::png(300, 200);
    big.extend(std::iter::repeat_n(0u8, 310 * 1024));
    let w = Widget::valid().set("images/tour_1_en.png", big);
    expect(
        &w.upload(),
        "image.too_large",
        Warning,
        Some("images/tour_1_en.png"),
        None,
    );
    expect(
        &w.publication(),
        "image.too_large",
        Error,
        Some("images/tour_1_en.png"),
        None,
    );
}

// ---- text ----

#[test]
fn text_encoding_rules() {
    let w = Widget::valid().set("style.css", b"\xEF\xBB\xBF.deal-notes-sync { }\n");
    expect(&w.upload(), "text.bom", Warning, Some("style.css"), Some(1));
    expect(
        &w.publication(),
        "text.bom",
        Error,
        Some("style.css"),
        Some(1),
    );
    let w = Widget::valid().set("style.css", ".deal-notes-sync {\r\n}\r\n");
    let up = w.upload();
    let d = expect(&up, "text.crlf", Warning, Some("style.css"), Some(1));
    assert!(d.message.contains('2'), "{}", d.message);
    expect(
        &w.publication(),
        "text.crlf",
        Error,
        Some("style.css"),
        Some(1),
    );
}

#[test]
fn test_domains_and_placeholders() {
    let w = Widget::valid().edit(
        "script.js",
        "var self = this;",
        "var self = this;\n    var url = 'https://localhost:3000/api';",
    );
    let up = w.upload();
    let d = expect(&up, "text.test_domain", Warning, Some("script.js"), Some(4));
    assert_eq!(d.column, Some(24));
    expect(
        &w.publication(),
        "text.test_domain",
        Error,
        Some("script.js"),
        Some(4),
    );
    let w = Widget::valid().edit(
        "manifest.json",
        "support@dealnotes.io",
        "support@example.com",
    );
    expect(
        &w.publication(),
        "text.test_domain",
        Error,
        Some("manifest.json"),
        Some(11),
    );
    let w = Widget::valid().edit(
        "script.js",
        "var self = this;",
        "var self = this;\n    var key = 'YOUR_API_KEY';",
    );
    let up = w.upload();
    let d = expect(
        &up,
        "text.placeholder_secret",
        Warning,
        Some("script.js"),
        Some(4),
    );
    assert!(d.message.contains("YOUR_API_KEY"));
    expect(
        &w.publication(),
        "text.placeholder_secret",
        Error,
        Some("script.js"),
        Some(4),
    );
    // Third-party files are exempt.
    let w = Widget::valid().set("vendor/lib.min.js", "var u='http://localhost/';");
    absent(&w.publication(), "text.test_domain");
}

// ---- listing ----

#[test]
fn listing_lengths_and_brand() {
    let w = Widget::valid().edit(
        "i18n/en.json",
        "\"Deal Notes Sync\"",
        "\"Deal Notes Synchronisation for amoCRM\"",
    );
    let up = w.upload();
    let d = expect(
        &up,
        "listing.name_length",
        Warning,
        Some("i18n/en.json"),
        Some(3),
    );
    assert!(d.message.contains("37"), "{}", d.message);
    expect(
        &w.publication(),
        "listing.name_length",
        Error,
        Some("i18n/en.json"),
        Some(3),
    );
    expect(
        &w.publication(),
        "listing.brand_name",
        Error,
        Some("i18n/en.json"),
        Some(3),
    );
    let w = Widget::valid().edit(
        "i18n/en.json",
        "\"Deal Notes Sync\"",
        "\"Dealnotessynchronizer\"",
    );
    expect(
        &w.publication(),
        "listing.name_word_length",
        Error,
        Some("i18n/en.json"),
        Some(3),
    );
    let long = "x".repeat(51);
    let w = Widget::valid().edit(
        "i18n/en.json",
        "\"Sync deal notes\"",
        &format!("\"{long}\""),
    );
    expect(
        &w.publication(),
        "listing.short_description_length",
        Error,
        Some("i18n/en.json"),
        Some(5),
    );
    let long = format!("<b>{}</b>", "y".repeat(401));
    let w = Widget::valid().edit(
        "i18n/ru.json",
        "\"Синхронизирует",
        &format!("\"{long} Синхронизирует"),
    );
    expect(
        &w.publication(),
        "listing.description_length",
        Error,
        Some("i18n/ru.json"),
        Some(4),
    );
    let w = Widget::valid().edit("i18n/en.json", "\"Syncs", "\"<script>x()</script> Syncs");
    expect(
        &w.upload(),
        "listing.description_script",
        Warning,
        Some("i18n/en.json"),
        Some(4),
    );
    expect(
        &w.publication(),
        "listing.description_script",
        Error,
        Some("i18n/en.json"),
        Some(4),
    );
}

// ---- messages ----

#[test]
fn messages_come_in_russian_too() {
    let w = Widget::valid().remove("i18n/en.json");
    let files = w
        .files
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let r = validate(
        Input::Files(files),
        &Options {
            lang: widgetry_validator::Lang::Ru,
            profile: Profile::Upload,
            ..Options::default()
        },
    );
    let d = find(&r, "i18n.missing_file")[0];
    assert!(d.message.contains("объявлен"), "{}", d.message);
    assert!(d.hint.contains("добавьте"), "{}", d.hint);
}

#[test]
fn every_finding_is_collected_in_one_pass() {
    let r = Widget::valid()
        .remove("i18n/en.json")
        .remove("images/logo_main.png")
        .edit(
            "manifest.json",
            "\"interface_version\": 2",
            "\"interface_version\": 3",
        )
        .edit("manifest.json", "\"llist-0\"", "\"llist-5\"")
        .upload();
    for code in [
        "i18n.missing_file",
        "image.logo_missing",
        "manifest.interface_version",
        "manifest.location_suffix",
    ] {
        find(&r, code);
    }
}

// ---- package ----

#[test]
fn unused_files_are_noted() {
    let w = Widget::valid()
        .set("images/old_logo.png", support::png(10, 10))
        .set("lib/helper.js", "// helper.js: nothing loads me\n");
    let up = w.upload();
    let found = find(&up, "package.unused_file");
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(
        found
            .iter()
            .all(|d| d.severity == widgetry_validator::Severity::Info)
    );
    assert!(up.valid);
    expect(
        &w.publication(),
        "package.unused_file",
        Warning,
        Some("images/old_logo.png"),
        None,
    );
    // Referenced from another file (by name, or by module path without extension): used.
    let w = w
        .edit(
            "script.js",
            "define(['jquery']",
            "define(['jquery', './lib/helper']",
        )
        .edit(
            "style.css",
            "color: #333;",
            "color: #333; background: url(images/old_logo.png);",
        );
    absent(&w.publication(), "package.unused_file");
}

#[test]
fn russian_reports_carry_no_english_fragments() {
    let w = Widget::valid()
        .edit(
            "manifest.json",
            "\"installation\": true",
            "\"installation\": \"true\"",
        )
        .edit(
            "manifest.json",
            "\"init_once\": false,",
            "\"init_onse\": false,",
        )
        .edit("manifest.json", "\"llist-0\"", "\"lcrad-5\"")
        .edit(
            "manifest.json",
            "\"settings.secret\"",
            "\"settings.secrte\"",
        )
        .edit("manifest.json", "tour_1_en.png", "tour_1_em.png");
    let files = w
        .files
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let r = validate(
        Input::Files(files),
        &Options {
            lang: widgetry_validator::Lang::Ru,
            ..Options::default()
        },
    );
    assert!(r.diagnostics.len() >= 5, "{:#?}", r.diagnostics);
    for d in &r.diagnostics {
        for text in [&d.message, &d.hint] {
            for english in [
                "there is",
                "similar name",
                "a string",
                "the string",
                "true or false",
                " with `-0`",
            ] {
                assert!(!text.contains(english), "{}: {text}", d.code);
            }
        }
    }
}

// ---- what amoCRM's own upload refuses, and no more ----

#[test]
fn i18n_values_may_be_any_json_the_script_reads() {
    let r = Widget::valid()
        .edit(
            "i18n/en.json",
            "\"settings\":",
            "\"months\": [\"Jan\", \"Feb\"], \"limits\": {\"max\": 250, \"strict\": true, \"none\": null},\n  \"settings\":",
        )
        .edit(
            "i18n/ru.json",
            "\"settings\":",
            "\"months\": [\"янв\", \"фев\"], \"limits\": {\"max\": 250, \"strict\": true, \"none\": null},\n  \"settings\":",
        )
        .publication();
    assert!(r.valid, "{:?}", r.codes());
    absent(&r, "i18n.wrong_type");
}

#[test]
fn a_dp_block_without_webhook_url_is_a_warning() {
    let w = Widget::valid()
        .set("images/logo_dp.png", support::png(174, 109))
        .manifest(|m| {
            m["locations"]
                .as_array_mut()
                .unwrap()
                .push("digital_pipeline".into());
            m["dp"] = serde_json::json!({"settings": {}, "action_multiple": false});
        })
        .edit(
            "script.js",
            "destroy: function () {},",
            "destroy: function () {}, dpSettings: function () { return true; },",
        );
    let up = w.upload();
    let d = expect(
        &up,
        "manifest.dp_webhook_missing",
        Warning,
        Some("manifest.json"),
        None,
    );
    assert_eq!(d.pointer.as_deref(), Some("/dp"));
    expect(
        &w.publication(),
        "manifest.dp_webhook_missing",
        Warning,
        Some("manifest.json"),
        None,
    );
    let with_url = w.manifest(|m| {
        m["dp"]["webhook_url"] = "https://hooks.dealnotes.io/amocrm/dp".into();
    });
    absent(&with_url.upload(), "manifest.dp_webhook_missing");
}

// ---- loaders, remote code, build placeholders ----

/// A script.js that only loads the widget from elsewhere.
fn loader(deps: &str, body: &str) -> String {
    format!("define([{deps}], function (App) {{\n  {body}\n}});\n")
}

#[test]
fn loaders_are_followed_into_package_modules() {
    let app = support::SCRIPT.replace("define(['jquery']", "define(['jquery', './lib/util']");
    for dep in ["'./dist/app.js'", "'./dist/app'", "'dist/app.js'"] {
        let r = Widget::valid()
            .set(
                "script.js",
                loader(
                    dep,
                    "return function () { return App.default ? App.default.call(this, this) : App.call(this); };",
                ),
            )
            .set("dist/app.js", &app)
            .set("dist/lib/util.js", "define([], function () { return {}; });\n")
            .publication();
        for code in [
            "script.no_callbacks",
            "script.missing_callback",
            "script.remote_code",
        ] {
            absent(&r, code);
        }
        assert!(r.valid, "{dep}: {:?}", r.codes());
    }
    // Two levels down, through a name bound to the path.
    let r = Widget::valid()
        .set(
            "script.js",
            "var BUNDLE = './build/boot';\ndefine([BUNDLE], function (Boot) { return Boot; });\n",
        )
        .set("build/boot.js", loader("'./widget.js'", "return App;"))
        .set("build/widget.js", support::SCRIPT)
        .upload();
    absent(&r, "script.no_callbacks");
    // A missing callback is reported where the callbacks are.
    let r = Widget::valid()
        .set("script.js", loader("'./dist/app.js'", "return App;"))
        .set(
            "dist/app.js",
            support::SCRIPT.replace("init: function () { return true; },", ""),
        )
        .publication();
    let d = expect(
        &r,
        "script.missing_callback",
        Error,
        Some("dist/app.js"),
        Some(4),
    );
    assert!(d.message.contains("`init`"), "{}", d.message);
    // No module anywhere has callbacks: reported on script.js, a warning on upload.
    let r = Widget::valid()
        .set("script.js", loader("'./dist/app.js'", "return App;"))
        .set(
            "dist/app.js",
            "define([], function () { return function () {}; });\n",
        )
        .upload();
    let d = expect(
        &r,
        "script.no_callbacks",
        Warning,
        Some("script.js"),
        Some(1),
    );
    assert!(
        d.hint.contains("at moderation this is an error"),
        "{}",
        d.hint
    );
    assert!(r.valid, "{:?}", r.codes());
}

#[test]
fn code_from_a_development_host_blocks_publication_and_a_cdn_warns() {
    // The development/production switch: a localStorage override or the packaged build.
    let switch = "var src = localStorage.getItem('deal_notes_dev') ? 'http://localhost:8080/app.js' : './build/widget.js';\ndefine([src], function (Widget) { return Widget; });\n";
    let w = Widget::valid()
        .set("script.js", switch)
        .set("build/widget.js", support::SCRIPT);
    let r = w.upload();
    let d = expect(
        &r,
        "script.remote_code",
        Warning,
        Some("script.js"),
        Some(1),
    );
    assert!(
        d.message.contains("http://localhost:8080/app.js"),
        "{}",
        d.message
    );
    assert!(r.valid, "{:?}", r.codes());
    absent(&r, "script.no_callbacks");
    let r = w.publication();
    expect(&r, "script.remote_code", Error, Some("script.js"), Some(1));
    for url in [
        "https://7f3a-85-140-1-2.ngrok-free.app/app.js",
        "https://shy-cat-12.loca.lt/app.js",
        "https://words-here.trycloudflare.com/app.js",
        "http://192.168.1.20:3000/app.js",
    ] {
        let r = Widget::valid()
            .set("script.js", loader(&format!("'{url}'"), "return App;"))
            .publication();
        expect(&r, "script.remote_code", Error, Some("script.js"), Some(1));
        // The constructor comes from outside: not also "no callbacks".
        absent(&r, "script.no_callbacks");
    }
    // From a public host: a warning for the moderator in both profiles.
    let cdn = Widget::valid().set(
        "script.js",
        loader(
            "'https://cdn.dealnotes.io/widget/2.1.0/app.js'",
            "return App;",
        ),
    );
    expect(
        &cdn.publication(),
        "script.remote_code",
        Warning,
        Some("script.js"),
        Some(1),
    );
    // Anywhere in the package: require([...]) at run time, a <script src>, require.config.
    let r = Widget::valid()
        .edit(
            "script.js",
            "init: function () { return true; },",
            "init: function () { require([window.localStorage.dev_url || 'https://abc.ngrok.io/dev.js'], function () {}); $('body').append('<script src=\"http://127.0.0.1:3000/hot.js\"></script>'); return true; },",
        )
        .set(
            "js/config.js",
            "requirejs.config({ paths: { chart: 'http://localhost:9000/chart' } });\n",
        )
        .publication();
    let remote: Vec<_> = find(&r, "script.remote_code")
        .iter()
        .map(|d| (d.file.clone().unwrap_or_default(), d.severity))
        .collect();
    assert_eq!(
        remote,
        [
            ("js/config.js".to_string(), Error),
            ("script.js".to_string(), Error),
            ("script.js".to_string(), Error)
        ]
    );
}

#[test]
fn an_unreplaced_build_placeholder_is_named() {
    for token in ["__WIDGET_BUNDLE__", "<%= bundleUrl %>", "%APP_ENTRY%"] {
        let w = Widget::valid().set("script.js", loader(&format!("'{token}'"), "return App;"));
        let up = w.upload();
        let d = expect(
            &up,
            "script.build_placeholder",
            Warning,
            Some("script.js"),
            Some(1),
        );
        assert!(d.message.contains(token), "{}", d.message);
        let r = w.publication();
        expect(
            &r,
            "script.build_placeholder",
            Error,
            Some("script.js"),
            Some(1),
        );
        absent(&r, "script.no_callbacks");
    }
}

// ---- known libraries ----

#[test]
fn a_known_library_is_listed_not_judged_and_its_advisories_reported() {
    // A jQuery 3.4.1 build as people save it (recognised by its banner and file name), with
    // code that would be findings in the author's own files.
    let jquery = "/*! jQuery v3.4.1 | (c) JS Foundation and other contributors | jquery.org/license */\n!function(e,t){var x=new Function('return this')();e.ajax({url:'/a',async:false});document.createElement('script');debugger;}(window);\n";
    let w = Widget::valid().set("libs/jquery-3.4.1.min.js", jquery);
    let up = w.upload();
    for code in [
        "script.new_function",
        "script.sync_xhr",
        "script.script_injection",
        "script.debugger",
        "script.minified",
    ] {
        absent(&up, code);
    }
    assert_eq!(up.libraries.len(), 1, "{:?}", up.libraries);
    let lib = &up.libraries[0];
    assert_eq!(
        (
            lib.file.as_str(),
            lib.name.as_str(),
            lib.version.as_str(),
            lib.how.as_str()
        ),
        ("libs/jquery-3.4.1.min.js", "jQuery", "3.4.1", "banner")
    );
    assert!(
        lib.advisories.iter().any(|a| a == "CVE-2020-11022"),
        "{lib:?}"
    );
    let d = expect(
        &up,
        "library.vulnerable",
        Info,
        Some("libs/jquery-3.4.1.min.js"),
        None,
    );
    assert!(d.message.contains("CVE-2020-11022"), "{}", d.message);
    expect(
        &w.publication(),
        "library.vulnerable",
        Warning,
        Some("libs/jquery-3.4.1.min.js"),
        None,
    );
    // The same code under a name that is not the library's is the author's code.
    let mine = Widget::valid().set("libs/helpers.js", jquery).publication();
    assert!(mine.libraries.is_empty());
    expect(
        &mine,
        "script.sync_xhr",
        Error,
        Some("libs/helpers.js"),
        Some(2),
    );
    absent(&mine, "library.vulnerable");
    // A fixed version: listed, no advisory.
    let fixed = Widget::valid()
        .set("vendor/jquery.min.js", jquery.replace("v3.4.1", "v3.7.1"))
        .publication();
    assert_eq!(fixed.libraries[0].version, "3.7.1");
    absent(&fixed, "library.vulnerable");
}
