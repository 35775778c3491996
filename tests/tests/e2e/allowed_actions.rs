//! `allowed_actions` equals what the server permits: for every account of the cast and every
//! situation the workflow can reach, each action GET /issues/{id} lists succeeds when tried (on
//! a fresh issue in that situation when it moves the issue on), and each action it does not list
//! is refused (403, 404 or 409). Lists say the same as the issue itself.

use chrono::Duration;
use linli_tests::{Cast, Session, TestApp};
use serde_json::{Value, json};

/// Every action an issue response may list, as sent in `allowed_actions`.
const ACTIONS: [&str; 19] = [
    "triage",
    "reject",
    "withdraw",
    "answer",
    "rectification",
    "supervision",
    "confirmation",
    "revisit",
    "mediation",
    "deliberation",
    "support",
    "comment",
    "return",
    "return_decision",
    "reassign",
    "urge",
    "extension_request",
    "extension_decision",
    "merge",
];

/// The situations the walk covers: a name, and the status it must be in.
const SITUATIONS: [(&str, &str); 19] = [
    ("submitted", "submitted"),
    ("rejected", "rejected"),
    ("withdrawn", "withdrawn"),
    ("triaged_property", "triaged"),
    ("triaged_grid", "triaged"),
    ("triaged_department", "triaged"),
    ("triaged_mediation", "triaged"),
    ("triaged_residents", "triaged"),
    ("in_progress_residents", "in_progress"),
    ("in_deliberation", "in_deliberation"),
    ("in_progress", "in_progress"),
    ("in_progress_mediation", "in_progress"),
    ("extension_pending", "in_progress"),
    ("returned", "returned"),
    ("awaiting_supervision", "awaiting_supervision"),
    ("awaiting_confirmation", "awaiting_confirmation"),
    ("closed", "closed"),
    // A consultation: answered and closed, never rectified nor revisited.
    ("consultation_triaged", "triaged"),
    ("consultation_closed", "closed"),
];

/// The cast, and the building leader of A1 and a volunteer of community A.
fn everyone<'a>(cast: &'a Cast, neighbours: &'a [Session; 2]) -> Vec<(&'static str, &'a Session)> {
    vec![
        ("building_leader", &neighbours[0]),
        ("volunteer", &neighbours[1]),
        ("reporter", &cast.resident),
        ("neighbour", &cast.neighbour),
        ("outsider", &cast.outsider),
        ("dispatcher", &cast.dispatcher),
        ("grid_worker", &cast.grid_worker),
        ("grid_worker_b", &cast.grid_worker_b),
        ("property_1", &cast.property_1),
        ("property_2", &cast.property_2),
        ("committee", &cast.committee),
        ("committee_b", &cast.committee_b),
        ("official", &cast.official),
        ("official_b", &cast.official_b),
        ("mediator", &cast.mediator),
        ("street_official", &cast.street_official),
        ("district_office", &cast.district_office),
        ("auditor", &cast.auditor),
        ("admin", &cast.admin),
    ]
}

/// A new public water leak in compound A / building A1, by the cast's resident, brought into
/// `situation` through the API.
async fn reach(app: &TestApp, cast: &Cast, situation: &str) -> i64 {
    let id = if situation.starts_with("consultation") {
        let mut body = cast.district.issue_body("water_leak");
        body["kind"] = json!("consultation");
        app.file_issue(&cast.resident, &body).await.expect(201).id()
    } else {
        app.resident_files(cast, "water_leak").await
    };
    let triage_to = |level: &'static str| {
        app.triage(&cast.dispatcher, id)
            .with("level", level)
            .reason("派到合适的单位")
    };
    match situation {
        "submitted" => {}
        "rejected" => {
            app.reject(&cast.dispatcher, id, "不属于物业管理范围").await;
        }
        "withdrawn" => {
            app.withdraw(&cast.resident, id).await;
        }
        "triaged_grid" => {
            triage_to("grid").await;
        }
        // 小事居民治: the building leader of A1.
        "triaged_residents" | "in_progress_residents" => {
            triage_to("residents").await;
            if situation == "in_progress_residents" {
                let leader = app
                    .staff("building_leader", Some(cast.district.building_a1))
                    .await;
                app.answer(&leader, id, "收到，今晚处理").await;
            }
        }
        "triaged_department" => {
            triage_to("department").with("department", "供电公司").await;
        }
        "triaged_mediation" | "in_progress_mediation" => {
            triage_to("mediation").await;
            if situation == "in_progress_mediation" {
                app.mediate(&cast.mediator, id, true, "双方已达成一致")
                    .await;
                app.confirm(&cast.resident, id)
                    .not_resolved()
                    .comment("楼上还在漏")
                    .await;
            }
        }
        "in_deliberation" => {
            triage_to("community").await;
        }
        "extension_pending" => {
            app.triage(&cast.dispatcher, id).await;
            app.answer(&cast.property_1, id, "收到，明天上午上门维修")
                .await;
            let due = app.now() + Duration::days(20);
            app.request_extension(&cast.property_1, id, due, "等待厂家配件")
                .await
                .expect(201);
        }
        "consultation_triaged" | "consultation_closed" => {
            app.triage(&cast.dispatcher, id).await;
            if situation == "consultation_closed" {
                app.answer(&cast.property_1, id, "维修基金使用办法已公示")
                    .await;
            }
        }
        "returned" => {
            app.triage(&cast.dispatcher, id).await;
            app.return_issue(&cast.property_1, id, "wrong_place", "不在本项目范围")
                .await;
        }
        _ => {
            app.triage(&cast.dispatcher, id).await;
            let steps = [
                "in_progress",
                "awaiting_supervision",
                "awaiting_confirmation",
                "closed",
            ];
            let depth = steps.iter().position(|s| *s == situation).map(|p| p + 1);
            let depth = depth.unwrap_or(0);
            if depth >= 1 {
                app.answer(&cast.property_1, id, "收到，明天上午上门维修")
                    .await;
            }
            if depth >= 2 {
                app.rectify(&cast.property_1, id, "已更换漏水管道").await;
            }
            if depth >= 3 {
                app.supervise(&cast.committee, id, true, "现场核查通过")
                    .await;
            }
            if depth >= 4 {
                app.confirm(&cast.resident, id).rating(4).await;
            }
        }
    }
    id
}

/// The id of the pending extension request of issue `id`, if any (a made-up one otherwise).
async fn pending_request(app: &TestApp, who: &Session, id: i64) -> i64 {
    let res = app
        .get_as(who, &format!("/api/v1/issues/{id}/extension-requests"))
        .await;
    let items = res.body["items"].as_array().cloned().unwrap_or_default();
    items
        .iter()
        .find(|r| r["status"] == "pending")
        .and_then(|r| r["id"].as_i64())
        .unwrap_or(999_999)
}

/// A valid request for `action` on issue `id` (whose level is `level`) by `who`: path and body.
/// A merge goes into `primary`, an open case of the same compound.
async fn request(
    app: &TestApp,
    who: &Session,
    id: i64,
    level: Option<&str>,
    action: &str,
    primary: i64,
) -> (String, Value) {
    let held_at = (app.now() - Duration::hours(1)).to_rfc3339();
    let far = (app.now() + Duration::days(30)).to_rfc3339();
    let body = match action {
        "triage" | "withdraw" | "support" => json!({}),
        "reject" => json!({"reason": "重复提交"}),
        // A mediation case is declined here (it is settled through `mediation`).
        "answer" if level == Some("mediation") => {
            json!({"message": "这是邻里纠纷，请调解", "accept": false, "reason": "应由和事佬调解"})
        }
        "answer" => json!({"message": "收到，马上安排", "accept": true}),
        "rectification" => json!({"notes": "已整改完毕"}),
        "supervision" => json!({"passed": true, "notes": "核查通过"}),
        "confirmation" => json!({"resolved": true, "satisfaction": 5}),
        "revisit" => json!({"outcome": "confirmed", "notes": "回头看：已修好"}),
        "mediation" => json!({"settled": true, "notes": "双方和解"}),
        "deliberation" => json!({
            "held_at": held_at, "venue": "社区议事厅", "attendees": ["陈书记", "李主任"],
            "decision": "由社区协调解决", "outcome": "close"
        }),
        "comment" => json!({"body": "请尽快处理"}),
        "return" => json!({"reason": "not_our_duty", "note": "不属于本单位职责"}),
        "return_decision" => json!({"upheld": false, "note": "退单不成立，请继续办理"}),
        // To a department unless it is one already.
        "reassign" if level == Some("department") => {
            json!({"level": "property", "reason": "改由物业处理"})
        }
        "reassign" => {
            json!({"level": "department", "department": "供电公司", "reason": "改派职能部门"})
        }
        "urge" => json!({"note": "群众反映强烈，请加快办理"}),
        "extension_request" => json!({"new_resolution_due": far, "reason": "需等待配件"}),
        "extension_decision" => json!({"approved": true, "note": "同意延期"}),
        "merge" => json!({"into": primary}),
        other => panic!("no request for {other}"),
    };
    let segment = match action {
        "comment" => "comments".to_owned(),
        "return_decision" => "return-decision".to_owned(),
        "extension_request" => "extension-requests".to_owned(),
        "extension_decision" => {
            let rid = pending_request(app, who, id).await;
            format!("extension-requests/{rid}/decision")
        }
        other => other.to_owned(),
    };
    (format!("/api/v1/issues/{id}/{segment}"), body)
}

/// Whether an action moves the issue on (so it is tried on a fresh copy).
fn changes_state(action: &str) -> bool {
    !matches!(action, "support" | "comment")
}

/// `who`'s view of issue `id`: its level and `allowed_actions`, or `None` when not visible.
async fn allowed(app: &TestApp, who: &Session, id: i64) -> Option<(Option<String>, Vec<String>)> {
    let res = app.issue(who, id).await;
    if res.status == 404 {
        return None;
    }
    let res = res.expect(200);
    let actions = res.body["allowed_actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap().to_owned())
        .collect();
    let level = res.body["level"].as_str().map(str::to_owned);
    Some((level, actions))
}

#[actix_web::test]
async fn allowed_actions_are_exactly_what_the_server_permits() {
    let (app, cast) = TestApp::with_cast().await;
    // The open case every permitted merge goes into.
    let primary = app.resident_files(&cast, "water_leak").await;
    let d = cast.district;
    let neighbours = [
        app.staff("building_leader", Some(d.building_a1)).await,
        app.staff("volunteer", Some(d.community_a)).await,
    ];
    let mut issues = Vec::new();
    for (situation, status) in SITUATIONS {
        let id = reach(&app, &cast, situation).await;
        assert_eq!(
            app.view(&cast.resident, id).await.status,
            status,
            "{situation}"
        );
        issues.push((situation, id));
    }

    // The list carries the same actions as the issue itself.
    for (name, who) in everyone(&cast, &neighbours) {
        let res = app
            .get("/api/v1/issues?limit=100", Some(&who.access_token))
            .await
            .expect(200);
        for item in res.body["items"].as_array().unwrap() {
            let id = item["id"].as_i64().unwrap();
            let single = allowed(&app, who, id).await.unwrap().1;
            let listed: Vec<String> =
                serde_json::from_value(item["allowed_actions"].clone()).unwrap();
            assert_eq!(listed, single, "{name}: issue {id} in the list");
        }
    }

    let mut tried = 0;
    let mut seen = std::collections::BTreeSet::new();
    for (situation, id) in &issues {
        for (name, who) in everyone(&cast, &neighbours) {
            let (level, listed) = allowed(&app, who, *id).await.unwrap_or_default();
            seen.extend(listed.iter().cloned());
            for action in ACTIONS {
                let what = format!("{name} on {situation}: {action} (allowed: {listed:?})");
                let permitted = listed.iter().any(|a| a == action);
                let target = if permitted && changes_state(action) {
                    // Tried on a fresh issue in the same situation, which lists it too.
                    let fresh = reach(&app, &cast, situation).await;
                    let (_, again) = allowed(&app, who, fresh).await.unwrap();
                    assert_eq!(again, listed, "{what}: a fresh copy lists the same");
                    fresh
                } else {
                    *id
                };
                let (path, body) =
                    request(&app, who, target, level.as_deref(), action, primary).await;
                let res = app.post(&path, Some(&who.access_token), &body).await;
                if permitted {
                    assert!(
                        matches!(res.status, 200 | 201),
                        "{what}: listed but got {} {}",
                        res.status,
                        res.text
                    );
                } else {
                    assert!(
                        matches!(res.status, 403 | 404 | 409),
                        "{what}: not listed but got {} {}",
                        res.status,
                        res.text
                    );
                }
                tried += 1;
            }
        }
    }
    assert_eq!(
        tried,
        SITUATIONS.len() * everyone(&cast, &neighbours).len() * ACTIONS.len()
    );

    // The walk saw what the workflow promises: somebody may take every action somewhere.
    for action in ACTIONS {
        assert!(
            seen.contains(action),
            "nobody may {action} anywhere: {seen:?}"
        );
    }
}
