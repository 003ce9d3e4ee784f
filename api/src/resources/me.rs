//! The signed-in person's own account: who they are, their name and language, their password.

use actix_web::{HttpMessage, HttpRequest, HttpResponse, get, patch, post, web};
use faro_core::NewPassword;
use faro_core::email::parse_name;
use faro_types::accounts::{Me, PasswordChange, ProfileUpdate};

use super::{auth as tokens, convert, hash_password, verify_password};
use crate::auth::Auth;
use crate::extract::Json;
use crate::problem::{ApiError, ApiResult, Fields, Text};
use crate::server::Api;

/// Who is signed in
///
/// The person behind the access token or API key, with their membership.
#[utoipa::path(
    operation_id = "get_me",
    tag = "me",
    security(("access_token" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "The signed-in person", body = Me),
        (status = 401, response = crate::openapi::Unauthorized)
    )
)]
#[get("/me")]
pub async fn show(auth: Auth) -> HttpResponse {
    HttpResponse::Ok().json(convert::me(&auth.principal, auth.key.map(|k| k.0)))
}

/// Change one's name or language
///
/// Messages and e-mails follow the language from the next request on.
#[utoipa::path(
    operation_id = "update_me",
    tag = "me",
    security(("access_token" = []), ("api_key" = [])),
    request_body = ProfileUpdate,
    responses(
        (status = 200, description = "The profile as saved", body = Me),
        (status = 400, response = crate::openapi::BadJson),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 415, response = crate::openapi::NotJson),
        (status = 422, response = crate::openapi::Invalid)
    )
)]
#[patch("/me")]
pub async fn update(
    api: web::Data<Api>,
    auth: Auth,
    req: HttpRequest,
    Json(body): Json<ProfileUpdate>,
) -> ApiResult<HttpResponse> {
    let mut f = Fields::default();
    let name = body
        .name
        .as_deref()
        .and_then(|n| f.check("name", parse_name(n)));
    f.finish()?;
    let viewer = auth.viewer();
    if let Some(name) = &name {
        api.store.set_name(&viewer, name).await?;
    }
    if let Some(lang) = body.language.map(convert::lang_in) {
        api.store.set_language(&viewer, lang).await?;
        // Answer (and refuse) in the language just chosen.
        req.extensions_mut().insert(lang);
    }
    let principal = api
        .store
        .principal(viewer.user_id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(HttpResponse::Ok().json(convert::me(&principal, auth.key.map(|k| k.0))))
}

/// Change one's password
///
/// Needs the current password. Every other sign-in of the account ends (their access tokens
/// stop working at their next request); this one continues with the new access token and
/// refresh cookie returned. API keys keep working.
#[utoipa::path(
    operation_id = "change_password",
    tag = "me",
    security(("access_token" = [])),
    request_body = PasswordChange,
    responses(
        (status = 200, description = "Changed; a new access token and refresh cookie for this device", body = faro_types::accounts::AccessToken),
        (status = 400, response = crate::openapi::BadJson),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 415, response = crate::openapi::NotJson),
        (status = 422, response = crate::openapi::Invalid)
    )
)]
#[post("/me/password")]
pub async fn change_password(
    api: web::Data<Api>,
    auth: Auth,
    req: HttpRequest,
    Json(body): Json<PasswordChange>,
) -> ApiResult<HttpResponse> {
    auth.signed_in()?;
    let viewer = auth.viewer();
    let current_ok = match api.store.password_hash_of(&viewer).await? {
        Some(hash) => verify_password(hash, body.current_password.clone()).await?,
        None => false,
    };
    let person = &auth.principal.person;
    let mut f = Fields::default();
    if !current_ok {
        f.add(
            "current_password",
            "wrong_password",
            Text::Catalog(|t| t.profile_wrong_password),
        );
    }
    let email = person.email.to_string();
    let new = f.check(
        "new_password",
        NewPassword::parse(
            &body.new_password,
            &body.new_password,
            &[&email, &person.name, &body.current_password],
        ),
    );
    f.finish()?;
    let Some(new) = new else {
        return Err(ApiError::internal("validated fields missing"));
    };
    let hash = hash_password(new).await?;
    api.store
        .change_password(&viewer, &auth.actor(), &hash, "")
        .await?;
    tokens::sign_in(&api, &req, person, false).await
}
