//! Verified residents (业主认证): the compound's property staff or owners' committee verify
//! self-registered residents from a queue, or print invitation codes for a building with which
//! residents register verified at once.

use chrono::{DateTime, Duration, Utc};
use linli_domain::{
    auth::{Actor, Role, Scope, Verification, can_verify_residents},
    ids::{BuildingId, CompoundId, PropertyCompanyId, UserId},
    values::Note,
};
use linli_infra::{
    DbConn,
    repo::{
        invitations::{self, InvitationRow, NewInvitation},
        org,
        users::{self, UserRow, VerificationChangeset},
    },
    time::to_millis,
};

use super::issues::forbidden;
use crate::application::{AppError, AppResult, Application};

/// How long an invitation code works unless its creator says otherwise.
pub const DEFAULT_INVITATION_DAYS: i64 = 30;

/// A page of residents for a verifier, with whether their phone numbers are masked.
pub struct ResidentPage {
    pub rows: Vec<UserRow>,
    /// Owners' committee members are neighbours: they see masked numbers. Property staff call
    /// residents to verify them and see them in full.
    pub phone_masked: bool,
}

/// A new invitation and its code (shown once: only its hash is stored).
pub struct NewInvitationCode {
    pub invitation: InvitationRow,
    pub code: String,
}

/// 403 unless the actor's role verifies residents at all.
fn require_verifier(actor: &Actor) -> AppResult<()> {
    match actor.role {
        Role::PropertyStaff | Role::CommitteeMember => Ok(()),
        _ => Err(forbidden(
            "residents are verified by the compound's property staff or owners' committee",
        )),
    }
}

/// Whether `actor` verifies for `compound` (by the company managing it now).
fn verifies_for(conn: &mut DbConn, actor: &Actor, compound: i64) -> AppResult<bool> {
    let row = org::find_compound(conn, CompoundId(compound))?;
    Ok(can_verify_residents(
        actor,
        CompoundId(row.id),
        PropertyCompanyId(row.property_company_id),
    ))
}

impl Application {
    /// Verify (`approved`) or turn down a resident of a compound the actor verifies for. Other
    /// compounds' residents are `NotFound`, like ids that do not exist.
    pub fn verify_resident(
        &self,
        actor: &Actor,
        id: UserId,
        approved: bool,
        note: Option<Note>,
    ) -> AppResult<UserRow> {
        require_verifier(actor)?;
        let now = to_millis(self.now());
        let verification = if approved {
            Verification::Verified
        } else {
            Verification::Rejected
        };
        self.write(|conn| {
            let resident = users::find(conn, id)?;
            let Some(compound) = resident.compound_id.filter(|_| resident.role == "resident")
            else {
                return Err(AppError::NotFound);
            };
            if !verifies_for(conn, actor, compound)? {
                return Err(AppError::NotFound);
            }
            let change = VerificationChangeset {
                verification: Some(verification.as_str()),
                verification_note: note.as_ref().map(Note::as_str),
                verified_by: Some(actor.user_id.0),
                verified_at: Some(now),
            };
            Ok(users::set_verification(conn, id, &change)?)
        })
        // The resident's next request sees the decision (the session cache holds it).
        .inspect(|_| self.sessions.forget_all())
    }

    /// Residents of the compounds the actor verifies for, in id order after `after`,
    /// optionally only those whose verification is `verification` (`pending`: the queue).
    pub fn list_residents(
        &self,
        actor: &Actor,
        verification: Option<Verification>,
        after: Option<i64>,
        fetch: i64,
    ) -> AppResult<ResidentPage> {
        require_verifier(actor)?;
        self.read(|conn| {
            let compounds = match actor.scope {
                Scope::PropertyCompany(p) => org::list_compounds(conn, None, Some(p.0))?
                    .into_iter()
                    .map(|c| c.id)
                    .collect(),
                Scope::Compound(c) => vec![c.0],
                _ => Vec::new(),
            };
            let rows = users::list_residents(
                conn,
                &compounds,
                verification.map(Verification::as_str),
                after,
                fetch,
            )?;
            Ok(ResidentPage {
                rows,
                phone_masked: actor.role != Role::PropertyStaff,
            })
        })
    }

    /// An invitation code for `building`, of a compound the actor verifies for (422 on
    /// `building_id` otherwise), valid until `expires_at` (default 30 days) for `max_uses`
    /// registrations (default: any number).
    pub fn create_invitation(
        &self,
        actor: &Actor,
        building: BuildingId,
        expires_at: Option<DateTime<Utc>>,
        max_uses: Option<i32>,
    ) -> AppResult<NewInvitationCode> {
        require_verifier(actor)?;
        let now = self.now();
        let expires_at = expires_at.unwrap_or(now + Duration::days(DEFAULT_INVITATION_DAYS));
        if expires_at <= now {
            return Err(AppError::validation("expires_at", "must be in the future"));
        }
        if max_uses.is_some_and(|m| m < 1) {
            return Err(AppError::validation("max_uses", "must be at least 1"));
        }
        let code = invitations::new_code();
        self.write(|conn| {
            let no_such =
                || AppError::validation("building_id", "no such building in your compounds");
            let building = org::find_building(conn, building).map_err(|_| no_such())?;
            if !verifies_for(conn, actor, building.compound_id)? {
                return Err(no_such());
            }
            let invitation = invitations::create(
                conn,
                &NewInvitation {
                    code_hash: &invitations::hash_code(&code),
                    compound_id: building.compound_id,
                    building_id: building.id,
                    created_by: actor.user_id.0,
                    created_at: to_millis(now),
                    expires_at: to_millis(expires_at),
                    max_uses,
                },
            )?;
            Ok(NewInvitationCode {
                invitation,
                code: code.clone(),
            })
        })
    }
}
