//! Whether the files origin is kept apart from the pages' site, checked at start-up.
//!
//! Widget files are written by strangers. A document on the files origin is sandboxed, but the
//! browser still treats a host of the same *site* (registrable domain) as a friend of the
//! pages: it may set cookies for the parent domain (overwriting the pages' cookies), and its
//! requests to the pages count as same-site, so `SameSite` cookies ride along. Hence, in
//! production, the files origin must be another registrable domain (`widgets-files.example`
//! beside `widgets.example`, not `files.widgets.example`). For local use (loopback, an IP
//! address, a single-label host) the same host on another port is accepted with a warning.

/// How the two origins relate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Separation {
    /// Different registrable domains: what production needs.
    Distinct,
    /// The same site, on a host used locally (loopback, an IP address, `localhost`, a host
    /// without dots): accepted with a warning.
    LocalSameSite,
    /// The same registrable domain on public DNS names: refused.
    SameSite {
        /// The registrable domain both share.
        site: String,
    },
}

fn is_local(host: &url::Host<&str>) -> bool {
    match host {
        url::Host::Ipv4(_) | url::Host::Ipv6(_) => true,
        url::Host::Domain(d) => {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            !d.contains('.') || d == "localhost" || d.ends_with(".localhost")
        }
    }
}

/// The registrable domain of a DNS name (`files.widgets.example.co.uk` ->
/// `example.co.uk`), or the name itself when the public suffix list knows none.
fn site(domain: &str) -> String {
    let domain = domain.trim_end_matches('.').to_ascii_lowercase();
    psl::domain_str(&domain).map_or(domain.clone(), str::to_string)
}

/// How the files origin `files` relates to the pages at `pages`.
pub fn separation(pages: &url::Url, files: &url::Url) -> Separation {
    let (Some(ph), Some(fh)) = (pages.host(), files.host()) else {
        return Separation::Distinct;
    };
    if is_local(&ph) || is_local(&fh) {
        let same = match (&ph, &fh) {
            (url::Host::Domain(a), url::Host::Domain(b)) => site(a) == site(b),
            (a, b) => a.to_string() == b.to_string(),
        };
        return if same {
            Separation::LocalSameSite
        } else {
            Separation::Distinct
        };
    }
    match (ph, fh) {
        (url::Host::Domain(a), url::Host::Domain(b)) if site(a) == site(b) => {
            Separation::SameSite { site: site(a) }
        }
        _ => Separation::Distinct,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sep(pages: &str, files: &str) -> Separation {
        separation(
            &url::Url::parse(pages).unwrap(),
            &url::Url::parse(files).unwrap(),
        )
    }

    #[test]
    fn production_needs_another_registrable_domain() {
        assert_eq!(
            sep(
                "https://widgets.example.com",
                "https://widgets-files.example.net"
            ),
            Separation::Distinct
        );
        assert_eq!(
            sep(
                "https://widgets.example.com",
                "https://files.widgets.example.com"
            ),
            Separation::SameSite {
                site: "example.com".into()
            }
        );
        assert_eq!(
            sep("https://a.example.com", "https://b.example.com:8443"),
            Separation::SameSite {
                site: "example.com".into()
            }
        );
        // Two customers of one public suffix are different sites.
        assert_eq!(
            sep("https://shop.github.io", "https://files.github.io"),
            Separation::Distinct
        );
        assert_eq!(
            sep("https://widgets.example.co.uk", "https://cdn.example.co.uk"),
            Separation::SameSite {
                site: "example.co.uk".into()
            }
        );
    }

    #[test]
    fn local_hosts_share_a_site_with_a_warning_only() {
        assert_eq!(
            sep("http://127.0.0.1:8080", "http://127.0.0.1:8081"),
            Separation::LocalSameSite
        );
        assert_eq!(
            sep("http://localhost:8080", "http://localhost:8081"),
            Separation::LocalSameSite
        );
        assert_eq!(
            sep("http://127.0.0.1:8080", "http://127.0.0.2:8081"),
            Separation::Distinct
        );
        assert_eq!(
            sep("http://[::1]:8080", "http://[::1]:8081"),
            Separation::LocalSameSite
        );
    }
}
