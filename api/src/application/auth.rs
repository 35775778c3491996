//! Authentication use cases: resident registration with an SMS code, login by password (under
//! the attempt limit with its growing delay) or by SMS code, refresh-token rotation, logout, a
//! password change and a reset by SMS code. argon2 runs inside these use cases, so they must be
//! called off the async worker (handlers use `state.call`).

use crate::application::ProblemCode;
use chrono::{DateTime, Utc};
use linli_domain::{
    auth::Role,
    ids::{BuildingId, CompoundId, SessionId, UserId},
    values::{DisplayName, NewPassword, PhoneNumber},
};
use linli_infra::{
    DbConn, password,
    repo::{
        invitations::{self, InvitationRow},
        login_failures, org, sessions,
        users::{self, UserRow},
    },
    sms::SmsPurpose,
    time::to_millis,
    tokens,
};

use crate::application::{
    AppError, AppResult, Application,
    accounts::{NewAccount, insert_account},
};

/// Failed passwords (per phone and address) answered at once; from then on each try waits
/// `login_delay`, doubled per further failure, until `login_max_failures` lock the window.
const FREE_FAILURES: i64 = 3;

/// An access token and a fresh refresh token.
#[derive(Debug, Clone)]
pub struct Tokens {
    pub access_token: String,
    pub refresh_token: String,
    /// Seconds until the access token expires.
    pub expires_in: i64,
}

/// A resident's self-registration, parsed.
pub struct Registration {
    pub phone: PhoneNumber,
    pub password: NewPassword,
    pub display_name: DisplayName,
    pub compound: CompoundId,
    pub building: Option<BuildingId>,
    /// Unit and door, free text, already trimmed and bounded.
    pub unit: Option<String>,
    /// The code sent to `phone` for `register`.
    pub sms_code: String,
    /// A code property staff printed for a building: the resident is verified at once.
    pub invitation_code: Option<String>,
}

/// How a login proves who it is.
pub enum Credential {
    Password(String),
    SmsCode(String),
}

fn invalid_invitation(detail: &str) -> AppError {
    AppError::Unprocessable {
        code: ProblemCode::InvalidInvitation,
        detail: format!("invitation_code: {detail}"),
    }
}

fn bad_credentials() -> AppError {
    AppError::Unauthorized {
        code: ProblemCode::InvalidCredentials,
        detail: "wrong phone number or password".into(),
    }
}

fn invalid_refresh_token() -> AppError {
    AppError::Unauthorized {
        code: ProblemCode::InvalidRefreshToken,
        detail: "the refresh token is not valid".into(),
    }
}

impl Application {
    /// Issue an access token and a new refresh token (starting a family unless one is given).
    fn issue_tokens(
        &self,
        conn: &mut DbConn,
        user: &UserRow,
        family: Option<String>,
        now: DateTime<Utc>,
    ) -> AppResult<Tokens> {
        let family = family.unwrap_or_else(|| tokens::random_token(16));
        let access_token = self
            .signer
            .issue(
                user.id,
                &user.role,
                user.scope_id,
                user.scope_kind.as_deref(),
                &family,
                now,
            )
            .map_err(AppError::internal)?;
        let refresh_token = tokens::new_refresh_token();
        sessions::insert(
            conn,
            user.id,
            &family,
            &tokens::hash_refresh_token(&refresh_token),
            to_millis(now),
            to_millis(now + self.config.refresh_ttl),
        )?;
        Ok(Tokens {
            access_token,
            refresh_token,
            expires_in: self.signer.access_ttl.num_seconds(),
        })
    }

    /// Count a password attempt for `phone` as a failure *before* the password is checked, so
    /// that parallel guesses cannot slip past the limit while argon2 runs; a success clears it
    /// again. Attempts of one phone are serialised: an advisory lock on PostgreSQL, the write
    /// lock of the `BEGIN IMMEDIATE` transaction on SQLite. Its own write transaction.
    ///
    /// After [`FREE_FAILURES`] failures each try must wait `login_delay` after the newest one,
    /// doubled per further failure; at `login_max_failures` the key is locked until the oldest
    /// failure leaves the window.
    fn reserve_attempt(&self, phone: &str, now: DateTime<Utc>) -> AppResult<()> {
        let window = self.config.login_window;
        let max = self.config.login_max_failures;
        let now_ms = to_millis(now);
        self.write(|conn| {
            login_failures::lock_phone(conn, phone)?;
            let recent = login_failures::recent(conn, phone, to_millis(now - window))?;
            let free_at = if recent.count >= max {
                recent.oldest.unwrap_or(now_ms) + window.num_milliseconds()
            } else if recent.count >= FREE_FAILURES {
                let doublings = u32::try_from(recent.count - FREE_FAILURES).unwrap_or(u32::MAX);
                let delay = self
                    .config
                    .login_delay
                    .num_milliseconds()
                    .saturating_mul(2_i64.saturating_pow(doublings));
                recent.newest.unwrap_or(now_ms).saturating_add(delay)
            } else {
                now_ms
            };
            if free_at > now_ms {
                let retry_after = ((free_at - now_ms + 999) / 1000).max(1);
                return Err(AppError::TooManyRequests { retry_after });
            }
            login_failures::record(conn, phone, now_ms)?;
            Ok(())
        })
    }

    /// Register a resident of `compound` (and of `building`, which must stand in it) on a code
    /// sent to the phone. A number that is already registered changes nothing and answers the
    /// same (`Ok`), so the answer does not tell who is registered. With a valid invitation code
    /// the resident is verified at once, otherwise `pending` until the compound verifies them.
    pub fn register(&self, r: Registration) -> AppResult<()> {
        let now = to_millis(self.now());
        // Everything cheap first, the code next, argon2 with no connection held, then one write.
        let (building, invitation) = self.read(|conn| self.check_home(conn, &r, now))?;
        self.require_sms_code(&r.phone, SmsPurpose::Register, &r.sms_code)?;
        let hash = password::hash(r.password.expose()).map_err(AppError::internal)?;
        self.write(|conn| {
            if users::phone_taken(conn, r.phone.as_str())? {
                tracing::info!("registration of a registered number: nothing changed");
                return Ok(());
            }
            let verification = match &invitation {
                Some(inv) if invitations::use_once(conn, inv.id, now)? => "verified",
                Some(_) => return Err(invalid_invitation("it has just run out")),
                None => "pending",
            };
            let new = NewAccount {
                phone: &r.phone,
                display_name: &r.display_name,
                role: Role::Resident,
                scope_id: Some(r.compound.0),
                scope_kind: None,
                compound_id: Some(r.compound.0),
                building_id: building.map(|b| b.0),
                unit: r.unit.as_deref(),
                verification: Some(verification),
            };
            match insert_account(conn, &new, &hash, now) {
                // Another registration of the number won the race: the same answer.
                Err(AppError::Conflict { .. }) => Ok(()),
                other => other.map(drop),
            }
        })
    }

    /// The compound, the building (the invitation's when none is given) and the invitation of a
    /// registration, checked (422 on the field at fault).
    fn check_home(
        &self,
        conn: &mut DbConn,
        r: &Registration,
        now: i64,
    ) -> AppResult<(Option<BuildingId>, Option<InvitationRow>)> {
        org::find_compound(conn, r.compound)
            .map_err(|_| AppError::validation("compound_id", "no such compound"))?;
        if let Some(b) = r.building {
            let building = org::find_building(conn, b)
                .map_err(|_| AppError::validation("building_id", "no such building"))?;
            if building.compound_id != r.compound.0 {
                return Err(AppError::validation(
                    "building_id",
                    "the building is not in that compound",
                ));
            }
        }
        let Some(code) = &r.invitation_code else {
            return Ok((r.building, None));
        };
        let invitation = invitations::find_by_code(conn, code)?
            .ok_or_else(|| invalid_invitation("no such invitation code"))?;
        if invitation.compound_id != r.compound.0 {
            return Err(invalid_invitation("the invitation is for another compound"));
        }
        if r.building.is_some_and(|b| b.0 != invitation.building_id) {
            return Err(invalid_invitation("the invitation is for another building"));
        }
        if invitation.expires_at <= now {
            return Err(invalid_invitation("the invitation has expired"));
        }
        if invitation
            .max_uses
            .is_some_and(|max| invitation.uses >= max)
        {
            return Err(invalid_invitation("the invitation is used up"));
        }
        Ok((Some(BuildingId(invitation.building_id)), Some(invitation)))
    }

    /// Log in with a password or an SMS code.
    ///
    /// Passwords: unknown phones and wrong passwords get the same answer in about the same
    /// time; failures count per phone *and* client address, with a growing delay and a lock
    /// after `login_max_failures` (`TooManyRequests`), across all server processes. A code
    /// bypasses that count (its own five tries bound it), so the owner of a phone under a
    /// password spray still gets in.
    pub fn login(
        &self,
        phone: &PhoneNumber,
        credential: &Credential,
        client: Option<&str>,
    ) -> AppResult<Tokens> {
        match credential {
            Credential::Password(password) => self.login_with_password(phone, password, client),
            Credential::SmsCode(code) => {
                let now = self.now();
                if self
                    .check_sms_code(phone, SmsPurpose::Login, code)?
                    .is_err()
                {
                    return Err(bad_credentials());
                }
                self.write(|conn| match users::find_by_phone(conn, phone.as_str())? {
                    Some(user) if user.disabled_at.is_none() => {
                        self.issue_tokens(conn, &user, None, now)
                    }
                    _ => Err(bad_credentials()),
                })
            }
        }
    }

    fn login_with_password(
        &self,
        phone: &PhoneNumber,
        password_plain: &str,
        client: Option<&str>,
    ) -> AppResult<Tokens> {
        let phone = phone.as_str();
        // Failures count per phone *and* client address: guesses from one address lock that
        // address out of this phone, never the owner logging in from elsewhere.
        let attempts = match client {
            Some(address) => format!("{phone}|{address}"),
            None => phone.to_owned(),
        };
        let now = self.now();
        let window_start = to_millis(now - self.config.login_window);
        // Step 1, one short write: reserve the attempt.
        self.reserve_attempt(&attempts, now)?;
        // Step 2: verify, holding no database connection while argon2 runs.
        let user = self.read(|conn| Ok(users::find_by_phone(conn, phone)?))?;
        let hash = user
            .as_ref()
            .map(|u| u.password_hash.as_str())
            .unwrap_or_else(|| password::dummy_hash());
        // A full hashing queue answers 503 with `Retry-After` instead of piling up.
        let ok = password::try_verify(password_plain, hash)?
            && user.as_ref().is_some_and(|u| u.disabled_at.is_none());
        // Step 3, one write: success forgets the failures and opens a session.
        match user {
            Some(user) if ok => self.write(|conn| {
                login_failures::clear(conn, &attempts, window_start)?;
                self.issue_tokens(conn, &user, None, now)
            }),
            _ => Err(bad_credentials()),
        }
    }

    /// Set a new password on a code sent to the phone for `reset_password`, and end every
    /// session of the account. An unregistered number with a valid code changes nothing and
    /// answers the same.
    pub fn reset_password(
        &self,
        phone: &PhoneNumber,
        sms_code: &str,
        new: NewPassword,
    ) -> AppResult<()> {
        let now = self.now();
        self.require_sms_code(phone, SmsPurpose::ResetPassword, sms_code)?;
        let hash = password::hash(new.expose()).map_err(AppError::internal)?;
        self.write(|conn| {
            let Some(user) = users::find_by_phone(conn, phone.as_str())? else {
                return Ok(());
            };
            let id = UserId(user.id);
            users::set_password_hash(conn, id, &hash)?;
            sessions::revoke_all_for_user(conn, id, to_millis(now))?;
            Ok(())
        })?;
        self.sessions.forget_all();
        Ok(())
    }

    /// Exchange a refresh token for a new pair (rotation). Each works once: presenting a used
    /// one revokes its whole family (`refresh_token_reused`).
    pub fn refresh(&self, refresh_token: &str) -> AppResult<Tokens> {
        let hash = tokens::hash_refresh_token(refresh_token.trim());
        let now = self.now();
        // Reuse revokes the family and must stay revoked even though the request fails, so the
        // revocation is committed and the error returned afterwards.
        self.write(|conn| {
            let Some(row) = sessions::find_by_hash(conn, &hash)? else {
                return Ok(Err(invalid_refresh_token()));
            };
            if row.revoked_at.is_some() || row.expires_at <= to_millis(now) {
                return Ok(Err(invalid_refresh_token()));
            }
            if row.used_at.is_some() || !sessions::mark_used(conn, SessionId(row.id), to_millis(now))? {
                sessions::revoke_family(conn, &row.family_id, to_millis(now))?;
                tracing::warn!(
                    user_id = row.user_id,
                    "refresh token reused; family revoked"
                );
                return Ok(Err(AppError::Unauthorized {
                    code: ProblemCode::RefreshTokenReused,
                    detail: "this refresh token was already used; all sessions of this login are revoked".into(),
                }));
            }
            let user = users::find(conn, UserId(row.user_id))?;
            if user.disabled_at.is_some() {
                sessions::revoke_family(conn, &row.family_id, to_millis(now))?;
                return Ok(Err(invalid_refresh_token()));
            }
            Ok(Ok(self.issue_tokens(
                conn,
                &user,
                Some(row.family_id),
                now,
            )?))
        })?
    }

    /// Log out: revoke the refresh token's family (an unknown token is no error).
    pub fn logout(&self, refresh_token: &str) -> AppResult<()> {
        let hash = tokens::hash_refresh_token(refresh_token.trim());
        let now = to_millis(self.now());
        self.write(|conn| {
            if let Some(row) = sessions::find_by_hash(conn, &hash)? {
                sessions::revoke_family(conn, &row.family_id, now)?;
            }
            Ok(())
        })?;
        // The session's access tokens stop working at once on this process.
        self.sessions.forget_all();
        Ok(())
    }

    /// Change a password. A wrong current password counts as a failed login for the phone's
    /// limit (a stolen access token must not become a password oracle); success revokes every
    /// refresh token of the account.
    pub fn change_password(
        &self,
        user_id: UserId,
        current: &str,
        new: NewPassword,
    ) -> AppResult<()> {
        let now = self.now();
        let window_start = to_millis(now - self.config.login_window);
        let user = self.read(|conn| Ok(users::find(conn, user_id)?))?;
        self.reserve_attempt(&user.phone, now)?;
        // argon2 twice, holding no database connection.
        if !password::verify(current, &user.password_hash) {
            return Err(AppError::Refused {
                code: ProblemCode::WrongPassword,
                detail: "the current password is wrong".into(),
            });
        }
        let hash = password::hash(new.expose()).map_err(AppError::internal)?;
        self.write(|conn| {
            // Serialised per account: the hash must still be the one just verified.
            if !users::replace_password_hash(conn, user_id, &user.password_hash, &hash)? {
                return Err(AppError::conflict(
                    ProblemCode::ConcurrentUpdate,
                    "the password was changed by another request meanwhile; log in again",
                ));
            }
            sessions::revoke_all_for_user(conn, user_id, to_millis(now))?;
            login_failures::clear(conn, &user.phone, window_start)?;
            Ok(())
        })?;
        self.sessions.forget_all();
        Ok(())
    }
}
