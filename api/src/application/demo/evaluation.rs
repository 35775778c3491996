//! The demo's evaluation cycle: the district office's scheme for the year, daily-work
//! assessments of the last full quarter, and that quarter's rating computed from the demo
//! history and published (红黑榜).

use std::collections::BTreeSet;

use linli_domain::{
    Timestamp,
    evaluation::{AssessmentScheme, SchemeSpec},
    period::{DistrictTz, Quarter, TimeRange},
};
use linli_infra::{
    DbConn,
    repo::{assessment_schemes, assessments, reports::Window},
    time::to_millis,
};

use super::{SeedResult, district::DemoDistrict, fail};
use crate::application::evaluation::ratings::{compute_draft, publish_draft};

/// Daily-work scores per company, in the order of their ids: one looked after its compounds
/// well, one adequately, one badly (the seed reports' 红榜 and 黑榜).
const DAILY_WORK: [i32; 3] = [98, 84, 25];

/// Seed the cycle for the quarter before the one `now` is in.
pub fn seed(conn: &mut DbConn, d: &DemoDistrict, now: Timestamp) -> SeedResult<()> {
    let tz = DistrictTz::default();
    let Some(quarter) = Quarter::containing(now, tz).and_then(Quarter::previous) else {
        return Ok(());
    };
    let office = d.district_office.ok_or("no district office")?;
    let at = to_millis(now);
    let scheme = AssessmentScheme::parse(SchemeSpec::default()).map_err(fail)?;
    let years: BTreeSet<i32> = [
        quarter.year(),
        Quarter::containing(now, tz).map_or(quarter.year(), Quarter::year),
    ]
    .into();
    for year in years {
        assessment_schemes::insert(conn, year, &scheme, office.user_id.0, at).map_err(fail)?;
    }
    let range = TimeRange::of_quarter(quarter, tz);
    let last = range.to() - chrono::Duration::milliseconds(1);
    let companies: BTreeSet<i64> = d.compounds.iter().map(|c| c.company_at(last)).collect();
    let period = quarter.as_string();
    for c in &d.compounds {
        let company = c.company_at(last);
        let rank = companies.iter().position(|id| *id == company).unwrap_or(0);
        let official = d
            .officials
            .get(&c.community_id)
            .ok_or("no community official")?;
        assessments::insert(
            conn,
            &assessments::NewAssessment {
                property_company_id: company,
                compound_id: c.id,
                period: &period,
                score: DAILY_WORK[rank.min(DAILY_WORK.len() - 1)],
                notes: "季度日常工作考核：环境卫生、秩序维护、设施设备、绿化养护、服务态度",
                assessor_id: official.user_id.0,
                created_at: to_millis(last),
                month: None,
                items: None,
            },
        )
        .map_err(fail)?;
    }
    let window = Window {
        from: to_millis(range.from()),
        to: to_millis(range.to()),
        now: at,
    };
    let draft = compute_draft(conn, office.user_id, quarter, window)?;
    publish_draft(conn, office.user_id, draft.id, at)?;
    Ok(())
}
