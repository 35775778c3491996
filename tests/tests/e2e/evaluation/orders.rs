//! Consequences of a published rating: rectification orders (整改通知) to companies graded 较差,
//! the company's answer, the office's closing, the replacement candidates (淘汰替换), the
//! recommended companies (优先推荐) and order compliance in the next quarter's 综合管理.

use linli_tests::serde_json::{Value, json};

use super::quarter::{RATINGS, company, draft_the_quarter};

const ORDERS: &str = "/api/v1/rectification-orders";

fn order_body(run: i64, company: i64, due: &str) -> Value {
    json!({"run_id": run, "property_company_id": company,
           "items": ["两周内清理全部楼道堆物", "逾期工单一周内全部办结"], "due_at": due})
}

#[actix_web::test]
async fn orders_to_poor_companies_answered_closed_and_listed() {
    let app = linli_tests::TestApp::new().await;
    let (q, draft) = draft_the_quarter(&app).await;
    let d = q.d;
    let run = draft["id"].as_i64().unwrap();
    let due = "2026-11-30T00:00:00+08:00";
    // Not before publication.
    app.post_as(&q.office, ORDERS, &order_body(run, d.company_2, due))
        .await
        .expect_problem(404, "not_found");
    app.post_as(&q.office, &format!("{RATINGS}/{run}/publish"), &json!({}))
        .await
        .expect(200);

    // Only to a 较差 company, with items and a due date ahead; only by the office.
    for (body, field) in [
        (order_body(run, d.company_1, due), "property_company_id"),
        (order_body(run, q.company_3, due), "property_company_id"),
        (
            order_body(run, d.company_2, "2026-10-01T00:00:00+08:00"),
            "due_at",
        ),
        (
            json!({"run_id": run, "property_company_id": d.company_2, "items": [],
                   "due_at": due}),
            "items",
        ),
    ] {
        let res = app
            .post_as(&q.office, ORDERS, &body)
            .await
            .expect_problem(422, "validation_failed");
        assert_eq!(res.body["field"], field);
    }
    for other in [&q.auditor, &q.property_2, &q.official_a, &q.resident_a2] {
        app.post_as(other, ORDERS, &order_body(run, d.company_2, due))
            .await
            .expect_problem(403, "forbidden");
    }
    assert_eq!(app.count("rectification_orders"), 0);
    let order = app
        .post_as(&q.office, ORDERS, &order_body(run, d.company_2, due))
        .await
        .expect(201);
    let id = order.id();
    assert_eq!(order.body["status"], "issued");
    assert_eq!(order.body["period"], "2026Q3");
    assert_eq!(order.body["property_company_name"], "万怡物业");
    // 公示 on the boards of the company's compounds, not elsewhere.
    let board = app
        .get_as(&q.resident_a2, "/api/v1/notices")
        .await
        .expect(200);
    assert_eq!(board.body["items"][0]["title"], "整改通知：万怡物业");
    let elsewhere = app
        .get_as(&q.resident_a, "/api/v1/notices")
        .await
        .expect(200);
    assert!(
        !elsewhere.body.to_string().contains("整改通知"),
        "{}",
        elsewhere.body
    );

    // Who sees it: the office and auditors, the ordered company; not another company, not
    // community officials or residents.
    let path = format!("{ORDERS}/{id}");
    for who in [&q.office, &q.auditor, &q.property_2] {
        app.get_as(who, &path).await.expect(200);
        assert_eq!(app.get_as(who, ORDERS).await.expect(200).ids(), [id]);
    }
    app.get_as(&q.property_1, &path)
        .await
        .expect_problem(404, "not_found");
    assert!(
        app.get_as(&q.property_1, ORDERS)
            .await
            .expect(200)
            .ids()
            .is_empty()
    );
    for who in [&q.official_a, &q.resident_a2] {
        app.get_as(who, ORDERS)
            .await
            .expect_problem(403, "forbidden");
        app.get_as(who, &path)
            .await
            .expect_problem(403, "forbidden");
    }

    // The company refuses (拒绝整改), with a reason; then it is settled.
    let answer = format!("{path}/answer");
    app.post_as(
        &q.property_1,
        &answer,
        &json!({"answer": "refuse", "note": "不同意"}),
    )
    .await
    .expect_problem(404, "not_found");
    app.post_as(
        &q.office,
        &answer,
        &json!({"answer": "refuse", "note": "不同意"}),
    )
    .await
    .expect_problem(403, "forbidden");
    app.post_as(&q.property_2, &answer, &json!({"answer": "refuse"}))
        .await
        .expect_problem(422, "validation_failed");
    let refused = app
        .post_as(
            &q.property_2,
            &answer,
            &json!({"answer": "refuse", "note": "我司认为评定有误，不予整改"}),
        )
        .await
        .expect(200);
    assert_eq!(refused.body["status"], "refused");
    app.post_as(
        &q.property_2,
        &answer,
        &json!({"answer": "accept", "plan": "整改"}),
    )
    .await
    .expect_problem(409, "conflict");
    app.post_as(
        &q.office,
        &format!("{path}/close"),
        &json!({"outcome": "fulfilled", "note": "复查"}),
    )
    .await
    .expect_problem(409, "conflict");

    // A second order is accepted with a plan and found fulfilled.
    let second = app
        .post_as(&q.office, ORDERS, &order_body(run, d.company_2, due))
        .await
        .expect(201)
        .id();
    let accepted = app
        .post_as(
            &q.property_2,
            &format!("{ORDERS}/{second}/answer"),
            &json!({"answer": "accept", "plan": "11月15日前完成楼道清理，建立每周巡查制度"}),
        )
        .await
        .expect(200);
    assert_eq!(accepted.body["status"], "accepted");
    let close = format!("{ORDERS}/{second}/close");
    app.post_as(
        &q.property_2,
        &close,
        &json!({"outcome": "fulfilled", "note": "完成"}),
    )
    .await
    .expect_problem(403, "forbidden");
    let closed = app
        .post_as(
            &q.office,
            &close,
            &json!({"outcome": "fulfilled", "note": "经复查已完成"}),
        )
        .await
        .expect(200);
    assert_eq!(closed.body["status"], "fulfilled");
    assert_eq!(closed.body["closing_note"], "经复查已完成");

    // 淘汰替换: company 2 (较差, one order refused) with the compounds it manages.
    let candidates = format!("{RATINGS}/{run}/replacement-candidates");
    for who in [&q.office, &q.auditor] {
        let res = app.get_as(who, &candidates).await.expect(200);
        let list = res.body.as_array().unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0]["property_company_id"], d.company_2);
        assert_eq!(list[0]["orders"], json!([{"id": id, "status": "refused"}]));
        let compounds: Vec<i64> = list[0]["compounds"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_i64().unwrap())
            .collect();
        assert_eq!(compounds, [d.compound_a2, d.compound_b]);
    }
    for who in [&q.property_2, &q.resident_a, &q.official_a] {
        app.get_as(who, &candidates)
            .await
            .expect_problem(403, "forbidden");
    }
    // 优先推荐: the 优秀 company, for anyone who reads the rating.
    let recommended = app
        .get_as(&q.resident_a2, &format!("{RATINGS}/{run}/recommended"))
        .await
        .expect(200);
    let list = recommended.body.as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["property_company_id"], d.company_1);
    assert_eq!(list[0]["grade"], "excellent");
    assert_eq!(list[0]["compounds"][0]["id"], d.compound_a);

    // Compliance feeds the next quarter's 综合管理: both orders are due in 2026Q4, one
    // refused and one fulfilled → 1 of 2.
    let q4 = app
        .post_as(&q.office, RATINGS, &json!({"period": "2026Q4"}))
        .await
        .expect(201);
    let inputs = &company(&q4.body, d.company_2)["inputs"];
    assert_eq!(inputs["orders_settled"], 2);
    assert_eq!(inputs["orders_fulfilled"], 1);
}
