//! What the preview's frame loads besides the widget, served under `/sandbox/`: the host
//! script and its stylesheet, and the libraries amoCRM's page gives widgets (RequireJS and its
//! `text` plugin, jQuery, underscore, twig.js, moment) and the one the host draws its
//! screenshots with (html-to-image), embedded in the binary. They are the
//! npm packages' files, unchanged (`assets/vendor/README.md`); a test pins their hashes.

/// A file served under `/sandbox/`.
#[derive(Debug)]
pub struct Asset {
    /// Its path under `/sandbox/` (`host.js`, `vendor/require.js`).
    pub path: &'static str,
    /// Its media type.
    pub content_type: &'static str,
    /// Its bytes.
    pub bytes: &'static [u8],
}

macro_rules! assets {
    ($($path:literal: $type:expr,)*) => {
        &[$(Asset {
            path: $path,
            content_type: $type,
            bytes: include_bytes!(concat!("../assets/", $path)),
        },)*]
    };
}

const JS: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";

static ASSETS: &[Asset] = assets! {
    "host.js": JS,
    "host.css": CSS,
    "vendor/require.js": JS,
    "vendor/text.js": JS,
    "vendor/jquery.min.js": JS,
    "vendor/underscore-min.js": JS,
    "vendor/twig.min.js": JS,
    "vendor/moment.min.js": JS,
    "vendor/html-to-image.js": JS,
};

/// The asset at `path` under `/sandbox/`.
pub fn find(path: &str) -> Option<&'static Asset> {
    ASSETS.iter().find(|a| a.path == path)
}

impl Asset {
    /// Its SHA-256, hex (computed once per asset).
    pub fn sha256(&self) -> &'static str {
        static HASHES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
        let hashes = HASHES.get_or_init(|| ASSETS.iter().map(|a| sha256_hex(a.bytes)).collect());
        ASSETS
            .iter()
            .position(|a| a.path == self.path)
            .and_then(|i| hashes.get(i))
            .map_or("", String::as_str)
    }

    /// Its ETag: its SHA-256, quoted.
    pub fn etag(&self) -> String {
        format!("\"{}\"", self.sha256())
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The vendored libraries are the npm packages' files, byte for byte (the hashes are in
    /// `assets/vendor/README.md`).
    #[test]
    fn vendored_libraries_are_the_published_files() {
        let pinned = [
            (
                "vendor/require.js",
                "c1fc6b1d53af7522f78d664922abb32acac64ed0ecccb8f907f1e6fc7262563a",
            ),
            (
                "vendor/text.js",
                "0beafc547dfffd6549125b99593a4844be0f8644643dd4df1f2c6211515fddde",
            ),
            (
                "vendor/jquery.min.js",
                "2051d61446d4dbffb03727031022a08c84528ab44d203a7669c101e5fbdd5515",
            ),
            (
                "vendor/underscore-min.js",
                "1bb03826b26326516a3f4c9a9b39f03e3000a4828f91a75e1dfc88c2269af5ed",
            ),
            (
                "vendor/twig.min.js",
                "b7dbc6c13799b9a3a92ac03f15c68237c90c13b7983dc0e7ee3e50f565456eda",
            ),
            (
                "vendor/moment.min.js",
                "e22419e8154be2a34a950dbb4c4c448413751c53ef02f00c6c56af28aa2c4964",
            ),
            (
                "vendor/html-to-image.js",
                "a90b42909d80964269ef6d5f3d1e4a5a7e2a4c263a5d2a76a9e7151901343262",
            ),
        ];
        let readme = include_str!("../assets/vendor/README.md");
        for (path, sha) in pinned {
            let asset = ASSETS.iter().find(|a| a.path == path).unwrap();
            assert_eq!(asset.sha256(), sha256_hex(asset.bytes), "{path}");
            assert_eq!(asset.etag(), format!("\"{sha}\""), "{path}");
            assert!(
                readme.contains(sha),
                "{path}: the README names another hash"
            );
        }
        assert!(
            ASSETS
                .iter()
                .all(|a| (a.content_type == CSS) == a.path.ends_with(".css"))
        );
    }
}
