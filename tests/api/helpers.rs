//! `TestApp`: a running service on a random port with its own database.

use std::sync::atomic::{AtomicU32, Ordering};

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection, RunQueryDsl};
use iom_lrg_api::config::Settings;
use iom_lrg_api::startup::Application;
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde_json::{Value, json};

pub struct TestApp {
    pub address: String,
    /// The app's database, for the few tests that look behind the API.
    pub database_url: String,
    /// An admin key, sent with every request made through `request`.
    pub admin_key: String,
    pub client: reqwest::Client,
    _dir: Option<tempfile::TempDir>,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// Drops, once per test run, the test databases of runs that have ended (their process is gone;
/// each name holds its process id), so repeated runs on one machine do not pile them up.
fn drop_abandoned_databases(admin: &mut PgConnection) {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        #[derive(diesel::QueryableByName)]
        struct Name {
            #[diesel(sql_type = diesel::sql_types::Text)]
            datname: String,
        }
        let names: Vec<Name> =
            diesel::sql_query("SELECT datname FROM pg_database WHERE datname LIKE 'test\\_%'")
                .load(admin)
                .unwrap_or_default();
        for Name { datname } in names {
            let pid = datname
                .split('_')
                .nth(1)
                .and_then(|p| p.parse::<u32>().ok());
            if pid.is_some_and(|pid| !std::path::Path::new(&format!("/proc/{pid}")).exists()) {
                let _ =
                    admin.batch_execute(&format!("DROP DATABASE IF EXISTS {datname} WITH (FORCE)"));
            }
        }
    });
}

/// A fresh database: a new PostgreSQL database under `TEST_DATABASE_URL`, or a SQLite file in a
/// temporary folder.
pub fn fresh_database() -> (String, Option<tempfile::TempDir>) {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(admin_url) if !admin_url.is_empty() => {
            let name = format!(
                "test_{}_{}_{}",
                std::process::id(),
                COUNTER.fetch_add(1, Ordering::SeqCst),
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.subsec_nanos())
                    .unwrap_or(0)
            );
            let mut admin = PgConnection::establish(&admin_url).expect("TEST_DATABASE_URL answers");
            drop_abandoned_databases(&mut admin);
            admin
                .batch_execute(&format!("CREATE DATABASE {name}"))
                .expect("a test database can be created");
            let base = admin_url.split('?').next().unwrap_or(&admin_url);
            let (server, _) = base
                .rsplit_once('/')
                .expect("TEST_DATABASE_URL names a database");
            (format!("{server}/{name}"), None)
        }
        _ => {
            let dir = tempfile::tempdir().expect("a temporary folder");
            let path = dir.path().join("test.db");
            (path.to_string_lossy().into_owned(), Some(dir))
        }
    }
}

/// Starts the service on 127.0.0.1 with a random port and a fresh, empty database.
pub async fn spawn_app() -> TestApp {
    spawn(false).await
}

/// Starts the service with a fresh database holding the built-in dataset.
pub async fn spawn_seeded_app() -> TestApp {
    spawn(true).await
}

async fn spawn(seed: bool) -> TestApp {
    spawn_with(seed, |_| {}).await
}

/// A second instance of the service on the database of `other` (as several instances share
/// one PostgreSQL behind a proxy), using its admin key.
pub async fn spawn_beside(other: &TestApp) -> TestApp {
    spawn_beside_with(other, |_| {}).await
}

/// [`spawn_beside`] with settings adjusted by `adjust`.
pub async fn spawn_beside_with(other: &TestApp, adjust: impl FnOnce(&mut Settings)) -> TestApp {
    let mut settings = Settings::new(
        other.database_url.clone(),
        "127.0.0.1:0".parse().expect("an address"),
    );
    settings.workers = Some(2);
    settings.no_seed = true;
    settings.no_rate_limit = true;
    adjust(&mut settings);
    let app = Application::build(&settings).expect("the second instance starts");
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        admin_key: other.admin_key.clone(),
        database_url: other.database_url.clone(),
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("a client"),
        _dir: None,
    }
}

/// Starts the service with settings adjusted by `adjust`.
pub async fn spawn_with(seed: bool, adjust: impl FnOnce(&mut Settings)) -> TestApp {
    let (database_url, dir) = fresh_database();
    let mut settings = Settings::new(
        database_url.clone(),
        "127.0.0.1:0".parse().expect("an address"),
    );
    settings.workers = Some(2);
    settings.max_body_bytes = 64 * 1024;
    settings.no_seed = !seed;
    settings.no_rate_limit = true;
    adjust(&mut settings);
    let app = Application::build(&settings).expect("the application starts");
    let address = format!("http://127.0.0.1:{}", app.port());
    let (_, admin_key) = {
        let mut conn = app.pool().get().expect("a connection");
        iom_lrg_api::models::key::create(
            &mut conn,
            "test-admin",
            "admin",
            iom_lrg_api::models::now(),
        )
        .expect("an admin key")
    };
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        admin_key,
        database_url,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("a client"),
        _dir: dir,
    }
}

impl TestApp {
    /// A request with the admin key.
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.anonymous(method, path).bearer_auth(&self.admin_key)
    }

    /// A request with no key.
    pub fn anonymous(&self, method: Method, path: &str) -> RequestBuilder {
        self.client
            .request(method, format!("{}{}", self.address, path))
    }

    /// Creates a key with `scope` through the API and returns it.
    pub async fn create_key(&self, name: &str, scope: &str) -> String {
        let response = self
            .post_json("/v1/keys", &json!({"name": name, "scope": scope}))
            .await;
        assert_eq!(
            response.status(),
            StatusCode::CREATED,
            "creating key {name}"
        );
        let body: Value = response.json().await.expect("a JSON body");
        body["key"].as_str().expect("the key").to_owned()
    }

    pub async fn get(&self, path: &str) -> Response {
        self.request(Method::GET, path)
            .send()
            .await
            .expect("the request is sent")
    }

    /// A GET that revalidates `etag` (`If-None-Match`).
    pub async fn get_if_none_match(&self, path: &str, etag: &str) -> Response {
        self.request(Method::GET, path)
            .header("If-None-Match", etag)
            .send()
            .await
            .expect("the request is sent")
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> Response {
        self.request(Method::POST, path)
            .json(body)
            .send()
            .await
            .expect("the request is sent")
    }

    pub async fn patch_json(&self, path: &str, body: &Value) -> Response {
        self.request(Method::PATCH, path)
            .header("Content-Type", "application/merge-patch+json")
            .body(body.to_string())
            .send()
            .await
            .expect("the request is sent")
    }

    pub async fn delete(&self, path: &str) -> Response {
        self.request(Method::DELETE, path)
            .send()
            .await
            .expect("the request is sent")
    }

    /// Creates an organisation and returns its body.
    pub async fn create_organisation(&self, id: &str) -> Value {
        let response = self
            .post_json(
                "/v1/organisations",
                &json!({"id": id, "name": {"en": format!("Organisation {id}"), "fr": format!("Organisation {id} (fr)")}, "kind": "local_government"}),
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::CREATED,
            "creating organisation {id}"
        );
        response.json().await.expect("a JSON body")
    }

    /// Creates a programme from a body and returns its body.
    pub async fn create_programme(&self, body: Value) -> Value {
        let response = self.post_json("/v1/programmes", &body).await;
        let status = response.status();
        let text = response.text().await.expect("a body");
        assert_eq!(status, StatusCode::CREATED, "creating a programme: {text}");
        serde_json::from_str(&text).expect("a JSON body")
    }
}

/// Reads a problem response: checks status, media type and `type`, returns the document.
pub async fn assert_problem(response: Response, status: u16, kind: &str) -> Value {
    assert_eq!(response.status().as_u16(), status, "status");
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let body: Value = response.json().await.expect("a JSON problem body");
    assert_eq!(
        content_type, "application/problem+json",
        "media type of {body}"
    );
    assert_eq!(body["status"], status, "status member of {body}");
    assert_eq!(body["type"], format!("/problems/{kind}"), "type of {body}");
    assert!(
        body["title"].as_str().is_some_and(|t| !t.is_empty()),
        "title of {body}"
    );
    assert!(
        body["detail"].as_str().is_some_and(|t| !t.is_empty()),
        "detail of {body}"
    );
    body
}

/// The `field` members of a 422's `errors`.
pub fn error_fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .filter_map(|e| e["field"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

pub fn header(response: &Response, name: &str) -> Option<String> {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// A minimal valid programme body.
pub fn programme(id: &str, title: &str) -> Value {
    json!({"id": id, "title": {"en": title}})
}

/// A pool on a database, outside any app (for tests that look behind the API).
pub fn open_pool(url: &str) -> iom_lrg_api::db::Pool {
    let target = iom_lrg_api::db::DatabaseTarget::parse(url).expect("a database URL");
    let options = iom_lrg_api::db::PoolOptions {
        max_size: 2,
        connection_timeout: std::time::Duration::from_secs(5),
    };
    iom_lrg_api::db::open(&target, &options).expect("the database opens")
}

/// GETs `path`, asserts a 200 and returns the JSON body.
pub async fn get_ok(app: &TestApp, path: &str) -> Value {
    let response = app.get(path).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.json().await.unwrap()
}

/// The ids of a list page's records, in order.
pub fn ids(page: &Value) -> Vec<&str> {
    page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect()
}

/// One member of each of a list page's records, in order.
pub fn field<'a>(page: &'a Value, name: &str) -> Vec<&'a Value> {
    page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r[name])
        .collect()
}

/// A `TestApp` for a service started some other way (a child process), on `database_url`.
pub fn attach(address: String, database_url: String, admin_key: String) -> TestApp {
    TestApp {
        address,
        admin_key,
        database_url,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("a client"),
        _dir: None,
    }
}
