//! GET /labels: every value of the closed sets labelled in the caller's language.

use actix_web::http::Method;
use linli_tests::{TestApp, serde_json::Value};

fn keys(v: &Value) -> Vec<&str> {
    v.as_object().unwrap().keys().map(String::as_str).collect()
}

#[actix_web::test]
async fn labels_come_in_chinese_by_default_and_in_english_on_request() {
    let app = TestApp::new().await;
    let zh = app.get("/api/v1/labels", None).await.expect(200);
    assert_eq!(zh.header("content-language").as_deref(), Some("zh-CN"));
    assert_eq!(zh.body["lang"], "zh-CN");
    assert_eq!(zh.body["statuses"]["awaiting_confirmation"], "待居民确认");
    assert_eq!(zh.body["categories"]["water_leak"], "漏水");
    assert_eq!(zh.body["roles"]["grid_worker"], "网格员");
    assert_eq!(zh.body["event_kinds"]["revisit_recurred"], "回头看发现复发");

    // Every category of the catalogue, every status of the state machine, in both languages.
    let catalogue = app.get("/api/v1/categories", None).await.expect(200);
    let codes: Vec<&str> = catalogue
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    assert_eq!(keys(&zh.body["categories"]), codes);
    let statuses = "submitted triaged in_deliberation in_progress awaiting_supervision \
                    awaiting_confirmation closed rejected withdrawn";
    assert_eq!(
        keys(&zh.body["statuses"]),
        statuses.split_whitespace().collect::<Vec<_>>()
    );

    let accept = [("Accept-Language", "en-GB,en;q=0.9,zh-CN;q=0.3")];
    let en = app
        .request(Method::GET, "/api/v1/labels", None, None, &accept)
        .await
        .expect(200);
    assert_eq!(en.header("content-language").as_deref(), Some("en"));
    assert_eq!(en.body["statuses"]["closed"], "Closed");
    let first = &catalogue.body[0];
    assert_eq!(
        en.body["categories"][first["code"].as_str().unwrap()],
        first["name_en"]
    );
    for set in [
        "categories",
        "statuses",
        "levels",
        "urgencies",
        "sources",
        "closures",
        "handler_kinds",
        "event_kinds",
        "revisit_outcomes",
        "roles",
    ] {
        assert_eq!(keys(&zh.body[set]), keys(&en.body[set]), "{set}");
        assert_ne!(zh.body[set], en.body[set], "{set}");
    }

    // `lang` wins over the header; a language Linli does not speak is refused.
    let res = app
        .request(
            Method::GET,
            "/api/v1/labels?lang=zh-CN",
            None,
            None,
            &accept,
        )
        .await;
    assert_eq!(res.expect(200).body["lang"], "zh-CN");
    app.get("/api/v1/labels?lang=fr", None)
        .await
        .expect_problem(400, "invalid_query");
}

#[actix_web::test]
async fn the_default_language_is_configurable() {
    let app = TestApp::with_config(|c| c.default_language = linli_domain::labels::Lang::En).await;
    let res = app.get("/api/v1/labels", None).await.expect(200);
    assert_eq!(res.body["lang"], "en");
    let zh = [("Accept-Language", "zh")];
    let res = app
        .request(Method::GET, "/api/v1/labels", None, None, &zh)
        .await
        .expect(200);
    assert_eq!(res.body["lang"], "zh-CN");
}
