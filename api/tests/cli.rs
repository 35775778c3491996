//! The `linli` binary as an operator uses it: `migrate`, `admin create --password-stdin`,
//! `serve --demo` on an empty database (and never on one with data), graceful SIGTERM.
//! Runs against SQLite, or PostgreSQL when `LINLI_TEST_DATABASE_URL` is set.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{
    io::{BufRead, BufReader, Write},
    net::TcpListener,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use linli_infra::{db, repo::users, testing::TestDatabase};

fn linli(t: &TestDatabase) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_linli"));
    cmd.env("LINLI_DATABASE_URL", &t.url)
        .env("LINLI_DATA_DIR", &t.dir)
        .env(
            "LINLI_JWT_SECRET",
            "cli-test-secret-cli-test-secret-0123456",
        )
        .env("LINLI_SCHEDULER_INTERVAL_SECS", "0")
        .env("RUST_LOG", "warn");
    cmd
}

/// A running `linli serve`; killed (and reaped) when dropped, also when a test fails.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Start `serve`, wait until it accepts connections; returns the child, its port and its
/// stdout lines so far. `tweak` adjusts the command (e.g. removes the secret).
fn start_server(t: &TestDatabase, args: &[&str]) -> (Running, u16, Vec<String>) {
    start_server_with(t, args, |_| {})
}

fn start_server_with(
    t: &TestDatabase,
    args: &[&str],
    tweak: impl FnOnce(&mut Command),
) -> (Running, u16, Vec<String>) {
    let port = free_port();
    let mut cmd = linli(t);
    tweak(&mut cmd);
    let mut child = Running(
        cmd.args(args)
            .env("LINLI_BIND", format!("127.0.0.1:{port}"))
            .env("LINLI_WORKERS", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let stdout = child.0.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let started = Instant::now();
    let mut lines = Vec::new();
    loop {
        while let Ok(l) = rx.try_recv() {
            lines.push(l);
        }
        // An answered request, not just an accepted connection: the port is bound before the
        // server installs its SIGTERM handler, and a signal sent in between kills it outright.
        if answers_http(port) {
            std::thread::sleep(Duration::from_millis(50));
            while let Ok(l) = rx.try_recv() {
                lines.push(l);
            }
            return (child, port, lines);
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "server did not start; output: {lines:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Whether `GET /healthz` on `port` gets an HTTP answer.
fn answers_http(port: u16) -> bool {
    let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    if stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .is_err()
    {
        return false;
    }
    let mut head = [0u8; 12];
    std::io::Read::read_exact(&mut stream, &mut head).is_ok() && head.starts_with(b"HTTP/1.1 ")
}

fn terminate(mut running: Running) -> std::process::ExitStatus {
    let child = &mut running.0;
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(40),
            "no exit after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn migrate_then_create_an_admin_from_stdin() {
    let t = TestDatabase::new();
    let out = linli(&t).arg("migrate").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let mut child = linli(&t)
        .args([
            "admin",
            "create",
            "--phone",
            "+86 138 0000 0009",
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"Admin-password-2026\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let pool = db::connect(&t.url, 1).unwrap();
    let mut conn = db::get(&pool).unwrap();
    let admin = users::find_by_phone(&mut conn, "13800000009")
        .unwrap()
        .unwrap();
    assert_eq!(admin.role, "admin");
    assert!(admin.password_hash.starts_with("$argon2id$"));
    assert!(linli_infra::password::verify(
        "Admin-password-2026",
        &admin.password_hash
    ));

    // The same phone again is refused; a weak password is refused.
    for (phone, password) in [
        ("13800000009", "Another-password-1"),
        ("13800000010", "short"),
    ] {
        let mut child = linli(&t)
            .args(["admin", "create", "--phone", phone, "--password-stdin"])
            .stdin(Stdio::piped())
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(password.as_bytes())
            .unwrap();
        assert!(!child.wait_with_output().unwrap().status.success());
    }
}

#[test]
fn serve_demo_seeds_once_and_stops_gracefully_on_sigterm() {
    let t = TestDatabase::new();
    let (child, port, lines) = start_server(&t, &["serve", "--demo"]);
    assert!(
        lines.iter().any(|l| l.contains("Demo district seeded")),
        "{lines:?}"
    );
    let accounts: Vec<&String> = lines.iter().filter(|l| l.contains(" / ")).collect();
    assert!(accounts.len() >= 9, "one account per role: {lines:?}");
    for role in [
        "admin",
        "dispatcher",
        "grid_worker",
        "property_staff",
        "committee_member",
        "community_official",
        "mediator",
        "auditor",
        "resident",
    ] {
        assert!(
            accounts.iter().any(|l| l.contains(&format!("/ {role}"))),
            "no {role} in {accounts:?}"
        );
    }
    // It really serves.
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .write_all(b"GET /readyz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut response = String::new();
    std::io::Read::read_to_string(&mut stream, &mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(terminate(child).success(), "SIGTERM is a clean shutdown");

    // Second start on the same database: data present, nothing seeded.
    let (child, _, lines) = start_server(&t, &["serve", "--demo"]);
    assert!(
        lines.iter().any(|l| l.contains("demo not seeded")),
        "{lines:?}"
    );
    assert!(terminate(child).success());
}

#[test]
fn a_weak_signing_secret_refuses_to_start() {
    let t = TestDatabase::new();
    let out = linli(&t)
        .env("LINLI_JWT_SECRET", "too-short")
        .env("LINLI_BIND", format!("127.0.0.1:{}", free_port()))
        .arg("serve")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("LINLI_JWT_SECRET"));
}

#[test]
fn without_a_secret_sqlite_generates_one_once_and_postgres_refuses() {
    let t = TestDatabase::new();
    if linli_infra::testing::postgres_base_url().is_some() {
        let out = linli(&t)
            .env_remove("LINLI_JWT_SECRET")
            .env("LINLI_BIND", format!("127.0.0.1:{}", free_port()))
            .arg("serve")
            .output()
            .unwrap();
        assert!(
            !out.status.success(),
            "several nodes must share an explicit secret"
        );
        assert!(String::from_utf8_lossy(&out.stderr).contains("LINLI_JWT_SECRET"));
        return;
    }
    let secret_file = t.dir.join("jwt-secret");
    let no_secret = |c: &mut Command| {
        c.env_remove("LINLI_JWT_SECRET");
    };
    let (child, _, _) = start_server_with(&t, &["serve"], no_secret);
    assert!(terminate(child).success());
    let first = std::fs::read_to_string(&secret_file).unwrap();
    assert!(first.trim().len() >= 32);
    // A restart reuses it, so nobody is logged out.
    let (child, _, _) = start_server_with(&t, &["serve"], no_secret);
    assert!(terminate(child).success());
    assert_eq!(std::fs::read_to_string(&secret_file).unwrap(), first);
}
