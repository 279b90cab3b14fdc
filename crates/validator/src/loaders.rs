//! What a script loads, and from where: the modules named in `define([...])`,
//! `require([...])`, `require('...')` and `require.config({paths})`, and script URLs written
//! into the page (`el.src = '...js'`, `'<script src="...">'`). Each is a module the host
//! provides (`jquery`, `lib/components/...`), a file of the package (relative to the file
//! that names it, with or without `./` and `.js`), code from outside the package (a URL:
//! a development server or tunnel, or a CDN), or a build placeholder a packer should have
//! replaced.
//!
//! Values are read from string literals, template literals without substitutions, both
//! branches of `a ? b : c` and `a || b` (the development switch: `localStorage.dev ||
//! './build/app.js'`), the left side of `+`, and names bound to such values by `var`/`let`/
//! `const` in the same file.

use crate::package::Package;

/// How a script names what it loads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Via {
    /// A dependency of `define([...])`.
    Define,
    /// `require([...])`, `require('...')`.
    Require,
    /// `require.config({paths: {...}})`.
    Config,
    /// A `<script>` element's source.
    ScriptSrc,
}

impl Via {
    /// How the report says it.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Via::Define => "a define() dependency",
            Via::Require => "a require() call",
            Via::Config => "require.config() paths",
            Via::ScriptSrc => "a <script> source",
        }
    }
}

/// One value a script loads, by byte offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Dep {
    pub value: String,
    pub offset: usize,
    pub via: Via,
}

/// Where a dependency leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    /// A file of the package, by path.
    Package(String),
    /// Code from a URL; `dev` when the host is local, a test name or a development tunnel.
    Remote { url: String, dev: bool },
    /// A token a build tool should have replaced.
    Placeholder,
    /// A module the host provides, or a name that is none of the above.
    Other,
}

/// Where `value`, named by the package file `from`, leads.
pub(crate) fn classify(value: &str, from: &str, package: &Package) -> Target {
    let value = value.trim();
    if is_placeholder(value) {
        return Target::Placeholder;
    }
    // RequireJS plugins: `text!./x.twig`, `css!./style`.
    let module = value.rsplit('!').next().unwrap_or(value);
    if let Some(host) = remote_host(module) {
        return Target::Remote {
            url: module.to_string(),
            dev: is_dev_host(&host),
        };
    }
    match package_file(module, from, package) {
        Some(path) => Target::Package(path),
        None => Target::Other,
    }
}

/// The package file a module name resolves to, relative to the directory of `from`.
fn package_file(module: &str, from: &str, package: &Package) -> Option<String> {
    let module = module.split(['?', '#']).next().unwrap_or(module);
    if module.is_empty() || module.starts_with('/') {
        return None;
    }
    let dir = from.rsplit_once('/').map_or("", |(d, _)| d);
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in module.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    let path = parts.join("/");
    if package.contains(&path) {
        return Some(path);
    }
    let js = format!("{path}.js");
    package.contains(&js).then_some(js)
}

/// The host of an absolute or protocol-relative URL, lowercase.
fn remote_host(value: &str) -> Option<String> {
    let lower = value.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .or_else(|| lower.strip_prefix("//"))?;
    let (_, host) = crate::text::url_host(rest, 0)?;
    Some(host.trim_end_matches('.').to_string())
}

/// Development tunnels and preview hosts: code served from them lives on the author's
/// machine.
const TUNNEL_DOMAINS: &[&str] = &[
    "ngrok.io",
    "ngrok.app",
    "ngrok.dev",
    "ngrok-free.app",
    "ngrok-free.dev",
    "zrok.io",
    "loca.lt",
    "localtunnel.me",
    "serveo.net",
    "serveousercontent.com",
    "trycloudflare.com",
    "lhr.life",
    "localhost.run",
    "pagekite.me",
    "tunnelmole.net",
    "localto.net",
    "devtunnels.ms",
    "app.github.dev",
    "gitpod.io",
    "local-ip.co",
    "nip.io",
    "sslip.io",
];

/// Whether code from `host` can only work on the author's machine or network: loopback,
/// private and link-local addresses, reserved test names, development tunnels.
pub(crate) fn is_dev_host(host: &str) -> bool {
    if crate::text::is_test_host(host) {
        return true;
    }
    if let Ok(ip) = host.parse::<std::net::IpAddr>() {
        return match ip {
            std::net::IpAddr::V4(v4) => {
                v4.is_private() || v4.is_loopback() || v4.is_link_local() || v4.is_unspecified()
            }
            std::net::IpAddr::V6(v6) => {
                v6.is_loopback() || v6.is_unspecified() || (v6.segments()[0] & 0xfe00) == 0xfc00
            }
        };
    }
    TUNNEL_DOMAINS
        .iter()
        .any(|d| crate::text::is_domain_or_subdomain(host, d))
}

/// Whether a module name is a build-time token: `__APP_URL__`, `%BUNDLE%`, `<%= url %>`,
/// `{{ bundle }}`, `${BUNDLE}`, `@@bundle@@`.
pub(crate) fn is_placeholder(value: &str) -> bool {
    let v = value.trim();
    if ["<%", "{{", "${", "@@"].iter().any(|m| v.contains(m)) {
        return true;
    }
    let upper_token = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
            && s.chars().any(|c| c.is_ascii_uppercase())
    };
    if let Some(inner) = v.strip_prefix("__").and_then(|s| s.strip_suffix("__")) {
        return upper_token(inner);
    }
    if let Some(inner) = v.strip_prefix('%').and_then(|s| s.strip_suffix('%')) {
        return upper_token(inner);
    }
    false
}

/// Where the first `<script` (in any case) of a text starts.
pub(crate) fn script_tag(text: &str) -> Option<usize> {
    // Every string literal of a file comes here: look for the tag without allocating.
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'<', bytes).find(|&i| {
        bytes
            .get(i..i + 7)
            .is_some_and(|w| w.eq_ignore_ascii_case(b"<script"))
    })
}

/// The URL in a `<script src=...>` written in a string, if any.
pub(crate) fn script_src(text: &str) -> Option<(usize, &str)> {
    let tag = script_tag(text)?;
    let tail = text.get(tag..)?;
    let end_of_tag = tail.find('>').unwrap_or(tail.len());
    let src = tag + tail.get(..end_of_tag)?.to_ascii_lowercase().find("src=")? + 4;
    let rest = text.get(src..)?;
    let (start, quote) = match rest.chars().next()? {
        q @ ('"' | '\'') => (src + 1, Some(q)),
        _ => (src, None),
    };
    let body = text.get(start..)?;
    let end = match quote {
        Some(q) => body.find(q)?,
        None => body
            .find(|c: char| c.is_whitespace() || c == '>')
            .unwrap_or(body.len()),
    };
    Some((start, body.get(..end)?))
}

/// Whether a URL names a JavaScript file (its path ends in `.js`).
pub(crate) fn is_js_url(url: &str) -> bool {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    path.to_ascii_lowercase().ends_with(".js")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn package(paths: &[&str]) -> Package {
        Package::from_paths(paths)
    }

    #[test]
    fn package_files_resolve_relative_with_or_without_dot_and_extension() {
        let p = package(&[
            "script.js",
            "dist/app.js",
            "dist/lib/util.js",
            "tmpl/a.twig",
        ]);
        for v in ["./dist/app.js", "./dist/app", "dist/app", "dist/app.js?v=3"] {
            assert_eq!(
                classify(v, "script.js", &p),
                Target::Package("dist/app.js".into()),
                "{v}"
            );
        }
        assert_eq!(
            classify("./lib/util", "dist/app.js", &p),
            Target::Package("dist/lib/util.js".into())
        );
        assert_eq!(
            classify("../script", "dist/app.js", &p),
            Target::Package("script.js".into())
        );
        assert_eq!(
            classify("text!./tmpl/a.twig", "script.js", &p),
            Target::Package("tmpl/a.twig".into())
        );
        for v in [
            "jquery",
            "lib/components/base/modal",
            "../../etc/passwd",
            "./nothing",
        ] {
            assert_eq!(classify(v, "script.js", &p), Target::Other, "{v}");
        }
    }

    #[test]
    fn remote_urls_are_told_apart_by_host() {
        let p = package(&["script.js"]);
        let dev = |v: &str| match classify(v, "script.js", &p) {
            Target::Remote { dev, .. } => Some(dev),
            _ => None,
        };
        for v in [
            "http://localhost:8080/app.js",
            "https://127.0.0.1:5173/src/main.js",
            "http://192.168.1.20:3000/bundle.js",
            "https://3f2a-85-140-1-2.ngrok-free.app/widget.js",
            "https://abc.ngrok.io/app.js",
            "https://shy-cat-12.loca.lt/app.js",
            "https://quick-words-here.trycloudflare.com/app.js",
            "https://dev.widget.test/app.js",
            "//localhost:9000/app.js",
            "https://x.share.zrok.io/app.js",
            "http://[::1]:8080/app.js",
        ] {
            assert_eq!(dev(v), Some(true), "{v}");
        }
        for v in [
            "https://cdn.jsdelivr.net/npm/vue@2/dist/vue.min.js",
            "https://widgets.acme-crm.ru/app.js",
            "//cdn.acme.io:8443/app.js",
        ] {
            assert_eq!(dev(v), Some(false), "{v}");
        }
    }

    #[test]
    fn placeholders_are_build_tokens_only() {
        for v in [
            "__WIDGET_BUNDLE__",
            "%APP_URL%",
            "<%= bundleUrl %>",
            "{{ bundle }}",
            "${BUNDLE_URL}",
            "@@bundle@@",
        ] {
            assert!(is_placeholder(v), "{v}");
        }
        for v in ["jquery", "__esModule", "./dist/app.js", "%", "__", "50%"] {
            assert!(!is_placeholder(v), "{v}");
        }
    }

    #[test]
    fn script_sources_in_strings() {
        let s = "<script type=\"text/javascript\" src=\"http://localhost:3000/app.js\"></script>";
        let (at, url) = script_src(s).unwrap_or_default();
        assert_eq!(url, "http://localhost:3000/app.js");
        assert_eq!(&s[at..at + 4], "http");
        assert_eq!(
            script_src("<script src=//cdn.x.io/a.js>").map(|x| x.1),
            Some("//cdn.x.io/a.js")
        );
        assert_eq!(script_src("<div src='a'>"), None);
        assert!(is_js_url("https://a.io/x/app.js?v=1"));
        assert!(!is_js_url("https://a.io/logo.png"));
    }
}
