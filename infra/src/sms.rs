//! Sending SMS verification codes through a pluggable sender (`LINLI_SMS_SENDER`): a JSON-lines
//! file for development and tests, or a signed HTTP POST to a gateway the district runs.

use std::{
    fs::OpenOptions,
    io::Write,
    path::{Path, PathBuf},
    sync::{Arc, Mutex},
    time::Duration,
};

use chrono::{DateTime, SecondsFormat, Utc};
use hmac::{Hmac, Mac};
use linli_domain::values::mask_phone;
use serde::{Deserialize, Serialize};
use sha2::Sha256;

/// The header carrying `sha256=<hex HMAC-SHA256(secret, body)>` on gateway requests.
pub const SIGNATURE_HEADER: &str = "X-Linli-Signature";

/// What a code is for; a code sent for one purpose is refused for another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SmsPurpose {
    Register,
    Login,
    ResetPassword,
}

impl SmsPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Register => "register",
            Self::Login => "login",
            Self::ResetPassword => "reset_password",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "register" => Some(Self::Register),
            "login" => Some(Self::Login),
            "reset_password" => Some(Self::ResetPassword),
            _ => None,
        }
    }
}

/// One verification SMS. `Debug` hides the code: it must never reach a log.
#[derive(Clone)]
pub struct SmsMessage {
    pub phone: String,
    pub code: String,
    pub purpose: SmsPurpose,
    pub at: DateTime<Utc>,
}

impl std::fmt::Debug for SmsMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmsMessage")
            .field("phone", &mask_phone(&self.phone))
            .field("code", &"******")
            .field("purpose", &self.purpose)
            .field("at", &self.at)
            .finish()
    }
}

#[derive(Serialize)]
struct WireMessage<'a> {
    phone: &'a str,
    code: &'a str,
    purpose: SmsPurpose,
    at: String,
}

impl SmsMessage {
    /// `{"phone","code","purpose","at"}`, `at` in RFC 3339 (UTC, milliseconds).
    pub fn to_json(&self) -> String {
        let wire = WireMessage {
            phone: &self.phone,
            code: &self.code,
            purpose: self.purpose,
            at: self.at.to_rfc3339_opts(SecondsFormat::Millis, true),
        };
        // Serialising a struct of strings cannot fail.
        serde_json::to_string(&wire).unwrap_or_default()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SmsError {
    #[error("cannot write the SMS file: {0}")]
    File(#[from] std::io::Error),
    #[error("the SMS gateway refused the message with HTTP {0}")]
    Rejected(u16),
    #[error("the SMS gateway did not accept the message after {attempts} attempts: {last}")]
    Unavailable { attempts: usize, last: String },
}

/// Delivers verification codes. Blocking: call it on the blocking pool.
pub trait SmsSender: Send + Sync + std::fmt::Debug {
    fn send(&self, message: &SmsMessage) -> Result<(), SmsError>;
}

/// Appends one JSON line per message to a file, so developers and tests can read the codes.
#[derive(Debug)]
pub struct FileSender {
    path: PathBuf,
    // Serialises the appends of this process; each line is also one `write` in append mode,
    // which keeps lines whole across processes sharing the file.
    lock: Mutex<()>,
}

impl FileSender {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self {
            path: path.into(),
            lock: Mutex::new(()),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl SmsSender for FileSender {
    fn send(&self, message: &SmsMessage) -> Result<(), SmsError> {
        let _guard = self.lock.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(parent) = self.path.parent()
            && !parent.as_os_str().is_empty()
        {
            std::fs::create_dir_all(parent)?;
        }
        let mut line = message.to_json();
        line.push('\n');
        OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)?
            .write_all(line.as_bytes())?;
        Ok(())
    }
}

/// POSTs each message as JSON to the district's SMS gateway, signed with a shared secret, and
/// retries on network errors, 408, 429 and 5xx.
pub struct HttpSender {
    url: String,
    secret: Vec<u8>,
    agent: ureq::Agent,
    retry_delays: Vec<Duration>,
}

impl std::fmt::Debug for HttpSender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpSender")
            .field("url", &self.url)
            .field("retry_delays", &self.retry_delays)
            .finish_non_exhaustive()
    }
}

impl HttpSender {
    pub fn new(url: impl Into<String>, secret: &[u8]) -> Self {
        let agent = ureq::Agent::config_builder()
            .tls_config(
                ureq::tls::TlsConfig::builder()
                    .root_certs(ureq::tls::RootCerts::PlatformVerifier)
                    .build(),
            )
            .timeout_global(Some(Duration::from_secs(5)))
            // Statuses are inspected below: a 503 is retried, a 400 is not.
            .http_status_as_error(false)
            .build()
            .into();
        Self {
            url: url.into(),
            secret: secret.to_vec(),
            agent,
            retry_delays: vec![Duration::from_millis(200), Duration::from_secs(1)],
        }
    }

    /// The pauses between attempts (one attempt more than pauses).
    pub fn with_retry_delays(mut self, delays: Vec<Duration>) -> Self {
        self.retry_delays = delays;
        self
    }

    /// `sha256=<hex>` over the exact body bytes, as the gateway recomputes it.
    pub fn signature(secret: &[u8], body: &[u8]) -> String {
        let mut mac = match Hmac::<Sha256>::new_from_slice(secret) {
            Ok(mac) => mac,
            Err(_) => unreachable!("HMAC takes keys of any length"),
        };
        mac.update(body);
        format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
    }
}

impl SmsSender for HttpSender {
    fn send(&self, message: &SmsMessage) -> Result<(), SmsError> {
        let body = message.to_json();
        let signature = Self::signature(&self.secret, body.as_bytes());
        let attempts = self.retry_delays.len() + 1;
        let mut last = String::new();
        for attempt in 1..=attempts {
            let result = self
                .agent
                .post(&self.url)
                .header("Content-Type", "application/json")
                .header(SIGNATURE_HEADER, &signature)
                .send(body.as_bytes());
            match result {
                Ok(response) => {
                    let status = response.status().as_u16();
                    if (200..300).contains(&status) {
                        return Ok(());
                    }
                    if (400..500).contains(&status) && status != 408 && status != 429 {
                        return Err(SmsError::Rejected(status));
                    }
                    last = format!("HTTP {status}");
                }
                Err(e) => last = e.to_string(),
            }
            // The phone is masked and the code left out: logs must not carry a usable code.
            tracing::warn!(
                phone = %mask_phone(&message.phone),
                purpose = message.purpose.as_str(),
                attempt,
                error = %last,
                "SMS gateway attempt failed"
            );
            if let Some(delay) = self.retry_delays.get(attempt - 1) {
                std::thread::sleep(*delay);
            }
        }
        Err(SmsError::Unavailable { attempts, last })
    }
}

/// Where `LINLI_SMS_SENDER` says to send codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SenderSpec {
    /// `file:PATH`
    File(PathBuf),
    /// `http:URL` (an `http://` or `https://` URL; the bare URL is accepted too)
    Http(String),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SmsConfigError {
    #[error("LINLI_SMS_SENDER must be `file:PATH` or `http:URL`, not `{0}`")]
    Unknown(String),
    #[error("the SMS gateway URL must start with http:// or https://: `{0}`")]
    BadUrl(String),
    #[error("the http SMS sender needs a signing secret of at least 16 bytes")]
    MissingSecret,
}

impl SenderSpec {
    pub fn parse(spec: &str) -> Result<Self, SmsConfigError> {
        let spec = spec.trim();
        let is_url = |s: &str| s.starts_with("http://") || s.starts_with("https://");
        if is_url(spec) {
            return Ok(Self::Http(spec.to_owned()));
        }
        if let Some(path) = spec.strip_prefix("file:")
            && !path.is_empty()
        {
            return Ok(Self::File(PathBuf::from(path)));
        }
        if let Some(url) = spec.strip_prefix("http:") {
            return if is_url(url) && url.len() > "https://".len() {
                Ok(Self::Http(url.to_owned()))
            } else {
                Err(SmsConfigError::BadUrl(url.to_owned()))
            };
        }
        Err(SmsConfigError::Unknown(spec.to_owned()))
    }

    /// Build the sender; `http_secret` is the key shared with the gateway (not the server's
    /// token secret, which the gateway must never hold).
    pub fn build(self, http_secret: Option<&[u8]>) -> Result<Arc<dyn SmsSender>, SmsConfigError> {
        Ok(match self {
            Self::File(path) => Arc::new(FileSender::new(path)),
            Self::Http(url) => match http_secret {
                Some(secret) if secret.len() >= 16 => Arc::new(HttpSender::new(url, secret)),
                _ => return Err(SmsConfigError::MissingSecret),
            },
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use std::{
        io::{BufRead, BufReader, Read},
        net::TcpListener,
        sync::mpsc,
    };

    use chrono::TimeZone;

    use super::*;

    fn message(code: &str) -> SmsMessage {
        SmsMessage {
            phone: "13800000001".into(),
            code: code.into(),
            purpose: SmsPurpose::ResetPassword,
            at: Utc.with_ymd_and_hms(2026, 11, 22, 8, 30, 0).unwrap(),
        }
    }

    fn temp_dir() -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "linli-sms-{}-{}",
            std::process::id(),
            rand::random::<u32>()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn the_file_sender_appends_one_json_line_per_message() {
        let dir = temp_dir();
        let path = dir.join("sub/sms.jsonl");
        let sender = FileSender::new(&path);
        sender.send(&message("123456")).unwrap();
        sender.send(&message("654321")).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(
            lines[0],
            r#"{"phone":"13800000001","code":"123456","purpose":"reset_password","at":"2026-11-22T08:30:00.000Z"}"#
        );
        let second: serde_json::Value = serde_json::from_str(lines[1]).unwrap();
        assert_eq!(second["code"], "654321");
        assert_eq!(second.as_object().unwrap().len(), 4);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn debug_output_never_shows_the_code() {
        let shown = format!("{:?}", message("987654"));
        assert!(!shown.contains("987654"), "{shown}");
        assert!(!shown.contains("13800000001"), "{shown}");
    }

    struct Received {
        signature: Option<String>,
        content_type: Option<String>,
        body: Vec<u8>,
    }

    /// A one-thread HTTP server answering the given statuses in turn, one per connection.
    fn gateway(statuses: Vec<u16>) -> (String, mpsc::Receiver<Received>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/sms", listener.local_addr().unwrap());
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for status in statuses {
                let (stream, _) = listener.accept().unwrap();
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let (mut length, mut signature, mut content_type) = (0usize, None, None);
                loop {
                    let mut line = String::new();
                    reader.read_line(&mut line).unwrap();
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some((name, value)) = line.split_once(':') {
                        let value = value.trim().to_owned();
                        match name.to_ascii_lowercase().as_str() {
                            "content-length" => length = value.parse().unwrap(),
                            "x-linli-signature" => signature = Some(value),
                            "content-type" => content_type = Some(value),
                            _ => {}
                        }
                    }
                }
                let mut body = vec![0; length];
                reader.read_exact(&mut body).unwrap();
                tx.send(Received {
                    signature,
                    content_type,
                    body,
                })
                .unwrap();
                let mut stream = stream;
                write!(
                    stream,
                    "HTTP/1.1 {status} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                )
                .unwrap();
            }
        });
        (url, rx)
    }

    const SECRET: &[u8] = b"gateway-shared-secret-0123456789";

    #[test]
    fn the_http_sender_signs_the_body_and_retries_server_errors() {
        let (url, rx) = gateway(vec![503, 200]);
        let sender =
            HttpSender::new(&url, SECRET).with_retry_delays(vec![Duration::from_millis(10); 3]);
        sender.send(&message("123456")).unwrap();
        let received: Vec<Received> = rx.try_iter().collect();
        assert_eq!(received.len(), 2, "one retry after the 503");
        for r in &received {
            let expected = {
                let mut mac = Hmac::<Sha256>::new_from_slice(SECRET).unwrap();
                mac.update(&r.body);
                format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
            };
            assert_eq!(r.signature.as_deref(), Some(expected.as_str()));
            assert_eq!(r.content_type.as_deref(), Some("application/json"));
            let json: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
            assert_eq!(json["phone"], "13800000001");
            assert_eq!(json["code"], "123456");
            assert_eq!(json["purpose"], "reset_password");
        }
    }

    #[test]
    fn the_http_sender_gives_up_on_client_errors_and_after_its_retries() {
        let (url, rx) = gateway(vec![400]);
        let sender =
            HttpSender::new(&url, SECRET).with_retry_delays(vec![Duration::from_millis(10); 3]);
        assert!(matches!(
            sender.send(&message("123456")),
            Err(SmsError::Rejected(400))
        ));
        assert_eq!(rx.try_iter().count(), 1, "a 400 is not retried");

        let (url, rx) = gateway(vec![500, 502, 429]);
        let sender =
            HttpSender::new(&url, SECRET).with_retry_delays(vec![Duration::from_millis(10); 2]);
        assert!(matches!(
            sender.send(&message("123456")),
            Err(SmsError::Unavailable { attempts: 3, .. })
        ));
        assert_eq!(rx.try_iter().count(), 3);
    }

    #[test]
    fn sender_specs_parse() {
        assert_eq!(
            SenderSpec::parse("file:./data/sms.jsonl"),
            Ok(SenderSpec::File("./data/sms.jsonl".into()))
        );
        assert_eq!(
            SenderSpec::parse("http:https://sms.district.example/send"),
            Ok(SenderSpec::Http("https://sms.district.example/send".into()))
        );
        assert_eq!(
            SenderSpec::parse("https://sms.district.example/send"),
            Ok(SenderSpec::Http("https://sms.district.example/send".into()))
        );
        assert!(matches!(
            SenderSpec::parse("http:sms.example"),
            Err(SmsConfigError::BadUrl(_))
        ));
        for bad in ["", "file:", "smtp:x", "console"] {
            assert!(SenderSpec::parse(bad).is_err(), "{bad}");
        }
        let http = SenderSpec::parse("http:http://127.0.0.1:9/sms").unwrap();
        assert!(matches!(
            http.clone().build(None),
            Err(SmsConfigError::MissingSecret)
        ));
        assert!(matches!(
            http.clone().build(Some(b"short")),
            Err(SmsConfigError::MissingSecret)
        ));
        assert!(http.build(Some(SECRET)).is_ok());
    }

    #[test]
    fn purposes_round_trip() {
        for p in [
            SmsPurpose::Register,
            SmsPurpose::Login,
            SmsPurpose::ResetPassword,
        ] {
            assert_eq!(SmsPurpose::parse(p.as_str()), Some(p));
            assert_eq!(
                serde_json::to_value(p).unwrap(),
                serde_json::Value::String(p.as_str().into())
            );
        }
        assert_eq!(SmsPurpose::parse("other"), None);
    }
}
