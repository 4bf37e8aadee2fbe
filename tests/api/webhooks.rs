//! Webhooks: subscriptions managed with admin keys, deliveries in order and at least once,
//! signed (Standard Webhooks), retried, disabled by a 410, resumed by a retry, and kept across
//! a kill -9. Receivers are servers on 127.0.0.1 that the tests start.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sha2::Sha256;

use crate::helpers::{TestApp, assert_problem, header, spawn_app, spawn_with};

/// One request a receiver got, and what it answered.
#[derive(Debug, Clone)]
pub struct Received {
    pub id: String,
    pub timestamp: String,
    pub signature: String,
    pub content_type: String,
    pub body: Value,
    pub raw: Vec<u8>,
    pub status: u16,
}

impl Received {
    pub fn seq(&self) -> i64 {
        self.body["data"]["seq"].as_i64().unwrap()
    }
}

type Behaviour = Arc<dyn Fn(&str, usize) -> u16 + Send + Sync>;

/// A receiver on 127.0.0.1: answers each request with `behaviour(webhook-id, attempt number
/// at that id)` and logs it.
pub struct Receiver {
    pub url: String,
    pub log: Arc<Mutex<Vec<Received>>>,
    behaviour: Arc<Mutex<Behaviour>>,
}

impl Receiver {
    pub async fn start(behaviour: impl Fn(&str, usize) -> u16 + Send + Sync + 'static) -> Receiver {
        let log: Arc<Mutex<Vec<Received>>> = Arc::default();
        let behaviour: Arc<Mutex<Behaviour>> = Arc::new(Mutex::new(Arc::new(behaviour)));
        let (state_log, state_behaviour) = (log.clone(), behaviour.clone());
        let server = HttpServer::new(move || {
            let (log, behaviour) = (state_log.clone(), state_behaviour.clone());
            App::new().default_service(web::to(move |req: HttpRequest, body: web::Bytes| {
                let (log, behaviour) = (log.clone(), behaviour.clone());
                async move {
                    let get = |name: &str| {
                        req.headers()
                            .get(name)
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or_default()
                            .to_owned()
                    };
                    let id = get("webhook-id");
                    let mut log = log.lock().unwrap();
                    let nth = log.iter().filter(|r| r.id == id).count() + 1;
                    let status = (behaviour.lock().unwrap().clone())(&id, nth);
                    log.push(Received {
                        id: id.clone(),
                        timestamp: get("webhook-timestamp"),
                        signature: get("webhook-signature"),
                        content_type: get("content-type"),
                        body: serde_json::from_slice(&body).unwrap_or(Value::Null),
                        raw: body.to_vec(),
                        status,
                    });
                    HttpResponse::build(actix_web::http::StatusCode::from_u16(status).unwrap())
                        .finish()
                }
            }))
        })
        .workers(1)
        .bind("127.0.0.1:0")
        .unwrap();
        let port = server.addrs()[0].port();
        tokio::spawn(server.run());
        Receiver {
            url: format!("http://127.0.0.1:{port}/hook"),
            log,
            behaviour,
        }
    }

    pub fn answer(&self, behaviour: impl Fn(&str, usize) -> u16 + Send + Sync + 'static) {
        *self.behaviour.lock().unwrap() = Arc::new(behaviour);
    }

    pub fn received(&self) -> Vec<Received> {
        self.log.lock().unwrap().clone()
    }

    /// The entries delivered (2xx), in the order they were first delivered, each once.
    pub fn delivered(&self, hook: &str) -> Vec<i64> {
        let mut seqs: Vec<i64> = Vec::new();
        for r in self.received() {
            if (200..300).contains(&r.status)
                && r.id.starts_with(&format!("msg_{hook}_"))
                && !seqs.contains(&r.seq())
            {
                seqs.push(r.seq());
            }
        }
        seqs
    }
}

/// Verifies a Standard Webhooks signature header against a secret: whether one value matches.
pub fn verifies(secret: &str, received: &Received) -> bool {
    let key = STANDARD
        .decode(secret.strip_prefix("whsec_").unwrap())
        .unwrap();
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&key).unwrap();
    mac.update(format!("{}.{}.", received.id, received.timestamp).as_bytes());
    mac.update(&received.raw);
    let expected = format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()));
    received.signature.split(' ').any(|s| s == expected)
}

pub async fn wait_until(what: &str, bound: Duration, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + bound;
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn subscribe(app: &TestApp, body: Value) -> Value {
    let response = app.post_json("/v1/webhooks", &body).await;
    assert_eq!(response.status(), StatusCode::CREATED, "{body}");
    let location = header(&response, "location").unwrap();
    let created: Value = response.json().await.unwrap();
    assert_eq!(
        location,
        format!("/v1/webhooks/{}", created["id"].as_str().unwrap())
    );
    created
}

async fn create_organisation(app: &TestApp, id: &str) {
    let response = app
        .post_json(
            "/v1/organisations",
            &json!({"id": id, "name": {"en": format!("Organisation {id}")}, "kind": "local_government"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED, "creating {id}");
}

async fn read(app: &TestApp, path: &str) -> Value {
    let response = app.get(path).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.json().await.unwrap()
}

async fn private_app() -> TestApp {
    spawn_with(false, |s| {
        s.webhook_allow_private = true;
        s.webhook_retry_base_ms = 10;
    })
    .await
}

#[tokio::test]
async fn subscriptions_are_managed_with_admin_keys_and_never_show_their_secret_again() {
    let app = spawn_app().await;
    let body = json!({"url": "https://93.184.216.34/hooks/iom", "collections": ["programmes", "events"], "description": "City portal"});
    let anonymous = app
        .anonymous(Method::POST, "/v1/webhooks")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_problem(anonymous, 401, "unauthorized").await;
    let writer = app.create_key("writer", "write").await;
    let written = app
        .anonymous(Method::POST, "/v1/webhooks")
        .bearer_auth(&writer)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_problem(written, 403, "forbidden").await;
    let listed = app
        .anonymous(Method::GET, "/v1/webhooks")
        .bearer_auth(&writer)
        .send()
        .await
        .unwrap();
    assert_problem(listed, 403, "forbidden").await;

    let created = subscribe(&app, body).await;
    let id = created["id"].as_str().unwrap().to_owned();
    let secret = created["secret"].as_str().unwrap();
    let key = STANDARD
        .decode(secret.strip_prefix("whsec_").expect("whsec_ prefix"))
        .unwrap();
    assert!(key.len() >= 24);
    assert_eq!(created["url"], "https://93.184.216.34/hooks/iom");
    assert_eq!(created["collections"], json!(["programmes", "events"]));
    assert_eq!(created["state"], "active");
    assert!(created["created_at"].as_str().unwrap().ends_with('Z'));

    let one = read(&app, &format!("/v1/webhooks/{id}")).await;
    assert!(one.get("secret").is_none());
    assert_eq!(one["description"], "City portal");
    let all = read(&app, "/v1/webhooks").await;
    assert_eq!(all["data"].as_array().unwrap().len(), 1);
    assert!(all["data"][0].get("secret").is_none());
    assert!(!all.to_string().contains(secret));
    let attempts = read(&app, &format!("/v1/webhooks/{id}/deliveries")).await;
    assert_eq!(attempts["data"], json!([]));

    // The secret is sealed in the database too.
    assert_eq!(
        app.delete(&format!("/v1/webhooks/{id}")).await.status(),
        StatusCode::NO_CONTENT
    );
    assert_problem(
        app.get(&format!("/v1/webhooks/{id}")).await,
        404,
        "not-found",
    )
    .await;
    assert_problem(
        app.delete(&format!("/v1/webhooks/{id}")).await,
        404,
        "not-found",
    )
    .await;
    assert_problem(
        app.get("/v1/webhooks/wh_0/deliveries").await,
        404,
        "not-found",
    )
    .await;
    assert_problem(
        app.request(Method::POST, "/v1/webhooks/wh_0/deliveries/1/retry")
            .send()
            .await
            .unwrap(),
        404,
        "not-found",
    )
    .await;
}

#[tokio::test]
async fn loopback_private_and_metadata_targets_are_refused_without_the_operator_flag() {
    let app = spawn_app().await;
    for url in [
        "http://127.0.0.1:9000/hook",
        "http://localhost:9000/hook",
        "http://[::1]/hook",
        "http://10.0.0.8/hook",
        "http://192.168.1.10/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::ffff:127.0.0.1]/hook",
        "ftp://93.184.216.34/hook",
        "https://user:secret@93.184.216.34/hook",
        "not a url",
    ] {
        let problem = assert_problem(
            app.post_json("/v1/webhooks", &json!({"url": url})).await,
            422,
            "validation-failed",
        )
        .await;
        assert_eq!(problem["errors"][0]["field"], "/url", "{url}");
    }
    for (body, field) in [
        (
            json!({"url": "https://93.184.216.34/", "collections": []}),
            "/collections",
        ),
        (
            json!({"url": "https://93.184.216.34/", "collections": ["nonsense"]}),
            "/collections/0",
        ),
        (
            json!({"url": "https://93.184.216.34/", "collections": ["funds", "funds"]}),
            "/collections/1",
        ),
        (
            json!({"url": "https://93.184.216.34/", "secret": "mine"}),
            "/secret",
        ),
        (json!({"collections": ["funds"]}), "/url"),
    ] {
        let problem = assert_problem(
            app.post_json("/v1/webhooks", &body).await,
            422,
            "validation-failed",
        )
        .await;
        assert_eq!(problem["errors"][0]["field"], field, "{body}");
    }
    assert_eq!(read(&app, "/v1/webhooks").await["data"], json!([]));
    // The operator's flag lets a receiver on this machine subscribe.
    let private = private_app().await;
    subscribe(&private, json!({"url": "http://127.0.0.1:9/hook"})).await;
}

#[tokio::test]
async fn every_event_reaches_a_receiver_that_fails_90_percent_of_first_attempts_in_order_and_signed()
 {
    let app = private_app().await;
    // 9 first attempts in 10 fail; every retry succeeds.
    let receiver = Receiver::start(|id, nth| {
        let seq: u64 = id.rsplit('_').next().unwrap().parse().unwrap();
        if nth == 1 && !seq.is_multiple_of(10) {
            500
        } else {
            204
        }
    })
    .await;
    create_organisation(&app, "before").await;
    let all = subscribe(&app, json!({"url": receiver.url})).await;
    let funds = subscribe(&app, json!({"url": receiver.url, "collections": ["funds"]})).await;
    let (all_id, funds_id) = (all["id"].as_str().unwrap(), funds["id"].as_str().unwrap());
    let start = all["position"].as_i64().unwrap();
    for i in 0..500 {
        create_organisation(&app, &format!("org-{i}")).await;
    }
    let fund = app
        .post_json(
            "/v1/funds",
            &json!({"id": "fund-x", "name": {"en": "Fund X"}}),
        )
        .await;
    assert_eq!(fund.status(), StatusCode::CREATED);
    let expected: Vec<i64> = (start + 1..=start + 501).collect();
    wait_until("every event delivered", Duration::from_secs(120), || {
        receiver.delivered(all_id).len() >= 501 && !receiver.delivered(funds_id).is_empty()
    })
    .await;
    assert_eq!(receiver.delivered(all_id), expected, "in order, none lost");
    assert_eq!(
        receiver.delivered(funds_id),
        [start + 501],
        "only its collections"
    );

    let received = receiver.received();
    let (all_secret, funds_secret) = (
        all["secret"].as_str().unwrap(),
        funds["secret"].as_str().unwrap(),
    );
    let now = chrono::Utc::now().timestamp();
    for r in &received {
        let secret = if r.id.contains(all_id) {
            all_secret
        } else {
            funds_secret
        };
        assert!(verifies(secret, r), "signature of {}", r.id);
        assert_eq!(
            r.id,
            format!(
                "msg_{}_{}",
                if r.id.contains(all_id) {
                    all_id
                } else {
                    funds_id
                },
                r.seq()
            )
        );
        assert!((now - r.timestamp.parse::<i64>().unwrap()).abs() < 300);
        assert_eq!(r.content_type, "application/json");
        assert_eq!(r.body["data"]["seq"].as_i64(), Some(r.seq()));
        assert!(r.body["timestamp"].as_str().unwrap().ends_with('Z'));
    }
    let first = received.iter().find(|r| r.seq() == start + 1).unwrap();
    assert_eq!(first.body["type"], "organisations.created");
    assert_eq!(first.body["data"]["id"], "org-0");
    assert_eq!(first.body["data"]["href"], "/v1/organisations/org-0");
    assert!(
        first.body["data"].get("key").is_none(),
        "no key names leave the service"
    );
    // Entries whose first attempt failed were tried twice, with the same webhook-id.
    let fails = |seqs: &[i64]| seqs.iter().filter(|s| *s % 10 != 0).count();
    let failures_all = fails(&expected);
    let failures = failures_all + fails(&[start + 501]);
    assert!(failures_all >= 449);
    assert_eq!(
        received.iter().filter(|r| r.status == 500).count(),
        failures
    );
    assert_eq!(received.len(), 502 + failures, "no entry delivered twice");

    let attempts = read(
        &app,
        &format!("/v1/webhooks/{all_id}/deliveries?limit=1000"),
    )
    .await;
    let attempts = attempts["data"].as_array().unwrap();
    assert_eq!(attempts.len(), 501 + failures_all);
    let failed = attempts.iter().find(|a| a["outcome"] == "failed").unwrap();
    assert_eq!(failed["status"], 500);
    assert_eq!(failed["attempt"], 1);
    assert_eq!(failed["error"], "the receiver answered 500");
    let retry = attempts
        .iter()
        .find(|a| a["seq"] == failed["seq"] && a["outcome"] == "delivered")
        .unwrap();
    assert_eq!(retry["attempt"], 2);
    assert_eq!(retry["message_id"], failed["message_id"]);
    let state = read(&app, &format!("/v1/webhooks/{all_id}")).await;
    assert_eq!(state["position"].as_i64(), Some(start + 501));
    assert_eq!(state["attempts"], 0);
    // Paging of attempts.
    let page = read(&app, &format!("/v1/webhooks/{all_id}/deliveries?limit=2")).await;
    let next = page["meta"]["next_before"].as_i64().unwrap();
    let older = read(
        &app,
        &format!("/v1/webhooks/{all_id}/deliveries?limit=2&before={next}"),
    )
    .await;
    assert!(older["data"][0]["id"].as_i64().unwrap() < next);
    let metrics = app.get("/metrics").await.text().await.unwrap();
    assert!(
        metrics.contains("iom_lrg_webhook_deliveries_total{outcome=\"delivered\"} 502"),
        "{metrics}"
    );
    assert!(metrics.contains(&format!(
        "iom_lrg_webhook_deliveries_total{{outcome=\"failed\"}} {failures}"
    )));
    assert!(metrics.contains("iom_lrg_webhook_lag_entries 0"));
}

#[tokio::test]
async fn a_receiver_answering_410_disables_its_subscription_and_a_retry_resumes_it() {
    let app = private_app().await;
    let receiver = Receiver::start(|_, _| 410).await;
    let hook = subscribe(&app, json!({"url": receiver.url})).await;
    let id = hook["id"].as_str().unwrap();
    create_organisation(&app, "a").await;
    create_organisation(&app, "b").await;
    wait_until("the 410", Duration::from_secs(10), || {
        !receiver.received().is_empty()
    })
    .await;
    let mut state = Value::Null;
    wait_until_state(&app, id, "disabled", &mut state).await;
    assert!(state["state_reason"].as_str().unwrap().contains("410"));
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        receiver.received().len(),
        1,
        "nothing more is sent to a disabled subscription"
    );

    receiver.answer(|_, _| 200);
    let attempts = read(&app, &format!("/v1/webhooks/{id}/deliveries")).await;
    let attempt = attempts["data"][0]["id"].as_i64().unwrap();
    let retried = app
        .request(
            Method::POST,
            &format!("/v1/webhooks/{id}/deliveries/{attempt}/retry"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(retried.status(), StatusCode::ACCEPTED);
    let retried: Value = retried.json().await.unwrap();
    assert_eq!(retried["kind"], "resumed");
    wait_until("both entries", Duration::from_secs(10), || {
        receiver.delivered(id).len() == 2
    })
    .await;
    wait_until_state(&app, id, "active", &mut state).await;
}

async fn wait_until_state(app: &TestApp, id: &str, wanted: &str, state: &mut Value) {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        *state = read(app, &format!("/v1/webhooks/{id}")).await;
        if state["state"] == wanted {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the subscription is {state}, not {wanted}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn rotating_a_secret_keeps_deliveries_verifiable_with_either_secret() {
    let app = private_app().await;
    let receiver = Receiver::start(|_, _| 200).await;
    let hook = subscribe(&app, json!({"url": receiver.url})).await;
    let (id, old) = (
        hook["id"].as_str().unwrap(),
        hook["secret"].as_str().unwrap(),
    );
    create_organisation(&app, "before-rotation").await;
    wait_until("the first delivery", Duration::from_secs(10), || {
        receiver.delivered(id).len() == 1
    })
    .await;
    let rotated = app
        .request(Method::POST, &format!("/v1/webhooks/{id}/rotate-secret"))
        .send()
        .await
        .unwrap();
    assert_eq!(rotated.status(), StatusCode::OK);
    let rotated: Value = rotated.json().await.unwrap();
    let new = rotated["secret"].as_str().unwrap();
    assert_ne!(new, old);
    assert!(rotated["previous_secret_expires_at"].is_string());
    create_organisation(&app, "after-rotation").await;
    wait_until("the second delivery", Duration::from_secs(10), || {
        receiver.delivered(id).len() == 2
    })
    .await;
    let received = receiver.received();
    assert!(verifies(old, &received[0]) && !verifies(new, &received[0]));
    let second = &received[1];
    assert_eq!(second.signature.split(' ').count(), 2);
    assert!(verifies(new, second), "the new secret verifies");
    assert!(verifies(old, second), "the old one too, during the overlap");
    assert_problem(
        app.request(Method::POST, "/v1/webhooks/wh_0/rotate-secret")
            .send()
            .await
            .unwrap(),
        404,
        "not-found",
    )
    .await;
}

#[tokio::test]
async fn a_subscription_starts_at_the_head_fails_after_its_retry_period_and_is_retried_on_request()
{
    let app = spawn_with(false, |s| {
        s.webhook_allow_private = true;
        s.webhook_retry_base_ms = 50;
        s.webhook_retry_period = 1;
    })
    .await;
    let receiver = Receiver::start(|_, _| 503).await;
    create_organisation(&app, "history").await;
    let hook = subscribe(&app, json!({"url": receiver.url})).await;
    let id = hook["id"].as_str().unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(receiver.received().is_empty(), "history is not delivered");
    create_organisation(&app, "new").await;
    let mut state = Value::Null;
    wait_until_state(&app, id, "failing", &mut state).await;
    assert!(
        state["state_reason"]
            .as_str()
            .unwrap()
            .contains("retries stopped")
    );
    let tries = receiver.received().len();
    assert!(tries >= 2, "retried before giving up");
    assert!(
        receiver
            .received()
            .iter()
            .all(|r| r.body["data"]["id"] == "new")
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        receiver.received().len(),
        tries,
        "a failing subscription pauses"
    );

    receiver.answer(|_, _| 200);
    let attempts = read(&app, &format!("/v1/webhooks/{id}/deliveries")).await;
    let attempt = attempts["data"][0]["id"].as_i64().unwrap();
    let retried: Value = app
        .request(
            Method::POST,
            &format!("/v1/webhooks/{id}/deliveries/{attempt}/retry"),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(retried["kind"], "resumed");
    wait_until("the delivery", Duration::from_secs(10), || {
        receiver.delivered(id).len() == 1
    })
    .await;
    wait_until_state(&app, id, "active", &mut state).await;

    // A delivered entry asked again is sent once more, with the same webhook-id.
    let attempts = read(&app, &format!("/v1/webhooks/{id}/deliveries")).await;
    let delivered = attempts["data"][0].clone();
    assert_eq!(delivered["outcome"], "delivered");
    let again: Value = app
        .request(
            Method::POST,
            &format!("/v1/webhooks/{id}/deliveries/{}/retry", delivered["id"]),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(again["kind"], "redelivery");
    let before = receiver.received().len();
    wait_until("the redelivery", Duration::from_secs(10), || {
        receiver.received().len() == before + 1
    })
    .await;
    assert_eq!(
        receiver.received().last().unwrap().id,
        delivered["message_id"].as_str().unwrap()
    );
    let attempts = read(&app, &format!("/v1/webhooks/{id}/deliveries")).await;
    assert_eq!(attempts["data"][0]["manual"], true);
    assert_problem(
        app.request(
            Method::POST,
            &format!("/v1/webhooks/{id}/deliveries/999999/retry"),
        )
        .send()
        .await
        .unwrap(),
        404,
        "not-found",
    )
    .await;
}

/// The service as a child process, so that it can be killed.
struct Child {
    process: std::process::Child,
}

impl Child {
    fn start(database_url: &str, port: u16) -> Child {
        let process = std::process::Command::new(env!("CARGO_BIN_EXE_iom-lrg-api"))
            .arg("serve")
            .env("DATABASE_URL", database_url)
            .env("BIND_ADDR", format!("127.0.0.1:{port}"))
            .env("IOM_LRG_NO_SEED", "true")
            .env("IOM_LRG_NO_RATE_LIMIT", "true")
            .env("IOM_LRG_WEBHOOK_ALLOW_PRIVATE", "true")
            .env("IOM_LRG_WEBHOOK_RETRY_BASE_MS", "20")
            .env("IOM_LRG_LOG_LEVEL", "warn")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("the service starts");
        Child { process }
    }

    fn kill_9(&mut self) {
        // SIGKILL: no shutdown, nothing flushed.
        self.process.kill().unwrap();
        self.process.wait().unwrap();
    }
}

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

async fn wait_live(address: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(response) = reqwest::get(format!("{address}/health/live")).await
            && response.status() == StatusCode::OK
        {
            return;
        }
        assert!(Instant::now() < deadline, "the service did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn a_kill_9_mid_run_and_a_restart_lose_no_delivery() {
    let (database_url, _dir) = crate::helpers::fresh_database();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let address = format!("http://127.0.0.1:{port}");
    let mut child = Child::start(&database_url, port);
    wait_live(&address).await;
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_iom-lrg-api"))
        .args(["keys", "create", "--name", "killer", "--scope", "admin"])
        .env("DATABASE_URL", &database_url)
        .output()
        .unwrap();
    let key = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .last()
        .unwrap()
        .to_owned();
    let app = crate::helpers::attach(address.clone(), database_url.clone(), key);
    let receiver = Receiver::start(|id, nth| {
        let seq: u64 = id.rsplit('_').next().unwrap().parse().unwrap();
        if nth == 1 && !seq.is_multiple_of(10) {
            500
        } else {
            204
        }
    })
    .await;
    let hook = subscribe(&app, json!({"url": receiver.url})).await;
    let id = hook["id"].as_str().unwrap().to_owned();
    let start = hook["position"].as_i64().unwrap();
    for i in 0..300 {
        create_organisation(&app, &format!("org-{i}")).await;
    }
    wait_until("some deliveries", Duration::from_secs(60), || {
        receiver.delivered(&id).len() >= 30
    })
    .await;
    child.kill_9();
    let at_kill = receiver.delivered(&id).len();
    assert!(
        at_kill < 300,
        "the kill came after the run ({at_kill} delivered)"
    );

    let _restarted = Child::start(&database_url, port);
    wait_live(&address).await;
    // The dead instance's lease runs out (20 s), then the new one goes on from the position.
    wait_until(
        "every delivery after the restart",
        Duration::from_secs(90),
        || receiver.delivered(&id).len() >= 300,
    )
    .await;
    let expected: Vec<i64> = (start + 1..=start + 300).collect();
    assert_eq!(receiver.delivered(&id), expected, "every entry, in order");
    // At least once: at most the entry in flight at the kill comes twice.
    let successes = receiver
        .received()
        .iter()
        .filter(|r| (200..300).contains(&r.status))
        .count();
    assert!(successes <= 301, "{successes} successful deliveries");
}
