//! GET /labels: what to show for every value of the closed sets (categories, statuses, levels,
//! roles, …) in the caller's language, so an app needs no translations of its own.

use actix_web::{HttpRequest, HttpResponse, get, http::header, web};
use linli_domain::{
    auth::Role,
    closure::Closure,
    evaluation::Grade,
    handler::HandlerKind,
    issue::{
        EventKind, ExtensionStatus, IssueKind, IssueStatus, ReturnReason, RevisitOutcome, Source,
    },
    labels::{Labelled, Lang},
    level::Level,
    urgency::Urgency,
};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::{IntoParams, ToSchema};

use crate::{
    application::ProblemCode,
    error::{ApiError, ApiResult, Problem},
    state::AppState,
};

/// The language of a request: `lang` if given, else what `Accept-Language` prefers among the
/// languages Linli speaks, else the district's default (`LINLI_DEFAULT_LANGUAGE`).
pub fn language(req: &HttpRequest, lang: Option<&str>, default: Lang) -> ApiResult<Lang> {
    if let Some(tag) = lang {
        return Lang::of_tag(tag).ok_or_else(|| {
            ApiError::bad_request(ProblemCode::InvalidQuery, "lang must be zh-CN or en")
        });
    }
    Ok(crate::messages::preferred(req.headers(), default))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct LabelsQuery {
    /// `zh-CN` or `en` (any `zh-*` / `en-*` tag); without it, `Accept-Language` decides.
    #[param(example = "zh-CN")]
    pub lang: Option<String>,
}

/// Each value's wire name → its label.
type Labels = Map<String, Value>;

/// The labels of every closed set, in one language.
#[derive(Debug, Serialize, ToSchema)]
pub struct LabelsResponse {
    /// The language of the labels: `zh-CN` or `en`.
    #[schema(example = "zh-CN")]
    pub lang: &'static str,
    /// Category code → name (e.g. `water_leak` → 漏水), from the catalogue (retired categories
    /// too: old issues still carry their codes).
    #[schema(value_type = std::collections::HashMap<String, String>)]
    pub categories: Labels,
    /// Request type (诉求类型) → label.
    #[schema(value_type = std::collections::HashMap<String, String>)]
    pub kinds: Labels,
    /// Issue status → label.
    #[schema(value_type = std::collections::HashMap<String, String>)]
    pub statuses: Labels,
    /// Handling level → label.
    #[schema(value_type = std::collections::HashMap<String, String>)]
    pub levels: Labels,
    /// Urgency → label.
    #[schema(value_type = std::collections::HashMap<String, String>)]
    pub urgencies: Labels,
    /// Where an issue came from → label.
    #[schema(value_type = std::collections::HashMap<String, String>)]
    pub sources: Labels,
    /// How a closed issue was closed → label.
    #[schema(value_type = std::collections::HashMap<String, String>)]
    pub closures: Labels,
    /// Handler kind → label.
    #[schema(value_type = std::collections::HashMap<String, String>)]
    pub handler_kinds: Labels,
    /// Timeline event kind → label.
    #[schema(value_type = std::collections::HashMap<String, String>)]
    pub event_kinds: Labels,
    /// Why a handler returned a case (退单) → label.
    #[schema(value_type = std::collections::HashMap<String, String>)]
    pub return_reasons: Labels,
    /// Extension request (延期申请) status → label.
    #[schema(value_type = std::collections::HashMap<String, String>)]
    pub extension_statuses: Labels,
    /// Revisit (回头看) outcome → label.
    #[schema(value_type = std::collections::HashMap<String, String>)]
    pub revisit_outcomes: Labels,
    /// Account role → label.
    #[schema(value_type = std::collections::HashMap<String, String>)]
    pub roles: Labels,
    /// A property company's 等次 in a rating → label.
    #[schema(value_type = std::collections::HashMap<String, String>)]
    pub grades: Labels,
}

/// Every value of `T` by its wire name, labelled in `lang`.
fn labels<T: Labelled + Serialize>(lang: Lang) -> Labels {
    T::VALUES
        .iter()
        .filter_map(|v| match serde_json::to_value(v) {
            Ok(Value::String(name)) => Some((name, Value::from(v.label(lang)))),
            _ => None,
        })
        .collect()
}

/// The labels of categories, request types, statuses, levels, urgencies, sources, closures,
/// handler kinds, event kinds, return reasons, extension statuses, revisit outcomes, roles and
/// rating grades, in Simplified Chinese or English.
///
/// Public, like the category catalogue: an app loads it once at start.
#[utoipa::path(
    tag = "issues",
    params(LabelsQuery),
    responses(
        (status = 200, description = "Every label in the language asked for; `Content-Language` says which", body = LabelsResponse,
            headers(("Content-Language" = String, description = "`zh-CN` or `en`"))),
        (status = 400, description = "`lang` is neither Chinese nor English (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/labels")]
pub async fn get_labels(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<LabelsQuery>,
) -> ApiResult<HttpResponse> {
    let lang = language(&req, query.lang.as_deref(), state.config.default_language)?;
    let catalogue = state.call(|app| app.category_names()).await?;
    let body = LabelsResponse {
        lang: lang.tag(),
        categories: catalogue
            .into_iter()
            .map(|(code, zh, en)| {
                let name = match lang {
                    Lang::Zh => zh,
                    Lang::En => en,
                };
                (code, Value::from(name))
            })
            .collect(),
        kinds: labels::<IssueKind>(lang),
        statuses: labels::<IssueStatus>(lang),
        levels: labels::<Level>(lang),
        urgencies: labels::<Urgency>(lang),
        sources: labels::<Source>(lang),
        closures: labels::<Closure>(lang),
        handler_kinds: labels::<HandlerKind>(lang),
        event_kinds: labels::<EventKind>(lang),
        return_reasons: labels::<ReturnReason>(lang),
        extension_statuses: labels::<ExtensionStatus>(lang),
        revisit_outcomes: labels::<RevisitOutcome>(lang),
        roles: labels::<Role>(lang),
        grades: labels::<Grade>(lang),
    };
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_LANGUAGE, lang.tag()))
        .insert_header((header::VARY, "Accept-Language"))
        .json(body))
}
