//! The public directory a resident signs up from: communities by a fragment of their name, then
//! the compounds of one, then the buildings of a compound. Names and ids only.

use linli_domain::ids::{CommunityId, CompoundId};
use linli_infra::repo::org::{self, DirectoryRow};

use super::{AppResult, Application};

/// A name fragment to search by, trimmed; blank means no filter.
fn fragment(q: Option<&str>) -> Option<&str> {
    q.map(str::trim).filter(|q| !q.is_empty())
}

impl Application {
    /// Communities whose name contains `q`, by id after `after`; `fetch` rows at most.
    pub fn directory_communities(
        &self,
        q: Option<&str>,
        after: Option<i64>,
        fetch: i64,
    ) -> AppResult<Vec<DirectoryRow>> {
        self.read(|conn| Ok(org::directory_communities(conn, fragment(q), after, fetch)?))
    }

    /// The compounds of a community (404 if there is no such community).
    pub fn directory_compounds(
        &self,
        community: CommunityId,
        q: Option<&str>,
        after: Option<i64>,
        fetch: i64,
    ) -> AppResult<Vec<DirectoryRow>> {
        self.read(|conn| {
            org::find_community(conn, community)?;
            Ok(org::directory_compounds(
                conn,
                community,
                fragment(q),
                after,
                fetch,
            )?)
        })
    }

    /// The buildings of a compound (404 if there is no such compound).
    pub fn directory_buildings(
        &self,
        compound: CompoundId,
        q: Option<&str>,
        after: Option<i64>,
        fetch: i64,
    ) -> AppResult<Vec<DirectoryRow>> {
        self.read(|conn| {
            org::find_compound(conn, compound)?;
            Ok(org::directory_buildings(
                conn,
                compound,
                fragment(q),
                after,
                fetch,
            )?)
        })
    }
}
