//! How an issue came in: a closed set of its own, shared by the issue and the evaluation.

use serde::{Deserialize, Serialize};

use crate::DomainError;

/// How an issue came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Source {
    /// A resident's phone app.
    App,
    /// A patrol round (巡查) by grid workers, officials, building leaders or volunteers.
    Patrol,
    /// A phone call to the centre.
    Hotline,
    /// Raised at a meeting (民情恳谈会).
    Meeting,
}

named_variants! {
    Source {
        App => "app",
        Patrol => "patrol",
        Hotline => "hotline",
        Meeting => "meeting",
    }
    unknown(raw) => DomainError::invalid("source", "must be app, patrol, hotline or meeting")
}
