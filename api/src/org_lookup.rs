//! GET /org/…: the organisation units a dispatcher, official or handler works with — streets,
//! communities, grids, compounds (with the company managing each), buildings (with their
//! grid) and property companies — within what the caller's scope reaches. The `/admin/*` lists
//! stay the admin's; residents pick from `/directory`.

use actix_web::{get, web};

use crate::{
    admin::{
        buildings::BuildingResponse, communities::CommunityResponse, compounds::CompoundResponse,
        grids::GridResponse, property_companies::PropertyCompanyResponse, streets::StreetResponse,
    },
    auth::Caller,
    error::{ApiResult, Problem},
    pagination::{Page, PageQuery},
    responses::{InvalidQuery, Unauthenticated},
    state::AppState,
};
use linli_infra::repo::org;

/// One handler per kind of unit: its path, the rows' response type and the repository list.
macro_rules! reached_route {
    ($(#[$doc:meta])* $name:ident($path:literal) -> $page:ident<$response:ident>, $list:path, $listed:literal) => {
        pub type $page = Page<$response>;

        $(#[$doc])*
        #[utoipa::path(
            tag = "org",
            params(PageQuery),
            responses(
                (status = 200, description = $listed, body = $page),
                (status = 403, description = "Residents (`forbidden`): they use /directory", body = Problem, content_type = "application/problem+json"),
                InvalidQuery, Unauthenticated,
            )
        )]
        #[get($path)]
        pub async fn $name(
            state: web::Data<AppState>,
            caller: Caller,
            query: web::Query<PageQuery>,
        ) -> ApiResult<web::Json<$page>> {
            let page = query.parse()?;
            let actor = caller.actor;
            let rows = state
                .call(move |app| app.org_reached(&actor, $list, page.after, page.fetch()))
                .await?;
            Ok(web::Json(Page::of(&page, rows, |r| r.id, $response::from)))
        }
    };
}

reached_route!(
    /// The streets (街道) within the caller's reach.
    list_org_streets("/org/streets") -> StreetPage<StreetResponse>, org::list_streets_reached,
    "One page of streets"
);
reached_route!(
    /// The communities (社区) within the caller's reach.
    list_org_communities("/org/communities") -> CommunityPage<CommunityResponse>, org::list_communities_reached,
    "One page of communities"
);
reached_route!(
    /// The grids (网格) within the caller's reach: where grid-level cases go.
    list_org_grids("/org/grids") -> GridPage<GridResponse>, org::list_grids_reached,
    "One page of grids"
);
reached_route!(
    /// The compounds (小区) within the caller's reach, each with the company managing it.
    list_org_compounds("/org/compounds") -> CompoundPage<CompoundResponse>, org::list_compounds_reached,
    "One page of compounds"
);
reached_route!(
    /// The buildings within the caller's reach, each with its grid.
    list_org_buildings("/org/buildings") -> BuildingPage<BuildingResponse>, org::list_buildings_reached,
    "One page of buildings"
);
reached_route!(
    /// The property companies managing compounds within the caller's reach: who a
    /// property-level case can be assigned to.
    list_org_property_companies("/org/property-companies") -> PropertyCompanyPage<PropertyCompanyResponse>,
    org::list_property_companies_reached, "One page of property companies"
);
