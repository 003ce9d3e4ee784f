//! Every refusal and failure as RFC 9457 problem details. Handlers return `ApiError`; its text is
//! written when the response leaves, in the caller's language (`language` middleware), so an
//! error raised before anyone knows who is asking still speaks Spanish or English correctly.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use faro_core::{Catalog, Conflict, Invalid, Lang, StoreError};
use faro_types::{ErrorCode, FieldError, Problem};

/// A message, written once the language is known.
#[derive(Clone)]
pub enum Text {
    Catalog(fn(&'static Catalog) -> &'static str),
    /// A catalogue template with `{}` filled in.
    Filled(fn(&'static Catalog) -> &'static str, String),
    Invalid(Invalid),
}

impl Text {
    pub fn render(&self, lang: Lang) -> String {
        let t = lang.catalog();
        match self {
            Text::Catalog(f) => f(t).to_owned(),
            Text::Filled(f, arg) => Catalog::fill(f(t), &[arg]),
            Text::Invalid(e) => t.invalid(*e).to_owned(),
        }
    }
}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: ErrorCode,
    pub detail: Text,
    /// (field, code, message) for 422.
    pub fields: Vec<(String, String, Text)>,
    /// Seconds, for 429.
    pub retry_after: Option<u64>,
    /// A cookie the refusal sets (the cleared refresh cookie).
    pub cookie: Option<Box<actix_web::cookie::Cookie<'static>>>,
    /// The methods a path does answer to, for 405.
    pub allow: Option<String>,
    /// On 412 for an article: its current revision, in the body and as the `ETag`.
    pub current: Option<Box<(i32, String)>>,
}

pub type ApiResult<T> = Result<T, ApiError>;

/// The stable code of a refused value (`Invalid::PasswordTooShort` → `password_too_short`).
pub fn invalid_code(e: Invalid) -> String {
    let name = format!("{e:?}");
    let mut out = String::with_capacity(name.len() + 4);
    for (i, ch) in name.chars().enumerate() {
        if ch.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(ch.to_ascii_lowercase());
        } else {
            out.push(ch);
        }
    }
    out
}

impl ApiError {
    pub fn new(status: StatusCode, code: ErrorCode, detail: Text) -> Self {
        Self {
            status,
            code,
            detail,
            fields: Vec::new(),
            retry_after: None,
            cookie: None,
            allow: None,
            current: None,
        }
    }

    pub fn not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            ErrorCode::NotFound,
            Text::Catalog(|t| t.api_not_found),
        )
    }

    pub fn unauthorized(code: ErrorCode, detail: fn(&'static Catalog) -> &'static str) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, code, Text::Catalog(detail))
    }

    pub fn forbidden(code: ErrorCode, detail: fn(&'static Catalog) -> &'static str) -> Self {
        Self::new(StatusCode::FORBIDDEN, code, Text::Catalog(detail))
    }

    pub fn conflict(code: ErrorCode, detail: fn(&'static Catalog) -> &'static str) -> Self {
        Self::new(StatusCode::CONFLICT, code, Text::Catalog(detail))
    }

    pub fn too_many(retry_after: u64) -> Self {
        Self {
            retry_after: Some(retry_after.max(1)),
            ..Self::new(
                StatusCode::TOO_MANY_REQUESTS,
                ErrorCode::TooManyRequests,
                Text::Catalog(|t| t.api_too_many),
            )
        }
    }

    /// A 503: a service Faro depends on did not answer; try again after `retry_after` seconds.
    pub fn unavailable(retry_after: u64, detail: fn(&'static Catalog) -> &'static str) -> Self {
        Self {
            retry_after: Some(retry_after.max(1)),
            ..Self::new(
                StatusCode::SERVICE_UNAVAILABLE,
                ErrorCode::Unavailable,
                Text::Catalog(detail),
            )
        }
    }

    pub fn internal(context: impl std::fmt::Display) -> Self {
        tracing::error!(error = %context, "request failed");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::Internal,
            Text::Catalog(|t| t.api_internal),
        )
    }

    /// A 422 naming one field.
    pub fn field(field: &str, code: &str, message: Text) -> Self {
        let mut e = Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::ValidationFailed,
            Text::Catalog(|t| t.api_validation),
        );
        e.fields.push((field.to_owned(), code.to_owned(), message));
        e
    }

    pub fn invalid(field: &str, e: Invalid) -> Self {
        Self::field(field, &invalid_code(e), Text::Invalid(e))
    }

    /// The problem document in `lang`.
    pub fn problem(&self, lang: Lang) -> Problem {
        let detail = self.detail.render(lang);
        let title = match self.code {
            ErrorCode::ValidationFailed => detail.clone(),
            _ => self.status.canonical_reason().unwrap_or("Error").to_owned(),
        };
        Problem {
            kind: format!("https://faro.example/problems/{}", self.code.as_str()),
            title,
            status: self.status.as_u16(),
            code: self.code,
            detail,
            errors: self
                .fields
                .iter()
                .map(|(field, code, text)| FieldError {
                    field: field.clone(),
                    code: code.clone(),
                    message: text.render(lang),
                })
                .collect(),
            current_revision: self.current.as_ref().map(|c| c.0),
        }
    }

    pub fn response(&self, lang: Lang) -> HttpResponse {
        let mut res = HttpResponse::build(self.status);
        res.content_type("application/problem+json")
            .insert_header((header::CONTENT_LANGUAGE, lang.code()))
            .insert_header((header::CACHE_CONTROL, "no-store"));
        if let Some(secs) = self.retry_after {
            res.insert_header((header::RETRY_AFTER, HeaderValue::from(secs)));
        }
        if let Some(methods) = &self.allow {
            res.insert_header((header::ALLOW, methods.as_str()));
        }
        if let Some(c) = &self.current {
            res.insert_header((header::ETAG, c.1.as_str()));
        }
        if let Some(c) = &self.cookie {
            res.cookie(c.as_ref().clone());
        }
        if self.status == StatusCode::UNAUTHORIZED {
            res.insert_header((header::WWW_AUTHENTICATE, "Bearer realm=\"faro\""));
        }
        let body = serde_json::to_vec(&self.problem(lang)).unwrap_or_default();
        res.body(body)
    }
}

/// Collects refused fields so one 422 names all of them.
#[derive(Default)]
pub struct Fields(Vec<(String, String, Text)>);

impl Fields {
    /// The value, or `None` with the field recorded.
    pub fn check<T>(&mut self, field: &str, r: Result<T, Invalid>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.0
                    .push((field.to_owned(), invalid_code(e), Text::Invalid(e)));
                None
            }
        }
    }

    pub fn add(&mut self, field: &str, code: &str, text: Text) {
        self.0.push((field.to_owned(), code.to_owned(), text));
    }

    /// Ok when nothing was refused.
    pub fn finish(self) -> ApiResult<()> {
        if self.0.is_empty() {
            return Ok(());
        }
        let mut e = ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::ValidationFailed,
            Text::Catalog(|t| t.api_validation),
        );
        e.fields = self.0;
        Err(e)
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.status.as_u16(), self.code.as_str())
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    /// In Spanish; the `language` middleware writes it again in the caller's language.
    fn error_response(&self) -> HttpResponse {
        self.response(Lang::Es)
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => ApiError::not_found(),
            StoreError::Forbidden => ApiError::forbidden(ErrorCode::Forbidden, |t| t.api_forbidden),
            StoreError::Invalid(i) => ApiError::invalid("body", i),
            StoreError::Conflict(c) => conflict(c),
            StoreError::Other(msg) => ApiError::internal(msg),
        }
    }
}

/// The problem for a state clash the store reports.
pub fn conflict(c: Conflict) -> ApiError {
    match c {
        Conflict::CodeInvalid => {
            ApiError::conflict(ErrorCode::CodeInvalid, |t| t.join_code_invalid)
        }
        Conflict::CodeExpired => {
            ApiError::conflict(ErrorCode::CodeExpired, |t| t.join_code_expired)
        }
        Conflict::EmailTaken => ApiError::conflict(ErrorCode::EmailTaken, |t| t.join_email_taken),
        Conflict::NameTaken => {
            ApiError::conflict(ErrorCode::NameTaken, |t| t.memberships_name_taken)
        }
        Conflict::LastAdmin => ApiError::conflict(ErrorCode::LastAdmin, |t| t.api_last_admin),
        Conflict::SelfAction => ApiError::conflict(ErrorCode::SelfAction, |t| t.api_self_action),
        Conflict::NeedsCoordinatorEmail => {
            ApiError::conflict(ErrorCode::NeedsCoordinatorEmail, |t| {
                t.memberships_activation_needs_email
            })
        }
        Conflict::AlreadySetUp => {
            ApiError::conflict(ErrorCode::AlreadySetUp, |t| t.api_setup_invalid)
        }
        Conflict::RateLimited => ApiError::too_many(3600),
        Conflict::StaleRevision { current } => ApiError::new(
            StatusCode::PRECONDITION_FAILED,
            ErrorCode::PreconditionFailed,
            Text::Filled(|t| t.api_stale_revision, current.to_string()),
        ),
        Conflict::VersionExists => {
            ApiError::conflict(ErrorCode::VersionExists, |t| t.dl_version_exists)
        }
        Conflict::NotAllowedNow => ApiError::conflict(ErrorCode::Conflict, |t| t.api_conflict),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_languages() {
        assert_eq!(
            invalid_code(Invalid::PasswordTooShort),
            "password_too_short"
        );
        assert_eq!(invalid_code(Invalid::Email), "email");
        let e = ApiError::invalid("email", Invalid::Email);
        let es = e.problem(Lang::Es);
        let en = e.problem(Lang::En);
        assert_eq!(es.status, 422);
        assert_eq!(es.errors[0].field, "email");
        assert_ne!(es.errors[0].message, en.errors[0].message);
        assert_eq!(
            serde_json::to_value(&es).unwrap()["code"],
            "validation_failed"
        );
    }
}
