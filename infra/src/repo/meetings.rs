//! Meetings that decide several cases: the meeting, its attendees, its cases (on the agenda, or
//! raised there) with each decision, and the compounds its published decisions are shown to.

use diesel::prelude::*;

use crate::{
    DbConn,
    error::{RepoError, RepoResult, one_row},
    repo::issues::IssueRow,
    schema::{compounds, issues, meeting_attendees, meeting_cases, meeting_compounds, meetings},
};

/// A case on the agenda (decided there at most once) or raised at the meeting.
pub const AGENDA: &str = "agenda";
pub const RAISED: &str = "raised";

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = meetings)]
pub struct MeetingRow {
    pub id: i64,
    pub kind: String,
    pub title: String,
    pub community_id: i64,
    pub compound_id: Option<i64>,
    pub held_at: i64,
    pub venue: String,
    pub minutes: Option<String>,
    pub published_at: Option<i64>,
    pub notice_id: Option<i64>,
    pub created_by: i64,
    pub created_at: i64,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = meetings)]
pub struct NewMeeting<'a> {
    pub kind: &'a str,
    pub title: &'a str,
    pub community_id: i64,
    pub compound_id: Option<i64>,
    pub held_at: i64,
    pub venue: &'a str,
    pub created_by: i64,
    pub created_at: i64,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = meeting_attendees)]
pub struct AttendeeRow {
    pub id: i64,
    pub meeting_id: i64,
    pub user_id: Option<i64>,
    pub name: String,
    pub role_label: String,
}

/// An attendee as written: an account or just a name, and what they attend as.
#[derive(Debug, Clone)]
pub struct NewAttendee<'a> {
    pub user_id: Option<i64>,
    pub name: &'a str,
    pub role_label: &'a str,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = meeting_cases)]
pub struct CaseRow {
    pub meeting_id: i64,
    pub issue_id: i64,
    pub role: String,
    pub position: i32,
    pub outcome: Option<String>,
    pub decision: Option<String>,
    pub resolution_due: Option<i64>,
    pub votes_for: Option<i32>,
    pub votes_against: Option<i32>,
    pub votes_abstain: Option<i32>,
    pub decided_by: Option<i64>,
    pub decided_at: Option<i64>,
    pub event_id: Option<i64>,
}

/// What a decision writes to its case row.
#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = meeting_cases)]
pub struct DecisionColumns<'a> {
    pub outcome: &'a str,
    pub decision: &'a str,
    pub resolution_due: Option<i64>,
    pub votes_for: Option<i32>,
    pub votes_against: Option<i32>,
    pub votes_abstain: Option<i32>,
    pub decided_by: i64,
    pub decided_at: i64,
    pub event_id: i64,
}

fn add_case(
    conn: &mut DbConn,
    meeting_id: i64,
    issue_id: i64,
    role: &str,
    position: i32,
) -> RepoResult<()> {
    diesel::insert_into(meeting_cases::table)
        .values((
            meeting_cases::meeting_id.eq(meeting_id),
            meeting_cases::issue_id.eq(issue_id),
            meeting_cases::role.eq(role),
            meeting_cases::position.eq(position),
        ))
        .execute(conn)
        .map_err(|e| RepoError::from_write(e, "case"))?;
    Ok(())
}

/// Store a meeting with its attendees and agenda, in order (call inside a transaction).
pub fn create(
    conn: &mut DbConn,
    new: &NewMeeting<'_>,
    attendees: &[NewAttendee<'_>],
    agenda: &[i64],
) -> RepoResult<MeetingRow> {
    let id = diesel::insert_into(meetings::table)
        .values(new)
        .returning(meetings::id)
        .get_result::<i64>(conn)
        .map_err(|e| RepoError::from_write(e, "meeting"))?;
    // One row at a time: batch inserts are not available across both backends.
    for a in attendees {
        diesel::insert_into(meeting_attendees::table)
            .values((
                meeting_attendees::meeting_id.eq(id),
                meeting_attendees::user_id.eq(a.user_id),
                meeting_attendees::name.eq(a.name),
                meeting_attendees::role_label.eq(a.role_label),
            ))
            .execute(conn)
            .map_err(|e| RepoError::from_write(e, "attendee"))?;
    }
    for (position, issue) in (1..).zip(agenda) {
        add_case(conn, id, *issue, AGENDA, position)?;
    }
    find(conn, id)
}

pub fn find(conn: &mut DbConn, id: i64) -> RepoResult<MeetingRow> {
    meetings::table
        .find(id)
        .select(MeetingRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(RepoError::NotFound)
}

pub fn attendees(conn: &mut DbConn, meeting_id: i64) -> RepoResult<Vec<AttendeeRow>> {
    Ok(meeting_attendees::table
        .filter(meeting_attendees::meeting_id.eq(meeting_id))
        .select(AttendeeRow::as_select())
        .order(meeting_attendees::id)
        .load(conn)?)
}

/// The cases of a meeting with each case as it stands now, agenda first, in one query.
pub fn cases(conn: &mut DbConn, meeting_id: i64) -> RepoResult<Vec<(CaseRow, IssueRow)>> {
    Ok(meeting_cases::table
        .inner_join(issues::table)
        .filter(meeting_cases::meeting_id.eq(meeting_id))
        .select((CaseRow::as_select(), IssueRow::as_select()))
        .order((meeting_cases::role, meeting_cases::position))
        .load(conn)?)
}

pub fn case(conn: &mut DbConn, meeting_id: i64, issue_id: i64) -> RepoResult<Option<CaseRow>> {
    Ok(meeting_cases::table
        .filter(meeting_cases::meeting_id.eq(meeting_id))
        .filter(meeting_cases::issue_id.eq(issue_id))
        .select(CaseRow::as_select())
        .first(conn)
        .optional()?)
}

/// Write the decision on an agenda case not decided yet; `NotFound` otherwise.
pub fn record_decision(
    conn: &mut DbConn,
    meeting_id: i64,
    issue_id: i64,
    decision: &DecisionColumns<'_>,
) -> RepoResult<()> {
    let n = diesel::update(
        meeting_cases::table
            .filter(meeting_cases::meeting_id.eq(meeting_id))
            .filter(meeting_cases::issue_id.eq(issue_id))
            .filter(meeting_cases::role.eq(AGENDA))
            .filter(meeting_cases::outcome.is_null()),
    )
    .set(decision)
    .execute(conn)?;
    one_row(n)
}

/// Add a case raised at the meeting, after the others raised there.
pub fn add_raised(conn: &mut DbConn, meeting_id: i64, issue_id: i64) -> RepoResult<()> {
    let last: Option<i32> = meeting_cases::table
        .filter(meeting_cases::meeting_id.eq(meeting_id))
        .filter(meeting_cases::role.eq(RAISED))
        .select(diesel::dsl::max(meeting_cases::position))
        .first(conn)?;
    add_case(conn, meeting_id, issue_id, RAISED, last.unwrap_or(0) + 1)
}

pub fn set_minutes(conn: &mut DbConn, id: i64, minutes: &str) -> RepoResult<()> {
    let n = diesel::update(meetings::table.find(id))
        .set(meetings::minutes.eq(minutes))
        .execute(conn)?;
    one_row(n)
}

/// Mark the meeting published at `at` with its notice, shown to `compound_ids`; `false` when
/// it already was (call inside a transaction).
pub fn publish(
    conn: &mut DbConn,
    id: i64,
    at: i64,
    notice_id: i64,
    compound_ids: &[i64],
) -> RepoResult<bool> {
    let n = diesel::update(
        meetings::table
            .filter(meetings::id.eq(id))
            .filter(meetings::published_at.is_null()),
    )
    .set((
        meetings::published_at.eq(at),
        meetings::notice_id.eq(notice_id),
    ))
    .execute(conn)?;
    if n != 1 {
        return Ok(false);
    }
    for compound in compound_ids {
        diesel::insert_into(meeting_compounds::table)
            .values((
                meeting_compounds::meeting_id.eq(id),
                meeting_compounds::compound_id.eq(*compound),
            ))
            .execute(conn)
            .map_err(|e| RepoError::from_write(e, "compound"))?;
    }
    Ok(true)
}

/// The compounds the published decisions are shown to, with the company managing each now.
pub fn published_to(conn: &mut DbConn, meeting_id: i64) -> RepoResult<Vec<(i64, i64)>> {
    Ok(meeting_compounds::table
        .inner_join(compounds::table.on(compounds::id.eq(meeting_compounds::compound_id)))
        .filter(meeting_compounds::meeting_id.eq(meeting_id))
        .select((compounds::id, compounds::property_company_id))
        .order(compounds::id)
        .load(conn)?)
}

/// Which meetings a list shows (mirrors `linli_domain::meeting::may_read`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeetingScope {
    All,
    Nothing,
    Street(i64),
    Community(i64),
    /// Published to this compound.
    PublishedToCompound(i64),
    /// Published to a compound this company manages.
    PublishedToCompany(i64),
}

/// One page of the meetings `scope` shows, newest (highest id) first, in one query.
pub fn list(
    conn: &mut DbConn,
    scope: MeetingScope,
    before_id: Option<i64>,
    limit: i64,
) -> RepoResult<Vec<MeetingRow>> {
    use crate::schema::communities;
    let mut q = meetings::table
        .select(MeetingRow::as_select())
        .order(meetings::id.desc())
        .limit(limit)
        .into_boxed();
    let published_to = |compounds_query| {
        meetings::id.eq_any(
            meeting_compounds::table
                .filter(meeting_compounds::compound_id.eq_any(compounds_query))
                .select(meeting_compounds::meeting_id),
        )
    };
    q = match scope {
        MeetingScope::All => q,
        MeetingScope::Nothing => return Ok(Vec::new()),
        MeetingScope::Street(s) => q.filter(
            meetings::community_id.eq_any(
                communities::table
                    .filter(communities::street_id.eq(s))
                    .select(communities::id),
            ),
        ),
        MeetingScope::Community(c) => q.filter(meetings::community_id.eq(c)),
        MeetingScope::PublishedToCompound(c) => q.filter(
            meetings::id.eq_any(
                meeting_compounds::table
                    .filter(meeting_compounds::compound_id.eq(c))
                    .select(meeting_compounds::meeting_id),
            ),
        ),
        MeetingScope::PublishedToCompany(p) => q.filter(published_to(
            compounds::table
                .filter(compounds::property_company_id.eq(p))
                .select(compounds::id),
        )),
    };
    if let Some(before) = before_id {
        q = q.filter(meetings::id.lt(before));
    }
    Ok(q.load(conn)?)
}
