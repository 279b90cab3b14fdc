//! How stored values decode into domain types, for the `sqlx::FromRow` derives of the
//! registry's rows on the Any driver that serves SQLite and PostgreSQL alike: JSON kept as
//! text ([`JsonText`]), enums kept as their snake_case names ([`Name`]), booleans kept as 0/1
//! ([`Flag`]). A field says `#[sqlx(try_from = "JsonText<Value>")]`; a decoding failure is a
//! column error naming the column, never a panic.

use serde::de::{DeserializeOwned, IntoDeserializer};
use sqlx::any::{Any, AnyTypeInfo, AnyValueRef};
use sqlx::error::BoxDynError;
use sqlx::{Decode, Type};

/// A JSON document stored as text.
pub(crate) struct JsonText<T>(T);

/// An enum stored as its serde name (`in_review`).
pub(crate) struct Name<T>(T);

/// A boolean stored as 0 or 1.
pub(crate) struct Flag(bool);

/// Token scopes stored as a comma-separated list (`upload,submit`).
pub(crate) struct ScopeList(Vec<crate::Scope>);

macro_rules! stored_as {
    ($stored:ty: $(impl$(<$g:ident>)? for $wrapper:ty;)*) => {$(
        impl$(<$g>)? Type<Any> for $wrapper {
            fn type_info() -> AnyTypeInfo {
                <$stored as Type<Any>>::type_info()
            }

            fn compatible(ty: &AnyTypeInfo) -> bool {
                <$stored as Type<Any>>::compatible(ty)
            }
        }
    )*};
}

stored_as!(String: impl<T> for JsonText<T>; impl<T> for Name<T>; impl for ScopeList;);
stored_as!(i64: impl for Flag;);

impl<'r, T: DeserializeOwned> Decode<'r, Any> for JsonText<T> {
    fn decode(value: AnyValueRef<'r>) -> Result<Self, BoxDynError> {
        let text = <&str as Decode<Any>>::decode(value)?;
        Ok(JsonText(serde_json::from_str(text)?))
    }
}

impl<'r, T: DeserializeOwned> Decode<'r, Any> for Name<T> {
    fn decode(value: AnyValueRef<'r>) -> Result<Self, BoxDynError> {
        let name = <&str as Decode<Any>>::decode(value)?;
        let parsed: Result<T, serde::de::value::Error> = T::deserialize(name.into_deserializer());
        Ok(Name(parsed?))
    }
}

impl<'r> Decode<'r, Any> for Flag {
    fn decode(value: AnyValueRef<'r>) -> Result<Self, BoxDynError> {
        Ok(Flag(<i64 as Decode<Any>>::decode(value)? != 0))
    }
}

impl<'r> Decode<'r, Any> for ScopeList {
    fn decode(value: AnyValueRef<'r>) -> Result<Self, BoxDynError> {
        let list = <&str as Decode<Any>>::decode(value)?;
        Ok(ScopeList(crate::Scope::parse_list(list)?))
    }
}

impl From<ScopeList> for Vec<crate::Scope> {
    fn from(l: ScopeList) -> Vec<crate::Scope> {
        l.0
    }
}

impl From<Flag> for bool {
    fn from(f: Flag) -> bool {
        f.0
    }
}

/// `From<Wrapper<T>> for T` for each type stored that way (a blanket impl would break the
/// orphan rule).
macro_rules! decoded_into {
    ($wrapper:ident: $($t:ty),* $(,)?) => {$(
        impl From<$wrapper<$t>> for $t {
            fn from(w: $wrapper<$t>) -> $t {
                w.0
            }
        }
    )*};
}

decoded_into!(JsonText:
    std::collections::BTreeMap<String, String>,
    serde_json::Value,
    widgetry_validator::Report,
);
decoded_into!(Name:
    widgetry_validator::Scheme,
    crate::Visibility,
    crate::VersionState,
    crate::Role,
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Role, VersionState};
    use sqlx::Row;

    async fn row(sql: &str) -> sqlx::any::AnyRow {
        sqlx::any::install_default_drivers();
        let pool = sqlx::AnyPool::connect("sqlite::memory:").await.unwrap();
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .fetch_one(&pool)
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn stored_values_decode_and_bad_ones_are_column_errors() {
        let r = row("SELECT 'in_review' AS s, 'admin' AS role, '{\"en\":\"x\"}' AS j, 1 AS f, 0 AS g, 'nope' AS bad, '{' AS badj").await;
        let s: Name<VersionState> = r.try_get("s").unwrap();
        assert_eq!(VersionState::from(s), VersionState::InReview);
        let role: Name<Role> = r.try_get("role").unwrap();
        assert_eq!(Role::from(role), Role::Admin);
        let j: JsonText<serde_json::Value> = r.try_get("j").unwrap();
        assert_eq!(serde_json::Value::from(j)["en"], "x");
        assert!(bool::from(r.try_get::<Flag, _>("f").unwrap()));
        assert!(!bool::from(r.try_get::<Flag, _>("g").unwrap()));
        let bad = r.try_get::<Name<VersionState>, _>("bad").err().unwrap();
        assert!(bad.to_string().contains("bad"), "{bad}");
        let bad = r
            .try_get::<JsonText<serde_json::Value>, _>("badj")
            .err()
            .unwrap();
        assert!(bad.to_string().contains("badj"), "{bad}");
    }
}
