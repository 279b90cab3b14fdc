//! Refused input, typed: which field of the request ([`BadInput::field`], a JSON pointer
//! such as `/name/ru`), a stable code ([`InputCode`]) and the values the message names. The
//! English sentence is the code's template filled with those values; the server's pages and
//! the API translate and place an error by its code and field, never by reading the sentence.

use std::fmt;

macro_rules! input_codes {
    ($( $(#[$doc:meta])* $variant:ident = $code:literal : $english:literal, )*) => {
        /// What is wrong with an input, as a stable code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum InputCode {
            $( $(#[$doc])* $variant, )*
        }

        impl InputCode {
            /// Every code (the server checks each has a text in every language).
            pub const ALL: &'static [InputCode] = &[$(InputCode::$variant),*];

            /// The code as sent in answers (`integration.name_missing`).
            pub fn as_str(self) -> &'static str {
                match self { $( InputCode::$variant => $code, )* }
            }

            /// The English template, with `{name}` for each parameter.
            pub fn english(self) -> &'static str {
                match self { $( InputCode::$variant => $english, )* }
            }
        }
    };
}

input_codes! {
    /// A scope name that does not exist.
    ScopeUnknown = "scope.unknown":
        "unknown scope `{value}`; known scopes: upload, submit, install, moderate, admin",
    /// A role name that does not exist.
    RoleUnknown = "role.unknown": "unknown role `{value}`; roles: admin, member",
    /// Not an e-mail address.
    EmailInvalid = "email.invalid": "`{value}` is not an e-mail address",
    /// Not an account subdomain.
    SubdomainInvalid = "subdomain.invalid":
        "`{value}` is not an account subdomain (lowercase letters, digits and `-`, at most 63)",
    /// No account has the subdomain.
    SubdomainUnknown = "subdomain.unknown": "no account has the subdomain `{value}`",
    /// A password below the minimum length.
    PasswordShort = "password.short": "the password is shorter than {min} characters",
    /// A token name empty or too long.
    TokenNameLength = "token.name_length": "a token name has 1 to 100 characters",
    /// A token without scopes.
    TokenScopesMissing = "token.scopes_missing": "a token needs at least one scope",
    /// A token lifetime out of range.
    TokenLifetime = "token.lifetime": "a token lives 1 to {max} days (`expires_in_days`), or without expiry",
    /// A token expiring before it is made.
    TokenExpiryPast = "token.expiry_past": "the token's expiry is in the past",
    /// A webhook URL over the length limit.
    WebhookUrlTooLong = "webhook.url_too_long": "webhook URL `{url}` is too long",
    /// A webhook URL that does not parse.
    WebhookUrlMalformed = "webhook.url_malformed":
        "webhook URL `{url}` is not a valid URL ({error})",
    /// A webhook URL that is not http(s).
    WebhookUrlScheme = "webhook.url_scheme":
        "webhook URL `{url}` must start with https:// (or http://)",
    /// A webhook URL without a host.
    WebhookUrlNoHost = "webhook.url_no_host": "webhook URL `{url}` has no host",
    /// A webhook URL with a user name or password.
    WebhookUrlCredentials = "webhook.url_credentials":
        "webhook URL `{url}` must not carry a user name or password",
    /// A list page below 1.
    PageStart = "list.page_start": "`page` starts at 1",
    /// A preview run's area is not an area name.
    PreviewArea = "preview.area": "name the area the run was in, such as `lcard` or `settings`",
    /// A preview run's language is not a language code.
    PreviewLang = "preview.lang": "name the language the run was in, such as `en` or `ru`",
    /// A preview run's events are too many, too large or not the host's events.
    PreviewEvents = "preview.events": "a run holds at most {max} events and {max_bytes} bytes of them, as the preview recorded them",
    /// A preview run's screenshot is not a PNG data URL of bounded size.
    PreviewScreenshot = "preview.screenshot": "a run's screenshot is a PNG data URL of at most {max_bytes} bytes and {max_side} pixels a side ({error})",
    /// A list page size out of range.
    LimitRange = "list.limit_range": "`limit` must be between 1 and {max}",
    /// A locale the integration texts do not know.
    LocaleUnknown = "integration.locale_unknown":
        "unknown locale `{locale}` in the {what}; locales: {locales}",
    /// A name or description over its length limit.
    TextTooLong = "integration.text_too_long":
        "the {what} in `{locale}` is longer than {max} characters",
    /// A name or description with control characters.
    TextControl = "integration.text_control":
        "the {what} in `{locale}` contains control characters",
    /// An integration without a name in any locale.
    NameMissing = "integration.name_missing":
        "an integration needs a name in at least one locale",
    /// A redirect URI that is not an absolute URL.
    RedirectNotAbsolute = "redirect_uri.not_absolute":
        "redirect URI `{uri}` is not an absolute URL",
    /// A redirect URI without a host.
    RedirectNoHost = "redirect_uri.no_host": "redirect URI `{uri}` has no host",
    /// A plain-http redirect URI to a host other than localhost.
    RedirectHttp = "redirect_uri.http":
        "redirect URI `{uri}` must use https (http is allowed for localhost only)",
    /// A redirect URI with a scheme other than https.
    RedirectScheme = "redirect_uri.scheme": "redirect URI `{uri}` must be an https URL",
    /// A redirect URI with a fragment.
    RedirectFragment = "redirect_uri.fragment": "redirect URI `{uri}` must not have a fragment",
    /// A redirect URI with credentials.
    RedirectCredentials = "redirect_uri.credentials":
        "redirect URI `{uri}` must not carry credentials",
    /// Not a widget code.
    CodeInvalid = "integration.code_invalid":
        "`{code}` is not a widget code (`^[a-z][a-z0-9_]*$`, at most 64 characters)",
    /// A legacy secret key that is not 64 hex digits.
    SecretKeyInvalid = "integration.secret_key_invalid":
        "the secret key must be 64 hexadecimal characters",
    /// A version number the integration does not have.
    VersionUnknown = "version.unknown": "integration {integration} has no version {number}",
    /// A version to act on was not chosen.
    VersionNotChosen = "version.not_chosen": "choose a version",
    /// An accepted package whose manifest has no `widget.version`.
    ManifestNoVersion = "version.manifest_no_version": "the manifest has no `widget.version`",
    /// A rejection without reasons.
    ReasonsMissing = "rejection.reasons_missing":
        "a rejection needs at least one reason (a rule code and a text)",
    /// A rejection reason with an unknown code.
    ReasonCodeUnknown = "rejection.reason_code_unknown":
        "reason {index}: unknown code `{code}`; use a rule code (`widgetry rules`) or a moderation code (GET /api/v1/moderation/reasons)",
    /// A rejection reason without a text.
    ReasonTextMissing = "rejection.reason_text_missing":
        "reason {index}: `{code}` needs a text saying what to fix",
    /// Installation settings that are not a JSON object.
    SettingsNotObject = "settings.not_object": "settings must be a JSON object",
    /// A settings key the manifest does not declare.
    SettingsUnknownField = "settings.unknown_field": "the widget has no such settings field",
    /// A required settings value left empty.
    SettingsRequired = "settings.required": "a value is required",
    /// A `text` or `pass` field given something other than a string.
    SettingsString = "settings.string": "a `{kind}` field takes a string",
    /// A `users`/`users_lp` key that is not a user id.
    SettingsUserId = "settings.user_id": "`{user}` is not a user id",
    /// A `users` value that is not a string.
    SettingsUserString = "settings.user_string": "the value for user `{user}` must be a string",
    /// A `users_lp` value that is not a login and password.
    SettingsUserPair = "settings.user_pair":
        "the value for user `{user}` must be {\"login\": string, \"password\": string}",
    /// A `users` field given something other than an object.
    SettingsUsersObject = "settings.users_object":
        "a `users` field takes an object of user id to string",
    /// A `users_lp` field given something other than an object.
    SettingsUsersLpObject = "settings.users_lp_object":
        "a `users_lp` field takes an object of user id to {login, password}",
    /// A `custom` field given something other than JSON text or a number.
    SettingsCustom = "settings.custom": "a `custom` field takes a JSON string or a number",
    /// A settings field of a type the registry does not know.
    SettingsUnknownType = "settings.unknown_type": "the manifest declares an unknown type `{kind}`",
}

/// The parts of a refusal's case: its stable id (for texts), the API's code and the English
/// template. Implemented by [`StateCase`] and [`DenialCase`].
pub trait Case: Copy + fmt::Debug + PartialEq + Eq + 'static {
    /// Every case (the server checks each has a text in every language).
    const ALL: &'static [Self];
    /// The code the API answers with (several cases may share one).
    fn api_code(self) -> &'static str;
    /// The case itself (`submission.in_review`), for texts.
    fn as_str(self) -> &'static str;
    /// The English template, with `{name}` for each parameter.
    fn english(self) -> &'static str;
}

macro_rules! cases {
    ($(#[$enum_doc:meta])* $name:ident:
     $( $(#[$doc:meta])* $variant:ident = $api:literal, $id:literal : $english:literal, )*) => {
        $(#[$enum_doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$doc])* $variant, )*
        }

        impl Case for $name {
            const ALL: &'static [$name] = &[$($name::$variant),*];

            fn api_code(self) -> &'static str {
                match self { $( $name::$variant => $api, )* }
            }

            fn as_str(self) -> &'static str {
                match self { $( $name::$variant => $id, )* }
            }

            fn english(self) -> &'static str {
                match self { $( $name::$variant => $english, )* }
            }
        }
    };
}

cases! {
    /// Why an object's state does not allow a change, as a stable case (HTTP 409).
    StateCase:
    /// The submission names a version the integration does not have.
    NoSuchVersion = "submission.no_version", "submission.no_such_version":
        "integration {integration} has no version {number}",
    /// Nothing uploaded yet.
    NoVersionYet = "submission.no_version", "submission.no_version_yet":
        "the integration has no version yet; upload widget.zip first",
    /// The version is older than the published one.
    OlderThanPublished = "submission.conflict", "submission.older":
        "version {number} (`{widget_version}`) is older than the published version {published} (`{published_version}`); upload a newer version and submit that",
    /// The version is in review already.
    InReview = "submission.conflict", "submission.in_review":
        "version {number} (`{widget_version}`) is already in review; withdraw that submission first to change it",
    /// The version is the published one.
    IsPublished = "submission.conflict", "submission.is_published":
        "version {number} (`{widget_version}`) is the published version",
    /// The version was approved before.
    WasApproved = "submission.conflict", "submission.was_approved":
        "version {number} (`{widget_version}`) was already approved; roll back to it instead of submitting it again",
    /// The submission was decided or withdrawn meanwhile.
    Decided = "submission.decided", "submission.decided":
        "submission {id} is no longer in review: it was {state_words}",
    /// A newer version than the submitted one is published.
    Outdated = "submission.outdated", "submission.outdated":
        "version {number} (`{widget_version}`) is published and newer than version {submitted} of submission {id}; reject this submission, or ask the integrator to withdraw it",
    /// The published version changed since the moderator looked.
    PublishedChanged = "submission.published_changed", "submission.published_changed":
        "the published version of `{code}` changed since submission {id} was reviewed: {now} is published now; reload the submission to see the diff against it, then decide again",
    /// Nothing is published to roll back from.
    NothingPublished = "rollback.not_public", "rollback.not_public":
        "the integration has no published version to roll back from",
    /// Rolling back to the published version itself.
    RollbackToCurrent = "rollback.conflict", "rollback.conflict":
        "version {number} is already the published version",
    /// Rolling back to a version that was never published.
    RollbackNotApproved = "rollback.not_approved", "rollback.not_approved":
        "version {number} is {state_words}; only versions that were published before can be restored without a review",
    /// Another user has the e-mail address.
    EmailTaken = "conflict", "user.email_taken": "a user with e-mail `{email}` exists",
    /// Another integration has the code.
    CodeTaken = "conflict", "integration.code_taken": "the code `{code}` is taken",
    /// Converting an integration that is not a legacy one.
    NotLegacy = "conflict", "integration.not_legacy": "the integration is not a legacy integration",
}

cases! {
    /// Why the caller, who sees the object, may not do this, as a stable case (HTTP 403).
    DenialCase:
    /// The action needs the account's `admin` role.
    NeedsAdmin = "auth.forbidden", "auth.needs_admin":
        "this action needs the `admin` role in the account",
    /// A token scope that only admins may grant.
    ScopeNeedsAdmin = "auth.forbidden", "auth.scope_needs_admin":
        "the `{scope}` scope needs the `admin` role in the account",
    /// The `moderate` scope for someone who is no moderator.
    ModeratorsOnly = "auth.forbidden", "auth.moderators_only":
        "the `moderate` scope is for moderators",
    /// Changing another account's (public) integration.
    OtherAccount = "auth.forbidden", "integration.other_account":
        "this integration belongs to another account",
    /// Uploading a version of another account's (public) integration.
    OwnerUploadsOnly = "auth.forbidden", "integration.owner_uploads":
        "only the owner account uploads versions of an integration",
}

/// A change the object's state does not allow (or, as a [`Denial`], the caller may not
/// make): the case and the values its message names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal<C = StateCase> {
    /// Why.
    pub case: C,
    /// The values the message names.
    pub params: Params,
}

/// What the caller may not do, and the values its message names.
pub type Denial = Refusal<DenialCase>;

impl<C: Case> Refusal<C> {
    /// A refusal of `case`.
    pub fn new(case: C) -> Refusal<C> {
        Refusal {
            case,
            params: Vec::new(),
        }
    }

    /// Adds a value the message names.
    pub fn with(mut self, name: &'static str, value: impl fmt::Display) -> Refusal<C> {
        self.params.push((name, value.to_string()));
        self
    }

    /// The English sentence.
    pub fn message(&self) -> String {
        fill(self.case.english(), &self.params)
    }
}

impl<C: Case> fmt::Display for Refusal<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl fmt::Display for InputCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The values a message names, by parameter name.
pub type Params = Vec<(&'static str, String)>;

/// Fills `{name}` placeholders of `template` from `params`; other braces stay as they are.
pub fn fill(template: &str, params: &[(&'static str, String)]) -> String {
    let mut out = template.to_string();
    for (name, value) in params {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// A refused argument: the field it is about, why, and the values the message names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadInput {
    /// A JSON pointer to the field in the request (`/name/ru`, `/redirect_uri`,
    /// `/reasons/0/code`); empty for the request as a whole.
    pub field: String,
    /// What is wrong.
    pub code: InputCode,
    /// The values the message names.
    pub params: Params,
}

impl BadInput {
    /// A refusal of the field at `field` (a JSON pointer).
    pub fn new(field: impl Into<String>, code: InputCode) -> BadInput {
        BadInput {
            field: field.into(),
            code,
            params: Vec::new(),
        }
    }

    /// Adds a value the message names.
    pub fn with(mut self, name: &'static str, value: impl fmt::Display) -> BadInput {
        self.params.push((name, value.to_string()));
        self
    }

    /// The English sentence.
    pub fn message(&self) -> String {
        fill(self.code.english(), &self.params)
    }
}

impl fmt::Display for BadInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

/// One problem with an installation's settings value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingsProblem {
    /// The settings field key (empty for the settings object as a whole).
    pub key: String,
    /// What is wrong.
    pub code: InputCode,
    /// The values the message names.
    pub params: Params,
}

impl SettingsProblem {
    /// A problem with the field `key` (empty: the whole object).
    pub fn new(key: impl Into<String>, code: InputCode) -> SettingsProblem {
        SettingsProblem {
            key: key.into(),
            code,
            params: Vec::new(),
        }
    }

    /// Adds a value the message names.
    pub fn with(mut self, name: &'static str, value: impl fmt::Display) -> SettingsProblem {
        self.params.push((name, value.to_string()));
        self
    }

    /// The English sentence, a lowercase phrase.
    pub fn message(&self) -> String {
        fill(self.code.english(), &self.params)
    }
}

impl serde::Serialize for SettingsProblem {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("SettingsProblem", 3)?;
        st.serialize_field("key", &self.key)?;
        st.serialize_field("code", self.code.as_str())?;
        st.serialize_field("message", &self.message())?;
        st.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_templates_name_their_parameters() {
        let mut codes: Vec<&str> = InputCode::ALL.iter().map(|c| c.as_str()).collect();
        codes.sort_unstable();
        let n = codes.len();
        codes.dedup();
        assert_eq!(n, codes.len(), "an input code is used twice");
        let bad = BadInput::new("/name/ru", InputCode::TextTooLong)
            .with("what", "name")
            .with("locale", "ru")
            .with("max", 255);
        assert_eq!(
            bad.to_string(),
            "the name in `ru` is longer than 255 characters"
        );
        // Braces that are not parameters stay.
        let pair = SettingsProblem::new("k", InputCode::SettingsUserPair).with("user", 7);
        assert_eq!(
            pair.message(),
            "the value for user `7` must be {\"login\": string, \"password\": string}"
        );
    }
}
