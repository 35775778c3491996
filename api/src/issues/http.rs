//! HTTP helpers the issue handlers share: `ETag` / `If-Match`, parsing person-written text into
//! domain values under the request's field name, and the extractors and 200 answer of a
//! workflow step.

use actix_web::{FromRequest, HttpRequest, HttpResponse, dev::Payload, http::header, web};
use futures_util::future::LocalBoxFuture;
use linli_domain::{
    DomainError,
    auth::Actor,
    ids::IssueId,
    triage::Level,
    values::{Note, OrgName},
};
use serde::de::DeserializeOwned;
use utoipa::{
    IntoParams, PartialSchema,
    openapi::{
        Required,
        path::{Parameter, ParameterBuilder, ParameterIn},
    },
};

use crate::{
    application::{
        AppResult, Application, ProblemCode,
        issues::{IssueView, triage::HandlerChoice},
    },
    auth::Caller,
    error::{ApiError, ApiResult},
    issues::dto::IssueResponse,
    state::AppState,
};

/// `ETag` value of a version.
pub fn etag(version: i64) -> String {
    format!("\"{version}\"")
}

/// The version named by `If-Match` (`"3"`, `W/"3"` or `3`); `*` or absent → `None`.
pub fn if_match(req: &HttpRequest) -> ApiResult<Option<i64>> {
    let Some(value) = req.headers().get(header::IF_MATCH) else {
        return Ok(None);
    };
    let raw = value
        .to_str()
        .map_err(|_| {
            ApiError::bad_request(ProblemCode::InvalidIfMatch, "If-Match must be an ETag")
        })?
        .trim();
    if raw == "*" {
        return Ok(None);
    }
    raw.trim_start_matches("W/")
        .trim_matches('"')
        .parse::<i64>()
        .map(Some)
        .map_err(|_| {
            ApiError::bad_request(
                ProblemCode::InvalidIfMatch,
                "If-Match must be the ETag of the issue, e.g. \"3\"",
            )
        })
}

/// The optional `level` of a body that hands a case to a handler (triage, return decision,
/// reassignment).
pub fn opt_level(raw: Option<&str>) -> ApiResult<Option<Level>> {
    Ok(raw.map(|l| Level::parse(l.trim())).transpose()?)
}

/// The handler a body names: `handler_id` (per level) or an outside `department` by name.
pub fn handler_choice(
    handler_id: Option<i64>,
    department: Option<&str>,
) -> ApiResult<Option<HandlerChoice>> {
    let department = department
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(|d| OrgName::parse(d).map_err(|e| relabel("department", e)))
        .transpose()?;
    match (handler_id, department) {
        (Some(_), Some(_)) => Err(ApiError::validation(
            "department",
            "give either handler_id or department, not both",
        )),
        (Some(id), None) => Ok(Some(HandlerChoice::Id(id))),
        (None, Some(name)) => Ok(Some(HandlerChoice::Department(name))),
        (None, None) => Ok(None),
    }
}

/// Re-label a domain validation error with the request's field name.
pub fn relabel(field: &'static str, e: DomainError) -> ApiError {
    match e {
        DomainError::Invalid { message, .. } => ApiError::validation(field, message),
        other => other.into(),
    }
}

/// A required person-written text (1 to 2000 characters, trimmed, no control characters).
pub fn note(field: &'static str, raw: &str) -> ApiResult<Note> {
    Note::parse(raw).map_err(|e| relabel(field, e))
}

/// A point in time the body gives as RFC 3339 (422 on `field` otherwise).
pub fn instant(field: &'static str, raw: &str) -> ApiResult<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::parse_from_rfc3339(raw.trim())
        .map(|t| t.with_timezone(&chrono::Utc))
        .map_err(|_| ApiError::validation(field, "must be an RFC 3339 time"))
}

/// An optional person-written text; blank counts as absent.
pub fn opt_note(field: &'static str, raw: Option<&str>) -> ApiResult<Option<Note>> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => note(field, s).map(Some),
    }
}

/// 200 with the issue after a workflow step and its new `ETag`.
pub fn stepped(view: &IssueView) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::ETAG, etag(view.issue.version)))
        .json(IssueResponse::from_view(view))
}

/// The signed-in caller and the id in the path (`/issues/{id}`, `/photos/{id}`, ...), for the
/// handlers that act on one resource. Document the path parameter in `params(...)`.
pub struct Addressed<Id> {
    pub caller: Caller,
    pub id: Id,
}

impl<Id: DeserializeOwned + 'static> FromRequest for Addressed<Id> {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let caller = Caller::from_request(req, payload);
        let path = web::Path::<Id>::from_request(req, payload);
        Box::pin(async move {
            let caller = caller.await?;
            let id = path.await?.into_inner();
            Ok(Self { caller, id })
        })
    }
}

impl<Id: Send + 'static> Addressed<Id> {
    /// Run the use case `case` on the addressed record as its caller (on the blocking pool)
    /// and answer 200 with what it returns, shown by `show`.
    pub async fn answer<V, R, F>(
        self,
        state: &AppState,
        case: F,
        show: impl FnOnce(&V) -> R,
    ) -> ApiResult<web::Json<R>>
    where
        F: FnOnce(&Application, &Actor, Id) -> AppResult<V> + Send + 'static,
        V: Send + 'static,
    {
        let view = state
            .call(move |app| case(app, &self.caller.actor, self.id))
            .await?;
        Ok(web::Json(show(&view)))
    }
}

/// A use case that takes one workflow step: the issue, the version the caller last read, and
/// the step's parsed input.
pub type StepCase<I> = fn(&Application, &Actor, IssueId, Option<i64>, I) -> AppResult<IssueView>;

/// The issue a workflow step acts on, taken by its signed-in caller: `{id}` in the path and the
/// version named by `If-Match`. Documents both parameters as `params(Target)`.
pub struct Target {
    at: Addressed<IssueId>,
    /// Checked after the body, so a bad body is reported before a bad `If-Match`.
    if_match: ApiResult<Option<i64>>,
}

impl FromRequest for Target {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let at = Addressed::from_request(req, payload);
        let if_match = if_match(req);
        Box::pin(async move {
            Ok(Self {
                at: at.await?,
                if_match,
            })
        })
    }
}

impl Target {
    /// Take the step on the blocking pool; 200 with the issue and its new `ETag`.
    pub async fn take<F>(self, state: &AppState, step: F) -> ApiResult<HttpResponse>
    where
        F: FnOnce(&Application, &Actor, IssueId, Option<i64>) -> AppResult<IssueView>
            + Send
            + 'static,
    {
        let Self { at, if_match } = self;
        let if_match = if_match?;
        let view = state
            .call(move |app| step(app, &at.caller.actor, at.id, if_match))
            .await?;
        Ok(stepped(&view))
    }
}

impl IntoParams for Target {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![
            ParameterBuilder::new()
                .name("id")
                .parameter_in(ParameterIn::Path)
                .required(Required::True)
                .description(Some("Issue id"))
                .schema(Some(i64::schema()))
                .build(),
            ParameterBuilder::new()
                .name("If-Match")
                .parameter_in(ParameterIn::Header)
                .description(Some("The ETag last read; 412 if the issue changed since"))
                .schema(Some(String::schema()))
                .build(),
        ]
    }
}

/// A workflow step with a JSON body `B`: the [`Target`] and the body, which becomes the use
/// case's input through `TryFrom` (422 on a value the domain refuses).
pub struct Step<B> {
    target: Target,
    body: B,
}

impl<B: DeserializeOwned + 'static> FromRequest for Step<B> {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let target = Target::from_request(req, payload);
        let body = web::Json::<B>::from_request(req, payload);
        Box::pin(async move {
            let target = target.await?;
            let body = body.await?.into_inner();
            Ok(Self { target, body })
        })
    }
}

impl<B> Step<B> {
    /// Parse the body into the use case's input, then take the step like [`Target::take`].
    pub async fn take<I>(self, state: &AppState, step: StepCase<I>) -> ApiResult<HttpResponse>
    where
        I: TryFrom<B, Error = ApiError> + Send + 'static,
    {
        let input = I::try_from(self.body)?;
        self.target
            .take(state, move |app, actor, id, if_match| {
                step(app, actor, id, if_match, input)
            })
            .await
    }
}

/// A workflow step endpoint, `POST /issues/{id}/<step>` with `If-Match` and a JSON body: its
/// `#[utoipa::path]` and its handler, which parses the body into the use case's input and takes
/// the step ([`Step::take`]). Each step names what is its own: who may take it (403), from
/// which state (409), what its body must hold (422); [`StepErrors`](crate::responses::StepErrors)
/// adds the rest. The calling module imports `post` (utoipa reads the route from it).
macro_rules! step_endpoint {
    (
        $(#[$doc:meta])*
        $name:ident: $path:literal, $body:ident => $case:path;
        ok: $ok:literal,
        forbidden: $forbidden:literal,
        conflict: $conflict:literal,
        invalid: $invalid:literal $(,)?
    ) => {
        $(#[$doc])*
        #[utoipa::path(
            tag = "issues",
            request_body = $body,
            params($crate::issues::http::Target),
            responses(
                (status = 200, description = $ok, body = $crate::issues::dto::IssueResponse,
                    headers(("ETag" = String, description = "The new version"))),
                (status = 403, description = $forbidden, body = $crate::error::Problem, content_type = "application/problem+json"),
                (status = 409, description = $conflict, body = $crate::error::Problem, content_type = "application/problem+json"),
                (status = 422, description = $invalid, body = $crate::error::Problem, content_type = "application/problem+json"),
                $crate::responses::StepErrors,
            )
        )]
        #[post($path)]
        pub async fn $name(
            state: actix_web::web::Data<$crate::state::AppState>,
            step: $crate::issues::http::Step<$body>,
        ) -> $crate::error::ApiResult<actix_web::HttpResponse> {
            step.take(&state, $case).await
        }
    };
}
pub(crate) use step_endpoint;

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn blank_optional_notes_are_absent() {
        assert_eq!(opt_note("reason", Some("   ")).ok(), Some(None));
        assert!(note("notes", "").is_err());
        assert!(note("notes", "a\u{0}b").is_err());
    }
}
