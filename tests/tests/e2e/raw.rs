//! Raw HTTP/1.1 over TCP, for what a client library hides: bytes on the wire, slow bodies,
//! connections the server closes.

use std::time::Duration;

use actix_web::rt::{net::TcpStream, time::timeout};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The `host:port` of a test server's base URL.
pub fn address(base: &str) -> &str {
    base.trim_start_matches("http://")
}

/// Open a connection and write `bytes` to it.
pub async fn send(base: &str, bytes: &str) -> TcpStream {
    let mut stream = TcpStream::connect(address(base)).await.unwrap();
    stream.write_all(bytes.as_bytes()).await.unwrap();
    stream
}

/// Read until the server closes the connection; the raw response.
pub async fn read_to_close(stream: &mut TcpStream) -> String {
    let mut out = Vec::new();
    timeout(Duration::from_secs(15), stream.read_to_end(&mut out))
        .await
        .expect("the server did not close the connection")
        .unwrap();
    String::from_utf8_lossy(&out).into_owned()
}

/// Send raw request bytes and read until the server closes the connection.
pub async fn exchange(base: &str, request: &str) -> String {
    read_to_close(&mut send(base, request).await).await
}

/// A header of a raw response head, by case-insensitive name.
pub fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().find_map(|line| {
        let (k, v) = line.split_once(':')?;
        k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
    })
}
