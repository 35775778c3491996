//! The demo district's notice board: in the first compound, its property company's pinned
//! outage notice (停水, covering the water and utility categories, until tomorrow) and the
//! community's general notice, so the board and the filing screen have something to show.

use chrono::Duration;
use linli_domain::{
    Timestamp,
    category::CategoryCode,
    ids::{CommunityId, CompoundId, PropertyCompanyId},
    notice::{NoticeKind, Publisher},
    values::{NoticeBody, NoticeTitle},
};
use linli_infra::DbConn;

use super::{
    SeedResult,
    district::{DemoCompound, DemoDistrict},
};
use crate::application::notices::{NoticeDraft, NoticeTarget, store_notice};

fn draft(
    compound: &DemoCompound,
    kind: NoticeKind,
    title: &str,
    body: &str,
    pinned: bool,
    expires_at: Option<Timestamp>,
    categories: Vec<CategoryCode>,
) -> SeedResult<NoticeDraft> {
    Ok(NoticeDraft {
        title: NoticeTitle::parse(title).map_err(|e| e.to_string())?,
        body: NoticeBody::parse(body).map_err(|e| e.to_string())?,
        kind,
        target: NoticeTarget::Compounds(vec![CompoundId(compound.id)]),
        pinned,
        expires_at,
        categories,
    })
}

/// Post the two notices; returns how many.
pub fn seed(conn: &mut DbConn, d: &DemoDistrict, now: Timestamp) -> SeedResult<usize> {
    let Some(compound) = d.compounds.first() else {
        return Ok(0);
    };
    let company = compound.company_at(now);
    let mut posted = 0;
    if let Some(staff) = d.property_staff.get(&company) {
        let outage = draft(
            compound,
            NoticeKind::Outage,
            "停水通知",
            "因小区供水管网维修，明天上午9:00至下午17:00停水，请住户提前储水。如有疑问请联系物业服务中心。",
            true,
            Some(now + Duration::days(1)),
            vec![CategoryCode::WATER_LEAK, CategoryCode::PUBLIC_UTILITIES],
        )?;
        let publisher = Publisher::PropertyCompany(PropertyCompanyId(company));
        store_notice(conn, publisher, staff.user_id, &outage, &[compound.id], now)?;
        posted += 1;
    }
    if let Some(official) = d.officials.get(&compound.community_id) {
        let general = draft(
            compound,
            NoticeKind::General,
            "居民议事会通知",
            "本周六上午9:30在社区议事厅召开居民议事会，议题：电梯加装与充电桩安装，欢迎居民参加。",
            false,
            None,
            Vec::new(),
        )?;
        let publisher = Publisher::Community(CommunityId(compound.community_id));
        store_notice(
            conn,
            publisher,
            official.user_id,
            &general,
            &[compound.id],
            now,
        )?;
        posted += 1;
    }
    Ok(posted)
}
