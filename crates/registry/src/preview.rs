//! Who may run a version in the widget preview: the owner account, any of its versions; a
//! platform moderator, any version that was submitted for review. Everyone else is told the
//! version does not exist, as for every other private object.

use crate::auth::{Principal, Scope};
use crate::error::{Error, Result};
use crate::integrations::Integration;
use crate::versions::VersionDetail;
use crate::{Registry, VersionId};
use sqlx::Row;

/// A version as the preview runs it: its integration and everything about the version.
#[derive(Debug, Clone)]
pub struct PreviewTarget {
    /// The integration.
    pub integration: Integration,
    /// The version, its manifest and files.
    pub version: VersionDetail,
    /// Whether the caller previews as a moderator (the version is not their account's).
    pub as_moderator: bool,
}

impl Registry {
    /// The version `widget_version` of the integration with `code`, when `actor` may preview
    /// it (see the module); [`Error::NotFound`] otherwise.
    pub async fn preview_target(
        &self,
        actor: &Principal,
        code: &str,
        widget_version: &str,
    ) -> Result<PreviewTarget> {
        let integration = self
            .integration_by_code(code)
            .await?
            .ok_or(Error::NotFound)?;
        let row = sqlx::query(
            "SELECT v.id, (SELECT COUNT(*) FROM submissions s WHERE s.version_id = v.id) AS submissions \
             FROM versions v WHERE v.integration_id = $1 AND v.widget_version = $2",
        )
        .bind(integration.id)
        .bind(widget_version)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(Error::NotFound)?;
        let id: VersionId = row.try_get("id")?;
        let submitted = row.try_get::<i64, _>("submissions")? > 0;
        let owner = integration.account_id == actor.account.id;
        let moderator = actor.user.is_moderator && actor.has_scope(Scope::Moderate) && submitted;
        if !owner && !moderator {
            return Err(Error::NotFound);
        }
        let version = self.version_detail_by_id(id).await?;
        Ok(PreviewTarget {
            integration,
            version,
            as_moderator: !owner,
        })
    }
}
