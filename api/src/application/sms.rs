//! SMS verification codes (验证码): sending one under the per-phone limits, and checking one
//! before a registration, a login or a password reset. The limits and tries are counted in the
//! database (they hold across API nodes); the message goes out with no connection held.

use std::sync::Arc;

use linli_domain::values::PhoneNumber;
use linli_infra::{
    repo::sms_codes::{self, CodeHasher, CodeRejected, SmsCodePolicy},
    sms::{SmsMessage, SmsPurpose, SmsSender},
    time::to_millis,
};

use crate::application::{AppError, AppResult, Application, ProblemCode};

/// The sender, the keyed hash of stored codes and the limits: what the use cases need.
#[derive(Clone, Debug)]
pub struct SmsCodes {
    pub sender: Arc<dyn SmsSender>,
    pub hasher: CodeHasher,
    pub policy: SmsCodePolicy,
}

/// What a client learns from a code request: the same for every number.
#[derive(Debug, Clone, Copy)]
pub struct CodeSent {
    /// Seconds the code stays valid.
    pub expires_in: i64,
    /// Seconds before another code may be requested for this number.
    pub resend_after: i64,
}

impl Application {
    /// Send a fresh code for `purpose` to `phone`, whether or not the number is registered (the
    /// answer must not tell). `TooManyRequests` within the resend interval or past the daily
    /// limit. Blocking (the gateway is called here): run it off the async worker.
    pub fn request_sms_code(
        &self,
        phone: &PhoneNumber,
        purpose: SmsPurpose,
    ) -> AppResult<CodeSent> {
        let now = self.now();
        let policy = self.sms.policy;
        let issued = self.write(|conn| {
            Ok(sms_codes::issue(
                conn,
                &self.sms.hasher,
                &policy,
                phone,
                purpose,
                to_millis(now),
            )?)
        })?;
        let issued = issued.map_err(|l| AppError::TooManyRequests {
            retry_after: l.retry_after,
        })?;
        // The transaction is committed: no connection is held while the gateway answers.
        let message = SmsMessage {
            phone: phone.as_str().to_owned(),
            code: issued.code,
            purpose,
            at: now,
        };
        self.sms.sender.send(&message).map_err(|e| {
            tracing::error!(error = %e, ?message, "verification code not sent");
            AppError::Unavailable("the SMS gateway cannot send the code right now".into())
        })?;
        Ok(CodeSent {
            expires_in: policy.ttl_ms / 1000,
            resend_after: policy.resend_interval_ms / 1000,
        })
    }

    /// Check `code` for `phone` and `purpose` and use it up. A wrong code spends one of the
    /// code's tries (committed even though the request fails); after the last one even the right
    /// code is refused.
    pub(crate) fn check_sms_code(
        &self,
        phone: &PhoneNumber,
        purpose: SmsPurpose,
        code: &str,
    ) -> AppResult<Result<(), CodeRejected>> {
        let now = to_millis(self.now());
        let policy = self.sms.policy;
        self.write(|conn| {
            Ok(sms_codes::verify(
                conn,
                &self.sms.hasher,
                &policy,
                phone,
                purpose,
                code.trim(),
                now,
            )?)
        })
    }

    /// [`Self::check_sms_code`] for a registration or a reset: a rejected code is 422
    /// `invalid_sms_code`.
    pub(crate) fn require_sms_code(
        &self,
        phone: &PhoneNumber,
        purpose: SmsPurpose,
        code: &str,
    ) -> AppResult<()> {
        self.check_sms_code(phone, purpose, code)?
            .map_err(|rejected| AppError::Unprocessable {
                code: ProblemCode::InvalidSmsCode,
                detail: format!("sms_code: {rejected}"),
            })
    }
}
