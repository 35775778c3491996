//! `HEAD` on every `GET` route: the request is routed as a `GET`, and the response keeps its
//! status and headers but never has a body.
//!
//! The handlers use `#[get]`, whose guard matches `GET` only, so the method is rewritten before
//! routing. The body is then dropped here rather than left to actix-http: its h1 codec keeps
//! "the request was a HEAD" as one flag per connection, set when a request is decoded, so a
//! request pipelined behind the `HEAD` resets it and the `GET` body would go out on the wire.
//! The cost is the `Content-Length` a `GET` would announce (RFC 9110 lets a server omit it).

use actix_web::{
    Error,
    body::{BoxBody, MessageBody},
    dev::{ServiceRequest, ServiceResponse},
    http::Method,
    middleware::Next,
};

pub async fn head_as_get(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    if req.method() != Method::HEAD {
        return Ok(next.call(req).await?.map_into_boxed_body());
    }
    req.head_mut().method = Method::GET;
    let res = next.call(req).await?;
    // Dropping the body also ends a stream that would never end (the event stream).
    Ok(res.map_body(|_, _| BoxBody::new(actix_web::body::None::new())))
}
