//! SMS verification codes against a fresh database: SQLite by default, PostgreSQL when
//! `LINLI_TEST_DATABASE_URL` names a server.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use diesel::prelude::*;
use linli_domain::values::PhoneNumber;
use linli_infra::{
    DbConn, RepoError, db,
    repo::sms_codes::{self, CodeHasher, CodeRejected, IssuedCode, RateLimited, SmsCodePolicy},
    schema,
    sms::SmsPurpose,
    testing::TestDatabase,
};

const T0: i64 = 1_790_000_000_000;
const SEC: i64 = 1000;
const MIN: i64 = 60 * SEC;
const DAY: i64 = 24 * 60 * MIN;

fn open() -> (TestDatabase, db::DbPool) {
    let t = TestDatabase::new();
    let pool = db::connect(&t.url, 8).unwrap();
    db::migrate(&mut db::get(&pool).unwrap()).unwrap();
    (t, pool)
}

fn hasher() -> CodeHasher {
    CodeHasher::new(b"test-secret-test-secret-test-secret-0123")
}

fn phone(s: &str) -> PhoneNumber {
    PhoneNumber::parse(s).unwrap()
}

fn issue(
    conn: &mut DbConn,
    phone: &PhoneNumber,
    purpose: SmsPurpose,
    now: i64,
) -> Result<IssuedCode, RateLimited> {
    db::write_transaction(conn, |conn| {
        sms_codes::issue(
            conn,
            &hasher(),
            &SmsCodePolicy::default(),
            phone,
            purpose,
            now,
        )
    })
    .unwrap()
}

fn verify(
    conn: &mut DbConn,
    phone: &PhoneNumber,
    purpose: SmsPurpose,
    code: &str,
    now: i64,
) -> Result<(), CodeRejected> {
    db::write_transaction(conn, |conn| {
        sms_codes::verify(
            conn,
            &hasher(),
            &SmsCodePolicy::default(),
            phone,
            purpose,
            code,
            now,
        )
    })
    .unwrap()
}

/// A six-digit code other than `code`.
fn wrong(code: &str) -> String {
    let n: u32 = code.parse().unwrap();
    format!("{:06}", (n + 1) % 1_000_000)
}

#[test]
fn a_code_is_six_digits_stored_hashed_and_works_once() {
    let (_t, pool) = open();
    let conn = &mut db::get(&pool).unwrap();
    let p = phone("13800000001");
    let issued = issue(conn, &p, SmsPurpose::Login, T0).unwrap();
    assert_eq!(issued.code.len(), 6);
    assert!(issued.code.bytes().all(|b| b.is_ascii_digit()));
    assert_eq!(issued.expires_at, T0 + 5 * MIN);

    let stored: Vec<String> = schema::sms_codes::table
        .select(schema::sms_codes::code_hash)
        .load(conn)
        .unwrap();
    assert_eq!(stored.len(), 1);
    assert!(!stored[0].contains(&issued.code), "only a hash is stored");
    assert_eq!(stored[0].len(), 64);

    // A code is bound to its purpose and its phone.
    let register = verify(conn, &p, SmsPurpose::Register, &issued.code, T0 + SEC);
    assert_eq!(register, Err(CodeRejected::NoCode));
    let other = verify(
        conn,
        &phone("13800000002"),
        SmsPurpose::Login,
        &issued.code,
        T0 + SEC,
    );
    assert_eq!(other, Err(CodeRejected::NoCode));

    assert_eq!(
        verify(conn, &p, SmsPurpose::Login, &issued.code, T0 + SEC),
        Ok(())
    );
    assert_eq!(
        verify(conn, &p, SmsPurpose::Login, &issued.code, T0 + 2 * SEC),
        Err(CodeRejected::NoCode),
        "consumed"
    );
}

#[test]
fn five_wrong_tries_kill_the_code() {
    let (_t, pool) = open();
    let conn = &mut db::get(&pool).unwrap();
    let p = phone("13800000001");
    let code = issue(conn, &p, SmsPurpose::Register, T0).unwrap().code;
    let bad = wrong(&code);
    for tries_left in (0..5).rev() {
        assert_eq!(
            verify(conn, &p, SmsPurpose::Register, &bad, T0 + SEC),
            Err(CodeRejected::Wrong { tries_left })
        );
    }
    assert_eq!(
        verify(conn, &p, SmsPurpose::Register, &code, T0 + 2 * SEC),
        Err(CodeRejected::Exhausted),
        "even the right code is refused now"
    );
    // A new code (after the resend interval) starts afresh.
    let fresh = issue(conn, &p, SmsPurpose::Register, T0 + MIN)
        .unwrap()
        .code;
    assert_eq!(
        verify(conn, &p, SmsPurpose::Register, &fresh, T0 + MIN + SEC),
        Ok(())
    );
}

#[test]
fn the_right_code_on_the_last_try_still_works() {
    let (_t, pool) = open();
    let conn = &mut db::get(&pool).unwrap();
    let p = phone("13800000001");
    let code = issue(conn, &p, SmsPurpose::Login, T0).unwrap().code;
    for _ in 0..4 {
        verify(conn, &p, SmsPurpose::Login, &wrong(&code), T0 + SEC).unwrap_err();
    }
    assert_eq!(verify(conn, &p, SmsPurpose::Login, &code, T0 + SEC), Ok(()));
}

#[test]
fn codes_expire_after_five_minutes_and_a_new_one_replaces_the_old() {
    let (_t, pool) = open();
    let conn = &mut db::get(&pool).unwrap();
    let p = phone("13800000001");
    let first = issue(conn, &p, SmsPurpose::ResetPassword, T0).unwrap().code;
    assert_eq!(
        verify(conn, &p, SmsPurpose::ResetPassword, &first, T0 + 5 * MIN),
        Err(CodeRejected::Expired)
    );
    let second = issue(conn, &p, SmsPurpose::ResetPassword, T0 + 5 * MIN)
        .unwrap()
        .code;
    if first != second {
        assert!(matches!(
            verify(conn, &p, SmsPurpose::ResetPassword, &first, T0 + 6 * MIN),
            Err(CodeRejected::Wrong { .. })
        ));
    }
    assert_eq!(
        verify(conn, &p, SmsPurpose::ResetPassword, &second, T0 + 6 * MIN),
        Ok(())
    );
}

#[test]
fn one_code_per_phone_per_minute_and_ten_per_day() {
    let (_t, pool) = open();
    let conn = &mut db::get(&pool).unwrap();
    let p = phone("13800000001");
    issue(conn, &p, SmsPurpose::Register, T0).unwrap();
    // Any purpose counts; the wait is rounded up to whole seconds.
    assert_eq!(
        issue(conn, &p, SmsPurpose::Login, T0 + 500).unwrap_err(),
        RateLimited { retry_after: 60 }
    );
    assert_eq!(
        issue(conn, &p, SmsPurpose::Login, T0 + 45 * SEC).unwrap_err(),
        RateLimited { retry_after: 15 }
    );
    // Another phone is not affected.
    issue(conn, &phone("13800000002"), SmsPurpose::Login, T0 + SEC).unwrap();

    // Nine more, a minute apart: ten in all.
    for i in 1..10 {
        issue(conn, &p, SmsPurpose::Login, T0 + i * MIN).unwrap();
    }
    // The eleventh within 24 hours waits until the first leaves the window.
    let now = T0 + 2 * 60 * MIN;
    assert_eq!(
        issue(conn, &p, SmsPurpose::Login, now).unwrap_err(),
        RateLimited {
            retry_after: (T0 + DAY - now) / 1000
        }
    );
    issue(conn, &p, SmsPurpose::Login, T0 + DAY + 1).unwrap();
}

#[test]
fn pruning_removes_old_codes_only() {
    let (_t, pool) = open();
    let conn = &mut db::get(&pool).unwrap();
    issue(conn, &phone("13800000001"), SmsPurpose::Login, T0).unwrap();
    issue(conn, &phone("13800000002"), SmsPurpose::Login, T0 + DAY).unwrap();
    assert_eq!(sms_codes::prune(conn, T0 + DAY).unwrap(), 1);
    assert_eq!(sms_codes::prune(conn, T0 + DAY).unwrap(), 0);
    let left: i64 = schema::sms_codes::table.count().get_result(conn).unwrap();
    assert_eq!(left, 1);
}

#[test]
fn parallel_requests_for_one_phone_get_one_code() {
    let (_t, pool) = open();
    let p = phone("13800000001");
    let issued: Vec<bool> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..6)
            .map(|_| {
                let (pool, p) = (pool.clone(), p.clone());
                s.spawn(move || {
                    let conn = &mut db::get(&pool).unwrap();
                    db::write_transaction(conn, |conn| {
                        sms_codes::issue(
                            conn,
                            &hasher(),
                            &SmsCodePolicy::default(),
                            &p,
                            SmsPurpose::Login,
                            T0,
                        )
                    })
                    .map(|r: Result<IssuedCode, RateLimited>| r.is_ok())
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap())
            .collect::<Result<Vec<bool>, RepoError>>()
            .unwrap()
    });
    assert_eq!(issued.iter().filter(|ok| **ok).count(), 1, "{issued:?}");
}

#[test]
fn parallel_wrong_guesses_never_exceed_the_tries() {
    let (_t, pool) = open();
    let p = phone("13800000001");
    let code = issue(&mut db::get(&pool).unwrap(), &p, SmsPurpose::Login, T0)
        .unwrap()
        .code;
    let bad = wrong(&code);
    let wrong_answers = std::thread::scope(|s| {
        let handles: Vec<_> = (0..8)
            .map(|_| {
                let (pool, p, bad) = (pool.clone(), p.clone(), bad.clone());
                s.spawn(move || {
                    let conn = &mut db::get(&pool).unwrap();
                    verify(conn, &p, SmsPurpose::Login, &bad, T0 + SEC)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap())
            .filter(|r| matches!(r, Err(CodeRejected::Wrong { .. })))
            .count()
    });
    assert_eq!(wrong_answers, 5, "exactly five tries were counted");
    let conn = &mut db::get(&pool).unwrap();
    assert_eq!(
        verify(conn, &p, SmsPurpose::Login, &code, T0 + 2 * SEC),
        Err(CodeRejected::Exhausted)
    );
}
