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
    assert_eq!(zh.body["roles"]["district_office"], "区物管办");
    assert_eq!(zh.body["grades"]["poor"], "较差");
    assert_eq!(zh.body["grades"]["not_rated"], "未评定");
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
    let statuses = "submitted triaged in_deliberation in_progress returned awaiting_supervision \
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
        "return_reasons",
        "revisit_outcomes",
        "roles",
        "grades",
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

/// A wrong login as `accept` (none: the default) asks for it: (status, code, detail, language).
async fn wrong_login(app: &TestApp, accept: Option<&str>) -> (u16, String, String, String) {
    let headers: Vec<(&str, &str)> = accept.map(|a| ("Accept-Language", a)).into_iter().collect();
    let body =
        linli_tests::serde_json::json!({"phone": "13900009999", "password": "wrong-password-1"});
    let res = app
        .request(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(&body),
            &headers,
        )
        .await;
    let text = |k: &str| res.body[k].as_str().unwrap_or_default().to_owned();
    (
        res.status,
        text("code"),
        text("detail"),
        res.header("content-language").unwrap_or_default(),
    )
}

#[actix_web::test]
async fn problems_speak_the_callers_language_and_keep_their_code() {
    let app = TestApp::new().await;
    let zh = wrong_login(&app, Some("zh-CN,zh;q=0.9")).await;
    assert_eq!(
        zh,
        (
            401,
            "invalid_credentials".into(),
            "手机号或密码错误".into(),
            "zh-CN".into()
        )
    );
    assert_eq!(wrong_login(&app, None).await, zh, "Chinese by default");
    let en = wrong_login(&app, Some("en-US,en;q=0.8")).await;
    assert_eq!(
        (en.0, en.1.as_str(), en.3.as_str()),
        (401, "invalid_credentials", "en")
    );
    assert!(en.2.is_ascii() && en.2.contains("password"), "{}", en.2);

    // A validation problem names its field in Chinese too; the field member is unchanged.
    let res = app
        .get("/api/v1/labels?lang=fr", None)
        .await
        .expect_problem(400, "invalid_query");
    assert_eq!(res.body["title"], "请求有误");
    let res = app
        .post(
            "/api/v1/auth/sms-codes",
            None,
            &linli_tests::serde_json::json!({"phone": "123", "purpose": "login"}),
        )
        .await;
    let res = res.expect_problem(422, "validation_failed");
    assert_eq!(res.body["field"], "phone");
    assert_eq!(res.body["detail"], "「phone」填写的内容不符合要求");

    let app = TestApp::with_config(|c| c.default_language = linli_domain::labels::Lang::En).await;
    assert_eq!(
        wrong_login(&app, None).await.3,
        "en",
        "the district chose English"
    );
    assert_eq!(wrong_login(&app, Some("zh")).await.2, "手机号或密码错误");
}
