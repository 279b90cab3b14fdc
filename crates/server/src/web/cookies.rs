//! The cookies Widgetry sets (session, sign-in form, language), built with the `cookie`
//! crate's builder rather than formatted by hand.

use cookie::{Cookie, CookieBuilder};

/// A cookie `name=value` for `path`, kept `max_age_secs` seconds (0 clears it); the caller
/// adds `HttpOnly`, `SameSite` and `Secure` as the cookie needs.
pub fn build<'c>(
    name: &'c str,
    value: &'c str,
    path: &'c str,
    max_age_secs: i64,
) -> CookieBuilder<'c> {
    Cookie::build((name, value))
        .path(path)
        .max_age(cookie::time::Duration::seconds(max_age_secs))
}

#[cfg(test)]
mod tests {
    use super::build;
    use cookie::SameSite;

    #[test]
    fn the_session_cookie_has_its_attributes() {
        let set = build("widgetry_session", "abc", "/", 0)
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(true)
            .to_string();
        for part in [
            "widgetry_session=abc",
            "HttpOnly",
            "SameSite=Lax",
            "Secure",
            "Path=/",
            "Max-Age=0",
        ] {
            assert!(set.split("; ").any(|p| p == part), "{part} in {set}");
        }
    }
}
