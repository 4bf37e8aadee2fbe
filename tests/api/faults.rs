//! The database going away and coming back, through a TCP proxy the test cuts and restores
//! (stopping the shared PostgreSQL cluster would break the tests running beside this one).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Mutex;
use tokio::task::JoinHandle;

use crate::helpers::{assert_problem, fresh_database, header, spawn_with};

/// A loopback TCP proxy to `upstream` that can drop every connection and refuse new ones.
struct Proxy {
    port: u16,
    open: Arc<AtomicBool>,
    links: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

impl Proxy {
    async fn start(upstream: String) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let open = Arc::new(AtomicBool::new(true));
        let links: Arc<Mutex<Vec<JoinHandle<()>>>> = Arc::default();
        let (accept_open, accept_links) = (open.clone(), links.clone());
        tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                if !accept_open.load(Ordering::SeqCst) {
                    continue; // dropped: the connection is refused
                }
                let upstream = upstream.clone();
                accept_links.lock().await.push(tokio::spawn(async move {
                    if let Ok(mut server) = TcpStream::connect(upstream).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                }));
            }
        });
        Proxy { port, open, links }
    }

    async fn cut(&self) {
        self.open.store(false, Ordering::SeqCst);
        for link in self.links.lock().await.drain(..) {
            link.abort();
        }
    }

    fn restore(&self) {
        self.open.store(true, Ordering::SeqCst);
    }
}

// Multi-threaded: the app starts (blocking) through the proxy, whose tasks need another thread.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn when_postgresql_goes_away_requests_get_503_quickly_and_service_resumes_by_itself() {
    if std::env::var("TEST_DATABASE_URL").map_or(true, |v| v.is_empty()) {
        eprintln!("this test needs PostgreSQL (TEST_DATABASE_URL); CI runs it there");
        return;
    }
    let (direct, _) = fresh_database();
    let rest = direct.split_once('@').map(|(_, r)| r).unwrap();
    let (host, database) = rest.split_once('/').unwrap();
    let proxy = Proxy::start(host.to_owned()).await;
    let proxied = direct.replace(&format!("@{host}/"), &format!("@127.0.0.1:{}/", proxy.port));
    assert!(proxied.ends_with(database));
    let app = spawn_with(true, move |s| {
        s.database_url = proxied;
        s.db_timeout_ms = 500;
        s.pool_size = 4;
    })
    .await;
    assert_eq!(app.get("/v1/programmes").await.status(), StatusCode::OK);
    assert_eq!(app.get("/health/ready").await.status(), StatusCode::OK);

    proxy.cut().await;
    let started = Instant::now();
    // A read the cache does not hold (the cache may answer `/v1/programmes` for a moment: it is
    // trusted within the feed watcher's bound, docs/API.md "Response cache").
    let response = app.get("/v1/programmes?limit=2").await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "answered in {:?}",
        started.elapsed()
    );
    assert!(header(&response, "retry-after").is_some());
    let problem = assert_problem(response, 503, "service-unavailable").await;
    assert!(
        !problem["detail"].as_str().unwrap().contains("127.0.0.1"),
        "no internals: {problem}"
    );
    assert_problem(app.get("/health/ready").await, 503, "service-unavailable").await;
    // The cached read too, once the watcher no longer vouches for its head: at once when it
    // sees its connection fail, at most 2 s after its last good read when it hangs.
    loop {
        let status = app.get("/v1/programmes").await.status();
        if status == StatusCode::SERVICE_UNAVAILABLE {
            break;
        }
        assert_eq!(status, StatusCode::OK);
        assert!(
            started.elapsed() < Duration::from_millis(2500),
            "a cached read is served {:?} after the database went away",
            started.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(
        app.get("/health/live").await.status(),
        StatusCode::OK,
        "the process itself is alive"
    );
    assert_problem(
        app.post_json("/v1/programmes", &serde_json::json!({"title": "T"}))
            .await,
        503,
        "service-unavailable",
    )
    .await;

    proxy.restore();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let status = app.get("/v1/programmes").await.status();
        if status == StatusCode::OK {
            break;
        }
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(Instant::now() < deadline, "the service did not recover");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(app.get("/health/ready").await.status(), StatusCode::OK);
    assert_eq!(
        app.post_json("/v1/programmes", &serde_json::json!({"title": "After"}))
            .await
            .status(),
        StatusCode::CREATED
    );
}
