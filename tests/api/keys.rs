//! Who may write: API keys, scopes, revocation, and the keys CLI.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{assert_problem, header, programme, spawn_app};

#[tokio::test]
async fn reads_are_public_and_writes_without_a_key_are_401_with_a_bearer_challenge() {
    let app = spawn_app().await;
    assert_eq!(
        app.anonymous(Method::GET, "/v1/programmes")
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    for (method, path) in [
        (Method::POST, "/v1/programmes"),
        (Method::PATCH, "/v1/programmes/p1"),
        (Method::DELETE, "/v1/programmes/p1"),
        (Method::PATCH, "/v1/institution"),
    ] {
        let response = app
            .anonymous(method.clone(), path)
            .header("Content-Type", "application/json")
            .body(programme("p1", "T").to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(
            header(&response, "www-authenticate").as_deref(),
            Some(r#"Bearer realm="iom-lrg-api""#),
            "{method} {path}"
        );
        assert_problem(response, 401, "unauthorized").await;
    }
    for authorization in [
        "Bearer",
        "Basic dXNlcjpwYXNz",
        "Bearer lrg_0000000000000000_nope",
        "Bearer not-a-key",
        "bearer  ",
    ] {
        let response = app
            .anonymous(Method::POST, "/v1/programmes")
            .header("Authorization", authorization)
            .json(&programme("p1", "T"))
            .send()
            .await
            .unwrap();
        assert_problem(response, 401, "unauthorized").await;
    }
    let list: Value = app
        .get("/v1/programmes?count=true")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["meta"]["total"], 0, "nothing was written");
}

#[tokio::test]
async fn a_write_key_writes_but_cannot_manage_keys_and_a_revoked_key_stops_working() {
    let app = spawn_app().await;
    let writer = app.create_key("city-portal", "write").await;
    assert!(writer.starts_with("lrg_") && writer.len() > 40, "{writer}");
    let created = app
        .anonymous(Method::POST, "/v1/programmes")
        .bearer_auth(&writer)
        .json(&programme("p1", "T"))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);

    let forbidden = app
        .anonymous(Method::GET, "/v1/keys")
        .bearer_auth(&writer)
        .send()
        .await
        .unwrap();
    assert!(
        header(&forbidden, "www-authenticate")
            .unwrap()
            .contains(r#"error="insufficient_scope""#)
    );
    assert_problem(forbidden, 403, "forbidden").await;
    let forbidden = app
        .anonymous(Method::POST, "/v1/keys")
        .bearer_auth(&writer)
        .json(&json!({"name": "x", "scope": "admin"}))
        .send()
        .await
        .unwrap();
    assert_problem(forbidden, 403, "forbidden").await;

    let keys: Value = app
        .request(Method::GET, "/v1/keys")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let portal = keys["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["name"] == "city-portal")
        .unwrap()
        .clone();
    assert_eq!(portal["scope"], "write");
    assert!(
        portal["last_used_at"].is_string(),
        "use is recorded: {portal}"
    );
    assert!(
        portal.get("key").is_none() && !keys.to_string().contains(&writer),
        "keys are never listed"
    );

    assert_eq!(
        app.request(Method::DELETE, "/v1/keys/city-portal")
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NO_CONTENT
    );
    let revoked = app
        .anonymous(Method::DELETE, "/v1/programmes/p1")
        .bearer_auth(&writer)
        .send()
        .await
        .unwrap();
    assert_problem(revoked, 401, "unauthorized").await;
    assert_problem(
        app.request(Method::DELETE, "/v1/keys/city-portal")
            .send()
            .await
            .unwrap(),
        404,
        "not-found",
    )
    .await;
    let again = app
        .post_json(
            "/v1/keys",
            &json!({"name": "city-portal", "scope": "write"}),
        )
        .await;
    assert_problem(again, 409, "conflict").await;
    let invalid = app
        .post_json(
            "/v1/keys",
            &json!({"name": "Bad Name", "scope": "root", "extra": 1}),
        )
        .await;
    let problem = assert_problem(invalid, 422, "validation-failed").await;
    assert_eq!(problem["errors"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn the_change_feed_names_the_key_to_admin_readers_only() {
    let app = spawn_app().await;
    let writer = app.create_key("editor", "write").await;
    app.anonymous(Method::POST, "/v1/programmes")
        .bearer_auth(&writer)
        .json(&programme("p1", "T"))
        .send()
        .await
        .unwrap();
    let public: Value = app
        .anonymous(Method::GET, "/v1/changes")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(public["data"][0].get("key").is_none());
    let admin: Value = app
        .request(Method::GET, "/v1/changes")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(admin["data"][0]["key"], "editor");
    let as_writer: Value = app
        .anonymous(Method::GET, "/v1/changes")
        .bearer_auth(&writer)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(as_writer["data"][0].get("key").is_none());
}

#[test]
fn the_keys_cli_creates_lists_and_revokes_and_prints_the_key_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db.sqlite");
    let run = |args: &[&str]| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_iom-lrg-api"))
            .args(args)
            .args(["--database-url", db.to_str().unwrap(), "--no-seed"])
            .env_remove("DATABASE_URL")
            .output()
            .unwrap();
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let (code, out, err) = run(&["keys", "create", "--name", "ops", "--scope", "admin"]);
    assert_eq!(code, Some(0), "{err}");
    let key = out.lines().last().unwrap().trim().to_owned();
    assert!(
        key.starts_with("lrg_"),
        "the key is alone on the last line: {out}"
    );
    let (code, out, _) = run(&["keys", "list"]);
    assert_eq!(code, Some(0));
    assert!(
        out.contains("ops") && out.contains("admin") && !out.contains(&key),
        "{out}"
    );
    let (code, _, err) = run(&["keys", "create", "--name", "ops", "--scope", "write"]);
    assert_ne!(code, Some(0));
    assert!(
        err.starts_with("error: ") && err.contains("exists already"),
        "{err}"
    );
    let (code, _, err) = run(&["keys", "create", "--name", "x", "--scope", "root"]);
    assert_ne!(code, Some(0), "{err}");
    assert_eq!(run(&["keys", "revoke", "ops"]).0, Some(0));
    let (code, _, err) = run(&["keys", "revoke", "ops"]);
    assert_ne!(code, Some(0));
    assert!(err.contains("no live key"), "{err}");
}
