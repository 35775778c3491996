//! Throughput benchmark: Linli beside the bare limits of the same machine, in one run.
//!
//! Starts (a) a bare actix-web handler answering a stored issue's JSON, (b) a bare diesel loop
//! committing an issue row and its event row per transaction on one connection, and (c) the
//! real Linli server on a fresh database; alternates them for a few rounds and prints the
//! ratios of issue 9: `GET /api/v1/issues/{id}` (auditor token, 64 connections) against (a),
//! `POST /api/v1/issues` (16 connections) against (b). SQLite always; PostgreSQL too when
//! `LINLI_TEST_DATABASE_URL` names a server. Loopback only, bounded in time.
//!
//! `cargo run --release -p linli-tests --bin throughput -- [--secs 5] [--rounds 2] [--sqlite-only]`
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{
    rc::Rc,
    sync::Arc,
    time::{Duration, Instant},
};

use actix_web::{App, HttpResponse, HttpServer, rt::net::TcpStream, web};
use diesel::{Connection, ExpressionMethods, RunQueryDsl};
use linli_api::{config::Config, server, state::AppState};
use linli_domain::{
    category::CategoryCode,
    ids::{BuildingId, CommunityId, CompoundId, GridId, PropertyCompanyId, StreetId, UserId},
    issue::{Issue, NewIssue, Place},
    values::IssueDescription,
};
use linli_infra::{DbConn, testing::TestDatabase};
use linli_tests::serde_json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const GET_CONNECTIONS: usize = 64;
const POST_CONNECTIONS: usize = 16;

/// Requests answered in one measurement and their latencies.
#[derive(Debug, Clone, Copy, Default)]
struct Stats {
    per_sec: f64,
    p50_ms: f64,
    p99_ms: f64,
    errors: usize,
}

impl std::fmt::Display for Stats {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:>8.0} req/s  p50 {:>6.2} ms  p99 {:>7.2} ms",
            self.per_sec, self.p50_ms, self.p99_ms
        )?;
        if self.errors > 0 {
            write!(f, "  ({} unexpected statuses)", self.errors)?;
        }
        Ok(())
    }
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    f64::from(sorted[i.min(sorted.len() - 1)]) / 1000.0
}

/// One keep-alive HTTP/1.1 connection sending `requests` (cycled) until `until`.
async fn connection(
    addr: String,
    requests: Rc<Vec<Vec<u8>>>,
    offset: usize,
    expect: u16,
    warm_until: Instant,
    until: Instant,
) -> (Vec<u32>, usize) {
    let mut stream = TcpStream::connect(&addr).await.unwrap();
    stream.set_nodelay(true).unwrap();
    let mut latencies = Vec::with_capacity(1 << 16);
    let mut errors = 0;
    let mut buf = Vec::with_capacity(16 * 1024);
    let mut i = offset;
    loop {
        let now = Instant::now();
        if now >= until {
            break;
        }
        let req = &requests[i % requests.len()];
        i += 1;
        stream.write_all(req).await.unwrap();
        buf.clear();
        let status = read_response(&mut stream, &mut buf).await;
        if now >= warm_until {
            latencies.push(now.elapsed().as_micros().min(u32::MAX as u128) as u32);
            if status != expect {
                errors += 1;
                if errors == 1 {
                    eprintln!("  unexpected {status}: {}", String::from_utf8_lossy(&buf));
                }
            }
        }
    }
    (latencies, errors)
}

/// Read one response with a Content-Length body; returns its status.
async fn read_response(stream: &mut TcpStream, buf: &mut Vec<u8>) -> u16 {
    let mut chunk = [0u8; 16 * 1024];
    let head_end = loop {
        let n = stream.read(&mut chunk).await.unwrap();
        assert!(n > 0, "connection closed by the server");
        buf.extend_from_slice(&chunk[..n]);
        if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break p + 4;
        }
    };
    let head = std::str::from_utf8(&buf[..head_end]).unwrap();
    let status: u16 = head[9..12].parse().unwrap();
    let length: usize = head
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())?
        })
        .unwrap_or(0);
    while buf.len() < head_end + length {
        let n = stream.read(&mut chunk).await.unwrap();
        assert!(n > 0, "connection closed by the server");
        buf.extend_from_slice(&chunk[..n]);
    }
    status
}

/// Drive `connections` connections for `secs` (after one second of warm-up).
async fn load(
    addr: &str,
    requests: Vec<Vec<u8>>,
    connections: usize,
    expect: u16,
    secs: u64,
) -> Stats {
    let requests = Rc::new(requests);
    let start = Instant::now();
    let warm_until = start + Duration::from_secs(1);
    let until = warm_until + Duration::from_secs(secs);
    let tasks: Vec<_> = (0..connections)
        .map(|c| {
            actix_web::rt::spawn(connection(
                addr.to_owned(),
                Rc::clone(&requests),
                c * 7,
                expect,
                warm_until,
                until,
            ))
        })
        .collect();
    let mut all = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (lat, err) = t.await.unwrap();
        all.extend(lat);
        errors += err;
    }
    all.sort_unstable();
    Stats {
        per_sec: all.len() as f64 / secs as f64,
        p50_ms: percentile(&all, 0.50),
        p99_ms: percentile(&all, 0.99),
        errors,
    }
}

fn get_request(addr: &str, path: &str, token: &str) -> Vec<u8> {
    format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\n\r\n")
        .into_bytes()
}

fn post_request(addr: &str, path: &str, token: &str, body: &str) -> Vec<u8> {
    format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// The bare limit of the GET path: actix-web serialising the same issue document.
fn start_bare_server(
    document: serde_json::Value,
    workers: usize,
) -> (String, actix_web::dev::ServerHandle) {
    let document = Arc::new(document);
    linli_tests::spawn_on_loopback(|listener| {
        Ok(HttpServer::new(move || {
            let document = Arc::clone(&document);
            App::new().route(
                "/bare/{id}",
                web::get().to(move |id: web::Path<i64>| {
                    let document = Arc::clone(&document);
                    async move {
                        let mut body = (*document).clone();
                        body["id"] = serde_json::json!(id.into_inner());
                        HttpResponse::Ok().json(body)
                    }
                }),
            )
        })
        .workers(workers)
        .disable_signals()
        .listen(listener)?
        .run())
    })
}

/// The bare limit of the POST path: an issue row and its `created` event row per commit, one
/// connection, `secs`. Plain diesel on the schema (no repository function, no domain rule in the
/// loop); the rows are as large as the ones Linli writes (the same place, suggestion and event
/// payload, filed once up front).
fn bare_inserts(state: &AppState, place: &Place, reporter: i64, secs: u64) -> f64 {
    use linli_infra::schema::{issue_events, issues};
    let new = NewIssue::reported(
        UserId(reporter),
        CategoryCode::WATER_LEAK,
        *place,
        IssueDescription::parse("基准测试诉求，楼道漏水").unwrap(),
        true,
    );
    let routing = {
        let mut conn = state.pool.write_conn().unwrap();
        linli_infra::repo::categories::find(&mut conn, CategoryCode::WATER_LEAK)
            .unwrap()
            .routing()
    };
    let (template, created) = Issue::file(new, &routing, state.now(), &state.config.workflow);
    let suggestion = serde_json::to_string(&template.suggestion).unwrap();
    let data = serde_json::to_string(&created.data).unwrap();
    let after_filing =
        |due: linli_domain::Timestamp| (due - template.created_at).num_milliseconds();
    let response_in = after_filing(template.deadlines.response_due);
    let resolution_in = after_filing(template.deadlines.resolution_due);
    let mut conn = state.pool.write_conn().unwrap();
    let conn: &mut DbConn = &mut conn;
    let mut insert_one = |i: u64| {
        let at = state.now().timestamp_millis();
        let category =
            linli_tests::SOME_CATEGORIES[i as usize % linli_tests::SOME_CATEGORIES.len()].as_str();
        conn.transaction::<_, diesel::result::Error, _>(|c| {
            let id: i64 = diesel::insert_into(issues::table)
                .values((
                    issues::reporter_id.eq(reporter),
                    issues::category.eq(category),
                    issues::source.eq(template.source.as_str()),
                    issues::street_id.eq(place.street_id.0),
                    issues::community_id.eq(place.community_id.0),
                    issues::compound_id.eq(place.compound_id.0),
                    issues::building_id.eq(place.building_id.map(|b| b.0)),
                    issues::grid_id.eq(place.grid_id.map(|g| g.0)),
                    issues::property_company_id.eq(place.property_company_id.0),
                    issues::description.eq(format!("基准测试诉求 #{i}，楼道漏水")),
                    issues::is_public.eq(true),
                    issues::status.eq(template.status.as_str()),
                    issues::status_since.eq(at),
                    issues::suggestion.eq(&suggestion),
                    issues::urgency.eq(template.urgency.as_str()),
                    issues::response_due.eq(at + response_in),
                    issues::resolution_due.eq(at + resolution_in),
                    issues::created_at.eq(at),
                    issues::reopen_count.eq(0),
                    issues::sent_back_count.eq(0),
                    issues::escalation_step.eq(0),
                    issues::revisit_queued.eq(false),
                    issues::version.eq(1i64),
                    issues::updated_at.eq(at),
                ))
                .returning(issues::id)
                .get_result(c)?;
            diesel::insert_into(issue_events::table)
                .values((
                    issue_events::issue_id.eq(id),
                    issue_events::seq.eq(1i64),
                    issue_events::kind.eq(created.data.kind()),
                    issue_events::to_status.eq(template.status.as_str()),
                    issue_events::at.eq(at),
                    issue_events::data.eq(&data),
                ))
                .execute(c)?;
            Ok(())
        })
        .unwrap();
    };
    let warm = Instant::now();
    let mut i = 0;
    while warm.elapsed() < Duration::from_secs(1) {
        insert_one(i);
        i += 1;
    }
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed() < Duration::from_secs(secs) {
        insert_one(i + n);
        n += 1;
    }
    n as f64 / start.elapsed().as_secs_f64()
}

async fn login(client: &awc::Client, base: &str, phone: &str, password: &str) -> serde_json::Value {
    let mut res = client
        .post(format!("{base}/api/v1/auth/login"))
        .send_json(&serde_json::json!({"phone": phone, "password": password}))
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "login {phone}");
    res.json().limit(1 << 20).await.unwrap()
}

async fn get_json(client: &awc::Client, url: &str, token: &str) -> serde_json::Value {
    let mut res = client.get(url).bearer_auth(token).send().await.unwrap();
    assert_eq!(res.status(), 200, "{url}");
    res.json().limit(1 << 22).await.unwrap()
}

struct Round {
    bare_get: Stats,
    linli_get: Stats,
    bare_insert: f64,
    linli_post: Stats,
}

async fn bench(label: &str, postgres: Option<&str>, secs: u64, rounds: usize) {
    println!("== {label} ==");
    let fresh = TestDatabase::empty_on(postgres);
    let mut config = Config::for_tests(fresh.url.clone(), fresh.dir.clone());
    config.pool_size = 10;
    config.workers = None;
    let database = server::open_database(&config).unwrap();
    let state = server::build_state(config, database, server::system_clock()).unwrap();
    let seeding = Instant::now();
    let accounts = linli_api::demo::seed_if_empty(&state).unwrap().unwrap();
    println!("demo seeded in {:.1?}", seeding.elapsed());
    let (addr, linli_handle) =
        linli_tests::spawn_on_loopback(|listener| server::start(state.clone(), listener, false));
    let base = format!("http://{addr}");

    let client = awc::Client::builder()
        .timeout(Duration::from_secs(30))
        .finish();
    let account = |role: &str| accounts.iter().find(|a| a.role == role).unwrap();
    let token_of = async |role: &str| {
        let a = account(role);
        let session = login(&client, &base, &a.phone, &a.password).await;
        session["access_token"].as_str().unwrap().to_owned()
    };
    let auditor_token = token_of("auditor").await;
    let resident_token = token_of("resident").await;
    let me = get_json(&client, &format!("{base}/api/v1/me"), &resident_token).await;
    let compound_id = me["compound_id"].as_i64().unwrap();
    let building_id = me["building_id"].as_i64();
    let listed = get_json(
        &client,
        &format!("{base}/api/v1/issues?limit=50"),
        &auditor_token,
    )
    .await;
    let ids: Vec<i64> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_i64().unwrap())
        .collect();
    assert!(!ids.is_empty(), "{listed}");
    let document = get_json(
        &client,
        &format!("{base}/api/v1/issues/{}", ids[0]),
        &auditor_token,
    )
    .await;
    let id_of = |field: &str| document[field].as_i64();
    let place = Place {
        street_id: StreetId(id_of("street_id").unwrap()),
        community_id: CommunityId(id_of("community_id").unwrap()),
        compound_id: CompoundId(id_of("compound_id").unwrap()),
        building_id: id_of("building_id").map(BuildingId),
        grid_id: id_of("grid_id").map(GridId),
        property_company_id: PropertyCompanyId(id_of("property_company_id").unwrap()),
    };
    let reporter = id_of("reporter_id").unwrap();

    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let (bare_addr, bare_handle) = start_bare_server(document, workers);
    let linli_gets: Vec<_> = ids
        .iter()
        .map(|id| get_request(&addr, &format!("/api/v1/issues/{id}"), &auditor_token))
        .collect();
    let bare_gets: Vec<_> = ids
        .iter()
        .map(|id| get_request(&bare_addr, &format!("/bare/{id}"), "x"))
        .collect();
    let posts: Vec<_> = (0..64)
        .map(|i| {
            let body = serde_json::json!({
                "category": "water_leak",
                "description": format!("基准测试 #{i}：楼道漏水，请尽快处理"),
                "compound_id": compound_id,
                "building_id": building_id,
                "is_public": true,
            });
            post_request(&addr, "/api/v1/issues", &resident_token, &body.to_string())
        })
        .collect();

    let mut results = Vec::new();
    for r in 0..rounds {
        let bare_get = load(&bare_addr, bare_gets.clone(), GET_CONNECTIONS, 200, secs).await;
        let linli_get = load(&addr, linli_gets.clone(), GET_CONNECTIONS, 200, secs).await;
        // Blocks this thread: nothing else of the generator runs meanwhile.
        let bare_insert = bare_inserts(&state, &place, reporter, secs);
        let linli_post = load(&addr, posts.clone(), POST_CONNECTIONS, 201, secs).await;
        println!(
            "round {}: bare GET {bare_get}\n         Linli GET {linli_get}\n         bare inserts {bare_insert:>8.0} commits/s\n         Linli POST {linli_post}",
            r + 1
        );
        results.push(Round {
            bare_get,
            linli_get,
            bare_insert,
            linli_post,
        });
    }
    bare_handle.stop(false).await;
    linli_handle.stop(false).await;

    let best = |f: &dyn Fn(&Round) -> f64| results.iter().map(f).fold(0.0, f64::max);
    let bare_get = best(&|r| r.bare_get.per_sec);
    let linli_get = best(&|r| r.linli_get.per_sec);
    let bare_p99 = results
        .iter()
        .map(|r| r.bare_get.p99_ms)
        .fold(f64::MAX, f64::min);
    let linli_p99 = results
        .iter()
        .map(|r| r.linli_get.p99_ms)
        .fold(f64::MAX, f64::min);
    let bare_insert = best(&|r| r.bare_insert);
    let linli_post = best(&|r| r.linli_post.per_sec);
    let post_p99 = results
        .iter()
        .map(|r| r.linli_post.p99_ms)
        .fold(f64::MAX, f64::min);
    println!("-- {label}: best of {rounds} rounds --");
    println!(
        "GET  /api/v1/issues/{{id}} ({GET_CONNECTIONS} conns): {linli_get:.0} req/s vs bare {bare_get:.0} → ratio {:.2} (goal ≥ 0.35); p99 {linli_p99:.2} ms vs bare {bare_p99:.2} ms → {:.1}× (goal ≤ 2×)",
        linli_get / bare_get,
        linli_p99 / bare_p99
    );
    println!(
        "POST /api/v1/issues ({POST_CONNECTIONS} conns): {linli_post:.0} req/s vs bare {bare_insert:.0} commits/s → ratio {:.2}; p99 {post_p99:.2} ms",
        linli_post / bare_insert
    );
    println!();
}

#[actix_web::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| {
        args.iter()
            .skip_while(|a| *a != name)
            .nth(1)
            .and_then(|v| v.parse::<u64>().ok())
    };
    let secs = arg("--secs").unwrap_or(5);
    let rounds = arg("--rounds").unwrap_or(2) as usize;
    let sqlite_only = args.iter().any(|a| a == "--sqlite-only");
    let postgres = linli_tests::postgres_base_url();
    println!(
        "throughput: {secs} s per measurement, {rounds} rounds, {} CPUs",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    bench("SQLite", None, secs, rounds).await;
    match postgres.as_deref() {
        Some(url) if !sqlite_only => bench("PostgreSQL", Some(url), secs, rounds).await,
        _ => println!("(PostgreSQL skipped: set LINLI_TEST_DATABASE_URL)"),
    }
}
