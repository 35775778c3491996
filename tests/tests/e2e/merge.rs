//! Merging duplicates (issue 12, item 5): a dispatcher closes a duplicate as `merged` into its
//! primary; the duplicate's reporter and supporters follow the primary (told of its changes,
//! finding it with `mine=true`, counted in its "me too"s); no merges into itself, into a closed
//! case, or in chains.

use linli_tests::{TestApp, issue_body, serde_json::json};

#[actix_web::test]
async fn duplicates_merged_into_a_primary_follow_it_to_the_end() {
    let (app, cast) = TestApp::with_cast().await;
    let d = cast.district;
    let private = |category: &str| {
        let mut b = issue_body(category, d.compound_a, Some(d.building_a1));
        b["is_public"] = json!(false);
        b
    };
    // The primary: the neighbour's own, private report.
    let primary = app
        .file_issue(&cast.neighbour, &private("water_leak"))
        .await
        .expect(201)
        .id();
    // Two duplicates: the resident's public one, which a third resident backs, and a fourth
    // resident's private one.
    let first = app.resident_files(&cast, "water_leak").await;
    let third = app.resident(d.compound_a, Some(d.building_a1)).await;
    let fourth = app.resident(d.compound_a, Some(d.building_a1)).await;
    app.post_as(
        &third,
        &format!("/api/v1/issues/{first}/support"),
        &json!({}),
    )
    .await
    .expect(200);
    let second = app
        .file_issue(&fourth, &private("water_leak"))
        .await
        .expect(201)
        .id();
    // The primary is private: the duplicates' people cannot see it yet.
    for who in [&cast.resident, &third, &fourth] {
        app.issue(who, primary).await.expect(404);
    }

    // Only the street's dispatcher merges (the company does not even see the case yet).
    for who in [&cast.resident, &cast.official, &cast.street_official] {
        app.merge(who, first, primary)
            .problem(403, "forbidden")
            .await;
    }
    app.merge(&cast.property_1, first, primary)
        .problem(404, "not_found")
        .await;
    // Into itself, into nothing, into another compound's case: 422.
    app.merge(&cast.dispatcher, first, first)
        .problem(422, "merge_into_itself")
        .await;
    app.merge(&cast.dispatcher, first, 999_999)
        .problem(422, "validation_failed")
        .await;
    let elsewhere = app
        .file_issue(
            &cast.outsider,
            &issue_body("water_leak", d.compound_b, Some(d.building_b1)),
        )
        .await
        .expect(201)
        .id();
    app.merge(&cast.dispatcher, first, elsewhere)
        .problem(422, "validation_failed")
        .await;
    // Into a closed (here withdrawn) case: 409.
    let gone = app.file(&cast.neighbour, "water_leak", &d).await;
    app.withdraw(&cast.neighbour, gone).await;
    app.merge(&cast.dispatcher, first, gone)
        .problem(409, "merge_target_closed")
        .await;

    let merged = app.merge(&cast.dispatcher, first, primary).await;
    assert_eq!(merged.status, "closed");
    assert_eq!(merged.closure.as_deref(), Some("merged"));
    assert_eq!(merged.merged_into, Some(primary));
    app.triage(&cast.dispatcher, second).await;
    app.merge(&cast.dispatcher, second, primary).await;
    app.assert_timeline(&cast.dispatcher, first, "created merged")
        .await;
    // Its reporter is told it closed.
    assert!(app.notified(&cast.resident, first, "merged").await);

    // No chains: the primary has duplicates now, a merged case is closed, and merging into a
    // merged case is refused as such.
    let other = app.file(&cast.neighbour, "water_leak", &d).await;
    app.merge(&cast.dispatcher, primary, other)
        .problem(409, "merge_chain")
        .await;
    app.merge(&cast.dispatcher, other, first)
        .problem(409, "merge_chain")
        .await;
    app.merge(&cast.dispatcher, first, other)
        .problem(409, "illegal_transition")
        .await;

    // The primary counts them all in its "me too"s, and they all see it as their own.
    let seen = app.view(&cast.dispatcher, primary).await;
    assert_eq!(seen.support_count, 3);
    for (who, duplicate) in [(&cast.resident, first), (&fourth, second)] {
        let mine = app.list_ids(who, "&mine=true").await;
        // Newest first.
        let mut want = vec![primary, duplicate];
        want.sort_unstable_by(|a, b| b.cmp(a));
        assert_eq!(mine, want);
        app.issue(who, primary).await.expect(200);
    }
    assert_eq!(app.list_ids(&third, "&mine=true").await, vec![primary]);
    assert!(app.list_ids(&third, "").await.contains(&primary));
    // Having backed it already, they cannot "me too" it again.
    app.post_as(
        &third,
        &format!("/api/v1/issues/{primary}/support"),
        &json!({}),
    )
    .await
    .expect_problem(409, "already_supported");

    // The primary is worked on and closed: every follower is told, like its reporter.
    app.triage(&cast.dispatcher, primary).await;
    app.accept_and_rectify(&cast.property_1, primary, "收到", "已修好")
        .await;
    app.supervise(&cast.committee, primary, true, "核查通过")
        .await;
    app.confirm(&cast.neighbour, primary).rating(5).await;
    for who in [&cast.resident, &third, &fourth] {
        assert!(
            app.notified(who, primary, "confirmed").await,
            "{}",
            who.role
        );
        assert!(app.notified(who, primary, "triaged").await);
    }

    // Merged duplicates are counted apart, never due or resolved themselves.
    let summary = app.community_summary(&cast.auditor, d.community_a).await;
    assert_eq!(summary["merged"], 2, "{summary}");
    assert_eq!(summary["resolved"], 1, "{summary}");
    assert_eq!(summary["due"], 1, "{summary}");
}
