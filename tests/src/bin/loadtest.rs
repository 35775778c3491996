//! Load benchmark: seeds a district's worth of issues (default 100 000, `--issues N`) into a
//! fresh database (SQLite, or PostgreSQL with `LINLI_TEST_DATABASE_URL`), starts the real
//! server and measures the read paths a district leans on: keyset-paginated lists, filters,
//! single issues and the GROUP BY reports. Prints p50 / p95 / max latencies per endpoint.
//!
//! `cargo run --release -p linli-tests --bin loadtest -- --issues 100000`
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration as StdDuration, Instant};

use chrono::Duration;
use linli_api::application::{
    AppError,
    issues::{execute, intake},
};
use linli_domain::{
    ids::UserId,
    issue::{Command, Issue, NewIssue},
    triage::{self, TriageOverrides},
    values::{IssueDescription, Note, Satisfaction},
};
use linli_infra::db;
use linli_tests::TestApp;

fn percentile(sorted: &[StdDuration], p: f64) -> StdDuration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

async fn measure(app: &TestApp, token: &str, name: &str, paths: &[String]) {
    let mut times = Vec::with_capacity(paths.len());
    let mut failures = 0;
    for p in paths {
        let t = Instant::now();
        let res = app.get(p, Some(token)).await;
        times.push(t.elapsed());
        if res.status != 200 {
            failures += 1;
            if failures == 1 {
                eprintln!("  {name}: {p} → {} {}", res.status, res.text);
            }
        }
    }
    times.sort();
    println!(
        "{name:<40} n={:<5} p50={:>8.2?} p95={:>8.2?} max={:>8.2?} non-200={failures}",
        times.len(),
        percentile(&times, 0.5),
        percentile(&times, 0.95),
        times[times.len() - 1],
    );
}

#[actix_web::main]
async fn main() {
    let n: usize = std::env::args()
        .skip_while(|a| a != "--issues")
        .nth(1)
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let app = TestApp::new().await;
    let d = app.seed_district();
    let reporter = app.resident(d.compound_a, Some(d.building_a1)).await;
    let auditor = app.staff("auditor", None).await;

    println!("seeding {n} issues ...");
    let started = Instant::now();
    let cfg = app.state.config.workflow.clone();
    let t0 = app.now() - Duration::days(180);
    let compounds = [d.compound_a, d.compound_a2, d.compound_b];
    let mut conn = app.conn();
    for chunk in (0..n).collect::<Vec<_>>().chunks(5_000) {
        db::write_transaction(&mut conn, |c| {
            for &i in chunk {
                let at = t0 + Duration::minutes((i as i64 * 150) % (180 * 24 * 60));
                let new = NewIssue::reported(
                    UserId(reporter.id),
                    linli_tests::SOME_CATEGORIES[i % linli_tests::SOME_CATEGORIES.len()],
                    d.place(compounds[i % compounds.len()]),
                    IssueDescription::parse(&format!("负载测试诉求 #{i}")).unwrap(),
                    i % 3 == 0,
                );
                let mut issue = intake::file(c, &cfg, new, None, at)?.issue;
                // Drive a share of them along the workflow so every status is represented; a
                // step the state machine refuses is skipped.
                let mut step = |issue: &mut Issue, cmd: Command, at| -> Result<(), AppError> {
                    let (id, version) = (issue.id, issue.version);
                    match execute(c, &cfg, None, id, Some(version), at, |_, _| Ok(cmd)) {
                        Ok(applied) => *issue = applied.issue,
                        Err(AppError::Domain(_)) => {}
                        Err(e) => return Err(e),
                    }
                    Ok(())
                };
                if i % 10 < 7 {
                    let overrides = TriageOverrides {
                        level: issue
                            .suggestion
                            .level
                            .or(Some(linli_domain::triage::Level::Property)),
                        ..Default::default()
                    };
                    if let Ok(decision) = triage::decide(&issue.suggestion, overrides, &issue.place)
                    {
                        step(
                            &mut issue,
                            Command::Triage(decision),
                            at + Duration::hours(1),
                        )?;
                        let answer = Command::Answer {
                            message: Note::parse("已受理").unwrap(),
                            accept: true,
                            reason: None,
                        };
                        step(&mut issue, answer, at + Duration::hours(3))?;
                        if i % 10 < 5 {
                            let rect = Command::SubmitRectification {
                                notes: Note::parse("已整改").unwrap(),
                                photo_ids: vec![],
                            };
                            step(&mut issue, rect, at + Duration::hours(30))?;
                            let sup = Command::Supervise {
                                passed: true,
                                notes: Note::parse("合格").unwrap(),
                            };
                            step(&mut issue, sup, at + Duration::hours(40))?;
                            let confirm = Command::Confirm {
                                resolved: true,
                                satisfaction: Some(
                                    Satisfaction::parse((i % 5 + 1) as i64).unwrap(),
                                ),
                                comment: None,
                            };
                            step(&mut issue, confirm, at + Duration::hours(48))?;
                        }
                    }
                }
            }
            Ok::<_, AppError>(())
        })
        .unwrap();
    }
    drop(conn);
    println!("seeded in {:.1?}\n", started.elapsed());

    let token = &auditor.access_token;
    let first = app.get("/api/v1/issues?limit=100", Some(token)).await;
    let mut pages = vec!["/api/v1/issues?limit=100".to_owned()];
    let mut cursor = first.body["next_cursor"].as_str().map(str::to_owned);
    while let Some(c) = cursor.take() {
        if pages.len() >= 200 {
            break;
        }
        let p = format!("/api/v1/issues?limit=100&cursor={c}");
        let res = app.get(&p, Some(token)).await;
        cursor = res.body["next_cursor"].as_str().map(str::to_owned);
        pages.push(p);
    }
    let ids: Vec<String> = (0..200)
        .map(|k| format!("/api/v1/issues/{}", 1 + (k * 7919) % n))
        .collect();
    let repeat = |p: &str, k: usize| vec![p.to_owned(); k];
    measure(&app, token, "GET /issues (keyset pages of 100)", &pages).await;
    measure(
        &app,
        token,
        "GET /issues?status=in_progress",
        &repeat("/api/v1/issues?status=in_progress&limit=100", 100),
    )
    .await;
    measure(
        &app,
        token,
        &format!("GET /issues?compound_id={}", d.compound_b),
        &repeat(
            &format!("/api/v1/issues?compound_id={}&limit=100", d.compound_b),
            100,
        ),
    )
    .await;
    measure(
        &app,
        token,
        "GET /issues?overdue=true",
        &repeat("/api/v1/issues?overdue=true&limit=100", 100),
    )
    .await;
    measure(&app, token, "GET /issues/{id}", &ids).await;
    for g in [
        "community",
        "compound",
        "property_company",
        "category",
        "level",
    ] {
        let p = format!("/api/v1/reports/summary?from=2026-01-01&to=2026-12-31&group_by={g}");
        measure(
            &app,
            token,
            &format!("GET /reports/summary group_by={g}"),
            &repeat(&p, 20),
        )
        .await;
    }
    measure(
        &app,
        token,
        "GET /reports/property-ratings 2026Q3",
        &repeat("/api/v1/reports/property-ratings?period=2026Q3", 20),
    )
    .await;
}
