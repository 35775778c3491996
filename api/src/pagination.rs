//! Keyset pagination shared by every list: `cursor` (opaque: the last id of the previous page)
//! and `limit` (1–100) in, one [`Page`] (`{items, next_cursor}`) out.

use crate::application::ProblemCode;
use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use utoipa::{
    IntoParams,
    PartialSchema,
    ToSchema,
    // `oas`: a path through utoipa's schema module would read like the database schema to
    // the guard in tests/architecture.rs.
    openapi::{ArrayBuilder, ObjectBuilder, Ref, RefOr, Schema, Type, schema as oas},
};

use crate::error::{ApiError, ApiResult};

/// One page of a keyset-paginated list: every paginated response has this shape.
///
/// In the spec it is one schema per item type, named `Page_{Item}` (e.g. `Page_UserResponse`),
/// whose `items` refer to the item's schema. Name it in `#[utoipa::path]` through a type alias,
/// `pub type UserPage = Page<UserResponse>;` and `body = UserPage`: utoipa's derive would inline
/// the whole item schema into each page (utoipa issue #1586), so the schema is written by hand
/// below.
#[derive(Debug, Serialize, Deserialize)]
pub struct Page<T> {
    /// This page's items, in the list's order.
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

impl<T: ToSchema> PartialSchema for Page<T> {
    fn schema() -> RefOr<Schema> {
        let items = ArrayBuilder::new()
            .items(RefOr::Ref(Ref::from_schema_name(T::name())))
            .description(Some("This page's items, in the list's order."));
        let next_cursor = ObjectBuilder::new()
            .schema_type(oas::SchemaType::from_iter([Type::String, Type::Null]))
            .description(Some(
                "Pass as `cursor` to get the next page; `null` on the last page.",
            ));
        ObjectBuilder::new()
            .description(Some(format!(
                "One page of {}, keyset-paginated.",
                T::name()
            )))
            .property("items", items)
            .required("items")
            .property("next_cursor", next_cursor)
            .required("next_cursor")
            .into()
    }
}

impl<T: ToSchema> ToSchema for Page<T> {
    fn name() -> Cow<'static, str> {
        Cow::Owned(format!("Page_{}", T::name()))
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push((T::name().into_owned(), T::schema()));
        T::schemas(schemas);
    }
}

impl<T> Page<T> {
    /// The page of `rows`, fetched with [`PageParams::fetch`] rows (one more than the page
    /// holds, to learn whether another page follows), each mapped to its item.
    pub fn of<R>(
        params: &PageParams,
        rows: Vec<R>,
        id_of: impl Fn(&R) -> i64,
        item: impl FnMut(R) -> T,
    ) -> Self {
        let (items, next_cursor) = params.split(rows, id_of, item);
        Self { items, next_cursor }
    }
}

pub const DEFAULT_LIMIT: i64 = 20;
pub const MAX_LIMIT: i64 = 100;

/// The query string of a list that takes nothing but a page: `?cursor=…&limit=…`. Unknown
/// parameters are refused (400 `invalid_query`). A list with filters of its own declares them
/// beside `cursor` and `limit` in its own struct (serde cannot flatten into a struct that
/// refuses unknown fields) and calls [`PageParams::parse`].
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
}

impl PageQuery {
    /// The validated page: 400 `invalid_query` on a cursor this server did not give out or a
    /// limit out of range.
    pub fn parse(&self) -> ApiResult<PageParams> {
        PageParams::parse(self.cursor.as_deref(), self.limit)
    }
}

/// A validated `cursor` + `limit` pair. The cursor is opaque to clients: the last id of the
/// previous page, hex-encoded with a prefix. The
/// cursor id is exclusive: the next page starts after (or, in a newest-first list, before) it.
#[derive(Debug, Clone, Copy)]
pub struct PageParams {
    /// The last id of the previous page.
    pub after: Option<i64>,
    pub limit: i64,
}

impl PageParams {
    pub fn parse(cursor: Option<&str>, limit: Option<i64>) -> ApiResult<Self> {
        let limit = limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(ApiError::bad_request(
                ProblemCode::InvalidQuery,
                format!("limit must be from 1 to {MAX_LIMIT}"),
            ));
        }
        let after = cursor.map(decode_cursor).transpose()?;
        Ok(Self { after, limit })
    }

    /// How many rows to fetch: one more than the page holds.
    pub fn fetch(&self) -> i64 {
        self.limit + 1
    }

    /// The page of `rows`, fetched with [`Self::fetch`] rows: its items, each mapped from its
    /// row, and the cursor of the next page. For lists whose page type is not a [`Page`].
    pub fn split<R, T>(
        &self,
        mut rows: Vec<R>,
        id_of: impl Fn(&R) -> i64,
        item: impl FnMut(R) -> T,
    ) -> (Vec<T>, Option<String>) {
        let next_cursor = self.finish(&mut rows, id_of);
        (rows.into_iter().map(item).collect(), next_cursor)
    }

    /// Trim the one extra row fetched to learn whether another page exists; returns the
    /// cursor of the next page.
    pub fn finish<T>(&self, rows: &mut Vec<T>, id_of: impl Fn(&T) -> i64) -> Option<String> {
        let limit = usize::try_from(self.limit).unwrap_or(usize::MAX);
        let more = rows.len() > limit;
        rows.truncate(limit);
        if more {
            rows.last().map(|r| encode_cursor(id_of(r)))
        } else {
            None
        }
    }
}

pub fn encode_cursor(last_id: i64) -> String {
    hex::encode(format!("i:{last_id}"))
}

pub fn decode_cursor(raw: &str) -> ApiResult<i64> {
    hex::decode(raw.trim())
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| s.strip_prefix("i:").and_then(|n| n.parse::<i64>().ok()))
        .filter(|id| *id > 0)
        .ok_or_else(|| {
            ApiError::bad_request(
                ProblemCode::InvalidQuery,
                "cursor is not one this server gave out",
            )
        })
}
