//! The bare reference of `bench/run.sh` (issue 12): actix-web and diesel over the service's own
//! tables, answering the benchmark's paths with plain JSON and none of the API's features (no
//! languages, ETags, cursors, caches, limits, problem documents, metrics or logs). What the
//! service costs beyond it is what its features cost.
//!
//!   cargo run --release --example probe -- DATABASE_URL 127.0.0.1:PORT
//!
//! - `GET /health/live`: a static JSON body.
//! - `GET /v1/programmes/{id}`: one programme's row and countries, in English.
//! - `GET /v1/programmes?organisation=ID&limit=N`: a list of N (at most 100) of that
//!   organisation's programmes in id order, each with its countries; without `organisation`, the
//!   first N programmes in id order.

use actix_web::{App, HttpResponse, HttpServer, web};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use iom_lrg_api::db::schema::{programme_countries, programmes, relations};
use iom_lrg_api::db::{self, DatabaseTarget, Pool, PoolOptions};
use serde::{Deserialize, Serialize};
use serde_json::json;

type RowTuple = (
    String,
    String,
    Option<String>,
    Option<NaiveDate>,
    Option<f64>,
    Option<String>,
    NaiveDateTime,
    i32,
);

#[derive(Serialize)]
struct Programme {
    id: String,
    title: String,
    status: Option<String>,
    planned_start: Option<NaiveDate>,
    budget: Option<serde_json::Value>,
    recipient_countries: Vec<String>,
    updated_at: NaiveDateTime,
    version: i32,
}

macro_rules! columns {
    () => {
        (
            programmes::id,
            programmes::title_en,
            programmes::status,
            programmes::planned_start,
            programmes::budget_amount,
            programmes::budget_currency,
            programmes::updated_at,
            programmes::version,
        )
    };
}

fn with_countries(
    conn: &mut db::AnyConnection,
    rows: Vec<RowTuple>,
) -> QueryResult<Vec<Programme>> {
    let ids: Vec<&String> = rows.iter().map(|r| &r.0).collect();
    let countries: Vec<(String, String)> = programme_countries::table
        .filter(programme_countries::programme_id.eq_any(&ids))
        .order((
            programme_countries::programme_id,
            programme_countries::position,
        ))
        .select((
            programme_countries::programme_id,
            programme_countries::country,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(id, title, status, planned_start, amount, currency, updated_at, version)| {
                let recipient_countries = countries
                    .iter()
                    .filter(|(p, _)| *p == id)
                    .map(|(_, c)| c.clone())
                    .collect();
                Programme {
                    budget: amount.map(|a| json!({"amount": a, "currency": currency})),
                    id,
                    title,
                    status,
                    planned_start,
                    recipient_countries,
                    updated_at,
                    version,
                }
            },
        )
        .collect())
}

async fn live() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(r#"{"status":"ok"}"#)
}

async fn one(pool: web::Data<Pool>, id: web::Path<String>) -> HttpResponse {
    let id = id.into_inner();
    let found = web::block(move || {
        let mut conn = pool.get().map_err(|e| e.to_string())?;
        let rows: Vec<RowTuple> = programmes::table
            .filter(programmes::id.eq(&id))
            .filter(programmes::deleted_at.is_null())
            .select(columns!())
            .load(&mut *conn)
            .map_err(|e| e.to_string())?;
        with_countries(&mut conn, rows).map_err(|e| e.to_string())
    })
    .await;
    match found {
        Ok(Ok(mut rows)) if !rows.is_empty() => HttpResponse::Ok().json(rows.remove(0)),
        Ok(Ok(_)) => HttpResponse::NotFound().finish(),
        _ => HttpResponse::InternalServerError().finish(),
    }
}

#[derive(Deserialize)]
struct ListQuery {
    organisation: Option<String>,
    limit: Option<i64>,
}

async fn list(pool: web::Data<Pool>, query: web::Query<ListQuery>) -> HttpResponse {
    let ListQuery {
        organisation,
        limit,
    } = query.into_inner();
    let limit = limit.unwrap_or(20).clamp(1, 100);
    let found = web::block(move || {
        let mut conn = pool.get().map_err(|e| e.to_string())?;
        let Some(organisation) = organisation else {
            let rows: Vec<RowTuple> = programmes::table
                .filter(programmes::deleted_at.is_null())
                .order(programmes::id)
                .limit(limit)
                .select(columns!())
                .load(&mut *conn)
                .map_err(|e| e.to_string())?;
            return with_countries(&mut conn, rows).map_err(|e| e.to_string());
        };
        let rows: Vec<RowTuple> = programmes::table
            .inner_join(
                relations::table.on(relations::record_id
                    .eq(programmes::id)
                    .and(relations::collection.eq("programmes"))),
            )
            .filter(relations::target_id.eq(&organisation))
            .filter(programmes::deleted_at.is_null())
            .order(programmes::id)
            .limit(limit)
            .select(columns!())
            .distinct()
            .load(&mut *conn)
            .map_err(|e| e.to_string())?;
        with_countries(&mut conn, rows).map_err(|e| e.to_string())
    })
    .await;
    match found {
        Ok(Ok(rows)) => HttpResponse::Ok().json(json!({ "data": rows })),
        _ => HttpResponse::InternalServerError().finish(),
    }
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let (Some(url), Some(bind)) = (args.next(), args.next()) else {
        eprintln!("usage: probe DATABASE_URL 127.0.0.1:PORT");
        std::process::exit(2);
    };
    let target = DatabaseTarget::parse(&url).map_err(std::io::Error::other)?;
    let options = PoolOptions {
        max_size: 16,
        connection_timeout: std::time::Duration::from_secs(5),
    };
    let pool = db::open(&target, &options).map_err(std::io::Error::other)?;
    let pool = web::Data::new(pool);
    HttpServer::new(move || {
        App::new()
            .app_data(pool.clone())
            .route("/health/live", web::get().to(live))
            .route("/v1/programmes/{id}", web::get().to(one))
            .route("/v1/programmes", web::get().to(list))
    })
    .bind(bind)?
    .run()
    .await
}
