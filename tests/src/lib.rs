//! The end-to-end test harness: `TestApp::new().await` starts the real server on a fresh
//! database — a temporary SQLite file, or a fresh PostgreSQL database when
//! `LINLI_TEST_DATABASE_URL` names a PostgreSQL server — with a manual clock, and gives typed
//! helpers so that tests read like the workflow.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{
    net::TcpListener,
    sync::atomic::{AtomicU32, Ordering},
};

use actix_web::http::Method;
use chrono::{DateTime, TimeZone, Utc};
use diesel::RunQueryDsl;
use linli_api::{clock::ManualClock, config::Config, state::AppState};
use linli_infra::{DbConn, db, password, repo, time::to_millis};
use serde_json::{Value, json};

pub use serde_json;

pub mod live;

use linli_infra::testing::TestDatabase as TestDb;
pub use linli_infra::testing::postgres_base_url;

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
}

impl Resp {
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

    pub fn id(&self) -> i64 {
        self.body["id"]
            .as_i64()
            .unwrap_or_else(|| panic!("no id in {}", self.text))
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
    pub access_token: String,
    pub refresh_token: String,
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

impl TestApp {
    pub async fn new() -> Self {
        Self::with_config(|_| {}).await
    }

    /// Start with a tweaked configuration.
    pub async fn with_config(tweak: impl FnOnce(&mut Config)) -> Self {
        let db = TestDb::new();
        let mut config = Config::for_tests(db.url.clone(), db.dir.clone());
        tweak(&mut config);
        let pool = linli_api::server::open_database(&config).unwrap();
        let clock = ManualClock::new(start_time());
        let state =
            linli_api::server::build_state(config, pool, std::sync::Arc::new(clock.clone()))
                .unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let st = state.clone();
        let server = actix_web::HttpServer::new(move || linli_api::app(st.clone()))
            .workers(2)
            .disable_signals()
            .listen(listener)
            .unwrap()
            .run();
        let handle = server.handle();
        actix_web::rt::spawn(server);
        Self {
            base: format!("http://127.0.0.1:{port}"),
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
        let mut req = self.client.request(method, self.url(path));
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
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Resp {
            status: res.status().as_u16(),
            headers: res.headers().clone(),
            text,
            body,
        }
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

    /// Send raw bytes with a content type (for malformed-body tests and uploads).
    pub async fn send_raw(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        content_type: &str,
        bytes: Vec<u8>,
    ) -> Resp {
        let mut req = self
            .client
            .request(method, self.url(path))
            .insert_header(("Content-Type", content_type));
        if let Some(t) = token {
            req = req.insert_header(("Authorization", format!("Bearer {t}")));
        }
        let mut res = req.send_body(bytes).await.unwrap();
        let body_bytes = res.body().limit(50 * 1024 * 1024).await.unwrap();
        let text = String::from_utf8_lossy(&body_bytes).into_owned();
        let body = serde_json::from_slice(&body_bytes).unwrap_or(Value::Null);
        Resp {
            status: res.status().as_u16(),
            headers: res.headers().clone(),
            text,
            body,
        }
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

    /// Create an account of any role directly in the database, then log in through HTTP.
    pub async fn staff(&self, role: &str, scope_id: Option<i64>) -> Session {
        let phone = self.next_phone();
        let hash = password::hash(PASSWORD).unwrap();
        let now = to_millis(self.now());
        let mut conn = self.conn();
        let user = repo::users::create(
            &mut conn,
            &repo::users::NewUser {
                phone: &phone,
                password_hash: &hash,
                display_name: &format!("{role} {phone}"),
                role,
                scope_id,
                compound_id: None,
                building_id: None,
                unit: None,
                created_at: now,
            },
        )
        .unwrap();
        drop(conn);
        self.session_for(user.id, &phone, role, scope_id).await
    }

    async fn session_for(
        &self,
        id: i64,
        phone: &str,
        role: &str,
        scope_id: Option<i64>,
    ) -> Session {
        let res = self.login(phone, PASSWORD).await.expect(200);
        Session {
            id,
            phone: phone.to_owned(),
            password: PASSWORD.to_owned(),
            role: role.to_owned(),
            scope_id,
            access_token: res.body["access_token"].as_str().unwrap().to_owned(),
            refresh_token: res.body["refresh_token"].as_str().unwrap().to_owned(),
        }
    }

    pub async fn admin(&self) -> Session {
        self.staff("admin", None).await
    }

    /// Register a resident through the public endpoint and log in.
    pub async fn resident(&self, compound_id: i64, building_id: Option<i64>) -> Session {
        let phone = self.next_phone();
        let res = self
            .post(
                "/api/v1/auth/register",
                None,
                &json!({
                    "phone": phone,
                    "password": PASSWORD,
                    "display_name": format!("居民{phone}"),
                    "compound_id": compound_id,
                    "building_id": building_id,
                    "unit": "1单元 101",
                }),
            )
            .await
            .expect(201);
        self.session_for(res.id(), &phone, "resident", Some(compound_id))
            .await
    }

    /// Seed the standard small district directly through the repositories.
    pub fn seed_district(&self) -> District {
        let now = to_millis(self.now());
        let mut conn = self.conn();
        let c: &mut DbConn = &mut conn;
        use repo::org::*;
        let street = create_street(c, "岳塘街道", now).unwrap().id;
        let community_a = create_community(c, street, "东坪社区", now).unwrap().id;
        let community_b = create_community(c, street, "宝塔社区", now).unwrap().id;
        let grid_a = create_grid(c, community_a, "东坪一网格", now).unwrap().id;
        let grid_b = create_grid(c, community_b, "宝塔一网格", now).unwrap().id;
        let company_1 = create_property_company(c, "红管家物业", now).unwrap().id;
        let company_2 = create_property_company(c, "万怡物业", now).unwrap().id;
        let compound_a = create_compound(c, community_a, "西江俪园", company_1, now)
            .unwrap()
            .id;
        let compound_a2 = create_compound(c, community_a, "书香人家", company_2, now)
            .unwrap()
            .id;
        let compound_b = create_compound(c, community_b, "文和园", company_2, now)
            .unwrap()
            .id;
        let building_a1 = create_building(c, compound_a, "1栋", grid_a, now)
            .unwrap()
            .id;
        let building_a2 = create_building(c, compound_a2, "1栋", grid_a, now)
            .unwrap()
            .id;
        let building_b1 = create_building(c, compound_b, "1栋", grid_b, now)
            .unwrap()
            .id;
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
        self.file_issue(
            who,
            &issue_body(category, d.compound_a, Some(d.building_a1)),
        )
        .await
        .expect(201)
        .id()
    }

    /// The handler accepts (部门解答) with `message`, then submits the rectification with `notes`;
    /// asserts both succeed.
    pub async fn accept_and_rectify(&self, handler: &Session, id: i64, message: &str, notes: &str) {
        self.act(
            handler,
            id,
            "answer",
            &json!({"message": message, "accept": true}),
        )
        .await
        .expect(200);
        self.act(handler, id, "rectification", &json!({"notes": notes}))
            .await
            .expect(200);
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
    /// Log every account in again (after the manual clock moved past the access tokens' life).
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
            &mut self.auditor,
            &mut self.admin,
        ] {
            app.relogin(s).await;
        }
    }
}

impl TestApp {
    /// A fresh access token for `s` (the manual clock may have expired the old one).
    pub async fn relogin(&self, s: &mut Session) {
        let res = self.login(&s.phone, &s.password).await.expect(200);
        s.access_token = res.body["access_token"].as_str().unwrap().to_owned();
        s.refresh_token = res.body["refresh_token"].as_str().unwrap().to_owned();
    }
}
// ---- end of issue lifecycle helpers -----------------------------------------------------------

// ---------------------------------------------------------------------------------------------
// Workflow-extras and scheduler helpers (photos, comments, support, notifications, revisits,
// scheduler): drive issues through the domain and the same command path the HTTP handlers use
// (`linli_api::issues::core::execute`), independent of the transition endpoints.
// ---------------------------------------------------------------------------------------------

pub mod direct {
    use linli_api::{error::ApiError, issues::core, scheduler};
    use linli_domain::{
        auth::{Actor, Role, Scope},
        category::Category,
        ids::{BuildingId, CommunityId, CompoundId, GridId, PropertyCompanyId, StreetId, UserId},
        issue::{Command, Issue, NewIssue, Place, Source},
        triage::{self, TriageOverrides},
        values::Satisfaction,
    };
    use linli_infra::{
        DbConn, db,
        repo::{self, issues::EventActor},
    };

    use super::{Session, TestApp};

    /// The domain actor behind a session.
    pub fn actor(s: &Session) -> Actor {
        let role = Role::parse(&s.role).unwrap();
        Actor {
            user_id: UserId(s.id),
            role,
            scope: Scope::for_role(role, s.scope_id).unwrap(),
        }
    }

    impl TestApp {
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
            let cp = repo::org::compound_place(c, compound_id).unwrap();
            let grid = building_id.map(|b| repo::org::find_building(c, b).unwrap().grid_id);
            let new = NewIssue {
                reporter: UserId(reporter.id),
                category: Category::parse(category).unwrap(),
                source: Source::App,
                place: Place {
                    street_id: StreetId(cp.street_id),
                    community_id: CommunityId(cp.community_id),
                    compound_id: CompoundId(compound_id),
                    building_id: building_id.map(BuildingId),
                    grid_id: grid.map(GridId),
                    property_company_id: PropertyCompanyId(cp.property_company_id),
                },
                description: format!("{category}: 请物业尽快处理，谢谢"),
                unit: None,
                location_text: None,
                lat: None,
                lon: None,
                is_public,
                urgency: None,
            };
            let (issue, event) = Issue::file(new, now, &cfg);
            let by = EventActor {
                user_id: Some(reporter.id),
                role: Some(reporter.role.as_str()),
            };
            db::write_transaction(c, |c| {
                let (stored, event_id) = repo::issues::insert(c, &issue, &event, by, now)?;
                repo::notifications::notify_event(c, &stored, event_id, &event, Some(reporter.id))?;
                Ok::<_, linli_infra::RepoError>(stored.id.0)
            })
            .unwrap()
        }

        /// Apply a command as `by` (None: the scheduler) through `core::execute`, at the clock's
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
                core::execute(c, &cfg, who.as_ref(), issue_id, None, now, move |_, _| {
                    Ok(command)
                })
                .map(|applied| applied.issue)
            })
        }

        /// The issue as stored.
        pub fn issue_direct(&self, issue_id: i64) -> Issue {
            let mut conn = self.conn();
            repo::issues::find(&mut conn, linli_domain::ids::IssueId(issue_id)).unwrap()
        }

        /// Triage as suggested (no overrides), as `dispatcher`.
        pub fn triage_direct(&self, issue_id: i64, dispatcher: &Session) -> Issue {
            let issue = self.issue_direct(issue_id);
            let cfg = &self.state.config.workflow;
            let decision = triage::decide(
                &issue.suggestion,
                TriageOverrides::default(),
                &issue.place,
                issue.created_at,
                &cfg.deadlines,
            )
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
                    message: "收到，马上安排".into(),
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
                        notes: "已整改".into(),
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
                            notes: "现场核查通过".into(),
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
            repo::issues::events(&mut conn, issue_id)
                .unwrap()
                .into_iter()
                .map(|e| e.kind)
                .collect()
        }
    }
}
