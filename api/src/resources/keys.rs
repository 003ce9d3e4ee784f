//! API keys: a person's own (any role), and service keys administrators create for staff
//! integrations. The secret is returned once at creation; Faro keeps a digest.

use actix_web::{HttpResponse, delete, get, post, web};
use faro_core::access::{KeyScope, KeySecret, parse_key_name};
use faro_store::{KeyList, NewApiKey as StoreKey};
use faro_types::access::{ApiKey, CreatedApiKey, NewApiKey, NewServiceKey};
use faro_types::{Page, PageQuery};
use uuid::Uuid;

use super::convert;
use super::paging::Paging;
use crate::auth::Auth;
use crate::extract::{Json, Query};
use crate::problem::{ApiError, ApiResult, Fields, Text};
use crate::server::Api;

fn scope_in(s: faro_types::access::KeyScope) -> KeyScope {
    match s {
        faro_types::access::KeyScope::Read => KeyScope::Read,
        faro_types::access::KeyScope::ReadWrite => KeyScope::ReadWrite,
    }
}

async fn create(
    api: &Api,
    auth: &Auth,
    owner_id: Uuid,
    name: &str,
    scope: faro_types::access::KeyScope,
    expires_at: Option<chrono::DateTime<chrono::Utc>>,
    service: bool,
) -> ApiResult<HttpResponse> {
    auth.signed_in()?;
    let mut f = Fields::default();
    let name = f.check("name", parse_key_name(name));
    if expires_at.is_some_and(|at| at <= chrono::Utc::now()) {
        f.add(
            "expires_at",
            "date",
            Text::Invalid(faro_core::Invalid::Date),
        );
    }
    f.finish()?;
    let Some(name) = name else {
        return Err(ApiError::internal("validated fields missing"));
    };
    let secret = KeySecret::generate().map_err(ApiError::internal)?;
    let new = StoreKey {
        owner_id,
        name,
        scope: scope_in(scope),
        expires_at,
        service,
    };
    let key = api
        .store
        .create_api_key(
            &auth.viewer(),
            &auth.actor(),
            new,
            &secret.digest(),
            &secret.prefix(),
        )
        .await
        .map_err(|e| match e {
            faro_core::StoreError::Invalid(faro_core::Invalid::Role) => {
                ApiError::field("owner_id", "not_staff", Text::Catalog(|t| t.api_not_staff))
            }
            e => e.into(),
        })?;
    Ok(HttpResponse::Created()
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .json(CreatedApiKey {
            key: convert::api_key(key),
            secret: secret.expose().to_owned(),
        }))
}

async fn list(api: &Api, auth: &Auth, which: KeyList, q: &PageQuery) -> ApiResult<HttpResponse> {
    let paging = Paging::parse(q)?;
    let after = paging.after.as_ref().map(|(_, id)| *id);
    let rows = api
        .store
        .api_keys(&auth.viewer(), which, after, paging.fetch())
        .await?;
    let page: Page<ApiKey> = paging.page(rows, |k| (String::new(), k.id), convert::api_key);
    Ok(HttpResponse::Ok().json(page))
}

async fn revoke(api: &Api, auth: &Auth, id: Uuid, which: KeyList) -> ApiResult<HttpResponse> {
    auth.signed_in()?;
    let key = api
        .store
        .revoke_api_key(&auth.viewer(), &auth.actor(), which, id)
        .await?;
    Ok(HttpResponse::Ok().json(convert::api_key(key)))
}

/// List one's API keys
///
/// Newest first, revoked and expired ones included (with their dates). Secrets are never shown
/// again.
#[utoipa::path(
    operation_id = "list_my_api_keys",
    tag = "me",
    security(("access_token" = []), ("api_key" = [])),
    params(PageQuery),
    responses(
        (status = 200, description = "A page of keys", body = Page<ApiKey>),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 422, response = crate::openapi::Invalid)
    )
)]
#[get("/me/api-keys")]
pub async fn list_mine(
    api: web::Data<Api>,
    auth: Auth,
    Query(q): Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    list(&api, &auth, KeyList::Mine, &q).await
}

/// Create an API key
///
/// For an integration acting as oneself: a `read` key may only read; a `read_write` key may do
/// what its owner may (never more). The response holds the secret: the only time it is shown.
/// Needs a signed-in person (not another key).
#[utoipa::path(
    operation_id = "create_my_api_key",
    tag = "me",
    security(("access_token" = [])),
    request_body = NewApiKey,
    responses(
        (status = 201, description = "Created; `secret` is shown this once", body = CreatedApiKey),
        (status = 400, response = crate::openapi::BadJson),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 415, response = crate::openapi::NotJson),
        (status = 422, response = crate::openapi::Invalid)
    )
)]
#[post("/me/api-keys")]
pub async fn create_mine(
    api: web::Data<Api>,
    auth: Auth,
    Json(body): Json<NewApiKey>,
) -> ApiResult<HttpResponse> {
    let me = auth.principal.person.id;
    create(
        &api,
        &auth,
        me,
        &body.name,
        body.scope,
        body.expires_at,
        false,
    )
    .await
}

/// Revoke one of one's API keys
///
/// It stops working at once. Revoking a revoked key changes nothing.
#[utoipa::path(
    operation_id = "revoke_my_api_key",
    tag = "me",
    security(("access_token" = [])),
    params(("id" = Uuid, Path, description = "The key's id")),
    responses(
        (status = 200, description = "The key, revoked", body = ApiKey),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound)
    )
)]
#[delete("/me/api-keys/{id}")]
pub async fn revoke_mine(
    api: web::Data<Api>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    revoke(&api, &auth, *id, KeyList::Mine).await
}

/// List service keys
///
/// Every staff integration's key (administrators).
#[utoipa::path(
    operation_id = "list_service_keys",
    tag = "staff",
    security(("access_token" = []), ("api_key" = [])),
    params(PageQuery),
    responses(
        (status = 200, description = "A page of service keys", body = Page<ApiKey>),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 404, response = crate::openapi::NotFound),
        (status = 422, response = crate::openapi::Invalid)
    )
)]
#[get("/service-keys")]
pub async fn list_service(
    api: web::Data<Api>,
    auth: Auth,
    Query(q): Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    list(&api, &auth, KeyList::Service, &q).await
}

/// Create a service key
///
/// For a staff integration (a monitoring system, a build pipeline) acting as an active staff
/// account (`owner_id`). Administrators only.
#[utoipa::path(
    operation_id = "create_service_key",
    tag = "staff",
    security(("access_token" = [])),
    request_body = NewServiceKey,
    responses(
        (status = 201, description = "Created; `secret` is shown this once", body = CreatedApiKey),
        (status = 400, response = crate::openapi::BadJson),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
        (status = 415, response = crate::openapi::NotJson),
        (status = 422, response = crate::openapi::Invalid)
    )
)]
#[post("/service-keys")]
pub async fn create_service(
    api: web::Data<Api>,
    auth: Auth,
    Json(body): Json<NewServiceKey>,
) -> ApiResult<HttpResponse> {
    create(
        &api,
        &auth,
        body.owner_id,
        &body.name,
        body.scope,
        body.expires_at,
        true,
    )
    .await
}

/// Revoke a service key
///
/// Administrators only.
#[utoipa::path(
    operation_id = "revoke_service_key",
    tag = "staff",
    security(("access_token" = [])),
    params(("id" = Uuid, Path, description = "The key's id")),
    responses(
        (status = 200, description = "The key, revoked", body = ApiKey),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound)
    )
)]
#[delete("/service-keys/{id}")]
pub async fn revoke_service(
    api: web::Data<Api>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    revoke(&api, &auth, *id, KeyList::Service).await
}
