//! `check_submission`: the publication profile plus the submission rules in one report. Each
//! test breaks the valid baseline widget or the valid baseline submission in one place and
//! asserts the codes, severities, files and pointers (request fields have no file and a
//! pointer into the request body).

#![allow(clippy::unwrap_used)]

mod support;

use std::collections::BTreeMap;
use support::{Widget, absent, find};
use widgetry_validator::Severity::{Error, Warning};
use widgetry_validator::{
    Diagnostic, Input, Lang, Options, Profile, Report, SubmissionFields, check_submission,
};

/// The request fields of a submission, owned, easy to change in one place.
#[derive(Clone)]
struct Sub {
    languages: Vec<String>,
    description: BTreeMap<String, String>,
    instructions: BTreeMap<String, String>,
    support_phone: String,
    support_email: String,
    test_credentials: Option<String>,
    name_changes: BTreeMap<String, String>,
    description_changes: BTreeMap<String, String>,
}

fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
        .collect()
}

impl Sub {
    fn valid() -> Sub {
        Sub {
            languages: vec!["ru".into(), "en".into()],
            description: map(&[
                (
                    "en",
                    "Syncs deal notes with your notebook. Support: +7 495 215-37-84, support@dealnotes.io",
                ),
                (
                    "ru",
                    "Синхронизирует заметки сделок с блокнотом. Поддержка: +7 (495) 215-37-84, support@dealnotes.io",
                ),
            ]),
            instructions: map(&[
                (
                    "en",
                    "Install the widget, paste the API key from your Deal Notes profile and save.",
                ),
                (
                    "ru",
                    "Установите виджет, вставьте ключ API из профиля Deal Notes и сохраните.",
                ),
            ]),
            support_phone: "+7 495 215-37-84".into(),
            support_email: "support@dealnotes.io".into(),
            test_credentials: None,
            name_changes: BTreeMap::new(),
            description_changes: BTreeMap::new(),
        }
    }

    fn langs(mut self, languages: &[&str]) -> Sub {
        self.languages = languages.iter().map(|l| (*l).to_string()).collect();
        self
    }

    fn check_with(&self, input: Input<'_>, options: &Options<'_>) -> Report {
        let fields = SubmissionFields {
            languages: &self.languages,
            description: &self.description,
            instructions: &self.instructions,
            support_phone: &self.support_phone,
            support_email: &self.support_email,
            test_credentials: self.test_credentials.as_deref(),
            name_changes: &self.name_changes,
            description_changes: &self.description_changes,
        };
        check_submission(input, options, &fields).report
    }

    fn check(&self, w: &Widget) -> Report {
        self.check_with(Input::Zip(&w.zip()), &Options::default())
    }
}

/// Asserts a code was raised once at a place (`pointer` "" for none); returns it.
#[track_caller]
fn at<'r>(
    report: &'r Report,
    code: &str,
    severity: widgetry_validator::Severity,
    file: Option<&str>,
    pointer: &str,
) -> &'r Diagnostic {
    let found: Vec<&Diagnostic> = find(report, code)
        .into_iter()
        .filter(|d| d.pointer.as_deref().unwrap_or("") == pointer && d.file.as_deref() == file)
        .collect();
    assert_eq!(
        found.len(),
        1,
        "{code} at {file:?} {pointer}: {:#?}",
        report.diagnostics
    );
    assert_eq!(found[0].severity, severity, "{:#?}", found[0]);
    found[0]
}

/// Asserts an error about a request field (no file) was raised once; returns it.
#[track_caller]
fn field_error<'r>(report: &'r Report, code: &str, pointer: &str) -> &'r Diagnostic {
    at(report, code, Error, None, pointer)
}

#[test]
fn a_valid_package_and_submission_pass_under_the_publication_profile() {
    let r = Sub::valid().check(&Widget::valid());
    assert!(r.diagnostics.is_empty(), "{:#?}", r.diagnostics);
    assert!(r.valid);
    assert_eq!(r.profile, Profile::Publication);
}

#[test]
fn the_publication_profile_is_forced() {
    let w = Widget::valid().edit("manifest.json", "\"1.2.0\"", "\"1.1.\"");
    let files = w.files.clone().into_iter().collect();
    let options = Options {
        profile: Profile::Upload,
        ..Options::default()
    };
    let r = Sub::valid().check_with(Input::Files(files), &options);
    assert_eq!(r.profile, Profile::Publication);
    let d = find(&r, "manifest.version_format")[0];
    assert_eq!(d.severity, Error);
    assert!(!r.valid);
    assert_eq!(r.errors, 1, "{:#?}", r.diagnostics);
}

#[test]
fn field_findings_come_with_package_findings_in_one_report() {
    let mut sub = Sub::valid();
    sub.support_email = "support".into();
    let r = sub.check(&Widget::valid().remove("images/logo_min.png"));
    field_error(&r, "submission.support_email_invalid", "/support_email");
    assert!(r.codes().contains(&"image.logo_missing"), "{:?}", r.codes());
    assert_eq!(
        r.errors,
        r.diagnostics.iter().filter(|d| d.severity == Error).count()
    );
    // Request fields first (they have no file), then the package by file.
    assert_eq!(r.diagnostics[0].code, "submission.support_email_invalid");
}

#[test]
fn field_findings_survive_an_unreadable_archive() {
    let r = Sub::valid()
        .langs(&[])
        .check_with(Input::Zip(b"not a zip"), &Options::default());
    assert_eq!(r.codes(), ["submission.languages_empty", "archive.not_zip"]);
    field_error(&r, "submission.languages_empty", "/languages");
}

#[test]
fn languages_listed_twice_or_not_allowed() {
    let r = Sub::valid()
        .langs(&["ru", "en", "en", "de"])
        .check(&Widget::valid());
    let d = field_error(&r, "submission.language_duplicate", "/languages/2");
    assert!(d.message.contains("`en`"), "{}", d.message);
    let d = field_error(&r, "submission.language_not_allowed", "/languages/3");
    assert!(d.hint.contains("ru, en, es"), "{}", d.hint);
    // A language that is not allowed is not held to the per-language rules.
    absent(&r, "submission.description_missing");
    assert_eq!(r.errors, 2, "{:#?}", r.diagnostics);
}

#[test]
fn an_undeclared_publication_language_without_a_file() {
    let r = Sub::valid()
        .langs(&["ru", "en", "es"])
        .check(&Widget::valid());
    let d = at(
        &r,
        "submission.language_not_declared",
        Error,
        Some("manifest.json"),
        "/widget/locale",
    );
    assert!(d.line.is_some());
    at(
        &r,
        "submission.i18n_missing",
        Error,
        Some("i18n/es.json"),
        "",
    );
    let d = at(
        &r,
        "manifest.tour_images_locale",
        Error,
        Some("manifest.json"),
        "/tour/tour_images",
    );
    assert!(d.message.contains("`es`"), "{}", d.message);
    field_error(&r, "submission.description_missing", "/description/es");
    field_error(&r, "submission.instructions_missing", "/instructions/es");
}

#[test]
fn an_undeclared_publication_language_with_a_file_is_checked_like_a_declared_one() {
    let es = support::EN
        .replace("\"Deal Notes Sync\"", "\"\"")
        .replace(",\n    \"tour_description\": \"How it works\"", "");
    let w = Widget::valid().set("i18n/es.json", es);
    let mut sub = Sub::valid().langs(&["ru", "en", "es"]);
    sub.description
        .insert("es".into(), sub.description["en"].clone());
    sub.instructions
        .insert("es".into(), sub.instructions["en"].clone());
    let r = sub.check(&w);
    // The existing rules say it: the file is not declared, a text is empty, a key missing.
    find(&r, "i18n.undeclared_file");
    at(
        &r,
        "i18n.empty_value",
        Error,
        Some("i18n/es.json"),
        "/widget/name",
    );
    find(&r, "i18n.structure_mismatch");
    let d = at(
        &r,
        "i18n.key_unresolved",
        Error,
        Some("manifest.json"),
        "/tour/tour_description",
    );
    assert!(d.message.contains("i18n/es.json"), "{}", d.message);
    // ... so the submission rules do not say it again.
    absent(&r, "submission.language_not_declared");
    absent(&r, "submission.i18n_missing");
    find(&r, "manifest.tour_images_locale");
}

#[test]
fn a_declared_language_without_its_file_is_reported_once() {
    let r = Sub::valid().check(&Widget::valid().remove("i18n/en.json"));
    find(&r, "i18n.missing_file");
    absent(&r, "submission.i18n_missing");
    absent(&r, "submission.language_not_declared");
}

#[test]
fn empty_texts_and_tour_of_publication_languages() {
    let w = Widget::valid().edit("i18n/ru.json", "\"Как это работает\"", "\" \"");
    let r = Sub::valid().check(&w);
    at(
        &r,
        "i18n.empty_value",
        Error,
        Some("i18n/ru.json"),
        "/widget/tour_description",
    );
    let w = Widget::valid().manifest(|m| {
        m["tour"]["tour_images"]
            .as_object_mut()
            .unwrap()
            .remove("en");
    });
    let r = Sub::valid().check(&w);
    let d = at(
        &r,
        "manifest.tour_images_locale",
        Error,
        Some("manifest.json"),
        "/tour/tour_images",
    );
    assert!(d.message.contains("`en`"), "{}", d.message);
    assert_eq!(find(&r, "manifest.tour_images_locale").len(), 1);
}

#[test]
fn description_needs_a_phone_and_an_email_in_every_language() {
    let mut sub = Sub::valid();
    sub.description
        .insert("ru".into(), "Синхронизирует заметки сделок.".into());
    sub.description.insert(
        "en".into(),
        "Syncs notes. Call +7 495 215-37-84 or write to support at dealnotes dot io".into(),
    );
    let r = sub.check(&Widget::valid());
    for (code, pointer) in [
        ("submission.description_no_phone", "/description/ru"),
        ("submission.description_no_email", "/description/ru"),
        ("submission.description_no_email", "/description/en"),
    ] {
        field_error(&r, code, pointer);
    }
    assert_eq!(r.errors, 3, "{:#?}", r.diagnostics);

    let mut sub = Sub::valid();
    sub.description.insert("en".into(), "   ".into());
    sub.description.remove("ru");
    let r = sub.check(&Widget::valid());
    field_error(&r, "submission.description_missing", "/description/en");
    field_error(&r, "submission.description_missing", "/description/ru");
    absent(&r, "submission.description_no_phone");
}

#[test]
fn instructions_missing_or_short() {
    let mut sub = Sub::valid();
    sub.instructions.remove("en");
    sub.instructions.insert("ru".into(), "Установите.".into());
    let r = sub.check(&Widget::valid());
    field_error(&r, "submission.instructions_missing", "/instructions/en");
    let d = at(
        &r,
        "submission.instructions_short",
        Warning,
        None,
        "/instructions/ru",
    );
    assert!(d.message.contains("11"), "{}", d.message);
    assert_eq!((r.errors, r.warnings), (1, 1), "{:#?}", r.diagnostics);
}

#[test]
fn support_contacts_must_be_a_phone_and_an_email() {
    let mut sub = Sub::valid();
    sub.support_phone = "call us".into();
    sub.support_email = "support at dealnotes".into();
    let r = sub.check(&Widget::valid());
    let d = field_error(&r, "submission.support_phone_invalid", "/support_phone");
    assert!(d.message.contains("`call us`"), "{}", d.message);
    field_error(&r, "submission.support_email_invalid", "/support_email");

    let mut sub = Sub::valid();
    sub.support_phone = " ".into();
    sub.support_email = String::new();
    let r = sub.check(&Widget::valid());
    field_error(&r, "submission.support_phone_missing", "/support_phone");
    field_error(&r, "submission.support_email_missing", "/support_email");
    absent(&r, "submission.support_phone_invalid");
}

#[test]
fn name_and_description_changes() {
    let mut sub = Sub::valid();
    sub.name_changes = map(&[
        ("en", "The Superdealnotessynchronisation Widget"),
        ("ru", "Заметки amoCRM"),
        ("es", "Notas"),
    ]);
    sub.description_changes = map(&[("ru", "<script>alert(1)</script>"), ("en", " ")]);
    let r = sub.check(&Widget::valid());
    let d = field_error(&r, "listing.name_length", "/changes/name/en");
    assert!(d.message.contains("changes.name.en"), "{}", d.message);
    field_error(&r, "listing.name_word_length", "/changes/name/en");
    field_error(&r, "listing.brand_name", "/changes/name/ru");
    let d = field_error(&r, "submission.change_language", "/changes/name/es");
    assert!(d.message.contains("new name"), "{}", d.message);
    field_error(&r, "listing.description_script", "/changes/description/ru");
    field_error(&r, "submission.change_empty", "/changes/description/en");

    let mut sub = Sub::valid();
    sub.description_changes = map(&[("en", &"Notes. ".repeat(80))]);
    let r = sub.check(&Widget::valid());
    field_error(&r, "listing.description_length", "/changes/description/en");
}

#[test]
fn messages_in_russian() {
    let mut sub = Sub::valid();
    sub.name_changes = map(&[("es", "Notas")]);
    let options = Options {
        lang: Lang::Ru,
        ..Options::default()
    };
    let r = sub.check_with(Input::Zip(&Widget::valid().zip()), &options);
    let d = field_error(&r, "submission.change_language", "/changes/name/es");
    assert!(d.message.starts_with("новое название"), "{}", d.message);
}

#[test]
fn a_script_talking_to_a_third_party_needs_test_credentials() {
    let calls = "define(['jquery'], function ($) {\n  var API = 'https://api.dealnotes.io/v1/notes';\n  var CDN = '//cdn.jsdelivr.net/npm/x.js';\n  var CRM = 'https://' + location.host + '.amocrm.ru';\n  var HELP = 'https://www.amocrm.ru/developers';";
    let w = Widget::valid().edit("script.js", "define(['jquery'], function ($) {", calls);
    let r = Sub::valid().check(&w);
    let d = at(
        &r,
        "submission.test_credentials_missing",
        Warning,
        None,
        "/test_credentials",
    );
    assert!(d.message.contains("`api.dealnotes.io`"), "{}", d.message);
    assert!(!d.message.contains("jsdelivr"), "{}", d.message);
    assert!(!d.message.contains("amocrm"), "{}", d.message);
    assert!(r.valid, "a warning does not block: {:#?}", r.diagnostics);

    let mut sub = Sub::valid();
    sub.test_credentials = Some("login: demo / password: demo-pass".into());
    absent(&sub.check(&w), "submission.test_credentials_missing");
    sub.test_credentials = Some("  ".into());
    find(&sub.check(&w), "submission.test_credentials_missing");

    // Vendored code and comments do not count.
    let w = Widget::valid()
        .set("vendor/lib.js", "var u = 'https://api.somelib.io/track';\n")
        .edit(
            "script.js",
            "var self = this;",
            "var self = this; // see docs at api.dealnotes.io\n    //self.load();",
        );
    absent(
        &Sub::valid().check(&w),
        "submission.test_credentials_missing",
    );
}

#[test]
fn placeholder_contacts_and_leftovers_block_publication() {
    // In the submission's fields.
    let mut sub = Sub::valid();
    sub.support_phone = "+7 000 000-00-00".into();
    sub.support_email = "support@test.com".into();
    sub.description.insert(
        "en".into(),
        "Syncs deal notes. Support: +7 495 215-37-84, help@yourdomain.com. TODO: check the text"
            .into(),
    );
    let r = sub.check(&Widget::valid());
    let d = field_error(&r, "text.placeholder_contact", "/support_phone");
    assert!(d.message.contains("+7 000 000-00-00"), "{}", d.message);
    let mut contacts: Vec<_> = r
        .diagnostics
        .iter()
        .filter(|d| d.code == "text.placeholder_contact")
        .map(|d| d.pointer.clone().unwrap_or_default())
        .collect();
    contacts.sort();
    assert_eq!(
        contacts,
        ["/description/en", "/support_email", "/support_phone"],
        "{:#?}",
        r.diagnostics
    );
    let d = field_error(&r, "text.leftover_marker", "/description/en");
    assert!(d.message.contains("TODO"), "{}", d.message);

    // In the package: widget.support and the language files; a warning on upload.
    let w = Widget::valid()
        .manifest(|m| {
            m["widget"]["support"] =
                serde_json::json!({"link": "https://test.com", "email": "support@test.com"});
        })
        .edit(
            "i18n/en.json",
            "\"How it works\"",
            "\"Lorem ipsum dolor sit amet. Call +7 (999) 123-45-67\"",
        );
    let up = w.upload();
    let d = at(
        &up,
        "text.placeholder_contact",
        widgetry_validator::Severity::Warning,
        Some("manifest.json"),
        "/widget/support/link",
    );
    assert!(d.message.contains("test.com"), "{}", d.message);
    assert!(up.valid, "{:?}", up.codes());
    let publ = w.publication();
    at(
        &publ,
        "text.placeholder_contact",
        widgetry_validator::Severity::Error,
        Some("i18n/en.json"),
        "/widget/tour_description",
    );
    at(
        &publ,
        "text.leftover_marker",
        widgetry_validator::Severity::Error,
        Some("i18n/en.json"),
        "/widget/tour_description",
    );
    // Real contacts, and `todo` as a word of another language, pass.
    let ok = Widget::valid().edit("i18n/en.json", "\"How it works\"", "\"Todo en uno\"");
    for code in ["text.placeholder_contact", "text.leftover_marker"] {
        absent(&ok.publication(), code);
    }
}
