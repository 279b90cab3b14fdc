//! What an account may install: the catalogue, the amoCRM widgets API data
//! (`/api/v4/widgets`), and installations with settings checked against the manifest.

use crate::audit::{self, Event};
use crate::auth::{Principal, Scope};
use crate::columns::{Flag, JsonText};
use crate::error::{Error, Result};
use crate::input::{InputCode, SettingsProblem};
use crate::integrations::{INTEGRATION_COLUMNS, Integration};
use crate::time::Timestamp;
use crate::versions::{Summary, VERSION_COLUMNS, Version};
use crate::{AccountId, IntegrationId, Registry, UserId, VersionId};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sqlx::any::AnyRow;
use sqlx::{FromRow, Row};

/// Largest page of `GET /api/v4/widgets`.
pub const MAX_WIDGETS_LIMIT: i64 = 250;

/// One field of a widget's settings form, as the widgets API shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsField {
    /// Field key (`FIELD_CODE`).
    pub key: String,
    /// Field name, resolved in English (else the first locale).
    pub name: String,
    /// `text`, `pass`, `users`, `users_lp` or `custom`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Whether a value is required.
    pub is_required: bool,
}

/// An installation of a widget in an account. Read from `INSTALLATION_COLUMNS` (`n_`
/// names: an installation is read beside the integration and its live version).
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct Installation {
    /// Numeric id.
    #[sqlx(rename = "n_id")]
    pub id: i64,
    /// The installing account.
    #[sqlx(rename = "n_account_id")]
    pub account_id: AccountId,
    /// The integration.
    #[sqlx(rename = "n_integration_id")]
    pub integration_id: IntegrationId,
    /// The version live for the account when installed or last configured.
    #[sqlx(rename = "n_version_id")]
    pub version_id: Option<VersionId>,
    /// Settings values.
    #[sqlx(rename = "n_settings_json", try_from = "JsonText<Value>")]
    pub settings: Value,
    /// Pipeline, for lead-source widgets.
    #[sqlx(rename = "n_pipeline_id")]
    pub pipeline_id: Option<i64>,
    /// Installed (false after uninstalling; the row is kept).
    #[sqlx(rename = "n_active", try_from = "Flag")]
    pub active: bool,
    /// Who installed or last configured it.
    #[sqlx(rename = "n_installed_by")]
    pub installed_by: UserId,
    /// First installation, unix ms.
    #[sqlx(rename = "n_created_at")]
    pub created_at: Timestamp,
    /// Last change, unix ms.
    #[sqlx(rename = "n_updated_at")]
    pub updated_at: Timestamp,
}

/// An integration an account may install, with the version live for that account.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CatalogEntry {
    /// The integration.
    pub integration: Integration,
    /// The live version: the latest for the owner account, the published one for others.
    pub live_version: Version,
    /// The account's installation, if any (active or not).
    pub installation: Option<Installation>,
}

/// A widget as `/api/v4/widgets` shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WidgetInfo {
    /// Integration id.
    pub id: IntegrationId,
    /// Widget code.
    pub code: String,
    /// `widget.version` of the live version.
    pub version: String,
    /// Display name (resolved `widget.name`).
    pub name: String,
    /// The integration's `client_uuid`.
    pub client_uuid: String,
    /// The settings form.
    pub settings_template: Vec<SettingsField>,
    /// Declares the `lead_sources` location.
    pub is_lead_source: bool,
    /// Declares the `digital_pipeline` location.
    pub is_work_with_dp: bool,
    /// CRM templates are not supported: always false.
    pub is_crm_template: bool,
    /// Installed and active in the viewing account.
    pub is_active_in_account: bool,
    /// The installation's pipeline, for lead sources.
    pub pipeline_id: Option<i64>,
    /// The installation's settings, when installed.
    pub settings: Option<Value>,
    /// The owner account.
    pub owner_account_id: AccountId,
    /// Whether the integration is public.
    pub integration_public: bool,
    /// The live version.
    pub live_version: Version,
}

/// A page of widgets.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WidgetPage {
    /// The widgets, by id.
    pub items: Vec<WidgetInfo>,
    /// Page number, from 1.
    pub page: i64,
    /// Page size.
    pub limit: i64,
    /// Widgets visible in all pages.
    pub total: i64,
}

/// Which integrations an account may install (`$1` is the account): its own and the public
/// ones. Written as one opaque expression on purpose: with `account_id = $1 OR visibility =
/// 'public'` SQLite merges two indexes and then sorts the whole catalogue for `ORDER BY i.id`;
/// as a filter, both databases walk the primary key in order and stop after the page.
macro_rules! installable {
    () => {
        "(CASE WHEN i.account_id = $1 THEN 1 WHEN i.visibility = 'public' THEN 1 ELSE 0 END) = 1 \
         AND i.code IS NOT NULL"
    };
}

/// The installable integrations of an account with their live versions and installations.
/// `$1` is the account.
const LIVE_FROM: &str = concat!(
    "FROM integrations i \
     JOIN versions v ON v.id = CASE WHEN i.account_id = $1 THEN i.latest_version_id ELSE i.published_version_id END \
     LEFT JOIN installations n ON n.integration_id = i.id AND n.account_id = $1 \
     WHERE ",
    installable!()
);

/// How many integrations an account may install: the rows [`LIVE_FROM`] yields, counted on
/// the integrations alone (a live version id always names a row: foreign key).
const LIVE_COUNT: &str = concat!(
    "SELECT COUNT(*) AS n FROM integrations i WHERE ",
    installable!(),
    " AND (CASE WHEN i.account_id = $1 THEN i.latest_version_id ELSE i.published_version_id END) IS NOT NULL"
);

const INSTALLATION_COLUMNS: &str = "n.id AS n_id, n.account_id AS n_account_id, n.integration_id AS n_integration_id, \
    n.version_id AS n_version_id, n.settings_json AS n_settings_json, n.pipeline_id AS n_pipeline_id, \
    n.active AS n_active, n.installed_by AS n_installed_by, n.created_at AS n_created_at, n.updated_at AS n_updated_at";

/// The installation columns of a row, `None` when the outer join found none.
fn installation_from_row(row: &AnyRow) -> Result<Option<Installation>> {
    if row.try_get::<Option<i64>, _>("n_id")?.is_none() {
        return Ok(None);
    }
    Ok(Some(Installation::from_row(row)?))
}

struct LiveRow {
    entry: CatalogEntry,
    summary: Summary,
    manifest: Option<Value>,
}

fn live_from_row(row: &AnyRow, with_manifest: bool) -> Result<LiveRow> {
    let summary = serde_json::from_str(&row.try_get::<String, _>("summary_json")?)
        .map_err(Error::internal)?;
    let manifest = if with_manifest {
        Some(
            serde_json::from_str(&row.try_get::<String, _>("manifest_json")?)
                .map_err(Error::internal)?,
        )
    } else {
        None
    };
    Ok(LiveRow {
        entry: CatalogEntry {
            integration: Integration::from_row(row)?,
            live_version: Version::from_row(row)?,
            installation: installation_from_row(row)?,
        },
        summary,
        manifest,
    })
}

fn widget_info(live: LiveRow) -> WidgetInfo {
    let LiveRow { entry, summary, .. } = live;
    let installed = entry.installation.filter(|n| n.active);
    let has = |l: &str| summary.locations.iter().any(|x| x == l);
    WidgetInfo {
        id: entry.integration.id,
        code: entry.live_version.code.clone(),
        version: entry.live_version.widget_version.clone(),
        name: summary.name.clone(),
        client_uuid: entry.integration.client_uuid.clone(),
        is_lead_source: has("lead_sources"),
        is_work_with_dp: has("digital_pipeline"),
        is_crm_template: false,
        is_active_in_account: installed.is_some(),
        pipeline_id: installed.as_ref().and_then(|n| n.pipeline_id),
        settings: installed.map(|n| n.settings),
        settings_template: summary.settings_template,
        owner_account_id: entry.integration.account_id,
        integration_public: entry.integration.visibility == crate::Visibility::Public,
        live_version: entry.live_version,
    }
}

/// Checks installation settings against the manifest's `settings` object.
pub(crate) fn check_settings(manifest: &Value, settings: &Value) -> Result<Map<String, Value>> {
    let empty = Map::new();
    let fields = manifest
        .get("settings")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let values = match settings {
        Value::Null => Map::new(),
        Value::Object(m) => m.clone(),
        _ => {
            return Err(Error::InvalidSettings(vec![SettingsProblem::new(
                "",
                InputCode::SettingsNotObject,
            )]));
        }
    };
    let mut problems = Vec::new();
    let mut problem = |problem: SettingsProblem| problems.push(problem);
    let at = SettingsProblem::new;
    for key in values.keys() {
        if !fields.contains_key(key) {
            problem(at(key.as_str(), InputCode::SettingsUnknownField));
        }
    }
    for (key, field) in fields {
        let kind = field.get("type").and_then(Value::as_str).unwrap_or("text");
        let required = field
            .get("required")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let value = values.get(key).filter(|v| !v.is_null());
        let Some(value) = value else {
            if required {
                problem(at(key.as_str(), InputCode::SettingsRequired));
            }
            continue;
        };
        match kind {
            "text" | "pass" => match value.as_str() {
                Some(s) if required && s.trim().is_empty() => {
                    problem(at(key.as_str(), InputCode::SettingsRequired))
                }
                Some(_) => {}
                None => problem(at(key.as_str(), InputCode::SettingsString).with("kind", kind)),
            },
            "users" => match value.as_object() {
                Some(m) => {
                    for (user, v) in m {
                        if !is_user_id(user) {
                            problem(at(key.as_str(), InputCode::SettingsUserId).with("user", user));
                        } else if !v.is_string() {
                            problem(
                                at(key.as_str(), InputCode::SettingsUserString).with("user", user),
                            );
                        }
                    }
                    if required && m.is_empty() {
                        problem(at(key.as_str(), InputCode::SettingsRequired));
                    }
                }
                None => problem(at(key.as_str(), InputCode::SettingsUsersObject)),
            },
            "users_lp" => match value.as_object() {
                Some(m) => {
                    for (user, v) in m {
                        let pair = v.as_object().filter(|o| {
                            o.len() == 2
                                && o.get("login").is_some_and(Value::is_string)
                                && o.get("password").is_some_and(Value::is_string)
                        });
                        if !is_user_id(user) {
                            problem(at(key.as_str(), InputCode::SettingsUserId).with("user", user));
                        } else if pair.is_none() {
                            problem(
                                at(key.as_str(), InputCode::SettingsUserPair).with("user", user),
                            );
                        }
                    }
                    if required && m.is_empty() {
                        problem(at(key.as_str(), InputCode::SettingsRequired));
                    }
                }
                None => problem(at(key.as_str(), InputCode::SettingsUsersLpObject)),
            },
            "custom" => match value {
                Value::Number(_) => {}
                Value::String(s) if serde_json::from_str::<Value>(s).is_ok() => {}
                _ => problem(at(key.as_str(), InputCode::SettingsCustom)),
            },
            other => problem(at(key.as_str(), InputCode::SettingsUnknownType).with("kind", other)),
        }
    }
    if problems.is_empty() {
        Ok(values)
    } else {
        Err(Error::InvalidSettings(problems))
    }
}

fn is_user_id(s: &str) -> bool {
    !s.is_empty() && s.len() <= 19 && s.bytes().all(|b| b.is_ascii_digit())
}

impl Registry {
    async fn live_rows(
        &self,
        account_id: AccountId,
        code: Option<&str>,
        page: Option<(i64, i64)>,
        with_manifest: bool,
    ) -> Result<Vec<LiveRow>> {
        let manifest = if with_manifest {
            ", v.manifest_json"
        } else {
            ""
        };
        let mut sql = format!(
            "SELECT {INTEGRATION_COLUMNS}, {VERSION_COLUMNS}, {INSTALLATION_COLUMNS}, v.summary_json{manifest} {LIVE_FROM}"
        );
        if code.is_some() {
            sql.push_str(" AND i.code = $2");
        }
        sql.push_str(" ORDER BY i.id");
        if page.is_some() {
            sql.push_str(" LIMIT $2 OFFSET $3");
        }
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(account_id);
        if let Some(code) = code {
            q = q.bind(code.to_string());
        }
        if let Some((limit, offset)) = page {
            q = q.bind(limit).bind(offset);
        }
        let rows = q.fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| live_from_row(r, with_manifest))
            .collect()
    }

    /// What an account may install: its own integrations that have a version, and public
    /// ones, each with the version live for the account, by id.
    pub async fn catalog(&self, account_id: AccountId) -> Result<Vec<CatalogEntry>> {
        Ok(self
            .live_rows(account_id, None, None, false)
            .await?
            .into_iter()
            .map(|l| l.entry)
            .collect())
    }

    /// One entry of [`catalog`](Registry::catalog) by widget code ([`Error::NotFound`] when the
    /// account may not install it).
    pub async fn catalog_entry(&self, account_id: AccountId, code: &str) -> Result<CatalogEntry> {
        self.live_rows(account_id, Some(code), None, false)
            .await?
            .into_iter()
            .next()
            .map(|l| l.entry)
            .ok_or(Error::NotFound)
    }

    /// A page of the widgets an account may see (`page` from 1, `limit` 1 to
    /// [`MAX_WIDGETS_LIMIT`]; out-of-range values are refused with [`Error::BadInput`]).
    pub async fn list_widgets(
        &self,
        account_id: AccountId,
        page: i64,
        limit: i64,
    ) -> Result<WidgetPage> {
        if page < 1 {
            return Err(Error::input("/page", InputCode::PageStart));
        }
        if !(1..=MAX_WIDGETS_LIMIT).contains(&limit) {
            return Err(
                Error::input("/limit", InputCode::LimitRange).with("max", MAX_WIDGETS_LIMIT)
            );
        }
        let offset = (page - 1).saturating_mul(limit);
        let items = self
            .live_rows(account_id, None, Some((limit, offset)), false)
            .await?
            .into_iter()
            .map(widget_info)
            .collect();
        let total: i64 = sqlx::query(LIVE_COUNT)
            .bind(account_id)
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?;
        Ok(WidgetPage {
            items,
            page,
            limit,
            total,
        })
    }

    /// One widget the account may see, by code; [`Error::NotFound`] otherwise.
    pub async fn get_widget(&self, account_id: AccountId, code: &str) -> Result<WidgetInfo> {
        self.live_rows(account_id, Some(code), None, false)
            .await?
            .into_iter()
            .next()
            .map(widget_info)
            .ok_or(Error::NotFound)
    }

    /// Installs a widget in the caller's account, or changes its settings when installed
    /// ([`Scope::Install`], account admin). Settings are checked against the live version's
    /// manifest: required fields present, `text`/`pass` strings, `users` objects of user id to
    /// string, `users_lp` objects of user id to `{login, password}`, `custom` a JSON string or
    /// a number, unknown keys refused ([`Error::InvalidSettings`]).
    pub async fn install(
        &self,
        actor: &Principal,
        code: &str,
        settings: &Value,
        pipeline_id: Option<i64>,
    ) -> Result<WidgetInfo> {
        actor.require_scope(Scope::Install)?;
        actor.require_admin()?;
        let live = self
            .live_rows(actor.account.id, Some(code), None, true)
            .await?
            .into_iter()
            .next()
            .ok_or(Error::NotFound)?;
        let manifest = live.manifest.as_ref().unwrap_or(&Value::Null);
        let values = check_settings(manifest, settings)?;
        let was_active = live.entry.installation.as_ref().is_some_and(|n| n.active);
        let integration_id = live.entry.integration.id;
        let now = Timestamp::now();
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO installations (account_id, integration_id, version_id, settings_json, pipeline_id, active, \
             installed_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $7) \
             ON CONFLICT (account_id, integration_id) DO UPDATE SET version_id = $3, settings_json = $4, \
             pipeline_id = $5, active = 1, installed_by = $6, updated_at = $7",
        )
        .bind(actor.account.id)
        .bind(integration_id)
        .bind(live.entry.live_version.id)
        .bind(Value::Object(values).to_string())
        .bind(pipeline_id)
        .bind(actor.user.id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let (kind, from) = if was_active {
            ("widget.settings_changed", "installed")
        } else {
            ("widget.installed", "not_installed")
        };
        audit::record(
            &mut tx,
            Event::by(kind, actor, integration_id)
                .states(from, "installed")
                .detail(serde_json::json!({
                    "code": code,
                    "version": live.entry.live_version.widget_version,
                })),
        )
        .await?;
        tx.commit().await?;
        self.get_widget(actor.account.id, code).await
    }

    /// Uninstalls a widget from the caller's account ([`Scope::Install`], account admin). The
    /// installation row is kept, inactive, and the change audited. A widget that is not
    /// installed answers [`Error::NotFound`].
    pub async fn uninstall(&self, actor: &Principal, code: &str) -> Result<()> {
        actor.require_scope(Scope::Install)?;
        actor.require_admin()?;
        let live = self
            .live_rows(actor.account.id, Some(code), None, false)
            .await?
            .into_iter()
            .next()
            .ok_or(Error::NotFound)?;
        let integration_id = live.entry.integration.id;
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE installations SET active = 0, installed_by = $1, updated_at = $2 \
             WHERE account_id = $3 AND integration_id = $4 AND active = 1",
        )
        .bind(actor.user.id)
        .bind(Timestamp::now())
        .bind(actor.account.id)
        .bind(integration_id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound);
        }
        audit::record(
            &mut tx,
            Event::by("widget.uninstalled", actor, integration_id)
                .states("installed", "not_installed")
                .detail(serde_json::json!({"code": code})),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn manifest() -> Value {
        json!({"settings": {
            "login": {"name": "settings.login", "type": "text", "required": true},
            "secret": {"name": "settings.secret", "type": "pass", "required": false},
            "ext": {"name": "settings.ext", "type": "users", "required": false},
            "creds": {"name": "settings.creds", "type": "users_lp", "required": false},
            "blob": {"name": "settings.blob", "type": "custom", "required": false}
        }})
    }

    fn keys(e: Error) -> Vec<String> {
        match e {
            Error::InvalidSettings(p) => p.into_iter().map(|p| p.key).collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn settings_accepted() {
        let ok = json!({"login": "a", "ext": {"12": "101"}, "creds": {"12": {"login": "l", "password": "p"}},
                        "blob": "{\"a\":1}"});
        assert!(check_settings(&manifest(), &ok).is_ok());
        assert!(check_settings(&manifest(), &json!({"login": "a", "blob": 5})).is_ok());
    }

    #[test]
    fn settings_refused() {
        assert_eq!(
            keys(check_settings(&manifest(), &json!({})).unwrap_err()),
            ["login"]
        );
        assert_eq!(
            keys(check_settings(&manifest(), &json!({"login": "a", "nope": 1})).unwrap_err()),
            ["nope"]
        );
        assert_eq!(
            keys(check_settings(&manifest(), &json!({"login": 1, "secret": true})).unwrap_err()),
            ["login", "secret"]
        );
        assert_eq!(
            keys(
                check_settings(&manifest(), &json!({"login": "a", "ext": {"x": "1"}})).unwrap_err()
            ),
            ["ext"]
        );
        assert_eq!(
            keys(
                check_settings(
                    &manifest(),
                    &json!({"login": "a", "creds": {"1": {"login": "l"}}})
                )
                .unwrap_err()
            ),
            ["creds"]
        );
        assert_eq!(
            keys(check_settings(&manifest(), &json!({"login": "a", "blob": "plain"})).unwrap_err()),
            ["blob"]
        );
        assert!(check_settings(&manifest(), &json!([1])).is_err());
    }
}
