//! The end-to-end test harness: `TestApp::new().await` starts the real server on a fresh
//! database — a temporary SQLite file, or a fresh PostgreSQL database when
//! `LINLI_TEST_DATABASE_URL` names a PostgreSQL server — with a manual clock, and gives typed
//! helpers so that tests read like the workflow.
//!
//! Speed matters as much as realism here: the database is a copy of a template migrated once
//! per process, every account shares one password hash computed once per process, and accounts
//! get their tokens minted directly (the way login mints them) unless a test is about logging in.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{
    future::{Future, IntoFuture},
    net::TcpListener,
    pin::Pin,
    sync::{
        OnceLock,
        atomic::{AtomicU32, Ordering},
    },
};

use actix_web::http::Method;
use chrono::{DateTime, TimeZone, Utc};
use diesel::RunQueryDsl;
use linli_api::{clock::ManualClock, config::Config, state::AppState};
use linli_domain::{
    ids::{BuildingId, CommunityId, CompoundId, GridId, PropertyCompanyId, StreetId},
    issue::Place,
};
use linli_infra::{DbConn, db, password, repo, time::to_millis, tokens};
use serde::{Deserialize, de::DeserializeOwned};
use serde_json::{Value, json};

pub use serde_json;

pub mod conformance;
pub mod history;
pub mod live;

use linli_infra::testing::TestDatabase as TestDb;
pub use linli_infra::testing::postgres_base_url;

/// Runs the server `build` makes on a free loopback port; returns its address
/// (`127.0.0.1:port`) and its handle.
pub fn spawn_on_loopback(
    build: impl FnOnce(TcpListener) -> std::io::Result<actix_web::dev::Server>,
) -> (String, actix_web::dev::ServerHandle) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let server = build(listener).unwrap();
    let handle = server.handle();
    actix_web::rt::spawn(server);
    (addr, handle)
}

/// Serves Linli's app on `state` with `workers` workers on a free loopback port; returns its
/// base URL (`http://127.0.0.1:port`) and its handle.
pub fn serve(state: &AppState, workers: usize) -> (String, actix_web::dev::ServerHandle) {
    let st = state.clone();
    let (addr, handle) = spawn_on_loopback(|listener| {
        Ok(
            actix_web::HttpServer::new(move || linli_api::app(st.clone()))
                .workers(workers)
                .disable_signals()
                .listen(listener)?
                .run(),
        )
    });
    (format!("http://{addr}"), handle)
}

/// The clock every test starts at: 2026-09-01 00:00 UTC (a Tuesday in 2026Q3).
pub fn start_time() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 9, 1, 0, 0, 0).single().unwrap()
}

/// A response, read whole.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: awc::http::header::HeaderMap,
    pub text: String,
    pub body: Value,
    /// The body as received (for images).
    pub bytes: Vec<u8>,
}

impl Resp {
    /// A response read whole, after checking it against the contract of its operation.
    #[track_caller]
    fn read<S>(method: &str, path: &str, res: &awc::ClientResponse<S>, bytes: &[u8]) -> Self {
        let text = String::from_utf8_lossy(bytes).into_owned();
        let body = serde_json::from_slice(bytes).unwrap_or(Value::Null);
        let status = res.status().as_u16();
        conformance::check(method, path, status, res.headers(), &body);
        Resp {
            status,
            headers: res.headers().clone(),
            text,
            body,
            bytes: bytes.to_vec(),
        }
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    }

    /// The problem `code`, for error responses.
    pub fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or("")
    }

    /// Assert the status, printing the body when it differs.
    #[track_caller]
    pub fn expect(self, status: u16) -> Self {
        assert_eq!(
            self.status, status,
            "unexpected status; body: {}",
            self.text
        );
        self
    }

    /// Assert an RFC 9457 problem with this status and code.
    #[track_caller]
    pub fn expect_problem(self, status: u16, code: &str) -> Self {
        assert_eq!(
            self.status, status,
            "unexpected status; body: {}",
            self.text
        );
        assert_eq!(
            self.header("content-type").as_deref(),
            Some("application/problem+json"),
            "body: {}",
            self.text
        );
        assert_eq!(self.code(), code, "body: {}", self.text);
        assert_eq!(self.body["status"], status, "body: {}", self.text);
        self
    }

    /// The ids of a page's `items`, in order.
    pub fn ids(&self) -> Vec<i64> {
        let items = self.body["items"].as_array();
        let items = items.unwrap_or_else(|| panic!("no items in {}", self.text));
        items.iter().map(|i| i["id"].as_i64().unwrap()).collect()
    }

    pub fn id(&self) -> i64 {
        self.body["id"]
            .as_i64()
            .unwrap_or_else(|| panic!("no id in {}", self.text))
    }

    /// The body as a typed view.
    #[track_caller]
    pub fn json<T: DeserializeOwned>(&self) -> T {
        serde_json::from_value(self.body.clone())
            .unwrap_or_else(|e| panic!("unexpected body ({e}): {}", self.text))
    }

    /// The body as an issue, with the `ETag` it came with.
    #[track_caller]
    pub fn issue(&self) -> IssueView {
        let mut issue: IssueView = self.json();
        issue.etag = self.header("etag");
        issue
    }
}

/// A logged-in account.
#[derive(Debug, Clone)]
pub struct Session {
    pub id: i64,
    pub phone: String,
    pub password: String,
    pub role: String,
    pub scope_id: Option<i64>,
    /// `grid` for a building leader over a grid (片长); `None` for the role's usual kind.
    pub scope_kind: Option<String>,
    pub access_token: String,
    pub refresh_token: String,
}

impl Session {
    /// An account with the shared test password and its `(access, refresh)` tokens.
    fn new(
        id: i64,
        phone: &str,
        role: &str,
        scope_id: Option<i64>,
        (access_token, refresh_token): (String, String),
    ) -> Self {
        Session {
            id,
            phone: phone.to_owned(),
            password: PASSWORD.to_owned(),
            role: role.to_owned(),
            scope_id,
            scope_kind: None,
            access_token,
            refresh_token,
        }
    }
}

/// One row of a bad-input table: a body, and the status, problem `code` and `field` it must get.
pub type BadInput = (Value, u16, &'static str, Option<&'static str>);

/// Bodies for a bad-input table: a good body with one field replaced.
pub struct Variants(pub Value);

impl Variants {
    /// The good body with `key` set to `value`.
    pub fn with(&self, key: &str, value: Value) -> Value {
        let mut body = self.0.clone();
        body[key] = value;
        body
    }

    /// A value the rule for `key` refuses: 422 `validation_failed`, naming `key`.
    pub fn invalid(&self, key: &'static str, value: Value) -> BadInput {
        (self.with(key, value), 422, "validation_failed", Some(key))
    }

    /// A value refused with `status` and `code`, naming no field.
    pub fn refused(&self, key: &str, value: Value, status: u16, code: &'static str) -> BadInput {
        (self.with(key, value), status, code, None)
    }
}

/// A small district: one street with two communities; community A has a grid, compound A
/// (company 1) with building A1, compound A2 (company 2); community B has a grid, compound B
/// (company 2) with building B1.
#[derive(Debug, Clone, Copy)]
pub struct District {
    pub street: i64,
    pub community_a: i64,
    pub community_b: i64,
    pub grid_a: i64,
    pub grid_b: i64,
    pub company_1: i64,
    pub company_2: i64,
    pub compound_a: i64,
    pub compound_a2: i64,
    pub compound_b: i64,
    pub building_a1: i64,
    pub building_a2: i64,
    pub building_b1: i64,
}

impl District {
    /// A good filing body for `category` in compound A / building A1.
    pub fn issue_body(&self, category: &str) -> Value {
        issue_body(category, self.compound_a, Some(self.building_a1))
    }

    /// Where an issue in `compound` is: its first building, grid and current company.
    pub fn place(&self, compound: i64) -> Place {
        let (community, building, grid, company) = if compound == self.compound_a {
            (
                self.community_a,
                self.building_a1,
                self.grid_a,
                self.company_1,
            )
        } else if compound == self.compound_a2 {
            (
                self.community_a,
                self.building_a2,
                self.grid_a,
                self.company_2,
            )
        } else if compound == self.compound_b {
            (
                self.community_b,
                self.building_b1,
                self.grid_b,
                self.company_2,
            )
        } else {
            panic!("unknown compound {compound}")
        };
        Place {
            street_id: StreetId(self.street),
            community_id: CommunityId(community),
            compound_id: CompoundId(compound),
            building_id: Some(BuildingId(building)),
            grid_id: Some(GridId(grid)),
            property_company_id: PropertyCompanyId(company),
        }
    }
}

pub struct TestApp {
    pub base: String,
    pub client: awc::Client,
    pub clock: ManualClock,
    pub state: AppState,
    server: actix_web::dev::ServerHandle,
    phones: AtomicU32,
    _db: TestDb,
}

pub const PASSWORD: &str = "Linli-test-pass-2026";

/// Seeded categories of every level, for spreading generated issues over the catalogue.
pub const SOME_CATEGORIES: [linli_domain::category::CategoryCode; 8] = {
    use linli_domain::category::CategoryCode as C;
    [
        C::WATER_LEAK,
        C::ELEVATOR_FAULT,
        C::SMALL_ADS,
        C::STAIRWELL_CLUTTER,
        C::CHARGING_PILE,
        C::NEIGHBOUR_DISPUTE,
        C::PUBLIC_UTILITIES,
        C::OTHER,
    ]
};

/// The argon2 hash of [`PASSWORD`], computed once per process: hashing is deliberately slow,
/// and a test needs about fifteen accounts.
pub fn password_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| password::hash(PASSWORD).unwrap())
}

impl TestApp {
    pub async fn new() -> Self {
        Self::with_config(|_| {}).await
    }

    /// A new app with the standard district seeded (and no accounts).
    pub async fn with_district() -> (Self, District) {
        let app = Self::new().await;
        let district = app.seed_district();
        (app, district)
    }

    /// A new app with the standard cast on the seeded district.
    pub async fn with_cast() -> (Self, Cast) {
        let app = Self::new().await;
        let cast = app.cast().await;
        (app, cast)
    }

    /// Start with a tweaked configuration.
    pub async fn with_config(tweak: impl FnOnce(&mut Config)) -> Self {
        let db = TestDb::migrated();
        let mut config = Config::for_tests(db.url.clone(), db.dir.clone());
        // Tests run side by side on few cores: one worker (requests still run concurrently on
        // it, the database work on the blocking pool) and a pool that opens quickly.
        config.workers = Some(1);
        config.pool_size = 4;
        tweak(&mut config);
        let pool = linli_api::server::open_database(&config).unwrap();
        let clock = ManualClock::new(start_time());
        let state =
            linli_api::server::build_state(config, pool, std::sync::Arc::new(clock.clone()))
                .unwrap();
        let (base, handle) = serve(&state, state.config.workers.unwrap_or(1));
        Self {
            base,
            client: awc::Client::builder()
                .timeout(std::time::Duration::from_secs(60))
                .finish(),
            clock,
            state,
            server: handle,
            phones: AtomicU32::new(0),
            _db: db,
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.state.now()
    }

    /// A direct database connection, for seeding fixtures and checking that nothing changed.
    pub fn conn(&self) -> db::PooledConn {
        db::get(&self.state.pool).unwrap()
    }

    /// Count rows of a table (to prove that a rejected request changed nothing).
    pub fn count(&self, table: &str) -> i64 {
        #[derive(diesel::QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let mut conn = self.conn();
        diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}"))
            .get_result::<N>(&mut *conn as &mut DbConn)
            .unwrap()
            .n
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Send a request; `body` is sent as JSON when given.
    pub async fn request(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
        headers: &[(&str, &str)],
    ) -> Resp {
        self.request_at(&self.base, method, path, token, body, headers)
            .await
    }

    /// [`Self::request`] to the server at `base` (e.g. a second node on the same database).
    pub async fn request_at(
        &self,
        base: &str,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
        headers: &[(&str, &str)],
    ) -> Resp {
        let method_name = method.to_string();
        let mut req = self.client.request(method, format!("{base}{path}"));
        if let Some(t) = token {
            req = req.insert_header(("Authorization", format!("Bearer {t}")));
        }
        for (k, v) in headers {
            req = req.insert_header((*k, *v));
        }
        let mut res = match body {
            Some(b) => req.send_json(b).await,
            None => req.send().await,
        }
        .unwrap_or_else(|e| panic!("request to {path} failed: {e}"));
        let bytes = res.body().limit(50 * 1024 * 1024).await.unwrap();
        Resp::read(&method_name, path, &res, &bytes)
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Resp {
        self.request(Method::GET, path, token, None, &[]).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: &Value) -> Resp {
        self.request(Method::POST, path, token, Some(body), &[])
            .await
    }

    pub async fn put(&self, path: &str, token: Option<&str>, body: &Value) -> Resp {
        self.request(Method::PUT, path, token, Some(body), &[])
            .await
    }

    /// `who`'s badge: their unread notifications (`GET /notifications/unread-count`).
    pub async fn unread(&self, who: &Session) -> i64 {
        let res = self
            .get_as(who, "/api/v1/notifications/unread-count")
            .await
            .expect(200);
        res.body["unread"].as_i64().unwrap()
    }

    /// The summary report's row of `community` as `who` reads it, for the issues filed from
    /// yesterday to the day after tomorrow.
    pub async fn community_summary(&self, who: &Session, community: i64) -> Value {
        let day = |d: i64| (self.now() + chrono::Duration::days(d)).format("%Y-%m-%d");
        let res = self
            .get_as(
                who,
                &format!(
                    "/api/v1/reports/summary?from={}&to={}&group_by=community",
                    day(-1),
                    day(2)
                ),
            )
            .await
            .expect(200);
        let key = community.to_string();
        res.body["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["key"] == key.as_str())
            .cloned()
            .unwrap_or_else(|| panic!("no row for community {community}: {}", res.body))
    }

    /// `who`'s latest notifications (up to 100), newest first: (issue id, kind).
    pub async fn notifications(&self, who: &Session) -> Vec<(i64, String)> {
        let res = self
            .get_as(who, "/api/v1/notifications?limit=100")
            .await
            .expect(200);
        res.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| {
                let kind = n["kind"].as_str().unwrap_or_default().to_owned();
                (n["issue_id"].as_i64().unwrap(), kind)
            })
            .collect()
    }

    /// Whether `who` has a notification of `kind` about issue `id`.
    pub async fn notified(&self, who: &Session, id: i64, kind: &str) -> bool {
        self.notifications(who)
            .await
            .iter()
            .any(|(issue, k)| *issue == id && k == kind)
    }

    /// `GET path` with `who`'s access token.
    pub async fn get_as(&self, who: &Session, path: &str) -> Resp {
        self.get(path, Some(&who.access_token)).await
    }

    /// `POST path` with `who`'s access token.
    pub async fn post_as(&self, who: &Session, path: &str, body: &Value) -> Resp {
        self.post(path, Some(&who.access_token), body).await
    }

    /// Send raw bytes with a content type (for malformed-body tests and uploads).
    pub async fn send_raw(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        content_type: &str,
        bytes: Vec<u8>,
    ) -> Resp {
        let method_name = method.to_string();
        let mut req = self
            .client
            .request(method, self.url(path))
            .insert_header(("Content-Type", content_type));
        if let Some(t) = token {
            req = req.insert_header(("Authorization", format!("Bearer {t}")));
        }
        let mut res = req.send_body(bytes).await.unwrap();
        let body_bytes = res.body().limit(50 * 1024 * 1024).await.unwrap();
        Resp::read(&method_name, path, &res, &body_bytes)
    }

    /// A fresh unique mainland mobile number.
    pub fn next_phone(&self) -> String {
        let n = self.phones.fetch_add(1, Ordering::SeqCst);
        format!("1390000{n:04}")
    }

    pub async fn login(&self, phone: &str, password: &str) -> Resp {
        self.post(
            "/api/v1/auth/login",
            None,
            &json!({"phone": phone, "password": password}),
        )
        .await
    }

    /// The newest code the `file:` SMS sender wrote for `phone` and `purpose`, if any.
    pub fn sent_sms_code(&self, phone: &str, purpose: &str) -> Option<String> {
        let path = self.state.config.data_dir.join("sms.jsonl");
        let text = std::fs::read_to_string(path).unwrap_or_default();
        text.lines()
            .rev()
            .map(|line| serde_json::from_str::<Value>(line).unwrap())
            .find(|m| m["phone"] == phone && m["purpose"] == purpose)
            .map(|m| m["code"].as_str().unwrap().to_owned())
    }

    /// Request a code for `phone` and `purpose` through HTTP (asserting 202) and read it from
    /// the `file:` sender, as the person holding the phone would.
    pub async fn sms_code(&self, phone: &str, purpose: &str) -> String {
        self.post(
            "/api/v1/auth/sms-codes",
            None,
            &json!({"phone": phone, "purpose": purpose}),
        )
        .await
        .expect(202);
        self.sent_sms_code(phone, purpose).unwrap()
    }

    /// `POST /auth/register` with `body`, after getting a code for its phone the way a person
    /// would (the phone in `body` must be normalised: 11 digits).
    pub async fn register(&self, body: &Value) -> Resp {
        let mut body = body.clone();
        let phone = body["phone"].as_str().unwrap().to_owned();
        body["sms_code"] = json!(self.sms_code(&phone, "register").await);
        self.post("/api/v1/auth/register", None, &body).await
    }

    /// A resident who registered through HTTP with an SMS code (and `invitation_code`, if
    /// given) and logged in with the shared test password.
    pub async fn registered_resident(
        &self,
        compound_id: i64,
        invitation_code: Option<&str>,
    ) -> Session {
        let phone = self.next_phone();
        self.register(&json!({
            "phone": phone, "password": PASSWORD, "display_name": "新住户",
            "compound_id": compound_id, "invitation_code": invitation_code,
        }))
        .await
        .expect(202);
        let res = self.login(&phone, PASSWORD).await.expect(200);
        let token = |name: &str| res.body[name].as_str().unwrap().to_owned();
        let tokens = (token("access_token"), token("refresh_token"));
        let me = self.get("/api/v1/me", Some(&tokens.0)).await.expect(200);
        Session::new(me.id(), &phone, "resident", Some(compound_id), tokens)
    }

    /// Create an account of any role directly in the database, with a session minted for it.
    pub async fn staff(&self, role: &str, scope_id: Option<i64>) -> Session {
        self.staff_of_kind(role, None, scope_id)
    }

    /// A 片长: a building leader over grid `grid_id`, with a minted session.
    pub async fn grid_leader(&self, grid_id: i64) -> Session {
        self.staff_of_kind("building_leader", Some("grid"), Some(grid_id))
    }

    /// An account of `role` whose `scope_id` is of `scope_kind` (`None`: the role's usual),
    /// created directly in the database, with a session minted for it.
    pub fn staff_of_kind(
        &self,
        role: &str,
        scope_kind: Option<&str>,
        scope_id: Option<i64>,
    ) -> Session {
        let phone = self.next_phone();
        let id = self.create_user(&repo::users::NewUser {
            phone: &phone,
            password_hash: password_hash(),
            display_name: &format!("{role} {phone}"),
            role,
            scope_id,
            scope_kind,
            compound_id: None,
            building_id: None,
            unit: None,
            created_at: to_millis(self.now()),
            verification: None,
        });
        let mut session = self.mint_session(id, &phone, role, scope_id);
        if scope_kind.is_some() {
            session.scope_kind = scope_kind.map(str::to_owned);
            self.relogin_now(&mut session);
        }
        session
    }

    fn create_user(&self, user: &repo::users::NewUser<'_>) -> i64 {
        let mut conn = self.conn();
        repo::users::create(&mut conn, user).unwrap().id
    }

    /// A session for an existing account, minted the way login mints one (a signed access token
    /// and a new refresh-token family), without paying for the password check.
    pub fn mint_session(&self, id: i64, phone: &str, role: &str, scope_id: Option<i64>) -> Session {
        Session::new(
            id,
            phone,
            role,
            scope_id,
            self.mint_tokens(id, role, scope_id, None),
        )
    }

    fn mint_tokens(
        &self,
        id: i64,
        role: &str,
        scope_id: Option<i64>,
        scope_kind: Option<&str>,
    ) -> (String, String) {
        let now = self.now();
        let family = tokens::random_token(16);
        let access = self
            .state
            .signer
            .issue(id, role, scope_id, scope_kind, &family, now)
            .unwrap();
        let refresh = tokens::new_refresh_token();
        let mut conn = self.conn();
        repo::sessions::insert(
            &mut conn,
            id,
            &family,
            &tokens::hash_refresh_token(&refresh),
            to_millis(now),
            to_millis(now + self.state.config.refresh_ttl),
        )
        .unwrap();
        (access, refresh)
    }

    /// Log in through HTTP (for tests about logging in); asserts 200.
    pub async fn login_session(
        &self,
        id: i64,
        phone: &str,
        role: &str,
        scope_id: Option<i64>,
    ) -> Session {
        let res = self.login(phone, PASSWORD).await.expect(200);
        let token = |name: &str| res.body[name].as_str().unwrap().to_owned();
        let tokens = (token("access_token"), token("refresh_token"));
        Session::new(id, phone, role, scope_id, tokens)
    }

    pub async fn admin(&self) -> Session {
        self.staff("admin", None).await
    }

    /// A resident of `compound_id`, as registration would create one, with a minted session
    /// (registration itself is tested through `POST /auth/register` in `accounts`).
    pub async fn resident(&self, compound_id: i64, building_id: Option<i64>) -> Session {
        let phone = self.next_phone();
        let id = self.create_user(&repo::users::NewUser {
            phone: &phone,
            password_hash: password_hash(),
            display_name: &format!("居民{phone}"),
            role: "resident",
            scope_id: Some(compound_id),
            scope_kind: None,
            compound_id: Some(compound_id),
            building_id,
            unit: Some("1单元 101"),
            created_at: to_millis(self.now()),
            verification: Some("verified"),
        });
        self.mint_session(id, &phone, "resident", Some(compound_id))
    }

    /// Seed the standard small district directly through the repositories.
    pub fn seed_district(&self) -> District {
        let now = to_millis(self.now());
        let mut conn = self.conn();
        let c: &mut DbConn = &mut conn;
        use repo::org::*;
        // Every row is created at `now`; only its id is kept.
        macro_rules! id {
            ($create:ident($($arg:expr),*)) => {
                $create(c, $($arg,)* now).unwrap().id
            };
        }
        let street = id!(create_street("岳塘街道"));
        let community_a = id!(create_community(StreetId(street), "东坪社区"));
        let community_b = id!(create_community(StreetId(street), "宝塔社区"));
        let grid_a = id!(create_grid(CommunityId(community_a), "东坪一网格"));
        let grid_b = id!(create_grid(CommunityId(community_b), "宝塔一网格"));
        let company_1 = id!(create_property_company("红管家物业"));
        let company_2 = id!(create_property_company("万怡物业"));
        let compound_a = id!(create_compound(
            CommunityId(community_a),
            "西江俪园",
            PropertyCompanyId(company_1)
        ));
        let compound_a2 = id!(create_compound(
            CommunityId(community_a),
            "书香人家",
            PropertyCompanyId(company_2)
        ));
        let compound_b = id!(create_compound(
            CommunityId(community_b),
            "文和园",
            PropertyCompanyId(company_2)
        ));
        let building_a1 = id!(create_building(
            CompoundId(compound_a),
            "1栋",
            GridId(grid_a)
        ));
        let building_a2 = id!(create_building(
            CompoundId(compound_a2),
            "1栋",
            GridId(grid_a)
        ));
        let building_b1 = id!(create_building(
            CompoundId(compound_b),
            "1栋",
            GridId(grid_b)
        ));
        District {
            street,
            community_a,
            community_b,
            grid_a,
            grid_b,
            company_1,
            company_2,
            compound_a,
            compound_a2,
            compound_b,
            building_a1,
            building_a2,
            building_b1,
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // Stop accepting; the runtime ends with the test.
        let handle = self.server.clone();
        actix_web::rt::spawn(async move { handle.stop(false).await });
    }
}

// ---- Issue lifecycle helpers (issue 4: intake, lists, transitions) -----------------------------

/// A typical filing body: public, with a building.
pub fn issue_body(category: &str, compound_id: i64, building_id: Option<i64>) -> Value {
    json!({
        "category": category,
        "description": format!("{category}: 问题描述，请尽快处理"),
        "compound_id": compound_id,
        "building_id": building_id,
        "is_public": true,
    })
}

/// One account of every role over the standard district (scopes on community A / compound A).
pub struct Cast {
    pub district: District,
    /// Resident of compound A, building A1.
    pub resident: Session,
    /// Another resident of compound A.
    pub neighbour: Session,
    /// A resident of compound B.
    pub outsider: Session,
    /// Dispatcher of the street.
    pub dispatcher: Session,
    pub grid_worker: Session,
    /// Grid worker of grid B.
    pub grid_worker_b: Session,
    /// Property staff of company 1 (manages compound A).
    pub property_1: Session,
    /// Property staff of company 2 (compounds A2 and B).
    pub property_2: Session,
    /// Owners' committee of compound A.
    pub committee: Session,
    /// Owners' committee of compound B.
    pub committee_b: Session,
    /// Official of community A.
    pub official: Session,
    /// Official of community B.
    pub official_b: Session,
    /// Mediator of community A.
    pub mediator: Session,
    /// Street official (街道干部) of the street.
    pub street_official: Session,
    /// The district's property-management office (区物管办).
    pub district_office: Session,
    pub auditor: Session,
    pub admin: Session,
}

impl TestApp {
    /// Seed the district and log in one account of every role.
    pub async fn cast(&self) -> Cast {
        let d = self.seed_district();
        Cast {
            resident: self.resident(d.compound_a, Some(d.building_a1)).await,
            neighbour: self.resident(d.compound_a, Some(d.building_a1)).await,
            outsider: self.resident(d.compound_b, Some(d.building_b1)).await,
            dispatcher: self.staff("dispatcher", Some(d.street)).await,
            grid_worker: self.staff("grid_worker", Some(d.grid_a)).await,
            grid_worker_b: self.staff("grid_worker", Some(d.grid_b)).await,
            property_1: self.staff("property_staff", Some(d.company_1)).await,
            property_2: self.staff("property_staff", Some(d.company_2)).await,
            committee: self.staff("committee_member", Some(d.compound_a)).await,
            committee_b: self.staff("committee_member", Some(d.compound_b)).await,
            official: self.staff("community_official", Some(d.community_a)).await,
            official_b: self.staff("community_official", Some(d.community_b)).await,
            mediator: self.staff("mediator", Some(d.community_a)).await,
            street_official: self.staff("street_official", Some(d.street)).await,
            district_office: self.staff("district_office", None).await,
            auditor: self.staff("auditor", None).await,
            admin: self.admin().await,
            district: d,
        }
    }

    /// POST /issues as `who`.
    pub async fn file_issue(&self, who: &Session, body: &Value) -> Resp {
        self.post("/api/v1/issues", Some(&who.access_token), body)
            .await
    }

    /// File `category` in compound A / building A1 as `who`; asserts 201 and returns the id.
    pub async fn file(&self, who: &Session, category: &str, d: &District) -> i64 {
        self.file_issue(who, &d.issue_body(category))
            .await
            .expect(201)
            .id()
    }

    /// `category` filed through the API by the cast's resident, in compound A / building A1.
    pub async fn resident_files(&self, cast: &Cast, category: &str) -> i64 {
        self.file(&cast.resident, category, &cast.district).await
    }

    /// The handler accepts (部门解答) with `message`, then submits the rectification with `notes`;
    /// asserts both succeed.
    pub async fn accept_and_rectify(&self, handler: &Session, id: i64, message: &str, notes: &str) {
        self.answer(handler, id, message).await;
        self.rectify(handler, id, notes).await;
    }

    /// POST /issues/{id}/{action} as `who` (e.g. `triage`, `answer`, `confirmation`).
    pub async fn act(&self, who: &Session, id: i64, action: &str, body: &Value) -> Resp {
        self.post(
            &format!("/api/v1/issues/{id}/{action}"),
            Some(&who.access_token),
            body,
        )
        .await
    }

    /// GET /issues/{id} as `who`.
    pub async fn issue(&self, who: &Session, id: i64) -> Resp {
        self.get(&format!("/api/v1/issues/{id}"), Some(&who.access_token))
            .await
    }

    /// The timeline of issue `id` as `who` (asserts 200).
    pub async fn events(&self, who: &Session, id: i64) -> Vec<Value> {
        self.get(
            &format!("/api/v1/issues/{id}/events"),
            Some(&who.access_token),
        )
        .await
        .expect(200)
        .body
        .as_array()
        .cloned()
        .unwrap_or_default()
    }

    /// Asserts the issue's timeline, as `who` sees it: these event kinds, space-separated.
    pub async fn assert_timeline(&self, who: &Session, id: i64, kinds: &str) {
        let timeline = self.event_kinds(who, id).await.join(" ");
        assert_eq!(timeline, kinds, "timeline of issue {id}");
    }

    /// The `kind`s of the timeline, in order.
    pub async fn event_kinds(&self, who: &Session, id: i64) -> Vec<String> {
        self.events(who, id)
            .await
            .iter()
            .map(|e| e["kind"].as_str().unwrap_or_default().to_owned())
            .collect()
    }

    /// Every issue id `who` can list (all pages, with the given extra query).
    pub async fn list_ids(&self, who: &Session, query: &str) -> Vec<i64> {
        let mut ids = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let mut path = format!("/api/v1/issues?limit=100{query}");
            if let Some(c) = &cursor {
                path.push_str(&format!("&cursor={c}"));
            }
            let res = self.get(&path, Some(&who.access_token)).await.expect(200);
            ids.extend(
                res.body["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|i| i["id"].as_i64().unwrap()),
            );
            match res.body["next_cursor"].as_str() {
                Some(c) => cursor = Some(c.to_owned()),
                None => return ids,
            }
        }
    }
}
impl Cast {
    /// Fresh tokens for every account (after the manual clock moved past the access tokens'
    /// life).
    pub async fn relogin(&mut self, app: &TestApp) {
        for s in [
            &mut self.resident,
            &mut self.neighbour,
            &mut self.outsider,
            &mut self.dispatcher,
            &mut self.grid_worker,
            &mut self.grid_worker_b,
            &mut self.property_1,
            &mut self.property_2,
            &mut self.committee,
            &mut self.committee_b,
            &mut self.official,
            &mut self.official_b,
            &mut self.mediator,
            &mut self.street_official,
            &mut self.district_office,
            &mut self.auditor,
            &mut self.admin,
        ] {
            app.relogin(s).await;
        }
    }
}

impl TestApp {
    /// Fresh tokens for `s`, minted at the clock's current time (the manual clock may have
    /// expired the old ones).
    pub async fn relogin(&self, s: &mut Session) {
        self.relogin_now(s);
    }

    fn relogin_now(&self, s: &mut Session) {
        (s.access_token, s.refresh_token) =
            self.mint_tokens(s.id, &s.role, s.scope_id, s.scope_kind.as_deref());
    }
}
// ---- end of issue lifecycle helpers -----------------------------------------------------------

// ---- Workflow steps, typed --------------------------------------------------------------------

/// An issue as the API returns it, with the fields tests look at.
#[derive(Debug, Clone, Deserialize)]
pub struct IssueView {
    pub id: i64,
    pub status: String,
    pub level: Option<String>,
    pub handler: Option<HandlerView>,
    pub urgency: String,
    pub suggestion: SuggestionView,
    pub closure: Option<String>,
    pub satisfaction: Option<i64>,
    pub reopen_count: i64,
    pub sent_back_count: i64,
    pub return_count: i64,
    pub urge_count: i64,
    pub extension_count: i64,
    pub pending_extension_due: Option<DateTime<Utc>>,
    pub merged_into: Option<i64>,
    pub support_count: i64,
    pub resolution_due: DateTime<Utc>,
    pub overdue: bool,
    pub escalation_step: i64,
    pub revisit_queued: bool,
    pub responded_at: Option<DateTime<Utc>>,
    pub supervised_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub revisited_at: Option<DateTime<Utc>>,
    pub version: i64,
    /// The `ETag` header of the response.
    #[serde(skip)]
    pub etag: Option<String>,
}

/// Who handles an issue (`kind`: grid, property_company, community, mediators, department).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct HandlerView {
    pub kind: String,
    pub id: Option<i64>,
    pub name: Option<String>,
}

/// The routing suggestion made at filing.
#[derive(Debug, Clone, Deserialize)]
pub struct SuggestionView {
    pub level: Option<String>,
    pub handler: Option<HandlerView>,
    pub urgency: String,
}

/// One workflow step on an issue, about to be sent: refine the body with the builder methods,
/// then `.await` it for the issue after the step (asserting 200), or end with
/// `.problem(status, code)` when the step must be refused, or `.send()` for the raw response.
#[must_use = "a step does nothing until it is awaited"]
pub struct Step<'a> {
    app: &'a TestApp,
    who: &'a Session,
    id: i64,
    /// The path after `/issues/{id}/`.
    action: String,
    body: Value,
    if_match: Option<String>,
}

impl<'a> Step<'a> {
    /// Set one field of the request body.
    pub fn with(mut self, field: &str, value: impl Into<Value>) -> Self {
        self.body[field] = value.into();
        self
    }

    /// The resident's satisfaction, 1–5 (confirmation).
    pub fn rating(self, satisfaction: i64) -> Self {
        self.with("satisfaction", satisfaction)
    }

    pub fn comment(self, text: &str) -> Self {
        self.with("comment", text)
    }

    /// The reason an override or a refusal needs.
    pub fn reason(self, text: &str) -> Self {
        self.with("reason", text)
    }

    /// The resident says it is not resolved (confirmation): the issue reopens.
    pub fn not_resolved(self) -> Self {
        self.with("resolved", false)
    }

    /// Send `If-Match` with this entity tag.
    pub fn if_match(mut self, etag: &str) -> Self {
        self.if_match = Some(etag.to_owned());
        self
    }

    /// Send the step; the response as it came.
    pub async fn send(self) -> Resp {
        let headers: Vec<(&str, &str)> = self
            .if_match
            .as_deref()
            .map(|etag| vec![("If-Match", etag)])
            .unwrap_or_default();
        self.app
            .request(
                Method::POST,
                &format!("/api/v1/issues/{}/{}", self.id, self.action),
                Some(&self.who.access_token),
                Some(&self.body),
                &headers,
            )
            .await
    }

    /// Send the step and assert it gets `status`.
    pub async fn expect(self, status: u16) -> Resp {
        self.send().await.expect(status)
    }

    /// Send the step and assert it is refused with this status and problem `code`.
    pub async fn problem(self, status: u16, code: &str) -> Resp {
        self.send().await.expect_problem(status, code)
    }
}

impl<'a> IntoFuture for Step<'a> {
    type Output = IssueView;
    type IntoFuture = Pin<Box<dyn Future<Output = IssueView> + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        let what = format!("{} of issue {} by {}", self.action, self.id, self.who.role);
        Box::pin(async move {
            let res = self.send().await;
            assert_eq!(res.status, 200, "{what}: {}", res.text);
            res.issue()
        })
    }
}

impl TestApp {
    fn step<'a>(
        &'a self,
        who: &'a Session,
        id: i64,
        action: impl Into<String>,
        body: Value,
    ) -> Step<'a> {
        Step {
            app: self,
            who,
            id,
            action: action.into(),
            body,
            if_match: None,
        }
    }

    /// GET /issues/{id} as `who`, typed (asserts 200).
    pub async fn view(&self, who: &Session, id: i64) -> IssueView {
        self.issue(who, id).await.expect(200).issue()
    }

    /// The dispatcher routes the issue (as suggested, unless refined with `.with(..)`).
    pub fn triage<'a>(&'a self, dispatcher: &'a Session, id: i64) -> Step<'a> {
        self.step(dispatcher, id, "triage", json!({}))
    }

    /// The dispatcher rejects the issue with `reason`.
    pub fn reject<'a>(&'a self, dispatcher: &'a Session, id: i64, reason: &str) -> Step<'a> {
        self.step(dispatcher, id, "reject", json!({ "reason": reason }))
    }

    /// The reporter withdraws the issue.
    pub fn withdraw<'a>(&'a self, reporter: &'a Session, id: i64) -> Step<'a> {
        self.step(reporter, id, "withdraw", json!({}))
    }

    /// The handler accepts the issue with `message` (部门解答).
    pub fn answer<'a>(&'a self, handler: &'a Session, id: i64, message: &str) -> Step<'a> {
        self.step(
            handler,
            id,
            "answer",
            json!({ "message": message, "accept": true }),
        )
    }

    /// The handler declines the issue back to the dispatcher.
    pub fn decline<'a>(
        &'a self,
        handler: &'a Session,
        id: i64,
        message: &str,
        reason: &str,
    ) -> Step<'a> {
        self.step(
            handler,
            id,
            "answer",
            json!({ "message": message, "accept": false, "reason": reason }),
        )
    }

    /// The handler returns the issue to the dispatcher (退单) with a reason code and a note.
    pub fn return_issue<'a>(
        &'a self,
        handler: &'a Session,
        id: i64,
        reason: &str,
        note: &str,
    ) -> Step<'a> {
        self.step(
            handler,
            id,
            "return",
            json!({ "reason": reason, "note": note }),
        )
    }

    /// The dispatcher decides a return: upheld (name the new handler with `.with(..)`) or not.
    pub fn decide_return<'a>(
        &'a self,
        dispatcher: &'a Session,
        id: i64,
        upheld: bool,
        note: &str,
    ) -> Step<'a> {
        self.step(
            dispatcher,
            id,
            "return-decision",
            json!({ "upheld": upheld, "note": note }),
        )
    }

    /// The dispatcher reassigns the issue (改派) with `reason`; name the handler with `.with(..)`.
    pub fn reassign<'a>(&'a self, dispatcher: &'a Session, id: i64, reason: &str) -> Step<'a> {
        self.step(dispatcher, id, "reassign", json!({ "reason": reason }))
    }

    /// Urge the issue (督办) with `note`.
    pub fn urge<'a>(&'a self, who: &'a Session, id: i64, note: &str) -> Step<'a> {
        self.step(who, id, "urge", json!({ "note": note }))
    }

    /// The dispatcher merges the duplicate `id` into the primary `into`.
    pub fn merge<'a>(&'a self, dispatcher: &'a Session, id: i64, into: i64) -> Step<'a> {
        self.step(dispatcher, id, "merge", json!({ "into": into }))
    }

    /// The handler asks for a later resolution deadline (延期申请); the response as it came
    /// (201 with the request).
    pub async fn request_extension(
        &self,
        handler: &Session,
        id: i64,
        new_resolution_due: DateTime<Utc>,
        reason: &str,
    ) -> Resp {
        self.post_as(
            handler,
            &format!("/api/v1/issues/{id}/extension-requests"),
            &json!({ "new_resolution_due": new_resolution_due.to_rfc3339(), "reason": reason }),
        )
        .await
    }

    /// The dispatcher approves or refuses extension request `rid` of issue `id`.
    pub fn decide_extension<'a>(
        &'a self,
        dispatcher: &'a Session,
        id: i64,
        rid: i64,
        approved: bool,
        note: &str,
    ) -> Step<'a> {
        self.step(
            dispatcher,
            id,
            format!("extension-requests/{rid}/decision"),
            json!({ "approved": approved, "note": note }),
        )
    }

    /// The handler submits the rectification (整改) with `notes`.
    pub fn rectify<'a>(&'a self, handler: &'a Session, id: i64, notes: &str) -> Step<'a> {
        self.step(handler, id, "rectification", json!({ "notes": notes }))
    }

    /// The owners' committee passes (or fails) the rectification (业委会督查).
    pub fn supervise<'a>(
        &'a self,
        committee: &'a Session,
        id: i64,
        passed: bool,
        notes: &str,
    ) -> Step<'a> {
        self.step(
            committee,
            id,
            "supervision",
            json!({ "passed": passed, "notes": notes }),
        )
    }

    /// The reporter confirms it resolved (add `.rating(n)`), or not (`.not_resolved()`).
    pub fn confirm<'a>(&'a self, reporter: &'a Session, id: i64) -> Step<'a> {
        self.step(reporter, id, "confirmation", json!({ "resolved": true }))
    }

    /// A community official records the 回头看 revisit (`confirmed` or `recurred`).
    pub fn revisit<'a>(
        &'a self,
        official: &'a Session,
        id: i64,
        outcome: &str,
        notes: &str,
    ) -> Step<'a> {
        self.step(
            official,
            id,
            "revisit",
            json!({ "outcome": outcome, "notes": notes }),
        )
    }

    /// A mediator records the mediation, settled or not.
    pub fn mediate<'a>(
        &'a self,
        mediator: &'a Session,
        id: i64,
        settled: bool,
        notes: &str,
    ) -> Step<'a> {
        self.step(
            mediator,
            id,
            "mediation",
            json!({ "settled": settled, "notes": notes }),
        )
    }

    /// A community official records the deliberation meeting (`body`: held_at, venue, …).
    pub fn deliberate<'a>(&'a self, official: &'a Session, id: i64, body: &Value) -> Step<'a> {
        self.step(official, id, "deliberation", body.clone())
    }
}

// ---------------------------------------------------------------------------------------------
// Workflow-extras and scheduler helpers (photos, comments, support, notifications, revisits,
// scheduler): drive issues through the domain and the same command path the HTTP handlers use
// (`linli_api::application::issues::execute`), independent of the transition endpoints.
// ---------------------------------------------------------------------------------------------

pub mod direct {
    use linli_api::{
        application::issues::{execute, intake},
        error::ApiError,
        scheduler,
    };
    use linli_domain::{
        auth::{Actor, Role, Scope, ScopeKind},
        category::CategoryCode,
        ids::{
            BuildingId, CommunityId, CompoundId, GridId, IssueId, PropertyCompanyId, StreetId,
            UserId,
        },
        issue::{Command, Issue, NewIssue, Place},
        triage::{self, TriageOverrides},
        values::{IssueDescription, Note, Satisfaction},
    };
    use linli_infra::{DbConn, db, repo};

    use super::{Cast, Session, TestApp};

    /// The domain actor behind a session.
    pub fn actor(s: &Session) -> Actor {
        let role = Role::parse(&s.role).unwrap();
        Actor {
            user_id: UserId(s.id),
            role,
            scope: Scope::for_account(
                role,
                s.scope_kind
                    .as_deref()
                    .map(|k| ScopeKind::parse(k).unwrap()),
                s.scope_id,
            )
            .unwrap(),
            verified: true,
        }
    }

    impl TestApp {
        /// File an issue as the cast's resident, in building a1 of compound a (the usual case).
        pub fn resident_files_direct(&self, cast: &Cast, category: &str, is_public: bool) -> i64 {
            let d = &cast.district;
            self.file_issue_direct(
                &cast.resident,
                d.compound_a,
                Some(d.building_a1),
                category,
                is_public,
            )
        }

        /// File an issue (source `app`) as `reporter`, like intake does: the issue, its
        /// `created` event and the dispatchers' notifications. Returns its id.
        pub fn file_issue_direct(
            &self,
            reporter: &Session,
            compound_id: i64,
            building_id: Option<i64>,
            category: &str,
            is_public: bool,
        ) -> i64 {
            let now = self.now();
            let cfg = self.state.config.workflow.clone();
            let mut conn = self.conn();
            let c: &mut DbConn = &mut conn;
            let cp = repo::org::compound_place(c, CompoundId(compound_id)).unwrap();
            let grid =
                building_id.map(|b| repo::org::find_building(c, BuildingId(b)).unwrap().grid_id);
            let place = Place {
                street_id: StreetId(cp.street_id),
                community_id: CommunityId(cp.community_id),
                compound_id: CompoundId(compound_id),
                building_id: building_id.map(BuildingId),
                grid_id: grid.map(GridId),
                property_company_id: PropertyCompanyId(cp.property_company_id),
            };
            let description =
                IssueDescription::parse(&format!("{category}: 请物业尽快处理，谢谢")).unwrap();
            let category = CategoryCode::parse(category).unwrap();
            let new =
                NewIssue::reported(UserId(reporter.id), category, place, description, is_public);
            let by = actor(reporter);
            db::write_transaction(c, |c| {
                intake::file(c, &cfg, new, Some(&by), now).map(|applied| applied.issue.id.0)
            })
            .unwrap()
        }

        /// Apply a command as `by` (None: the scheduler) through the application layer (`application::issues::execute`), at the clock's
        /// current time. Returns the issue after it.
        pub fn command_direct(
            &self,
            issue_id: i64,
            by: Option<&Session>,
            command: Command,
        ) -> Result<Issue, ApiError> {
            let now = self.now();
            let cfg = self.state.config.workflow.clone();
            let who = by.map(actor);
            let mut conn = self.conn();
            db::write_transaction(&mut conn, |c| {
                execute(
                    c,
                    &cfg,
                    who.as_ref(),
                    IssueId(issue_id),
                    None,
                    now,
                    move |_, _| Ok(command),
                )
                .map(|applied| applied.issue)
            })
            .map_err(ApiError::from)
        }

        /// The issue as stored.
        pub fn issue_direct(&self, issue_id: i64) -> Issue {
            let mut conn = self.conn();
            repo::issues::find(&mut conn, linli_domain::ids::IssueId(issue_id)).unwrap()
        }

        /// Triage as suggested (no overrides), as `dispatcher`.
        pub fn triage_direct(&self, issue_id: i64, dispatcher: &Session) -> Issue {
            let issue = self.issue_direct(issue_id);
            let decision =
                triage::decide(&issue.suggestion, TriageOverrides::default(), &issue.place)
                    .unwrap();
            self.command_direct(issue_id, Some(dispatcher), Command::Triage(decision))
                .unwrap()
        }

        /// From `triaged` to `awaiting_confirmation` for a grid- or property-level issue:
        /// the handler accepts and rectifies, and (property level) the committee passes it.
        pub fn rectify_direct(
            &self,
            issue_id: i64,
            handler: &Session,
            committee: Option<&Session>,
        ) -> Issue {
            self.command_direct(
                issue_id,
                Some(handler),
                Command::Answer {
                    message: Note::parse("收到，马上安排").unwrap(),
                    accept: true,
                    reason: None,
                },
            )
            .unwrap();
            let issue = self
                .command_direct(
                    issue_id,
                    Some(handler),
                    Command::SubmitRectification {
                        notes: Note::parse("已整改").unwrap(),
                        photo_ids: vec![],
                    },
                )
                .unwrap();
            match committee {
                Some(m) => self
                    .command_direct(
                        issue_id,
                        Some(m),
                        Command::Supervise {
                            passed: true,
                            notes: Note::parse("现场核查通过").unwrap(),
                        },
                    )
                    .unwrap(),
                None => issue,
            }
        }

        /// The reporter confirms it resolved with `satisfaction` (1–5): → closed.
        pub fn confirm_direct(
            &self,
            issue_id: i64,
            reporter: &Session,
            satisfaction: i64,
        ) -> Issue {
            self.command_direct(
                issue_id,
                Some(reporter),
                Command::Confirm {
                    resolved: true,
                    satisfaction: Some(Satisfaction::parse(satisfaction).unwrap()),
                    comment: None,
                },
            )
            .unwrap()
        }

        /// One scheduler tick at the clock's current time (blocking; fine from a test).
        pub fn tick(&self) -> scheduler::TickReport {
            scheduler::tick(&self.state).unwrap()
        }

        /// Kinds of an issue's timeline events, in order.
        pub fn event_kinds_direct(&self, issue_id: i64) -> Vec<String> {
            let mut conn = self.conn();
            repo::issues::events(&mut conn, IssueId(issue_id))
                .unwrap()
                .into_iter()
                .map(|e| e.head.kind)
                .collect()
        }
    }
}

/// A complete 1×1 PNG (signature, IHDR, IDAT, IEND with their CRCs).
pub const PNG: [u8; 69] = [
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00, 0x00, 0x90, 0x77, 0x53,
    0xde, 0x00, 0x00, 0x00, 0x0c, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0x00,
    0x00, 0x03, 0x01, 0x01, 0x00, 0xc9, 0xfe, 0x92, 0xef, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e,
    0x44, 0xae, 0x42, 0x60, 0x82,
];

pub const BOUNDARY: &str = "linli-test-boundary-7d1f0c";

/// A multipart/form-data body: (field name, file name, declared type, bytes) per part.
pub fn multipart(parts: &[(&str, Option<&str>, &str, &[u8])]) -> (String, Vec<u8>) {
    let mut body = Vec::new();
    for (name, filename, content_type, bytes) in parts {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        let disposition = match filename {
            Some(f) => {
                format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\n")
            }
            None => format!("Content-Disposition: form-data; name=\"{name}\"\r\n"),
        };
        body.extend_from_slice(disposition.as_bytes());
        body.extend_from_slice(format!("Content-Type: {content_type}\r\n\r\n").as_bytes());
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={BOUNDARY}"), body)
}

impl TestApp {
    /// Upload `bytes` as a photo of `issue`, declared as `declared` (multipart, field `file`).
    pub async fn upload(&self, who: &Session, issue: i64, declared: &str, bytes: &[u8]) -> Resp {
        let (content_type, body) = multipart(&[("file", Some("photo.png"), declared, bytes)]);
        self.send_raw(
            Method::POST,
            &format!("/api/v1/issues/{issue}/photos"),
            Some(&who.access_token),
            &content_type,
            body,
        )
        .await
    }
}
