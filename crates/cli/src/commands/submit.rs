//! `widgetry submit --integration ID`: submits a version (the latest by default) to
//! moderation. The request body comes from `--file submission.json` (the body of
//! `POST /api/v1/integrations/{id}/submissions`) and the flags, which override single
//! fields and add languages and localized texts. The answer is the submission and the next
//! step; a refusal lists every finding like `lint` does (findings about the submission's own
//! fields read `--> submission /description/ru`) and exits 1.
//!
//! Test credentials are for the moderators: they are sent, never printed or logged. Give
//! them in a file (`--test-credentials-file`, `-` for standard input) to keep them out of
//! the shell history and the process list.

use crate::api::{self, Submission, VersionSpec};
use crate::client::{self, Client, Problem};
use crate::commands::lint;
use crate::pairs;
use crate::render::text;
use anyhow::{Context, Result, bail};
use serde_json::{Map, Value};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use widgetry_validator::{Diagnostic, Package, Profile, Report};

// Arguments of `widgetry submit` (not a doc comment: see `Command` in main.rs).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The integration whose version to submit.
    #[arg(long, env = "WIDGETRY_INTEGRATION")]
    pub integration: u64,
    /// The version: its sequence number or its `widget.version` [default: the latest].
    #[arg(long)]
    pub version: Option<VersionSpec>,
    #[command(flatten)]
    pub fields: Fields,
    #[command(flatten)]
    pub server: client::ServerArg,
}

// The submission's fields (not a doc comment: see `Command` in main.rs).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct Fields {
    /// A JSON file with the request body; the flags below override or extend it.
    #[arg(long)]
    pub file: Option<PathBuf>,
    /// A publication language; repeat or separate with commas [default: the languages of
    /// `--description`].
    #[arg(long = "language", value_name = "L", value_delimiter = ',')]
    pub languages: Vec<String>,
    /// What the widget does, as `L=TEXT` (plain `TEXT` is English); every publication
    /// language needs one, with a support phone number and e-mail in it.
    #[arg(long = "description", value_name = "L=TEXT")]
    pub descriptions: Vec<String>,
    /// How to connect and use the widget, as `L=TEXT`; every publication language.
    #[arg(long = "instructions", value_name = "L=TEXT")]
    pub instructions: Vec<String>,
    /// Credentials for the moderators to try a third-party system with (never printed).
    #[arg(long, value_name = "TEXT", conflicts_with = "test_credentials_file")]
    pub test_credentials: Option<Secret>,
    /// Read the test credentials from a file (`-`: standard input).
    #[arg(long, value_name = "PATH")]
    pub test_credentials_file: Option<PathBuf>,
    /// The support phone number.
    #[arg(long)]
    pub support_phone: Option<String>,
    /// The support e-mail.
    #[arg(long)]
    pub support_email: Option<String>,
    /// A new name for the catalogue, as `L=TEXT`; applied on approval.
    #[arg(long = "name", value_name = "L=TEXT")]
    pub names: Vec<String>,
    /// A new catalogue description, as `L=TEXT`; applied on approval.
    #[arg(long = "listing-description", value_name = "L=TEXT")]
    pub listing_descriptions: Vec<String>,
}

/// A value that is never shown: `Debug` prints `<redacted>`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

impl std::str::FromStr for Secret {
    type Err = std::convert::Infallible;

    fn from_str(s: &str) -> Result<Secret, Self::Err> {
        Ok(Secret(s.to_string()))
    }
}

impl Fields {
    /// The test credentials from `--test-credentials` or the file it names.
    fn test_credentials(&self) -> Result<Option<Secret>> {
        if let Some(secret) = &self.test_credentials {
            return Ok(Some(secret.clone()));
        }
        let Some(path) = &self.test_credentials_file else {
            return Ok(None);
        };
        let mut text = String::new();
        if path == Path::new("-") {
            std::io::stdin()
                .read_to_string(&mut text)
                .context("failed to read the test credentials from standard input")?;
        } else {
            text = std::fs::read_to_string(path)
                .with_context(|| format!("failed to read `{}`", path.display()))?;
        }
        Ok(Some(Secret(
            text.trim_end_matches(['\r', '\n']).to_string(),
        )))
    }

    /// The request body: the file's JSON with the flags applied, and `version` when given.
    pub fn body(
        &self,
        file: Option<Value>,
        version: Option<i64>,
        test_credentials: Option<Secret>,
    ) -> Result<Value> {
        let mut body = match file {
            None => Map::new(),
            Some(Value::Object(map)) => map,
            Some(_) => bail!("the submission file must hold a JSON object"),
        };
        if let Some(n) = version {
            body.insert("version".into(), n.into());
        }
        merge_localized(&mut body, "description", &self.descriptions)?;
        merge_localized(&mut body, "instructions", &self.instructions)?;
        let mut languages: Vec<Value> = match body.remove("languages") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(list)) => list,
            Some(_) => bail!("`languages` in the submission file must be a list"),
        };
        for lang in self
            .languages
            .iter()
            .map(|l| l.trim())
            .filter(|l| !l.is_empty())
        {
            if !languages.iter().any(|l| l.as_str() == Some(lang)) {
                languages.push(lang.into());
            }
        }
        if languages.is_empty()
            && let Some(Value::Object(description)) = body.get("description")
        {
            languages = description.keys().map(|k| k.as_str().into()).collect();
        }
        body.insert("languages".into(), Value::Array(languages));
        if let Some(Secret(text)) = test_credentials {
            body.insert("test_credentials".into(), text.into());
        }
        if let Some(phone) = &self.support_phone {
            body.insert("support_phone".into(), phone.as_str().into());
        }
        if let Some(email) = &self.support_email {
            body.insert("support_email".into(), email.as_str().into());
        }
        if !self.names.is_empty() || !self.listing_descriptions.is_empty() {
            let changes = object(&mut body, "changes")?;
            merge_localized(changes, "name", &self.names)?;
            merge_localized(changes, "description", &self.listing_descriptions)?;
        }
        Ok(Value::Object(body))
    }
}

/// Adds `L=TEXT` values to the localized object `key` of `map`.
fn merge_localized(map: &mut Map<String, Value>, key: &str, values: &[String]) -> Result<()> {
    if !values.is_empty() {
        object(map, key)?.extend(pairs::localized_map(values));
    }
    Ok(())
}

/// The object at `key` of `map`, created when missing or null.
fn object<'a>(map: &'a mut Map<String, Value>, key: &str) -> Result<&'a mut Map<String, Value>> {
    let entry = map.entry(key).or_insert(Value::Null);
    if entry.is_null() {
        *entry = Value::Object(Map::new());
    }
    match entry {
        Value::Object(object) => Ok(object),
        _ => bail!("`{key}` in the submission file must be an object"),
    }
}

/// Runs `widgetry submit`.
pub fn run(args: Args) -> Result<ExitCode> {
    let file = match &args.fields.file {
        Some(path) => {
            let text = std::fs::read(path)
                .with_context(|| format!("failed to read `{}`", path.display()))?;
            Some(
                serde_json::from_slice(&text)
                    .with_context(|| format!("`{}` is not JSON", path.display()))?,
            )
        }
        None => None,
    };
    let test_credentials = args.fields.test_credentials()?;
    let client = args.server.client()?;
    client::runtime()?.block_on(submit(&client, &args, file, test_credentials))
}

async fn submit(
    client: &Client,
    args: &Args,
    file: Option<Value>,
    test_credentials: Option<Secret>,
) -> Result<ExitCode> {
    let id = args.integration;
    let version = match &args.version {
        None => None,
        Some(VersionSpec::Number(n)) => Some(*n),
        Some(spec) => Some(spec.resolve(&api::versions(client, id).await?)?),
    };
    let body = args.fields.body(file, version, test_credentials)?;
    let answer: Result<Submission> = client
        .post(&format!("/api/v1/integrations/{id}/submissions"), &body)
        .await;
    let lang = lint::resolve_lang(None);
    let style = text::Style {
        lang,
        color: crate::shell::stderr_has_color(),
        preview: false,
    };
    let name = match version {
        Some(n) => format!("version {n} of integration {id}"),
        None => format!("the latest version of integration {id}"),
    };
    match answer {
        Ok(s) => {
            crate::say!(
                "submitted version {} (widget.version {}) of integration {id} for moderation",
                s.version.number,
                s.version.widget_version
            );
            crate::say!("  submission: {}", s.id);
            crate::say!("  state:      {}", s.state);
            crate::say!("  languages:  {}", s.languages.join(", "));
            if s.has_test_credentials {
                crate::say!("  test credentials: given (shown to the moderators only)");
            }
            if !s.report.diagnostics.is_empty() {
                crate::shell::report(findings(s.report.diagnostics, &name, style));
            }
            crate::say!("next: widgetry status --integration {id} --wait");
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            if let Some(problem) = e.downcast_ref::<Problem>()
                && !problem.errors.is_empty()
            {
                crate::shell::report(findings(problem.errors.clone(), &name, style));
            }
            client::refused(e, "the submission")
        }
    }
}

/// The findings as `lint` prints them; a finding about a field of the submission (no file,
/// a pointer into the request body) is shown at `submission <pointer>`.
fn findings(diagnostics: Vec<Diagnostic>, name: &str, style: text::Style) -> String {
    let diagnostics = diagnostics
        .into_iter()
        .map(|mut d| {
            if d.file.is_none()
                && let Some(pointer) = d.pointer.take()
            {
                d.file = Some(format!("submission {pointer}"));
            }
            d
        })
        .collect();
    text::render(
        &Report::new(Profile::Publication, diagnostics),
        &Package::default(),
        name,
        style,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;
    use serde_json::json;
    use widgetry_validator::{Lang, Severity};

    #[derive(Debug, Parser)]
    struct Cli {
        #[command(flatten)]
        fields: Fields,
    }

    fn fields(args: &[&str]) -> Fields {
        Cli::try_parse_from(std::iter::once("submit").chain(args.iter().copied()))
            .unwrap()
            .fields
    }

    #[test]
    fn flags_alone() {
        let f = fields(&[
            "--description",
            "ru=Описание +7 900 000-00-00 a@b.ru",
            "--description",
            "Description +1 555 0100 a@b.io",
            "--instructions",
            "en=Click install",
            "--support-phone",
            "+7 495 000-00-00",
            "--support-email",
            "support@vendor.ru",
            "--name",
            "ru=Новое имя",
        ]);
        let body = f
            .body(None, Some(3), Some(Secret("login: demo".into())))
            .unwrap();
        assert_eq!(
            body,
            json!({
                "version": 3,
                "description": {"ru": "Описание +7 900 000-00-00 a@b.ru", "en": "Description +1 555 0100 a@b.io"},
                "instructions": {"en": "Click install"},
                "languages": ["ru", "en"],
                "test_credentials": "login: demo",
                "support_phone": "+7 495 000-00-00",
                "support_email": "support@vendor.ru",
                "changes": {"name": {"ru": "Новое имя"}},
            })
        );
        // Without a version the server takes the latest; without texts, no languages.
        let body = fields(&[]).body(None, None, None).unwrap();
        assert_eq!(body, json!({"languages": []}));
    }

    #[test]
    fn flags_override_and_extend_the_file() {
        let file = json!({
            "version": 2,
            "languages": ["en"],
            "description": {"en": "old", "ru": "старое"},
            "instructions": {"en": "how"},
            "support_phone": "+1 555 0100",
            "support_email": "old@vendor.io",
            "test_credentials": "from the file",
            "changes": {"name": {"en": "Name"}},
        });
        let f = fields(&[
            "--language",
            "ru,en",
            "--language",
            "es",
            "--description",
            "en=new",
            "--support-email",
            "new@vendor.io",
            "--listing-description",
            "en=Listing",
        ]);
        let body = f.body(Some(file), None, None).unwrap();
        assert_eq!(
            body,
            json!({
                "version": 2,
                "languages": ["en", "ru", "es"],
                "description": {"en": "new", "ru": "старое"},
                "instructions": {"en": "how"},
                "support_phone": "+1 555 0100",
                "support_email": "new@vendor.io",
                "test_credentials": "from the file",
                "changes": {"name": {"en": "Name"}, "description": {"en": "Listing"}},
            })
        );
    }

    #[test]
    fn a_malformed_file_is_an_error() {
        let f = fields(&[
            "--description",
            "en=x",
            "--name",
            "en=y",
            "--language",
            "en",
        ]);
        for file in [
            json!([1]),
            json!({"description": "text"}),
            json!({"languages": "en"}),
            json!({"changes": []}),
        ] {
            assert!(f.body(Some(file.clone()), None, None).is_err(), "{file}");
        }
        let body = f
            .body(
                Some(json!({"changes": null, "description": null})),
                None,
                None,
            )
            .unwrap();
        assert_eq!(body["changes"], json!({"name": {"en": "y"}}));
        assert_eq!(body["description"], json!({"en": "x"}));
    }

    #[test]
    fn test_credentials_are_not_in_debug_output() {
        let f = fields(&["--test-credentials", "password: hunter2"]);
        assert!(!format!("{f:?}").contains("hunter2"));
        assert_eq!(
            f.test_credentials().unwrap(),
            Some(Secret("password: hunter2".into()))
        );
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("creds.txt");
        std::fs::write(&path, "login: demo\npassword: x\n").unwrap();
        let f = fields(&["--test-credentials-file", path.to_str().unwrap()]);
        assert_eq!(
            f.test_credentials().unwrap(),
            Some(Secret("login: demo\npassword: x".into()))
        );
        assert!(
            Cli::try_parse_from([
                "submit",
                "--test-credentials",
                "a",
                "--test-credentials-file",
                "b"
            ])
            .is_err()
        );
    }

    #[test]
    fn field_findings_point_into_the_submission() {
        let d = Diagnostic {
            code: "submission.description_contacts".into(),
            severity: Severity::Error,
            message: "the description has no support e-mail".into(),
            file: None,
            pointer: Some("/description/ru".into()),
            line: None,
            column: None,
            hint: "add one".into(),
        };
        let file = Diagnostic {
            code: "script.debugger".into(),
            file: Some("script.js".into()),
            pointer: None,
            line: Some(3),
            column: Some(5),
            ..d.clone()
        };
        let out = findings(
            vec![d, file],
            "version 3 of integration 5",
            text::Style {
                lang: Lang::En,
                color: false,
                preview: false,
            },
        );
        assert!(
            out.contains("error[submission.description_contacts]: the description has no support e-mail\n--> submission /description/ru"),
            "{out}"
        );
        assert!(out.contains("--> script.js:3:5"), "{out}");
        assert!(
            out.contains("`version 3 of integration 5` has 2 errors (profile `publication`)"),
            "{out}"
        );
    }
}
