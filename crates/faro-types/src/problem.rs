//! Errors as RFC 9457 problem details (`application/problem+json`), with a stable `code` an
//! integration can act on, a message in the caller's language and, for 422, one entry per field.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A refusal or failure. `code` is stable; `title` and `detail` are in the caller's language
/// (Spanish unless `Accept-Language` or the person's setting asks for English).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "type": "https://faro.example/problems/validation_failed",
    "title": "Algunos campos no son válidos.",
    "status": 422,
    "code": "validation_failed",
    "detail": "Algunos campos no son válidos.",
    "errors": [{"field": "email", "code": "email", "message": "La dirección de correo no es válida."}]
}))]
pub struct Problem {
    /// A URI naming the kind of problem: `…/problems/<code>`.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    /// The HTTP status, repeated.
    pub status: u16,
    pub code: ErrorCode,
    pub detail: String,
    /// On 422: what is wrong with each field.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// On 412 for an article: the revision that is current now (its `ETag` comes too).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_revision: Option<i32>,
}

/// One field that was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FieldError {
    /// The field's name as sent (`email`, `password`, `limit`…); `body` for the body as a whole.
    pub field: String,
    /// Stable reason: `required`, `unknown_field`, `wrong_type`, or what the value failed
    /// (`email`, `password_too_short`, `taken`…).
    pub code: String,
    pub message: String,
}

/// Every `code` a problem can carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// 401: no credentials, or ones Faro did not issue.
    Unauthorized,
    /// 401: the access token's time is up; refresh it.
    TokenExpired,
    /// 401: the person was deactivated, changed password or signed out everywhere.
    SessionEnded,
    /// 401: unknown, expired or revoked API key.
    ApiKeyRefused,
    /// 401: no refresh cookie, or one that is unknown, expired or revoked.
    RefreshRefused,
    /// 401: a spent refresh token came back; its family is revoked.
    RefreshReused,
    /// 401: wrong e-mail address or password.
    LoginFailed,
    /// 403: the account is deactivated.
    AccountInactive,
    /// 403: the person's membership is deactivated.
    MembershipInactive,
    /// 403: a read-only API key tried to change something.
    ReadOnlyKey,
    /// 403: the caller may see this but not do this.
    Forbidden,
    /// 404: no such thing, or not visible to the caller.
    NotFound,
    /// 404: the setup, confirmation or reset token is not valid (any more).
    LinkInvalid,
    /// 405
    MethodNotAllowed,
    /// 409: the e-mail address already has an account.
    EmailTaken,
    /// 409: another membership has this name.
    NameTaken,
    /// 409: no active membership has this invitation code.
    CodeInvalid,
    /// 409: the invitation code has expired.
    CodeExpired,
    /// 409: the change would leave no active administrator.
    LastAdmin,
    /// 409: people cannot deactivate themselves or pass a role to themselves.
    SelfAction,
    /// 409: activating a membership e-mails its code, so it needs a coordinator address.
    NeedsCoordinatorEmail,
    /// 409: the first administrator already exists.
    AlreadySetUp,
    /// 409: the request clashes with the current state.
    Conflict,
    /// 409: the item already has a version with this label.
    VersionExists,
    /// 409: the download item has no current version (none published yet, or all withdrawn).
    NoCurrentVersion,
    /// 410: the version was withdrawn; `detail` gives the reason.
    VersionWithdrawn,
    /// 412: the resource changed since it was read.
    PreconditionFailed,
    /// 413
    PayloadTooLarge,
    /// 415: the body must be JSON.
    UnsupportedMediaType,
    /// 400: the body is not JSON.
    MalformedJson,
    /// 400: the request cannot be read (a malformed header, a refused CORS preflight…).
    BadRequest,
    /// 422: one or more fields are refused; see `errors`.
    ValidationFailed,
    /// 429: wait `Retry-After` seconds.
    TooManyRequests,
    /// 500
    Internal,
    /// 503
    Unavailable,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unauthorized => "unauthorized",
            Self::TokenExpired => "token_expired",
            Self::SessionEnded => "session_ended",
            Self::ApiKeyRefused => "api_key_refused",
            Self::RefreshRefused => "refresh_refused",
            Self::RefreshReused => "refresh_reused",
            Self::LoginFailed => "login_failed",
            Self::AccountInactive => "account_inactive",
            Self::MembershipInactive => "membership_inactive",
            Self::ReadOnlyKey => "read_only_key",
            Self::Forbidden => "forbidden",
            Self::NotFound => "not_found",
            Self::LinkInvalid => "link_invalid",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::EmailTaken => "email_taken",
            Self::NameTaken => "name_taken",
            Self::CodeInvalid => "code_invalid",
            Self::CodeExpired => "code_expired",
            Self::LastAdmin => "last_admin",
            Self::SelfAction => "self_action",
            Self::NeedsCoordinatorEmail => "needs_coordinator_email",
            Self::AlreadySetUp => "already_set_up",
            Self::Conflict => "conflict",
            Self::PreconditionFailed => "precondition_failed",
            Self::VersionExists => "version_exists",
            Self::NoCurrentVersion => "no_current_version",
            Self::VersionWithdrawn => "version_withdrawn",
            Self::PayloadTooLarge => "payload_too_large",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::MalformedJson => "malformed_json",
            Self::BadRequest => "bad_request",
            Self::ValidationFailed => "validation_failed",
            Self::TooManyRequests => "too_many_requests",
            Self::Internal => "internal",
            Self::Unavailable => "unavailable",
        }
    }
}
