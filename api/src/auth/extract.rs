//! `Caller`: the authenticated account behind a request. A handler that takes a `Caller`
//! cannot be reached without a valid access token; `require` checks the role.

use crate::application::{ProblemCode, sessions::SessionState};
use futures_util::future::LocalBoxFuture;

use actix_web::{
    FromRequest, HttpRequest,
    dev::Payload,
    http::{Method, header},
    web,
};
use linli_domain::{
    auth::{Actor, Role, Scope, ScopeKind},
    ids::UserId,
};
use linli_infra::tokens::TokenError;

use crate::{
    error::{ApiError, ApiResult},
    state::AppState,
};

#[derive(Debug, Clone, Copy)]
pub struct Caller {
    pub actor: Actor,
}

impl Caller {
    pub fn user_id(&self) -> UserId {
        self.actor.user_id
    }

    pub fn role(&self) -> Role {
        self.actor.role
    }

    pub fn scope(&self) -> Scope {
        self.actor.scope
    }

    /// 403 unless the caller holds one of `roles`.
    pub fn require(&self, roles: &[Role]) -> Result<(), ApiError> {
        if roles.contains(&self.actor.role) {
            Ok(())
        } else {
            Err(ApiError::forbidden(format!(
                "this action needs one of the roles: {}",
                roles
                    .iter()
                    .map(|r| r.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )))
        }
    }
}

/// The caller named by the bearer token, and the token's session (checked afterwards).
fn authenticate(req: &HttpRequest) -> Result<(Caller, Option<String>), ApiError> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| ApiError::internal("application state missing"))?;
    let value = req.headers().get(header::AUTHORIZATION).ok_or_else(|| {
        ApiError::unauthorized(
            ProblemCode::MissingToken,
            "a bearer access token is required",
        )
    })?;
    let token = value
        .to_str()
        .ok()
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            ApiError::unauthorized(
                ProblemCode::InvalidToken,
                "the Authorization header must be `Bearer <token>`",
            )
        })?;
    let claims = state
        .signer
        .verify(token, state.now())
        .map_err(|e| match e {
            TokenError::Expired => {
                ApiError::unauthorized(ProblemCode::TokenExpired, "the access token has expired")
            }
            _ => ApiError::unauthorized(ProblemCode::InvalidToken, "the access token is not valid"),
        })?;
    let invalid =
        || ApiError::unauthorized(ProblemCode::InvalidToken, "the access token is not valid");
    let user_id: i64 = claims.sub.parse().map_err(|_| invalid())?;
    let role = Role::parse(&claims.role).map_err(|_| invalid())?;
    let kind = (claims.scope_kind.as_deref())
        .map(ScopeKind::parse)
        .transpose()
        .map_err(|_| invalid())?;
    let scope = Scope::for_account(role, kind, claims.scope_id).map_err(|_| invalid())?;
    // Writes also count against the account's own quota (per process; see `ratelimit`).
    let write = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if let (true, Some(limits)) = (write, &state.limits) {
        limits
            .check_account_write(user_id)
            .map_err(|l| ApiError::TooManyRequests {
                retry_after: i64::try_from(l.retry_after).unwrap_or(i64::MAX),
            })?;
    }
    let caller = Caller {
        actor: Actor {
            user_id: UserId(user_id),
            role,
            scope,
            // Settled by the session check, which reads the account.
            verified: false,
        },
    };
    Ok((caller, claims.sid))
}

/// 401 `session_revoked` unless the account is enabled and the session live: from this
/// process's recent answers, else from the database (see `application::sessions`). Returns
/// whether the account is verified.
async fn ensure_live(state: &AppState, user: UserId, session: Option<String>) -> ApiResult<bool> {
    let key = session.clone().unwrap_or_default();
    let checked = match state.sessions.get(user, &key) {
        Some(checked) => checked,
        None => {
            let checked = state
                .call(move |app| app.session_state(user, session.as_deref()))
                .await?;
            state.sessions.put(user, &key, checked);
            checked
        }
    };
    match checked {
        SessionState::Live { verified } => Ok(verified),
        SessionState::Revoked => Err(ApiError::unauthorized(
            ProblemCode::SessionRevoked,
            "this session has ended (logout, password change, role change or disabled account); log in again",
        )),
    }
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let authenticated = authenticate(req);
        let state = req.app_data::<web::Data<AppState>>().cloned();
        Box::pin(async move {
            let (mut caller, session) = authenticated?;
            let state = state.ok_or_else(|| ApiError::internal("application state missing"))?;
            caller.actor.verified = ensure_live(&state, caller.user_id(), session).await?;
            Ok(caller)
        })
    }
}
