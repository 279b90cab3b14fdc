//! Checks `manifest.json`: that it is there and parses, its fields and their types, the
//! locations with their suffixes and companion objects, settings fields, the tour, the files
//! it names, and the code and secret key against the integration. Records every i18n key the
//! manifest uses in `ctx.i18n_refs` for the i18n check.

use crate::catalog as rules;
use crate::context::Ctx;
use crate::diag::Loc;
use crate::json::{JsonDoc, child_pointer, escape};
use crate::locations::{PLAIN_AREAS, SUFFIXED_AREAS, split_location};
use crate::options::{Lang, Scheme};
use serde_json::{Map, Value};

/// The path of the manifest in the package.
pub const MANIFEST: &str = "manifest.json";

/// Locations that need a top-level companion object: (location, object, minimal example).
const COMPANIONS: &[(&str, &str, &str)] = &[
    (
        "digital_pipeline",
        "dp",
        "{\"settings\": {}, \"action_multiple\": false}",
    ),
    ("sms", "sms", "{\"endpoint\": \"https://...\"}"),
    (
        "mobile_card",
        "mobile",
        "{\"frame_url\": \"https://...\", \"color\": \"#5F43CF\"}",
    ),
    (
        "advanced_settings",
        "advanced",
        "{\"title\": \"advanced.title\"}",
    ),
    (
        "widget_page",
        "left_menu",
        "{\"my_page\": {\"title\": \"menu.title\", \"icon\": \"images/menu.svg\"}}",
    ),
    (
        "salesbot_designer",
        "salesbot_designer",
        "{\"my_step\": {\"name\": \"salesbot.name\", \"settings\": {}}}",
    ),
    (
        "amoforms",
        "amoforms_settings",
        "{\"title\": \"amoforms.title\"}",
    ),
];

const TOP_KEYS: &[&str] = &[
    "widget",
    "locations",
    "tour",
    "settings",
    "dp",
    "advanced",
    "salesbot_designer",
    "sms",
    "mobile",
    "amoforms_settings",
    "left_menu",
];

const WIDGET_KEYS: &[&str] = &[
    "name",
    "description",
    "short_description",
    "version",
    "interface_version",
    "init_once",
    "locale",
    "installation",
    "support",
    "code",
    "secret_key",
    "is_showcase",
];

const SETTINGS_TYPES: &[&str] = &["text", "pass", "users", "users_lp", "custom"];
const MENU_SYSTEM_ITEMS: &[&str] = &[
    "dashboard",
    "leads",
    "customers",
    "tasks",
    "catalogs",
    "mail",
    "stats",
    "settings",
];

/// JSON kinds a field may be expected to have.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Str,
    Bool,
    Int,
    Array,
    Object,
}

impl Kind {
    fn matches(self, v: &Value) -> bool {
        match self {
            Kind::Str => v.is_string(),
            Kind::Bool => v.is_boolean(),
            Kind::Int => v.is_i64() || v.is_u64(),
            Kind::Array => v.is_array(),
            Kind::Object => v.is_object(),
        }
    }

    fn name(self, lang: Lang) -> &'static str {
        match (lang, self) {
            (Lang::En, Kind::Str) => "a string",
            (Lang::En, Kind::Bool) => "true or false",
            (Lang::En, Kind::Int) => "a whole number",
            (Lang::En, Kind::Array) => "an array",
            (Lang::En, Kind::Object) => "an object",
            (Lang::Ru, Kind::Str) => "строкой",
            (Lang::Ru, Kind::Bool) => "true или false",
            (Lang::Ru, Kind::Int) => "целым числом",
            (Lang::Ru, Kind::Array) => "массивом",
            (Lang::Ru, Kind::Object) => "объектом",
        }
    }
}

/// Describes a JSON value in a few words, for messages.
pub fn describe(v: &Value, lang: Lang) -> String {
    let ru = lang == Lang::Ru;
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) if ru => format!("число {n}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) if s.chars().count() > 40 => if ru { "строка" } else { "a string" }.into(),
        Value::String(s) if ru => format!("строка \"{s}\""),
        Value::String(s) => format!("the string \"{s}\""),
        Value::Array(_) => if ru { "массив" } else { "an array" }.into(),
        Value::Object(_) => if ru { "объект" } else { "an object" }.into(),
    }
}

/// `/a/b` -> `a.b`, the way a field is named in messages.
fn field_name(pointer: &str) -> String {
    pointer
        .trim_start_matches('/')
        .split('/')
        .map(crate::json::unescape)
        .collect::<Vec<_>>()
        .join(".")
}

struct Checker<'c, 'a> {
    ctx: &'c mut Ctx<'a>,
    doc: &'c JsonDoc,
}

impl Checker<'_, '_> {
    fn add(
        &mut self,
        rule: &'static crate::catalog::Rule,
        pointer: &str,
        args: &[(&'static str, &dyn std::fmt::Display)],
    ) {
        let loc = self.doc.loc(pointer);
        self.ctx.out.add(rule, loc, args);
    }

    fn add_at_key(
        &mut self,
        rule: &'static crate::catalog::Rule,
        pointer: &str,
        args: &[(&'static str, &dyn std::fmt::Display)],
    ) {
        let loc = self.doc.key_loc(pointer);
        self.ctx.out.add(rule, loc, args);
    }

    /// The value at `pointer` if it has the expected kind; raises missing/wrong-type findings.
    fn field(&mut self, pointer: &str, kind: Kind, required: bool) -> Option<&Value> {
        let doc = self.doc;
        match doc.get(pointer) {
            None => {
                if required {
                    let field = field_name(pointer);
                    self.add(
                        &rules::MANIFEST_MISSING_FIELD,
                        pointer,
                        &[
                            ("field", &field),
                            ("expected", &kind.name(self.ctx.options.lang)),
                        ],
                    );
                }
                None
            }
            Some(v) if kind.matches(v) => Some(v),
            Some(v) => {
                let field = field_name(pointer);
                self.add(
                    &rules::MANIFEST_WRONG_TYPE,
                    pointer,
                    &[
                        ("field", &field),
                        ("expected", &kind.name(self.ctx.options.lang)),
                        ("found", &describe(v, self.ctx.options.lang)),
                    ],
                );
                None
            }
        }
    }

    /// A required, non-empty string.
    fn text_field(&mut self, pointer: &str, required: bool) -> Option<String> {
        let s = self
            .field(pointer, Kind::Str, required)?
            .as_str()?
            .to_string();
        if s.trim().is_empty() {
            let field = field_name(pointer);
            self.add(&rules::MANIFEST_EMPTY_VALUE, pointer, &[("field", &field)]);
            return None;
        }
        Some(s)
    }

    /// A text that is shown to users: recorded as an i18n reference.
    fn i18n_field(&mut self, pointer: &str, required: bool) {
        if let Some(s) = self.text_field(pointer, required) {
            self.ctx.i18n_refs.push((pointer.to_string(), s));
        }
    }

    fn unknown_keys(&mut self, pointer: &str, known: &[&str]) {
        let doc = self.doc;
        let Some(Value::Object(map)) = doc.get(pointer) else {
            return;
        };
        for key in map.keys() {
            if !known.contains(&key.as_str()) {
                let child = child_pointer(pointer, key);
                let field = field_name(&child);
                let suggestion = rules::similar(
                    self.ctx.options.lang,
                    rules::Similar::Key,
                    suggest(key, known),
                );
                self.add_at_key(
                    &rules::MANIFEST_UNKNOWN_KEY,
                    &child,
                    &[("field", &field), ("suggestion", &suggestion)],
                );
            }
        }
    }

    fn file_ref(&mut self, pointer: &str) {
        let doc = self.doc;
        let Some(Value::String(path)) = doc.get(pointer) else {
            return;
        };
        let normal = path.trim_start_matches("./").trim_start_matches('/');
        if normal.is_empty() || normal.contains("://") {
            return;
        }
        if !self.ctx.package.contains(normal) {
            let field = field_name(pointer);
            let names: Vec<&str> = self.ctx.package.files().map(|(p, _)| p).collect();
            let suggestion = rules::similar(
                self.ctx.options.lang,
                rules::Similar::File,
                suggest(normal, &names),
            );
            // Located at the missing file, as every finding about a missing file is.
            self.ctx.out.add(
                &rules::MANIFEST_MISSING_FILE,
                Loc::file(normal),
                &[
                    ("field", &field),
                    ("path", &normal),
                    ("suggestion", &suggestion),
                ],
            );
        }
    }
}

/// Runs the manifest rules.
pub fn check(ctx: &mut Ctx<'_>) {
    let Some(bytes) = ctx.package.get(MANIFEST) else {
        ctx.out
            .add(&rules::MANIFEST_MISSING, Loc::file(MANIFEST), &[]);
        return;
    };
    let limit = ctx.options.limits.max_manifest_bytes;
    if bytes.len() as u64 > limit {
        ctx.out.add(
            &rules::MANIFEST_TOO_LARGE,
            Loc::file(MANIFEST),
            &[("size", &bytes.len()), ("limit", &limit)],
        );
        return;
    }
    // Not UTF-8 is reported by the encoding check.
    let Some(text) = ctx.text(MANIFEST) else {
        return;
    };
    let Some(doc) = JsonDoc::parse(
        MANIFEST,
        text,
        ctx.options.limits.max_json_depth,
        &mut ctx.out,
    ) else {
        return;
    };
    if !doc.value.is_object() {
        let found = describe(&doc.value, ctx.options.lang);
        ctx.out.add(
            &rules::JSON_NOT_OBJECT,
            doc.loc(""),
            &[("file", &MANIFEST), ("found", &found)],
        );
        return;
    }
    {
        let mut c = Checker { ctx, doc: &doc };
        c.unknown_keys("", TOP_KEYS);
        check_widget(&mut c);
        check_locations(&mut c);
        check_settings(&mut c, "/settings");
        check_companions(&mut c);
        check_tour(&mut c);
    }
    ctx.manifest = Some(doc);
}

fn check_widget(c: &mut Checker<'_, '_>) {
    if c.field("/widget", Kind::Object, true).is_none() {
        return;
    }
    c.unknown_keys("/widget", WIDGET_KEYS);
    c.i18n_field("/widget/name", true);
    c.i18n_field("/widget/description", true);
    c.i18n_field("/widget/short_description", true);
    if let Some(version) = c.text_field("/widget/version", true)
        && !is_release_version(&version)
    {
        c.add(
            &rules::MANIFEST_VERSION_FORMAT,
            "/widget/version",
            &[("version", &version)],
        );
    }
    if let Some(v) = c
        .field("/widget/interface_version", Kind::Int, true)
        .cloned()
        && v.as_i64() != Some(2)
    {
        c.add(
            &rules::MANIFEST_INTERFACE_VERSION,
            "/widget/interface_version",
            &[("found", &v)],
        );
    }
    c.field("/widget/init_once", Kind::Bool, false);
    c.field("/widget/is_showcase", Kind::Bool, false);
    let installation = c
        .field("/widget/installation", Kind::Bool, true)
        .and_then(Value::as_bool);
    check_locales(c);
    check_support(c);
    check_code(c);
    if installation == Some(true) && c.doc.get("/settings").is_none() {
        c.add(
            &rules::MANIFEST_MISSING_FIELD,
            "/settings",
            &[
                ("field", &"settings"),
                (
                    "expected",
                    &match c.ctx.options.lang {
                        Lang::En => "an object of settings fields, required because `widget.installation` is true",
                        Lang::Ru => "объект с полями настроек; он нужен, потому что `widget.installation` равно true",
                    },
                ),
            ],
        );
    }
}

/// `MAJOR.MINOR` or `MAJOR.MINOR.PATCH`, numbers only.
fn is_release_version(v: &str) -> bool {
    let parts: Vec<&str> = v.split('.').collect();
    (2..=3).contains(&parts.len())
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 9 && p.bytes().all(|b| b.is_ascii_digit()))
}

fn check_locales(c: &mut Checker<'_, '_>) {
    let Some(Value::Array(items)) = c.field("/widget/locale", Kind::Array, true).cloned() else {
        return;
    };
    if items.is_empty() {
        c.add(&rules::MANIFEST_LOCALE_EMPTY, "/widget/locale", &[]);
        return;
    }
    let allowed = c.ctx.options.allowed_locales.clone();
    let mut seen: Vec<String> = Vec::new();
    for i in 0..items.len() {
        let pointer = format!("/widget/locale/{i}");
        let Some(locale) = c
            .field(&pointer, Kind::Str, true)
            .and_then(Value::as_str)
            .map(str::to_string)
        else {
            continue;
        };
        if !allowed.contains(&locale) {
            c.add(
                &rules::MANIFEST_LOCALE_NOT_ALLOWED,
                &pointer,
                &[("locale", &locale), ("allowed", &allowed.join(", "))],
            );
        }
        if seen.contains(&locale) {
            c.add(
                &rules::MANIFEST_LOCALE_DUPLICATE,
                &pointer,
                &[("locale", &locale)],
            );
        }
        seen.push(locale);
    }
}

fn check_support(c: &mut Checker<'_, '_>) {
    let Some(support) = c.field("/widget/support", Kind::Object, false).cloned() else {
        if c.doc.get("/widget/support").is_none() {
            c.add(&rules::MANIFEST_SUPPORT_MISSING, "/widget", &[]);
        }
        return;
    };
    c.unknown_keys("/widget/support", &["link", "email"]);
    let link = c.text_field("/widget/support/link", false);
    let email = c.text_field("/widget/support/email", false);
    if support.get("link").is_none() && support.get("email").is_none() {
        c.add(&rules::MANIFEST_SUPPORT_MISSING, "/widget/support", &[]);
    }
    if let Some(link) = link
        && !is_url(&link, false)
    {
        c.add(
            &rules::MANIFEST_SUPPORT_LINK_INVALID,
            "/widget/support/link",
            &[("value", &link)],
        );
    }
    if let Some(email) = email
        && !is_email(&email)
    {
        c.add(
            &rules::MANIFEST_SUPPORT_EMAIL_INVALID,
            "/widget/support/email",
            &[("value", &email)],
        );
    }
}

/// An absolute http(s) URL with a host (https only when `https_only`).
pub fn is_url(s: &str, https_only: bool) -> bool {
    let rest = if let Some(r) = s.strip_prefix("https://") {
        r
    } else if let Some(r) = s.strip_prefix("http://") {
        if https_only {
            return false;
        }
        r
    } else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit('@').next().unwrap_or(host);
    let host = host.split(':').next().unwrap_or(host);
    !host.is_empty()
        && !s.chars().any(char::is_whitespace)
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == '-')
}

/// A plausible email address: one `@`, a local part, a dotted domain, no spaces.
pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s
            .chars()
            .any(|c| c.is_whitespace() || c == '<' || c == '>' || c == ',')
}

/// A widget code: `^[a-z][a-z0-9_]*$`, at most 64 characters.
pub fn is_code(s: &str) -> bool {
    let mut chars = s.chars();
    s.len() <= 64
        && chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn check_code(c: &mut Checker<'_, '_>) {
    let code = c
        .field("/widget/code", Kind::Str, false)
        .and_then(Value::as_str)
        .map(str::to_string);
    let secret = c
        .field("/widget/secret_key", Kind::Str, false)
        .and_then(Value::as_str)
        .map(str::to_string);
    if let Some(code) = &code
        && !is_code(code)
    {
        c.add(
            &rules::MANIFEST_CODE_INVALID,
            "/widget/code",
            &[("value", code)],
        );
    }
    if let Some(secret) = &secret
        && !(secret.len() == 64 && secret.bytes().all(|b| b.is_ascii_hexdigit()))
    {
        c.add(
            &rules::MANIFEST_SECRET_KEY_FORMAT,
            "/widget/secret_key",
            &[],
        );
    }
    let Some(integration) = c.ctx.options.integration else {
        return;
    };
    let expected = integration.code;
    match integration.scheme {
        Scheme::Market => {
            let mut contradicts = false;
            if let (Some(code), Some(expected)) = (&code, expected)
                && code != expected
            {
                c.add(
                    &rules::MANIFEST_CODE_MISMATCH,
                    "/widget/code",
                    &[("value", code), ("expected", &expected)],
                );
                contradicts = true;
            }
            if let Some(secret) = &secret
                && expected.is_some()
                && !(integration.secret_matches)(secret)
            {
                c.add(&rules::MANIFEST_SECRET_MISMATCH, "/widget/secret_key", &[]);
                contradicts = true;
            }
            if !contradicts {
                if code.is_some() {
                    c.add(
                        &rules::MANIFEST_CODE_IGNORED,
                        "/widget/code",
                        &[("field", &"code")],
                    );
                }
                if secret.is_some() {
                    c.add(
                        &rules::MANIFEST_CODE_IGNORED,
                        "/widget/secret_key",
                        &[("field", &"secret_key")],
                    );
                }
            }
        }
        Scheme::Legacy => {
            let expected = expected.unwrap_or("");
            match &code {
                None => c.add(
                    &rules::MANIFEST_LEGACY_CODE_MISSING,
                    "/widget",
                    &[("expected", &expected)],
                ),
                Some(code) if code != expected => {
                    c.add(
                        &rules::MANIFEST_CODE_MISMATCH,
                        "/widget/code",
                        &[("value", code), ("expected", &expected)],
                    );
                }
                Some(_) => {}
            }
            match &secret {
                None => c.add(&rules::MANIFEST_LEGACY_SECRET_MISSING, "/widget", &[]),
                Some(secret) if !(integration.secret_matches)(secret) => {
                    c.add(&rules::MANIFEST_SECRET_MISMATCH, "/widget/secret_key", &[]);
                }
                Some(_) => {}
            }
        }
    }
}

fn check_locations(c: &mut Checker<'_, '_>) {
    let Some(Value::Array(items)) = c.field("/locations", Kind::Array, true).cloned() else {
        return;
    };
    if items.is_empty() {
        c.add(&rules::MANIFEST_LOCATIONS_EMPTY, "/locations", &[]);
        return;
    }
    // Normal form (`lcard` -> `lcard-1`) of each valid location seen, for duplicates and pairs.
    let mut seen: Vec<String> = Vec::new();
    let all_areas: Vec<&str> = SUFFIXED_AREAS.iter().chain(PLAIN_AREAS).copied().collect();
    for i in 0..items.len() {
        let pointer = format!("/locations/{i}");
        let Some(location) = c
            .field(&pointer, Kind::Str, true)
            .and_then(Value::as_str)
            .map(str::to_string)
        else {
            continue;
        };
        let location = location.as_str();
        let (base, suffix) = split_location(location);
        let normal = if SUFFIXED_AREAS.contains(&base) {
            match suffix {
                None => format!("{base}-1"),
                Some("0" | "1") => location.to_string(),
                Some(_) => {
                    c.add(
                        &rules::MANIFEST_LOCATION_SUFFIX,
                        &pointer,
                        &[
                            ("value", &location),
                            ("base", &base),
                            (
                                "fix",
                                &match c.ctx.options.lang {
                                    Lang::En => " with `-0` or `-1`",
                                    Lang::Ru => " с `-0` или `-1`",
                                },
                            ),
                        ],
                    );
                    continue;
                }
            }
        } else if PLAIN_AREAS.contains(&location) {
            location.to_string()
        } else if suffix.is_some() && PLAIN_AREAS.contains(&base) {
            c.add(
                &rules::MANIFEST_LOCATION_SUFFIX,
                &pointer,
                &[("value", &location), ("base", &base), ("fix", &"")],
            );
            continue;
        } else {
            let suggestion = rules::similar(
                c.ctx.options.lang,
                rules::Similar::Location,
                suggest(base, &all_areas),
            );
            c.add(
                &rules::MANIFEST_UNKNOWN_LOCATION,
                &pointer,
                &[("value", &location), ("suggestion", &suggestion)],
            );
            continue;
        };
        if seen.contains(&normal) {
            c.add(
                &rules::MANIFEST_LOCATION_DUPLICATE,
                &pointer,
                &[("value", &location)],
            );
            continue;
        }
        if let Some(other) = normal
            .strip_suffix("-0")
            .map(|b| format!("{b}-1"))
            .or_else(|| normal.strip_suffix("-1").map(|b| format!("{b}-0")))
            && seen.contains(&other)
        {
            c.add(&rules::MANIFEST_LOCATION_PAIR, &pointer, &[("base", &base)]);
        }
        seen.push(normal);
    }
    let has_card = seen
        .iter()
        .any(|l| ["lcard", "ccard", "comcard", "cucard"].contains(&split_location(l).0));
    if seen.iter().any(|l| l == "card_sdk") && !has_card {
        let i = items
            .iter()
            .position(|v| v.as_str() == Some("card_sdk"))
            .unwrap_or(0);
        c.add(
            &rules::MANIFEST_CARD_SDK_NEEDS_CARD,
            &format!("/locations/{i}"),
            &[],
        );
    }
}

/// Checks a settings object (`/settings` or `/dp/settings`): field objects, their types, at
/// most one `custom`.
fn check_settings(c: &mut Checker<'_, '_>, pointer: &str) {
    let Some(Value::Object(fields)) = c.field(pointer, Kind::Object, false).cloned() else {
        return;
    };
    let mut first_custom: Option<String> = None;
    for (key, value) in &fields {
        let fp = child_pointer(pointer, key);
        if !value.is_object() {
            c.field(&fp, Kind::Object, true);
            continue;
        }
        c.unknown_keys(&fp, &["name", "type", "required"]);
        c.i18n_field(&format!("{fp}/name"), true);
        c.field(&format!("{fp}/required"), Kind::Bool, false);
        let Some(kind) = c.text_field(&format!("{fp}/type"), true) else {
            continue;
        };
        if !SETTINGS_TYPES.contains(&kind.as_str()) {
            c.add(
                &rules::MANIFEST_SETTINGS_TYPE,
                &format!("{fp}/type"),
                &[("field", key), ("value", &kind)],
            );
            continue;
        }
        if kind == "custom" {
            match &first_custom {
                Some(first) => c.add(
                    &rules::MANIFEST_SETTINGS_MULTIPLE_CUSTOM,
                    &format!("{fp}/type"),
                    &[("field", key), ("first", first)],
                ),
                None => first_custom = Some(key.clone()),
            }
            if pointer == "/settings" && !c.ctx_has_location("settings") {
                c.add(
                    &rules::MANIFEST_SETTINGS_CUSTOM_LOCATION,
                    &format!("{fp}/type"),
                    &[("field", key)],
                );
            }
        }
    }
}

impl Checker<'_, '_> {
    fn locations(&self) -> Vec<String> {
        self.doc
            .get("/locations")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn ctx_has_location(&self, area: &str) -> bool {
        self.locations()
            .iter()
            .any(|l| split_location(l).0 == area || l == area)
    }
}

fn check_companions(c: &mut Checker<'_, '_>) {
    for &(location, object, example) in COMPANIONS {
        let declared = c.ctx_has_location(location);
        let present = c.doc.get(&format!("/{object}")).is_some();
        if declared && !present {
            let i = c
                .locations()
                .iter()
                .position(|l| l == location)
                .unwrap_or(0);
            c.add(
                &rules::MANIFEST_COMPANION_MISSING,
                &format!("/locations/{i}"),
                &[
                    ("location", &location),
                    ("object", &object),
                    ("example", &example),
                ],
            );
        } else if present && !declared {
            c.add_at_key(
                &rules::MANIFEST_COMPANION_UNUSED,
                &format!("/{object}"),
                &[("object", &object), ("location", &location)],
            );
        }
        if !present {
            continue;
        }
        if c.field(&format!("/{object}"), Kind::Object, true).is_none() {
            continue;
        }
        match object {
            "dp" => {
                c.unknown_keys("/dp", &["settings", "action_multiple", "webhook_url"]);
                c.field("/dp/action_multiple", Kind::Bool, true);
                check_settings(c, "/dp/settings");
                if c.doc.get("/dp/webhook_url").is_none() {
                    c.add(&rules::MANIFEST_DP_WEBHOOK_MISSING, "/dp", &[]);
                }
                if let Some(url) = c.text_field("/dp/webhook_url", false)
                    && !is_url(&url, true)
                {
                    c.add(
                        &rules::MANIFEST_URL_INVALID,
                        "/dp/webhook_url",
                        &[("field", &"dp.webhook_url"), ("value", &url)],
                    );
                }
            }
            "sms" => {
                c.unknown_keys("/sms", &["endpoint"]);
                if let Some(url) = c.text_field("/sms/endpoint", true)
                    && !is_url(&url, true)
                {
                    c.add(
                        &rules::MANIFEST_URL_INVALID,
                        "/sms/endpoint",
                        &[("field", &"sms.endpoint"), ("value", &url)],
                    );
                }
            }
            "mobile" => {
                c.unknown_keys("/mobile", &["frame_url", "color"]);
                if let Some(url) = c.text_field("/mobile/frame_url", true)
                    && !is_url(&url, true)
                {
                    c.add(
                        &rules::MANIFEST_URL_INVALID,
                        "/mobile/frame_url",
                        &[("field", &"mobile.frame_url"), ("value", &url)],
                    );
                }
                if let Some(color) = c.text_field("/mobile/color", false)
                    && !(color.len() == 7
                        && color.starts_with('#')
                        && color[1..].bytes().all(|b| b.is_ascii_hexdigit()))
                {
                    c.add(
                        &rules::MANIFEST_COLOR_INVALID,
                        "/mobile/color",
                        &[("field", &"mobile.color"), ("value", &color)],
                    );
                }
            }
            "advanced" => {
                c.unknown_keys("/advanced", &["title"]);
                c.i18n_field("/advanced/title", true);
            }
            "amoforms_settings" => {
                c.unknown_keys("/amoforms_settings", &["title", "required", "error_text"]);
                c.i18n_field("/amoforms_settings/title", true);
                c.field("/amoforms_settings/required", Kind::Bool, false);
                c.i18n_field("/amoforms_settings/error_text", false);
            }
            "salesbot_designer" => check_salesbot(c),
            "left_menu" => check_left_menu(c),
            _ => {}
        }
    }
}

fn check_salesbot(c: &mut Checker<'_, '_>) {
    let Some(Value::Object(handlers)) = c.doc.get("/salesbot_designer").cloned() else {
        return;
    };
    for (key, handler) in &handlers {
        let hp = format!("/salesbot_designer/{}", escape(key));
        if key == "logo" {
            if c.field(&hp, Kind::Str, false).is_some() {
                c.file_ref(&hp);
            }
            continue;
        }
        if !handler.is_object() {
            c.field(&hp, Kind::Object, true);
            continue;
        }
        c.unknown_keys(&hp, &["name", "settings", "conditions"]);
        c.i18n_field(&format!("{hp}/name"), true);
        let Some(Value::Object(params)) = c
            .field(&format!("{hp}/settings"), Kind::Object, false)
            .cloned()
        else {
            continue;
        };
        for (pkey, param) in &params {
            let pp = format!("{hp}/settings/{}", escape(pkey));
            if !param.is_object() {
                c.field(&pp, Kind::Object, true);
                continue;
            }
            c.unknown_keys(&pp, &["name", "type", "default_value", "manual"]);
            c.i18n_field(&format!("{pp}/name"), true);
            c.field(&format!("{pp}/manual"), Kind::Bool, false);
            if let Some(kind) = c.text_field(&format!("{pp}/type"), true)
                && !["text", "numeric", "url"].contains(&kind.as_str())
            {
                let field = field_name(&format!("{pp}/type"));
                c.add(
                    &rules::MANIFEST_INVALID_VALUE,
                    &format!("{pp}/type"),
                    &[
                        ("field", &field),
                        ("value", &kind),
                        ("allowed", &"text, numeric, url"),
                    ],
                );
            }
        }
    }
}

fn check_left_menu(c: &mut Checker<'_, '_>) {
    let Some(Value::Object(items)) = c.doc.get("/left_menu").cloned() else {
        return;
    };
    for (key, item) in &items {
        let ip = format!("/left_menu/{}", escape(key));
        let Some(obj) = item.as_object() else {
            c.field(&ip, Kind::Object, true);
            continue;
        };
        let system = MENU_SYSTEM_ITEMS.contains(&key.as_str());
        c.unknown_keys(
            &ip,
            &["title", "icon", "icons", "sort", "submenu", "is_hidden"],
        );
        if let Some(hidden) = c
            .field(&format!("{ip}/is_hidden"), Kind::Bool, false)
            .and_then(Value::as_bool)
            && hidden
            && key == "settings"
        {
            c.add(
                &rules::MANIFEST_LEFT_MENU_SETTINGS_HIDDEN,
                &format!("{ip}/is_hidden"),
                &[],
            );
        }
        if !system {
            c.i18n_field(&format!("{ip}/title"), true);
            // `icons: {light, dark}` instead of `icon` is seen in real widgets.
            let themed = obj.get("icons").is_some_and(Value::is_object);
            if c.field(&format!("{ip}/icon"), Kind::Str, !themed).is_some() {
                c.file_ref(&format!("{ip}/icon"));
            }
            if let Some(Value::Object(icons)) = obj.get("icons") {
                for theme in icons.keys() {
                    let tp = format!("{ip}/icons/{}", escape(theme));
                    if c.field(&tp, Kind::Str, false).is_some() {
                        c.file_ref(&tp);
                    }
                }
            } else if obj.contains_key("icons") {
                c.field(&format!("{ip}/icons"), Kind::Object, false);
            }
        }
        if let Some(sort) = obj.get("sort") {
            let sp = format!("{ip}/sort");
            if c.field(&sp, Kind::Object, false).is_some()
                && let Some(after) = sort.get("after").and_then(Value::as_str)
                && !MENU_SYSTEM_ITEMS.contains(&after)
            {
                let field = field_name(&format!("{sp}/after"));
                c.add(
                    &rules::MANIFEST_INVALID_VALUE,
                    &format!("{sp}/after"),
                    &[
                        ("field", &field),
                        ("value", &after),
                        ("allowed", &MENU_SYSTEM_ITEMS.join(", ")),
                    ],
                );
            }
        }
        if let Some(Value::Object(subs)) = c
            .field(&format!("{ip}/submenu"), Kind::Object, false)
            .cloned()
        {
            for sub in subs.keys() {
                let sp = format!("{ip}/submenu/{}", escape(sub));
                if c.field(&sp, Kind::Object, true).is_none() {
                    continue;
                }
                c.unknown_keys(&sp, &["title", "sort"]);
                c.i18n_field(&format!("{sp}/title"), true);
                c.field(&format!("{sp}/sort"), Kind::Int, false);
            }
        }
    }
}

fn check_tour(c: &mut Checker<'_, '_>) {
    if c.doc.get("/tour").is_none() {
        c.add(&rules::MANIFEST_TOUR_MISSING, "", &[]);
        return;
    }
    if c.field("/tour", Kind::Object, true).is_none() {
        return;
    }
    c.unknown_keys("/tour", &["is_tour", "tour_images", "tour_description"]);
    if let Some(v) = c.field("/tour/is_tour", Kind::Bool, true)
        && v != &Value::Bool(true)
    {
        c.add(&rules::MANIFEST_TOUR_DISABLED, "/tour/is_tour", &[]);
    }
    c.i18n_field("/tour/tour_description", true);
    let images: Map<String, Value> = match c.field("/tour/tour_images", Kind::Object, true) {
        Some(Value::Object(m)) => m.clone(),
        _ => return,
    };
    for (locale, list) in &images {
        let lp = format!("/tour/tour_images/{}", escape(locale));
        let Some(list) = list.as_array() else {
            c.field(&lp, Kind::Array, true);
            continue;
        };
        for i in 0..list.len() {
            let p = format!("{lp}/{i}");
            if c.field(&p, Kind::Str, true).is_some() {
                c.file_ref(&p);
            }
        }
    }
    let declared: Vec<String> = c
        .doc
        .get("/widget/locale")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    for locale in declared {
        let has = images
            .get(&locale)
            .and_then(Value::as_array)
            .is_some_and(|a| !a.is_empty());
        if !has {
            c.add(
                &rules::MANIFEST_TOUR_IMAGES_LOCALE,
                "/tour/tour_images",
                &[("locale", &locale)],
            );
        }
    }
}

/// The candidate closest to `word` by edit distance, when it is close enough to be a typo.
pub fn suggest<'s>(word: &str, candidates: &[&'s str]) -> Option<&'s str> {
    let limit = word.chars().count().div_ceil(3).clamp(1, 3);
    candidates
        .iter()
        .map(|c| (levenshtein(word, c), *c))
        .filter(|(d, c)| *d <= limit && *c != word)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}
