//! Which base URL of a version's files a caller gets: the public one
//! (`{files-url}/{code}/{version}`) for an approved version of a public integration, a signed
//! one (`{files-url}/{code}/{version}/~{expires}.{signature}`) for the owner account's other
//! versions, and none for anyone else. The API views and the web pages take their file links
//! from here only.

use super::signing::UrlSigner;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use widgetry_registry::{AccountId, Integration, Version, Visibility};

/// The files origin as the rest of the server sees it: its public base URL and the signer.
#[derive(Debug, Clone)]
pub struct FilesOrigin {
    /// `https://files.widgets.example` (no trailing slash; may carry a path prefix).
    base: String,
    /// `scheme://host[:port]` of `base`, for the pages' content security policy.
    origin: String,
    signer: UrlSigner,
    ttl: Duration,
}

/// Unix seconds now.
pub fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Percent-encodes one URL path segment (unreserved characters stay).
pub fn segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A path inside a package as URL path segments (`images/tour 1.png` ->
/// `images/tour%201.png`).
pub fn file_path(path: &str) -> String {
    path.split('/').map(segment).collect::<Vec<_>>().join("/")
}

impl FilesOrigin {
    /// The files origin at `base` (an absolute `http`/`https` URL), signing with `signer`;
    /// signed prefixes live at least `ttl`.
    pub fn new(base: &url::Url, signer: UrlSigner, ttl: Duration) -> FilesOrigin {
        let origin = base.origin().ascii_serialization();
        FilesOrigin {
            base: base.as_str().trim_end_matches('/').to_string(),
            origin,
            signer,
            ttl: ttl.max(Duration::from_secs(60)),
        }
    }

    /// The base URL (no trailing slash).
    pub fn base(&self) -> &str {
        &self.base
    }

    /// `scheme://host[:port]` of the files origin.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The signer (the files listener verifies with it).
    pub fn signer(&self) -> &UrlSigner {
        &self.signer
    }

    /// `{files-url}/{code}/{version}`: needs no signature, serves approved versions of public
    /// integrations only.
    pub fn public_base(&self, code: &str, version: &str) -> String {
        format!("{}/{}/{}", self.base, segment(code), segment(version))
    }

    /// The expiry of a prefix signed at `now`: at least the lifetime ahead, rounded up to a
    /// twelfth of it (at most an hour), so the URL of a version stays the same for a while
    /// and browsers can keep its files.
    fn expiry(&self, now: u64) -> u64 {
        let ttl = self.ttl.as_secs();
        let step = (ttl / 12).clamp(1, 3600);
        (now.saturating_add(ttl))
            .div_ceil(step)
            .saturating_mul(step)
    }

    /// `{files-url}/{code}/{version}/~{expires}.{signature}`: the owner account's way to a
    /// version only it may fetch.
    pub fn signed_base(&self, code: &str, version: &str, now: u64) -> String {
        format!(
            "{}/{}",
            self.public_base(code, version),
            self.signer.sign(code, version, self.expiry(now))
        )
    }

    /// The base URL of `version`'s files for a caller acting in `viewer`: public for an
    /// approved version of a public integration, signed for the owner account's others,
    /// `None` for anyone else.
    pub fn base_for(
        &self,
        viewer: AccountId,
        integration: &Integration,
        version: &Version,
    ) -> Option<String> {
        self.base_for_parts(
            viewer,
            integration.account_id,
            integration.visibility == Visibility::Public,
            version,
        )
    }

    /// [`base_for`](FilesOrigin::base_for) from the integration's owner and visibility.
    pub fn base_for_parts(
        &self,
        viewer: AccountId,
        owner: AccountId,
        integration_public: bool,
        version: &Version,
    ) -> Option<String> {
        if version.code.is_empty() {
            return None;
        }
        if integration_public && version.state.is_approved() {
            Some(self.public_base(&version.code, &version.widget_version))
        } else if viewer == owner {
            Some(self.signed_base(&version.code, &version.widget_version, unix_now()))
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use widgetry_registry::VersionState;
    use widgetry_registry::{AccountId, IntegrationId, UserId, VersionId};

    fn origin() -> FilesOrigin {
        FilesOrigin::new(
            &url::Url::parse("https://files.example.net/").unwrap(),
            UrlSigner::new(&[1u8; 32]).unwrap(),
            Duration::from_secs(12 * 3600),
        )
    }

    fn version(state: VersionState) -> Version {
        Version {
            id: VersionId(1),
            integration_id: IntegrationId(1),
            number: 1,
            widget_version: "1.0.0".into(),
            code: "deal_notes_x7k2qa".into(),
            archive_sha256: String::new(),
            archive_size: 0,
            state,
            uploaded_by: UserId(1),
            created_at: widgetry_registry::Timestamp::default(),
        }
    }

    #[test]
    fn the_owner_gets_a_signed_base_others_the_public_one_or_none() {
        let o = origin();
        let private = version(VersionState::Uploaded);
        let signed = o
            .base_for_parts(AccountId(7), AccountId(7), false, &private)
            .unwrap();
        assert!(
            signed.starts_with("https://files.example.net/deal_notes_x7k2qa/1.0.0/~"),
            "{signed}"
        );
        assert_eq!(
            o.base_for_parts(AccountId(8), AccountId(7), false, &private),
            None
        );
        // An update of a public integration, not approved yet.
        assert!(
            o.base_for_parts(AccountId(7), AccountId(7), true, &private)
                .unwrap()
                .contains("/~")
        );
        assert_eq!(
            o.base_for_parts(AccountId(8), AccountId(7), true, &private),
            None
        );
        let published = version(VersionState::Published);
        for viewer in [7, 8] {
            assert_eq!(
                o.base_for_parts(AccountId(viewer), AccountId(7), true, &published)
                    .unwrap(),
                "https://files.example.net/deal_notes_x7k2qa/1.0.0"
            );
        }
    }

    #[test]
    fn signed_prefixes_verify_and_stay_stable_for_a_while() {
        let o = origin();
        let a = o.signed_base("w", "1.0", 1_000_000);
        let b = o.signed_base("w", "1.0", 1_000_010);
        assert_eq!(a, b);
        let seg = a.rsplit('/').next().unwrap().strip_prefix('~').unwrap();
        let expires = o.signer().verify("w", "1.0", seg, 1_000_000).unwrap();
        assert!((1_000_000 + 12 * 3600..=1_000_000 + 13 * 3600).contains(&expires));
    }

    #[test]
    fn segments_are_encoded() {
        assert_eq!(file_path("images/tour 1.png"), "images/tour%201.png");
        assert_eq!(segment("a/b?c#d"), "a%2Fb%3Fc%23d");
        let o = FilesOrigin::new(
            &url::Url::parse("http://127.0.0.1:8081/files/").unwrap(),
            UrlSigner::new(&[1u8; 32]).unwrap(),
            Duration::from_secs(60),
        );
        assert_eq!(
            o.public_base("w", "1.0"),
            "http://127.0.0.1:8081/files/w/1.0"
        );
        assert_eq!(o.origin(), "http://127.0.0.1:8081");
    }
}
