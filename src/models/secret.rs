//! Secrets the service makes for itself and keeps in the database, so that every instance on
//! one database shares them (the key that signs paging cursors).

use diesel::prelude::*;

use crate::db::AnyConnection;
use crate::db::schema::service_secrets;

/// The secret called `name`, made (32 random bytes, hex) and stored on first use.
pub fn get_or_create(conn: &mut AnyConnection, name: &str) -> QueryResult<String> {
    let found: Option<String> = service_secrets::table
        .filter(service_secrets::name.eq(name))
        .select(service_secrets::value)
        .first(conn)
        .optional()?;
    if let Some(value) = found {
        return Ok(value);
    }
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| diesel::result::Error::QueryBuilderError(e.to_string().into()))?;
    let value: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    // Two instances starting at once may both try: the first insert wins, both read it back.
    let _ = diesel::insert_into(service_secrets::table)
        .values((
            service_secrets::name.eq(name),
            service_secrets::value.eq(&value),
        ))
        .execute(conn);
    service_secrets::table
        .filter(service_secrets::name.eq(name))
        .select(service_secrets::value)
        .first(conn)
}
