//! 督办 (issue 12, item 3): dispatchers, street and community officials and the district office
//! urge the handler; an event, a notification to the handler's accounts, a count on the issue and
//! in the summary report.

use linli_tests::TestApp;

#[actix_web::test]
async fn urging_notifies_the_handler_and_is_counted() {
    let (app, cast) = TestApp::with_cast().await;
    let id = app.resident_files(&cast, "water_leak").await;
    // Nobody handles it yet: nothing to urge.
    app.urge(&cast.dispatcher, id, "请尽快分派")
        .problem(409, "illegal_transition")
        .await;
    app.triage(&cast.dispatcher, id).await;
    let other_staff = app
        .staff("property_staff", Some(cast.district.company_1))
        .await;

    // Residents and handlers do not urge, nor the committee or the auditor.
    for who in [
        &cast.resident,
        &cast.property_1,
        &cast.committee,
        &cast.auditor,
    ] {
        app.urge(who, id, "快点").problem(403, "forbidden").await;
    }
    // Who cannot see it at all (another company, another community's official): 404.
    for who in [&cast.property_2, &cast.official_b] {
        app.urge(who, id, "快点").problem(404, "not_found").await;
    }
    app.urge(&cast.dispatcher, id, " ")
        .problem(422, "validation_failed")
        .await;

    let urged = app
        .urge(&cast.dispatcher, id, "居民多次反映，请今日内上门")
        .await;
    assert_eq!((urged.status.as_str(), urged.urge_count), ("triaged", 1));
    // Every account of the handling company is told; the urger is not.
    assert!(app.notified(&cast.property_1, id, "urged").await);
    assert!(app.notified(&other_staff, id, "urged").await);
    assert!(!app.notified(&cast.dispatcher, id, "urged").await);
    // Nor the resident: urging changes nothing for them.
    assert!(!app.notified(&cast.resident, id, "urged").await);

    // The community's and the street's officials and the district office urge too.
    app.answer(&cast.property_1, id, "收到").await;
    app.urge(&cast.official, id, "社区督办").await;
    app.urge(&cast.street_official, id, "街道督办").await;
    let last = app.urge(&cast.district_office, id, "区物管办督办").await;
    assert_eq!((last.status.as_str(), last.urge_count), ("in_progress", 4));
    app.assert_timeline(
        &cast.dispatcher,
        id,
        "created triaged urged answered urged urged urged",
    )
    .await;
    let events = app.events(&cast.dispatcher, id).await;
    let first = events.iter().find(|e| e["kind"] == "urged").unwrap();
    assert_eq!(first["note"], "居民多次反映，请今日内上门");
    assert_eq!(first["actor_role"], "dispatcher");

    // Once rectified and waiting on the committee and the resident, urging the handler is over.
    app.rectify(&cast.property_1, id, "已修好").await;
    app.urge(&cast.dispatcher, id, "再催")
        .problem(409, "illegal_transition")
        .await;

    // The summary counts the urgings, in the list and by id.
    let other = app.resident_files(&cast, "greening").await;
    app.triage(&cast.dispatcher, other).await;
    app.urge(&cast.dispatcher, other, "督办").await;
    let summary = app
        .community_summary(&cast.auditor, cast.district.community_a)
        .await;
    assert_eq!(summary["urged"], 5, "{summary}");
    let listed = app
        .get_as(&cast.dispatcher, "/api/v1/issues?limit=100")
        .await
        .expect(200);
    let row = listed.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id)
        .cloned()
        .unwrap();
    assert_eq!(row["urge_count"], 4);
}
