//! Bounded resources and the single write path: slow bodies are cut off with 408 while normal
//! requests go on, a client address cannot hold more than its share of connections, and
//! concurrent writes through the one writer each keep their own outcome.

use std::{net::TcpListener, time::Duration};

use crate::raw;
use actix_web::rt::{
    net::TcpStream,
    time::{sleep, timeout},
};
use diesel::RunQueryDsl;
use futures_util::future::join_all;
use linli_api::application::AppError;
use linli_infra::DbConn;
use linli_tests::{TestApp, serde_json::json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Open a connection and send the head of a login whose body never fully arrives.
async fn slow_login(base: &str) -> TcpStream {
    let addr = raw::address(base);
    raw::send(base, &format!(
        "POST /api/v1/auth/login HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{{"
    ))
    .await
}

#[actix_web::test]
async fn slow_bodies_get_408_and_are_closed_while_normal_requests_succeed() {
    let app = TestApp::with_config(|c| c.body_timeout = Duration::from_secs(1)).await;
    let mut slow = Vec::new();
    for _ in 0..40 {
        slow.push(slow_login(&app.base).await);
    }
    // While they trickle, a normal request is answered at once.
    app.get("/healthz", None).await.expect(200);
    let d = app.seed_district();
    let resident = app.resident(d.compound_a, Some(d.building_a1)).await;
    app.file(&resident, "water_leak", &d).await;

    let responses = join_all(slow.iter_mut().map(raw::read_to_close)).await;
    for raw in responses {
        assert!(raw.starts_with("HTTP/1.1 408"), "{raw}");
        assert!(raw.contains("application/problem+json"), "{raw}");
        assert!(raw.contains("\"code\":\"request_timeout\""), "{raw}");
    }
    app.get("/healthz", None).await.expect(200);
}

#[actix_web::test]
async fn a_steady_body_is_not_cut_off() {
    // The first byte, a pause within the deadline, then the rest: the body arrives in time.
    let app = TestApp::with_config(|c| c.body_timeout = Duration::from_secs(2)).await;
    let mut stream = slow_login(&app.base).await;
    sleep(Duration::from_millis(500)).await;
    let json = r#""phone":"13800000000","password":"x"}"#;
    let rest = format!("{json}{}", " ".repeat(199 - json.len()));
    stream.write_all(rest.as_bytes()).await.unwrap();
    let mut buf = vec![0; 4096];
    let n = timeout(Duration::from_secs(10), stream.read(&mut buf))
        .await
        .unwrap()
        .unwrap();
    let raw = String::from_utf8_lossy(&buf[..n]);
    assert!(!raw.starts_with("HTTP/1.1 408"), "{raw}");
    assert!(raw.starts_with("HTTP/1.1 4"), "{raw}");
}

#[actix_web::test]
async fn connections_beyond_the_per_address_cap_are_refused_and_closed() {
    let app = TestApp::new().await;
    let mut config = (*app.state.config).clone();
    config.max_connections_per_ip = 3;
    let mut state = app.state.clone();
    state.app.config = std::sync::Arc::new(config);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let server = linli_api::server::start(state, listener, false).unwrap();
    let handle = server.handle();
    actix_web::rt::spawn(server);

    let healthz = format!("GET /healthz HTTP/1.1\r\nHost: {addr}\r\n\r\n");
    // Three kept-alive connections, each answered once (so the server has counted them).
    let mut held = Vec::new();
    for _ in 0..3 {
        let mut conn = TcpStream::connect(&addr).await.unwrap();
        conn.write_all(healthz.as_bytes()).await.unwrap();
        let mut buf = vec![0; 4096];
        let n = conn.read(&mut buf).await.unwrap();
        assert!(buf[..n].starts_with(b"HTTP/1.1 200"));
        held.push(conn);
    }
    let mut extra = TcpStream::connect(&addr).await.unwrap();
    extra.write_all(healthz.as_bytes()).await.unwrap();
    let raw = raw::read_to_close(&mut extra).await;
    assert!(raw.starts_with("HTTP/1.1 429"), "{raw}");
    assert!(raw.contains("too_many_connections"), "{raw}");

    // Once the held connections close, the address may connect again.
    drop(held);
    let mut answered = String::new();
    for _ in 0..50 {
        let mut again = TcpStream::connect(&addr).await.unwrap();
        again.write_all(healthz.as_bytes()).await.unwrap();
        let mut buf = vec![0; 4096];
        let n = timeout(Duration::from_secs(5), again.read(&mut buf))
            .await
            .unwrap()
            .unwrap();
        answered = String::from_utf8_lossy(&buf[..n]).into_owned();
        if answered.starts_with("HTTP/1.1 200") {
            break;
        }
        sleep(Duration::from_millis(50)).await;
    }
    assert!(answered.starts_with("HTTP/1.1 200"), "{answered}");
    handle.stop(false).await;
}

#[actix_web::test]
async fn concurrent_filings_through_the_writer_all_succeed_with_their_own_issue() {
    let (app, d) = TestApp::with_district().await;
    let resident = app.resident(d.compound_a, Some(d.building_a1)).await;
    let bodies: Vec<_> = (0..24)
        .map(|i| {
            let mut body = d.issue_body("water_leak");
            body["description"] = json!(format!("第{i}号楼道漏水，请尽快处理"));
            body
        })
        .collect();
    let filed = join_all(bodies.iter().map(|b| app.file_issue(&resident, b))).await;
    let mut ids = Vec::new();
    for (i, res) in filed.into_iter().enumerate() {
        let id = res.expect(201).id();
        let issue = app.issue(&resident, id).await.expect(200);
        assert_eq!(
            issue.body["description"],
            format!("第{i}号楼道漏水，请尽快处理")
        );
        ids.push(id);
    }
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 24);
}

#[actix_web::test]
async fn each_unit_of_work_on_the_writer_keeps_its_own_outcome() {
    let app = TestApp::new().await;
    let application = app.state.app.clone();
    // Sixteen writers at once: the even ones commit, the odd ones fail after writing and must
    // leave nothing behind; each gets back its own result.
    let outcomes: Vec<Result<i64, AppError>> = std::thread::scope(|s| {
        let threads: Vec<_> = (0..16i64)
            .map(|i| {
                let application = &application;
                s.spawn(move || {
                    application.write(|conn: &mut DbConn| {
                        diesel::sql_query(format!(
                            "INSERT INTO login_failures (phone, at) VALUES ('writer-{i}', {i})"
                        ))
                        .execute(conn)?;
                        if i % 2 == 1 {
                            return Err(AppError::conflict(
                                linli_api::application::ProblemCode::Conflict,
                                format!("unit {i} refused"),
                            ));
                        }
                        Ok(i)
                    })
                })
            })
            .collect();
        threads.into_iter().map(|t| t.join().unwrap()).collect()
    });
    for (i, outcome) in outcomes.iter().enumerate() {
        match outcome {
            Ok(v) => assert_eq!(*v, i as i64),
            Err(AppError::Conflict { detail, .. }) => {
                assert_eq!(detail, &format!("unit {i} refused"))
            }
            Err(e) => panic!("unit {i}: {e}"),
        }
        assert_eq!(outcome.is_ok(), i % 2 == 0, "unit {i}");
    }
    assert_eq!(app.count("login_failures WHERE phone LIKE 'writer-%'"), 8);
    let writer = app.state.pool.writer_stats();
    assert_eq!(writer.waiting, 0);
}
