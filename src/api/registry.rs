//! Every collection by name, for what crosses collections: embedding records of another
//! collection (`include`) and checking that related ids exist.

use std::collections::HashMap;

use serde_json::Value;

use super::collection::{Collection, render_values};
use super::contacts::Contacts;
use super::engagement_areas::EngagementAreas;
use super::events::Events;
use super::forums::Forums;
use super::frameworks::Frameworks;
use super::funds::Funds;
use super::lang::LangChoice;
use super::migration_domains::MigrationDomains;
use super::organisations::Organisations;
use super::programmes::Programmes;
use super::recommendations::Recommendations;
use crate::db::AnyConnection;
use crate::error::AppError;
use diesel::QueryResult;

fn rendered<C: Collection>(
    conn: &mut AnyConnection,
    ids: &[String],
    lang: LangChoice,
) -> QueryResult<HashMap<String, Value>> {
    Ok(render_values::<C>(&C::find_live_many(conn, ids)?, lang))
}

fn live<C: Collection>(conn: &mut AnyConnection, ids: &[String]) -> QueryResult<Vec<String>> {
    Ok(C::find_live_many(conn, ids)?
        .iter()
        .map(|r| C::id(r).to_owned())
        .collect())
}

/// Calls `$f::<Type>(args)` for the type serving the collection named `$collection`, or
/// evaluates `$otherwise` when no collection has that name.
macro_rules! dispatch {
    ($collection:expr, $f:ident($($arg:expr),*), otherwise $otherwise:expr) => {
        match $collection {
            "programmes" => $f::<$crate::api::programmes::Programmes>($($arg),*),
            "organisations" => $f::<$crate::api::organisations::Organisations>($($arg),*),
            "migration-domains" => {
                $f::<$crate::api::migration_domains::MigrationDomains>($($arg),*)
            }
            "engagement-areas" => {
                $f::<$crate::api::engagement_areas::EngagementAreas>($($arg),*)
            }
            "funds" => $f::<$crate::api::funds::Funds>($($arg),*),
            "frameworks" => $f::<$crate::api::frameworks::Frameworks>($($arg),*),
            "forums" => $f::<$crate::api::forums::Forums>($($arg),*),
            "events" => $f::<$crate::api::events::Events>($($arg),*),
            "recommendations" => $f::<$crate::api::recommendations::Recommendations>($($arg),*),
            "contacts" => $f::<$crate::api::contacts::Contacts>($($arg),*),
            "institution" => $f::<$crate::api::institution::Institutions>($($arg),*),
            _ => $otherwise,
        }
    };
}
pub(crate) use dispatch;

fn unknown<T>(collection: &str) -> QueryResult<T> {
    Err(diesel::result::Error::QueryBuilderError(
        format!("no collection is called {collection}").into(),
    ))
}

/// Every collection served under `/v1/{name}`, with the query parameters its list takes.
pub fn list_parameters() -> Vec<(&'static str, Vec<&'static str>)> {
    use super::collection::list_parameters as of;
    vec![
        ("programmes", of::<Programmes>()),
        ("organisations", of::<Organisations>()),
        ("migration-domains", of::<MigrationDomains>()),
        ("engagement-areas", of::<EngagementAreas>()),
        ("funds", of::<Funds>()),
        ("frameworks", of::<Frameworks>()),
        ("forums", of::<Forums>()),
        ("events", of::<Events>()),
        ("recommendations", of::<Recommendations>()),
        ("contacts", of::<Contacts>()),
    ]
}

/// Live records of `collection` among `ids`, rendered in `lang`, by id.
pub fn render_live(
    conn: &mut AnyConnection,
    collection: &str,
    ids: &[String],
    lang: LangChoice,
) -> Result<HashMap<String, Value>, AppError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(dispatch!(collection, rendered(conn, ids, lang), otherwise unknown(collection))?)
}

/// Which of `ids` are live records of `collection`.
pub fn live_ids(
    conn: &mut AnyConnection,
    collection: &str,
    ids: &[String],
) -> QueryResult<Vec<String>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    dispatch!(collection, live(conn, ids), otherwise unknown(collection))
}
