//! One translation catalogue for the SPA: Spanish by default, English second; the person's
//! setting once signed in, the browser's language before.

use leptos::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Es,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Es => "es",
            Lang::En => "en",
        }
    }
}

/// The language in force, shared through the context.
#[derive(Clone, Copy)]
pub struct Language(pub RwSignal<Lang>);

impl Language {
    /// Spanish unless the browser prefers English.
    pub fn detect() -> Self {
        let english = web_sys::window()
            .and_then(|w| w.navigator().language())
            .is_some_and(|l| l.to_ascii_lowercase().starts_with("en"));
        Self(RwSignal::new(if english { Lang::En } else { Lang::Es }))
    }

    pub fn current() -> Lang {
        use_context::<Language>()
            .map(|l| l.0.get_untracked())
            .unwrap_or(Lang::Es)
    }
}

/// Every string the SPA shows.
pub struct Texts {
    pub sign_in: &'static str,
    pub sign_out: &'static str,
    pub email: &'static str,
    pub password: &'static str,
    pub signing_in: &'static str,
    pub hello: &'static str,
    pub loading: &'static str,
    pub not_found: &'static str,
    pub go_home: &'static str,
    pub setup_title: &'static str,
    pub setup_intro: &'static str,
    pub name: &'static str,
    pub create_admin: &'static str,
    pub join_title: &'static str,
    pub join_intro: &'static str,
    pub code: &'static str,
    pub join_send: &'static str,
    pub confirm_title: &'static str,
    pub confirm_button: &'static str,
    pub confirmed: &'static str,
    pub forgot_link: &'static str,
    pub forgot_title: &'static str,
    pub forgot_send: &'static str,
    pub reset_title: &'static str,
    pub new_password: &'static str,
    pub reset_save: &'static str,
    pub reset_done: &'static str,
    pub profile: &'static str,
    pub language: &'static str,
    pub save: &'static str,
    pub saved: &'static str,
    pub change_password: &'static str,
    pub current_password: &'static str,
    pub password_changed: &'static str,
    pub api_keys: &'static str,
    pub api_keys_intro: &'static str,
    pub key_name: &'static str,
    pub key_scope: &'static str,
    pub scope_read: &'static str,
    pub scope_read_write: &'static str,
    pub create_key: &'static str,
    pub key_secret: &'static str,
    pub revoke: &'static str,
    pub revoked: &'static str,
    pub no_keys: &'static str,
}

const ES: Texts = Texts {
    sign_in: "Iniciar sesión",
    sign_out: "Cerrar sesión",
    email: "Correo electrónico",
    password: "Contraseña",
    signing_in: "Iniciando sesión…",
    hello: "Hola",
    loading: "Cargando…",
    not_found: "Esta página no existe.",
    go_home: "Ir al inicio",
    setup_title: "Configuración inicial",
    setup_intro: "Crea la cuenta de administración del portal. El enlace solo funciona una vez.",
    name: "Nombre",
    create_admin: "Crear la cuenta",
    join_title: "Unirse a tu empresa",
    join_intro: "Escribe el código de invitación que te ha dado el coordinador de tu empresa.",
    code: "Código de invitación",
    join_send: "Pedir acceso",
    confirm_title: "Confirma tu correo",
    confirm_button: "Confirmar y activar la cuenta",
    confirmed: "Correo confirmado. Tu cuenta está activa: ya puedes iniciar sesión.",
    forgot_link: "¿Has olvidado la contraseña?",
    forgot_title: "Restablecer la contraseña",
    forgot_send: "Enviar el enlace",
    reset_title: "Elige una contraseña nueva",
    new_password: "Contraseña nueva",
    reset_save: "Guardar la contraseña",
    reset_done: "Contraseña cambiada. Ya puedes iniciar sesión.",
    profile: "Tu perfil",
    language: "Idioma",
    save: "Guardar",
    saved: "Guardado.",
    change_password: "Cambiar la contraseña",
    current_password: "Contraseña actual",
    password_changed: "Contraseña cambiada. Las demás sesiones se han cerrado.",
    api_keys: "Claves de API",
    api_keys_intro: "Para que otros programas (la intranet de tu empresa, un sistema de monitorización) usen Faro en tu nombre.",
    key_name: "Nombre de la clave",
    key_scope: "Permisos",
    scope_read: "Solo lectura",
    scope_read_write: "Lectura y escritura",
    create_key: "Crear la clave",
    key_secret: "Cópiala ahora: no se volverá a mostrar.",
    revoke: "Revocar",
    revoked: "Revocada",
    no_keys: "Todavía no tienes claves.",
};

const EN: Texts = Texts {
    sign_in: "Sign in",
    sign_out: "Sign out",
    email: "E-mail address",
    password: "Password",
    signing_in: "Signing in…",
    hello: "Hello",
    loading: "Loading…",
    not_found: "This page does not exist.",
    go_home: "Go to the start page",
    setup_title: "First-run setup",
    setup_intro: "Create the portal's administrator account. The link works only once.",
    name: "Name",
    create_admin: "Create the account",
    join_title: "Join your company",
    join_intro: "Type the invitation code your company's coordinator gave you.",
    code: "Invitation code",
    join_send: "Ask for access",
    confirm_title: "Confirm your e-mail address",
    confirm_button: "Confirm and activate the account",
    confirmed: "E-mail confirmed. Your account is active: you can sign in.",
    forgot_link: "Forgot your password?",
    forgot_title: "Reset your password",
    forgot_send: "Send the link",
    reset_title: "Choose a new password",
    new_password: "New password",
    reset_save: "Save the password",
    reset_done: "Password changed. You can sign in now.",
    profile: "Your profile",
    language: "Language",
    save: "Save",
    saved: "Saved.",
    change_password: "Change the password",
    current_password: "Current password",
    password_changed: "Password changed. Your other sessions have been signed out.",
    api_keys: "API keys",
    api_keys_intro: "So that other programs (your company's intranet, a monitoring system) can use Faro on your behalf.",
    key_name: "Key name",
    key_scope: "Permissions",
    scope_read: "Read only",
    scope_read_write: "Read and write",
    create_key: "Create the key",
    key_secret: "Copy it now: it will not be shown again.",
    revoke: "Revoke",
    revoked: "Revoked",
    no_keys: "You have no keys yet.",
};

/// The texts of the language in force (reactive).
pub fn t() -> &'static Texts {
    let lang = use_context::<Language>()
        .map(|l| l.0.get())
        .unwrap_or(Lang::Es);
    match lang {
        Lang::Es => &ES,
        Lang::En => &EN,
    }
}
