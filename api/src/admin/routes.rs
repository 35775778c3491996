//! The three routes every resource of the organisation tree has (create, list, get one), each
//! written once here as a macro that expands to its `#[utoipa::path]` and its handler.
//!
//! A resource file names what differs: the handler's name and path, its request and response
//! types, the descriptions the spec shows, and the use case it calls. Doc comments given before
//! the name land on the handler, so they are the operation's summary and description.
//!
//! The file invoking a macro imports `actix_web::{get, post}`: utoipa recognises the route
//! attribute by its bare name.

/// `POST`: parse the body (a block that may answer with `?` and ends with the use case to run),
/// run the use case, answer 201 with the created object and its `Location`. 401 / 403 come
/// before the body is read (see [`AdminCaller`](crate::admin::AdminCaller)).
macro_rules! create_route {
    (
        $(#[$doc:meta])*
        $name:ident($path:tt, $body:ident: $request:ident) -> $response:ident {
            201: $created:tt,
            409: $conflict:tt,
            422: $invalid:tt $(,)?
        }
        $case:block
    ) => {
        $(#[$doc])*
        #[utoipa::path(
            tag = "admin",
            request_body = $request,
            responses(
                (status = 201, description = $created, body = $response),
                (status = 409, description = $conflict, body = $crate::error::Problem, content_type = "application/problem+json"),
                (status = 422, description = $invalid, body = $crate::error::Problem, content_type = "application/problem+json"),
                $crate::responses::AdminOnly, $crate::responses::Malformed,
            )
        )]
        #[post($path)]
        pub async fn $name(
            _admin: $crate::admin::AdminCaller,
            state: actix_web::web::Data<$crate::state::AppState>,
            $body: actix_web::web::Json<$request>,
        ) -> $crate::error::ApiResult<actix_web::HttpResponse> {
            let created = $response::from(state.call($case).await?);
            Ok($crate::admin::created($path, created.id, created))
        }
    };
}

/// `GET` on a collection: every row (of the filter, when the list takes a query), by id.
macro_rules! list_route {
    (
        $(#[$doc:meta])*
        $name:ident($path:tt $(, $query:ident: $params:ident)?) -> [$response:ident] $listed:tt,
        $case:expr
    ) => {
        $(#[$doc])*
        #[utoipa::path(
            tag = "admin",
            $(params($params),)?
            responses((status = 200, description = $listed, body = [$response]), $crate::responses::AdminOnly)
        )]
        #[get($path)]
        pub async fn $name(
            _admin: $crate::admin::AdminCaller,
            state: actix_web::web::Data<$crate::state::AppState>,
            $($query: actix_web::web::Query<$params>,)?
        ) -> $crate::error::ApiResult<actix_web::web::Json<Vec<$response>>> {
            $(let $query = $query.into_inner();)?
            $crate::admin::all(&state, $case).await
        }
    };
}

/// `GET` on one row by id: 404 when there is none.
macro_rules! get_route {
    (
        $(#[$doc:meta])*
        $name:ident($path:tt, $id:ident: $id_type:ident $id_doc:tt) -> $response:ident $found:tt,
        $case:ident
    ) => {
        $(#[$doc])*
        #[utoipa::path(
            tag = "admin",
            params(("id" = i64, Path, description = $id_doc)),
            responses(
                (status = 200, description = $found, body = $response),
                $crate::responses::AdminOnly, $crate::responses::NotFound,
            )
        )]
        #[get($path)]
        pub async fn $name(
            _admin: $crate::admin::AdminCaller,
            state: actix_web::web::Data<$crate::state::AppState>,
            $id: actix_web::web::Path<$id_type>,
        ) -> $crate::error::ApiResult<actix_web::web::Json<$response>> {
            $crate::admin::one(&state, move |app| app.$case($id.into_inner())).await
        }
    };
}
