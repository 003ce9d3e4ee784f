//! The OpenAPI 3.1 document: utoipa collects every handler registered in `routes`; this adds
//! the information, the two security schemes and the reusable problem responses. `faro openapi`
//! prints it; `openapi/openapi.json` is that output, committed, and a test fails when they drift.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Response, ResponseBuilder};
use utoipa::{Modify, OpenApi};

/// A reusable `application/problem+json` response with an example.
macro_rules! problem_response {
    ($name:ident, $status:expr, $code:expr, $description:expr, $detail:expr) => {
        pub struct $name;
        impl<'s> utoipa::ToResponse<'s> for $name {
            fn response() -> (&'s str, RefOr<Response>) {
                let example = serde_json::json!({
                    "type": concat!("https://faro.example/problems/", $code),
                    "title": $detail,
                    "status": $status,
                    "code": $code,
                    "detail": $detail,
                });
                (
                    stringify!($name),
                    ResponseBuilder::new()
                        .description($description)
                        .content(
                            "application/problem+json",
                            ContentBuilder::new()
                                .schema(Some(Ref::from_schema_name("Problem")))
                                .example(Some(example))
                                .build(),
                        )
                        .build()
                        .into(),
                )
            }
        }
    };
}

problem_response!(
    BadJson,
    400,
    "malformed_json",
    "The body is not valid JSON (`malformed_json`).",
    "El cuerpo no es JSON válido: EOF while parsing an object"
);
problem_response!(
    Unauthorized,
    401,
    "unauthorized",
    "No valid credentials: `unauthorized`, `token_expired` (refresh it), `session_ended` (sign in again) or `api_key_refused`.",
    "Hace falta iniciar sesión: envía un token de acceso o una clave de API válidos en la cabecera Authorization."
);
problem_response!(
    Forbidden,
    403,
    "read_only_key",
    "Not allowed: `read_only_key` for a read-only API key, or `forbidden`.",
    "Esta clave de API es de solo lectura: no puede hacer cambios."
);
problem_response!(
    NotFound,
    404,
    "not_found",
    "No such resource, or one the caller may not see (another membership's is always 404).",
    "No existe o no tienes acceso."
);
problem_response!(
    Conflict,
    409,
    "email_taken",
    "Clashes with the current state; `code` says how (`email_taken`, `name_taken`, `code_invalid`, `code_expired`, `last_admin`, `self_action`, `needs_coordinator_email`, `already_set_up`, `version_exists`).",
    "Ya existe una cuenta con este correo. Inicia sesión o restablece la contraseña."
);
problem_response!(
    NoCurrentVersion,
    409,
    "no_current_version",
    "The item exists but has no current version: none published yet, or every version withdrawn.",
    "Este elemento todavía no tiene ninguna versión vigente que descargar."
);
problem_response!(
    Withdrawn,
    410,
    "version_withdrawn",
    "The version was withdrawn: `detail` says why. The item's other versions (or `latest`) may still be downloaded.",
    "Esta versión ya no se puede descargar: corrompe la base de datos al actualizar desde la 3.8."
);
problem_response!(
    TooLarge,
    413,
    "payload_too_large",
    "The body is larger than the endpoint takes: 64 KiB of JSON, 2 MiB for an article or a preview, 5 MB for an image, `FARO_ATTACHMENT_MAX_MB` per incident file, `FARO_DOWNLOAD_MAX_MB` for a download version or a hosted copy.",
    "El cuerpo es demasiado grande."
);
problem_response!(
    NotJson,
    415,
    "unsupported_media_type",
    "The body must be sent as `application/json`.",
    "El cuerpo debe enviarse como application/json."
);
problem_response!(
    Stale,
    412,
    "precondition_failed",
    "The article changed since the revision `If-Match` names (or `If-Match` is missing): nothing was saved. `current_revision` and the `ETag` header name the revision now current.",
    "Otra persona ha guardado la revisión 4 mientras editabas. Revisa sus cambios y vuelve a guardar sobre esa revisión."
);
problem_response!(
    SearchDown,
    503,
    "unavailable",
    "The search engine (Meilisearch, when the portal uses one) does not answer: try again after the seconds in `Retry-After`.",
    "La búsqueda no está disponible en este momento. Inténtalo de nuevo en unos segundos."
);
problem_response!(
    Throttled,
    429,
    "too_many_requests",
    "Too many requests: wait the seconds in `Retry-After`.",
    "Demasiadas peticiones. Espera un poco antes de volver a intentarlo."
);

/// The 422 with per-field errors.
pub struct Invalid;
impl<'s> utoipa::ToResponse<'s> for Invalid {
    fn response() -> (&'s str, RefOr<Response>) {
        let example = serde_json::json!({
            "type": "https://faro.example/problems/validation_failed",
            "title": "Algunos campos no son válidos.",
            "status": 422,
            "code": "validation_failed",
            "detail": "Algunos campos no son válidos.",
            "errors": [
                {"field": "email", "code": "email", "message": "La dirección de correo no es válida."},
                {"field": "colour", "code": "unknown_field", "message": "Campo desconocido."}
            ]
        });
        (
            "Invalid",
            ResponseBuilder::new()
                .description("Some fields are refused: `errors` names each one with a stable `code` (`required`, `unknown_field`, `repeated_field` (a form field sent twice), `wrong_type`, `nul_character`, or the rule it failed) and a message.")
                .content(
                    "application/problem+json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("Problem")))
                        .example(Some(example))
                        .build(),
                )
                .build()
                .into(),
        )
    }
}

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "access_token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some(
                        "A short-lived access token from `POST /api/v1/auth/login` or `POST /api/v1/auth/refresh`.",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "api_key",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("faro_…")
                    .description(Some(
                        "An API key from `POST /api/v1/me/api-keys` (or a service key from an administrator), sent as `Authorization: Bearer faro_…`. A `read` key may only read.",
                    ))
                    .build(),
            ),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Faro API",
        description = "The REST API of Faro, the support portal: everything the portal's screens do, for integrations. JSON bodies, RFC 3339 UTC times, ids as strings, errors as `application/problem+json` (RFC 9457) with a stable `code` and a message in the caller's language (Spanish by default; `Accept-Language: en` or the person's setting for English), lists paged by cursor (`limit` ≤ 100, `cursor`, `next_cursor`), `ETag`/`If-None-Match` on reads, `429` with `Retry-After` when throttled. Sign in for an access token, or send an API key. See openapi/README.md.",
        license(name = "AGPL-3.0-or-later")
    ),
    modifiers(&Security),
    // Enums used only in query parameters are not collected from the handlers: listed here.
    components(
        schemas(faro_types::kb::ArticleOrder, faro_types::incidents::IncidentOrder),
        responses(BadJson, Unauthorized, Forbidden, NotFound, Conflict, NoCurrentVersion, Withdrawn, Stale, TooLarge, NotJson, Throttled, SearchDown, Invalid)
    ),
    tags(
        (name = "auth", description = "Signing in and out, refreshing the access token"),
        (name = "accounts", description = "First-run setup, joining with an invitation code, password reset"),
        (name = "me", description = "One's own profile and API keys"),
        (name = "memberships", description = "Client memberships, their invitation codes and people"),
        (name = "staff", description = "Staff accounts and service keys (administrators)"),
        (name = "audit", description = "Who did what, when (staff)"),
        (name = "kb", description = "The knowledge base: categories, articles, their revisions, images, comments and feedback (a client's people see their membership's and global published articles; staff write)"),
        (name = "incidents", description = "Incidents: a client's people open them and see every incident of their membership; staff work one queue across memberships (internal notes never reach a client)"),
        (name = "downloads", description = "Documents, templates and software versions published to every client or to chosen memberships: versions with SHA-256, `latest`, withdrawals (410), resumable downloads, who has fetched what (staff)"),
        (name = "resources", description = "The catalogue of free tools: official address, optional hosted copy with version and SHA-256, the day it was last checked"),
        (name = "search", description = "Search across articles, incidents, downloads and resources in the caller's scope, and suggestions while typing"),
        (name = "files", description = "Signed addresses of files (images, PDFs, incident attachments, download versions, hosted copies): no `Authorization` header needed, valid for minutes"),
        (name = "health", description = "Liveness and readiness")
    )
)]
pub struct ApiDoc;

/// The whole document, as served at `/api/v1/openapi.json`.
pub fn document() -> utoipa::openapi::OpenApi {
    crate::routes::collect(ApiDoc::openapi())
}

/// The document as `faro openapi` prints it and `openapi/openapi.json` holds it.
pub fn pretty() -> String {
    let mut text = document().to_pretty_json().unwrap_or_default();
    text.push('\n');
    text
}
