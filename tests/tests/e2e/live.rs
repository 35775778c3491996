//! Badges and live updates through HTTP: the unread count and mark-all-read, the event stream
//! (a triage by someone else reaches the reporter within 2 s, also through a second API node;
//! `Last-Event-ID` replays what was missed; nobody sees what they may not), devices, and the
//! push outbox delivering signed messages to a gateway that goes down, through a restart.

use std::{
    collections::{BTreeSet, HashMap},
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, AtomicUsize, Ordering},
    },
    time::Duration,
};

use actix_web::{HttpRequest, HttpResponse, web};
use diesel::RunQueryDsl;
use linli_api::{application::push::PushPolicy, live::push::PushConfig};
use linli_infra::{DbConn, push::verify_signature};
use linli_tests::{
    TestApp,
    live::EventStream,
    serde_json::{Value, json},
};

const TWO_SECONDS: Duration = Duration::from_secs(2);

#[actix_web::test]
async fn unread_count_and_read_all() {
    let (app, c) = TestApp::with_cast().await;
    app.get("/api/v1/notifications/unread-count", None)
        .await
        .expect_problem(401, "missing_token");
    app.post("/api/v1/notifications/read-all", None, &json!({}))
        .await
        .expect_problem(401, "missing_token");

    assert_eq!(app.unread(&c.resident).await, 0);
    let first = app.resident_files(&c, "stairwell_clutter").await;
    let second = app.resident_files(&c, "stairwell_clutter").await;
    // The street's dispatcher is told of both new cases.
    assert_eq!(app.unread(&c.dispatcher).await, 2);
    for id in [first, second] {
        app.triage(&c.dispatcher, id).expect(200).await;
    }
    assert_eq!(app.unread(&c.resident).await, 2);

    // Reading one by id lowers the badge by one.
    let page = app
        .get_as(&c.resident, "/api/v1/notifications")
        .await
        .expect(200);
    let one = page.body["items"][0]["id"].as_i64().unwrap();
    let read = app
        .post_as(
            &c.resident,
            &format!("/api/v1/notifications/{one}/read"),
            &json!({}),
        )
        .await
        .expect(200);
    assert_eq!(app.unread(&c.resident).await, 1);

    app.clock.advance(chrono::Duration::minutes(5));
    let res = app
        .post_as(&c.resident, "/api/v1/notifications/read-all", &json!({}))
        .await
        .expect(204);
    assert!(res.text.is_empty());
    assert_eq!(app.unread(&c.resident).await, 0);
    let unread_page = app
        .get_as(&c.resident, "/api/v1/notifications?unread=true")
        .await
        .expect(200);
    assert_eq!(unread_page.body["items"], json!([]));
    // The first read time is kept; and only the caller's notifications were touched.
    let all = app
        .get_as(&c.resident, "/api/v1/notifications")
        .await
        .expect(200);
    let items = all.body["items"].as_array().unwrap();
    let kept = items.iter().find(|n| n["id"] == one).unwrap();
    assert_eq!(kept["read_at"], read.body["read_at"]);
    let other = items.iter().find(|n| n["id"] != one).unwrap();
    assert!(other["read_at"].is_string());
    assert_ne!(other["read_at"], read.body["read_at"]);
    assert_eq!(app.unread(&c.dispatcher).await, 2);
    // Idempotent.
    app.post_as(&c.resident, "/api/v1/notifications/read-all", &json!({}))
        .await
        .expect(204);
    assert_eq!(app.unread(&c.resident).await, 0);
}

#[actix_web::test]
async fn a_stream_receives_the_triage_made_by_someone_else_within_two_seconds() {
    let (app, c) = TestApp::with_cast().await;
    let id = app.resident_files(&c, "stairwell_clutter").await;

    let mut resident = EventStream::open_as(&app.base, &c.resident).await;
    let ready = resident.expect("ready", TWO_SECONDS).await;
    assert!(ready.id.is_some());
    let mut outsider = EventStream::open_as(&app.base, &c.outsider).await;
    outsider.expect("ready", TWO_SECONDS).await;

    let started = std::time::Instant::now();
    app.triage(&c.dispatcher, id).expect(200).await;
    let note = resident.expect("notification", TWO_SECONDS).await;
    assert!(started.elapsed() < TWO_SECONDS, "{:?}", started.elapsed());
    assert_eq!(note.data["kind"], "triaged");
    assert_eq!(note.data["issue_id"], id);
    assert_eq!(note.data["read_at"], Value::Null);
    let change = resident.expect("issue_event", TWO_SECONDS).await;
    assert_eq!(change.data["issue_id"], id);
    assert_eq!(change.data["kind"], "triaged");
    assert_eq!(change.data["from_status"], "submitted");
    assert_eq!(change.data["to_status"], "triaged");
    // Every message carries an id, and the ids move forward.
    assert_ne!(note.id, ready.id);
    assert_ne!(change.id, note.id);

    // A resident of another compound sees neither the notification nor the change.
    let seen = outsider.drain(Duration::from_millis(1200)).await;
    assert!(seen.is_empty(), "{seen:?}");

    // Without a token or ticket: 401 problem, never a stream.
    app.get("/api/v1/events/stream", None)
        .await
        .expect_problem(401, "missing_token");
}

#[actix_web::test]
async fn a_change_through_a_second_node_reaches_a_stream_on_the_first() {
    let (app, c) = TestApp::with_cast().await;
    let id = app.resident_files(&c, "stairwell_clutter").await;
    let node = app.second_node().await;

    let mut stream = EventStream::open_as(&app.base, &c.resident).await;
    stream.expect("ready", TWO_SECONDS).await;
    let started = std::time::Instant::now();
    let (status, body) = node
        .post(
            &format!("/api/v1/issues/{id}/triage"),
            &c.dispatcher.access_token,
            &json!({}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let note = stream.expect("notification", TWO_SECONDS).await;
    assert!(started.elapsed() < TWO_SECONDS, "{:?}", started.elapsed());
    assert_eq!(note.data["kind"], "triaged");
    assert_eq!(note.data["issue_id"], id);

    // And the other way round: a stream on the second node sees a change made on the first.
    let mut on_second = EventStream::open_as(&node.base, &c.grid_worker).await;
    on_second.expect("ready", TWO_SECONDS).await;
    app.answer(&c.grid_worker, id, "明天上午清理")
        .expect(200)
        .await;
    let change = on_second.expect("issue_event", TWO_SECONDS).await;
    assert_eq!(change.data["kind"], "answered");
    node.stop().await;
}

#[actix_web::test]
async fn reconnecting_with_last_event_id_replays_what_was_missed() {
    let (app, c) = TestApp::with_cast().await;
    let first = app.resident_files(&c, "stairwell_clutter").await;
    let second = app.resident_files(&c, "stairwell_clutter").await;

    // A browser: a ticket instead of a header.
    let ticket = app
        .post_as(&c.resident, "/api/v1/events/tickets", &json!({}))
        .await
        .expect(201);
    let ticket = ticket.body["ticket"].as_str().unwrap().to_owned();
    let mut stream = EventStream::open(
        &app.base,
        &format!("/api/v1/events/stream?ticket={ticket}"),
        None,
        None,
    )
    .await;
    stream.expect("ready", TWO_SECONDS).await;
    app.triage(&c.dispatcher, first).expect(200).await;
    let seen = stream.expect("notification", TWO_SECONDS).await;
    assert_eq!(seen.data["issue_id"], first);
    let change = stream.expect("issue_event", TWO_SECONDS).await;
    let last_id = change.id.clone().unwrap();
    drop(stream);

    // Missed while disconnected: the triage of the second case and the answer to the first.
    app.triage(&c.dispatcher, second).expect(200).await;
    app.answer(&c.grid_worker, first, "明天上午清理")
        .expect(200)
        .await;

    let mut again = EventStream::open(
        &app.base,
        &format!("/api/v1/events/stream?ticket={ticket}"),
        None,
        Some(&last_id),
    )
    .await;
    let messages = again.drain(TWO_SECONDS).await;
    // Each kind of message carries the same two changes, in order.
    let expected = vec![
        (second, "triaged".to_owned()),
        (first, "answered".to_owned()),
    ];
    for (event, what) in [
        ("notification", "notifications"),
        ("issue_event", "what was seen before is not replayed"),
    ] {
        let seen: Vec<(i64, String)> = messages
            .iter()
            .filter(|m| m.event == event)
            .map(|m| {
                (
                    m.data["issue_id"].as_i64().unwrap(),
                    m.data["kind"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        assert_eq!(seen, expected, "{what}: {messages:?}");
    }
    assert_eq!(messages[0].event, "ready");
    assert_eq!(messages[0].id.as_deref(), Some(last_id.as_str()));

    // The same with the id in the query (a client that kept it across a restart).
    let mut by_query = EventStream::open(
        &app.base,
        &format!("/api/v1/events/stream?last_event_id={last_id}&ticket={ticket}"),
        None,
        None,
    )
    .await;
    let replayed = by_query
        .drain(Duration::from_millis(800))
        .await
        .into_iter()
        .filter(|m| m.event == "notification")
        .count();
    assert_eq!(replayed, 2);

    // A made-up ticket opens nothing; neither does an expired one.
    app.get("/api/v1/events/stream?ticket=made-up", None)
        .await
        .expect_problem(401, "invalid_ticket");
    app.clock.advance(chrono::Duration::seconds(61));
    app.get(&format!("/api/v1/events/stream?ticket={ticket}"), None)
        .await
        .expect_problem(401, "invalid_ticket");
}

#[actix_web::test]
async fn devices_are_registered_moved_and_removed() {
    let (app, c) = TestApp::with_cast().await;
    let token = "hw-0f3a9c1e77";
    let res = app
        .post_as(
            &c.resident,
            "/api/v1/me/devices",
            &json!({"token": token, "platform": "harmony"}),
        )
        .await
        .expect(201);
    assert_eq!(res.body["token"], token);
    assert_eq!(res.body["platform"], "harmony");
    // Registering again refreshes; another account taking the phone moves the token.
    app.post_as(
        &c.neighbour,
        "/api/v1/me/devices",
        &json!({"token": token, "platform": "harmony"}),
    )
    .await
    .expect(201);
    assert_eq!(app.count("devices"), 1);
    app.request(
        actix_web::http::Method::DELETE,
        &format!("/api/v1/me/devices/{token}"),
        Some(&c.resident.access_token),
        None,
        &[],
    )
    .await
    .expect_problem(404, "not_found");
    app.request(
        actix_web::http::Method::DELETE,
        &format!("/api/v1/me/devices/{token}"),
        Some(&c.neighbour.access_token),
        None,
        &[],
    )
    .await
    .expect(204);
    assert_eq!(app.count("devices"), 0);

    for (body, status, code) in [
        (
            json!({"token": token, "platform": "symbian"}),
            400,
            "invalid_body",
        ),
        (
            json!({"token": "", "platform": "ios"}),
            422,
            "validation_failed",
        ),
        (
            json!({"token": "a b", "platform": "ios"}),
            422,
            "validation_failed",
        ),
        (json!({"platform": "ios"}), 400, "invalid_body"),
    ] {
        app.post_as(&c.resident, "/api/v1/me/devices", &body)
            .await
            .expect_problem(status, code);
    }
}

// ---- Push through the gateway --------------------------------------------------------------------

const SECRET: &str = "gateway-shared-secret-2026";

/// The district's gateway, as a test server: checks the signature, records what it accepts,
/// answers 503 while `failing`.
#[derive(Clone, Default)]
struct Gateway {
    received: Arc<Mutex<Vec<Value>>>,
    bad_signatures: Arc<AtomicUsize>,
    failing: Arc<AtomicBool>,
}

async fn receive(req: HttpRequest, body: web::Bytes, gw: web::Data<Gateway>) -> HttpResponse {
    let signature = req
        .headers()
        .get("X-Linli-Signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if !verify_signature(SECRET.as_bytes(), &body, signature) {
        gw.bad_signatures.fetch_add(1, Ordering::SeqCst);
        return HttpResponse::Unauthorized().finish();
    }
    if gw.failing.load(Ordering::SeqCst) {
        return HttpResponse::ServiceUnavailable().finish();
    }
    gw.received
        .lock()
        .unwrap()
        .push(serde_json::from_slice(&body).unwrap());
    HttpResponse::Ok().finish()
}

impl Gateway {
    /// Listen on `port` (0: any); returns the port and the handle that stops it.
    fn listen(&self, port: u16) -> (u16, actix_web::dev::ServerHandle) {
        let gw = self.clone();
        let server = actix_web::HttpServer::new(move || {
            actix_web::App::new()
                .app_data(web::Data::new(gw.clone()))
                .route("/push", web::post().to(receive))
        })
        .workers(1)
        .disable_signals()
        .bind(("127.0.0.1", port))
        .unwrap();
        let port = server.addrs()[0].port();
        let server = server.run();
        let handle = server.handle();
        actix_web::rt::spawn(server);
        (port, handle)
    }

    fn ids(&self) -> Vec<i64> {
        self.received
            .lock()
            .unwrap()
            .iter()
            .map(|m| m["id"].as_i64().unwrap())
            .collect()
    }

    fn message(&self, id: i64) -> Option<Value> {
        self.received
            .lock()
            .unwrap()
            .iter()
            .find(|m| m["id"] == id)
            .cloned()
    }

    /// Wait until every id in `ids` has arrived.
    async fn wait_for(&self, ids: &BTreeSet<i64>, within: Duration) {
        let deadline = std::time::Instant::now() + within;
        loop {
            let got: BTreeSet<i64> = self.ids().into_iter().collect();
            if ids.is_subset(&got) {
                return;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "not delivered within {within:?}: {:?}",
                ids.difference(&got).collect::<Vec<_>>()
            );
            actix_web::rt::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

fn push_config(port: u16) -> PushConfig {
    PushConfig {
        interval: Duration::from_millis(100),
        timeout: Duration::from_secs(2),
        policy: PushPolicy {
            lease: Duration::from_secs(2),
            backoff_base: Duration::from_millis(100),
            backoff_max: Duration::from_millis(400),
            batch: 50,
        },
        ..PushConfig::new(format!("http://127.0.0.1:{port}/push"), SECRET)
    }
}

fn sql_ids(conn: &mut DbConn, sql: &str) -> BTreeSet<i64> {
    #[derive(diesel::QueryableByName)]
    struct Id {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        id: i64,
    }
    diesel::sql_query(sql)
        .load::<Id>(conn)
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .collect()
}

fn notification_ids(app: &TestApp) -> BTreeSet<i64> {
    sql_ids(&mut app.conn(), "SELECT id FROM notifications")
}

fn undelivered(app: &TestApp) -> BTreeSet<i64> {
    sql_ids(
        &mut app.conn(),
        "SELECT notification_id AS id FROM outbox WHERE delivered_at IS NULL",
    )
}

async fn wait_until_all_delivered(app: &TestApp) {
    for _ in 0..40 {
        if undelivered(app).is_empty() {
            return;
        }
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("still undelivered: {:?}", undelivered(app));
}

fn max_attempts(app: &TestApp) -> i64 {
    #[derive(diesel::QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    diesel::sql_query("SELECT CAST(COALESCE(MAX(attempts), 0) AS BIGINT) AS n FROM outbox")
        .get_result::<N>(&mut *app.conn() as &mut DbConn)
        .unwrap()
        .n
}

#[actix_web::test]
async fn the_outbox_reaches_the_gateway_signed_through_outages_and_a_restart() {
    let (app, c) = TestApp::with_cast().await;
    let gateway = Gateway::default();
    let (port, receiver) = gateway.listen(0);
    let worker = linli_api::live::push::spawn(&app.state, push_config(port));
    app.post_as(
        &c.resident,
        "/api/v1/me/devices",
        &json!({"token": "apns-77aa", "platform": "ios"}),
    )
    .await
    .expect(201);

    // 1. Up: every notification is delivered, signed, with the recipient's devices.
    let id = app.resident_files(&c, "stairwell_clutter").await;
    app.triage(&c.dispatcher, id).expect(200).await;
    let all = notification_ids(&app);
    assert!(all.len() >= 3, "dispatcher, reporter and grid worker");
    gateway.wait_for(&all, Duration::from_secs(5)).await;
    let to_resident: i64 = sql_ids(
        &mut app.conn(),
        &format!(
            "SELECT id FROM notifications WHERE user_id = {} AND kind = 'triaged'",
            c.resident.id
        ),
    )
    .into_iter()
    .next()
    .unwrap();
    let message = gateway.message(to_resident).unwrap();
    assert_eq!(message["user_id"], c.resident.id);
    assert_eq!(message["kind"], "triaged");
    assert_eq!(message["issue_id"], id);
    assert_eq!(message["title"], "诉求已分派");
    assert!(message["body"].as_str().unwrap().contains("问题描述"));
    assert!(
        message["created_at"]
            .as_str()
            .unwrap()
            .starts_with("2026-09-01T")
    );
    assert_eq!(
        message["devices"],
        json!([{"token": "apns-77aa", "platform": "ios"}])
    );
    let to_dispatcher = gateway
        .received
        .lock()
        .unwrap()
        .iter()
        .find(|m| m["user_id"] == c.dispatcher.id)
        .cloned()
        .unwrap();
    assert_eq!(to_dispatcher["devices"], json!([]));
    assert_eq!(gateway.bad_signatures.load(Ordering::SeqCst), 0);
    wait_until_all_delivered(&app).await;

    // 2. The gateway is down (nothing listens): retried with backoff, delivered once it is back.
    receiver.stop(true).await;
    app.accept_and_rectify(&c.grid_worker, id, "明天上午清理", "已清理完毕")
        .await;
    let pending = undelivered(&app);
    assert!(!pending.is_empty());
    actix_web::rt::time::sleep(Duration::from_millis(1200)).await;
    assert!(max_attempts(&app) >= 2, "retried while down");
    assert_eq!(
        undelivered(&app),
        pending,
        "nothing is lost or marked delivered"
    );
    let (_, receiver) = gateway.listen(port);
    gateway.wait_for(&pending, Duration::from_secs(5)).await;

    // 3. The gateway fails (503), then this server stops; a new server on the same database
    // delivers what the old one left.
    gateway.failing.store(true, Ordering::SeqCst);
    app.confirm(&c.resident, id).rating(5).expect(200).await;
    let second = app
        .file(&c.neighbour, "stairwell_clutter", &c.district)
        .await;
    app.triage(&c.dispatcher, second).expect(200).await;
    actix_web::rt::time::sleep(Duration::from_millis(500)).await;
    worker.abort();
    let left = undelivered(&app);
    assert!(!left.is_empty());
    let before_restart = gateway.ids().len();
    actix_web::rt::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        gateway.ids().len(),
        before_restart,
        "the old worker is gone"
    );

    let restarted = app.second_node().await;
    let worker = linli_api::live::push::spawn(&restarted.state, push_config(port));
    gateway.failing.store(false, Ordering::SeqCst);
    gateway.wait_for(&left, Duration::from_secs(8)).await;

    // No loss: every notification ever written reached the gateway; a repeat carries the same
    // id and the same content.
    let all = notification_ids(&app);
    gateway.wait_for(&all, Duration::from_secs(2)).await;
    // The worker records the delivery right after the gateway's answer.
    wait_until_all_delivered(&app).await;
    let mut by_id: HashMap<i64, Value> = HashMap::new();
    for m in gateway.received.lock().unwrap().iter() {
        let id = m["id"].as_i64().unwrap();
        assert!(all.contains(&id), "unknown id {id}");
        if let Some(first) = by_id.insert(id, m.clone()) {
            assert_eq!(first["kind"], m["kind"]);
            assert_eq!(first["user_id"], m["user_id"]);
        }
    }
    assert_eq!(gateway.bad_signatures.load(Ordering::SeqCst), 0);
    worker.abort();
    restarted.stop().await;
    receiver.stop(true).await;
}
