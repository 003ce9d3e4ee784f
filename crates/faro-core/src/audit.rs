//! Audit actions: the things staff can trace back to a person, a time and an address.

use crate::i18n::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditAction {
    AdminCreated,
    SignIn,
    SignInFailed,
    SignOut,
    PasswordResetRequested,
    PasswordReset,
    PasswordChanged,
    MemberJoined,
    MembershipCreated,
    MembershipUpdated,
    MembershipActivated,
    MembershipDeactivated,
    CodeRotated,
    CodeExpirySet,
    RoleChanged,
    PersonDeactivated,
    PersonReactivated,
    CoordinatorPassed,
    StaffCreated,
    DownloadCreated,
    DownloadUpdated,
    VersionPublished,
    VersionWithdrawn,
    VersionReinstated,
    ResourceSaved,
    ResourceDeleted,
    ApiKeyCreated,
    ApiKeyRevoked,
    RefreshReused,
}

impl AuditAction {
    pub const ALL: [AuditAction; 29] = [
        Self::AdminCreated,
        Self::SignIn,
        Self::SignInFailed,
        Self::SignOut,
        Self::PasswordResetRequested,
        Self::PasswordReset,
        Self::PasswordChanged,
        Self::MemberJoined,
        Self::MembershipCreated,
        Self::MembershipUpdated,
        Self::MembershipActivated,
        Self::MembershipDeactivated,
        Self::CodeRotated,
        Self::CodeExpirySet,
        Self::RoleChanged,
        Self::PersonDeactivated,
        Self::PersonReactivated,
        Self::CoordinatorPassed,
        Self::StaffCreated,
        Self::DownloadCreated,
        Self::DownloadUpdated,
        Self::VersionPublished,
        Self::VersionWithdrawn,
        Self::VersionReinstated,
        Self::ResourceSaved,
        Self::ResourceDeleted,
        Self::ApiKeyCreated,
        Self::ApiKeyRevoked,
        Self::RefreshReused,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::AdminCreated => "admin_created",
            Self::SignIn => "sign_in",
            Self::SignInFailed => "sign_in_failed",
            Self::SignOut => "sign_out",
            Self::PasswordResetRequested => "password_reset_requested",
            Self::PasswordReset => "password_reset",
            Self::PasswordChanged => "password_changed",
            Self::MemberJoined => "member_joined",
            Self::MembershipCreated => "membership_created",
            Self::MembershipUpdated => "membership_updated",
            Self::MembershipActivated => "membership_activated",
            Self::MembershipDeactivated => "membership_deactivated",
            Self::CodeRotated => "code_rotated",
            Self::CodeExpirySet => "code_expiry_set",
            Self::RoleChanged => "role_changed",
            Self::PersonDeactivated => "person_deactivated",
            Self::PersonReactivated => "person_reactivated",
            Self::CoordinatorPassed => "coordinator_passed",
            Self::StaffCreated => "staff_created",
            Self::DownloadCreated => "download_created",
            Self::DownloadUpdated => "download_updated",
            Self::VersionPublished => "version_published",
            Self::VersionWithdrawn => "version_withdrawn",
            Self::VersionReinstated => "version_reinstated",
            Self::ResourceSaved => "resource_saved",
            Self::ResourceDeleted => "resource_deleted",
            Self::ApiKeyCreated => "api_key_created",
            Self::ApiKeyRevoked => "api_key_revoked",
            Self::RefreshReused => "refresh_reused",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == code)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        let (es, en) = match self {
            Self::AdminCreated => (
                "Administrador creado en la configuración inicial",
                "Administrator created at setup",
            ),
            Self::SignIn => ("Inicio de sesión", "Signed in"),
            Self::SignInFailed => ("Inicio de sesión fallido", "Failed sign-in"),
            Self::SignOut => ("Cierre de sesión", "Signed out"),
            Self::PasswordResetRequested => (
                "Petición de cambio de contraseña",
                "Password reset requested",
            ),
            Self::PasswordReset => ("Contraseña restablecida", "Password reset"),
            Self::PasswordChanged => ("Contraseña cambiada", "Password changed"),
            Self::MemberJoined => (
                "Alta con código de invitación",
                "Joined with invitation code",
            ),
            Self::MembershipCreated => ("Membresía creada", "Membership created"),
            Self::MembershipUpdated => ("Membresía modificada", "Membership updated"),
            Self::MembershipActivated => ("Membresía activada", "Membership activated"),
            Self::MembershipDeactivated => ("Membresía desactivada", "Membership deactivated"),
            Self::CodeRotated => ("Código de invitación renovado", "Invitation code rotated"),
            Self::CodeExpirySet => ("Caducidad del código cambiada", "Code expiry changed"),
            Self::RoleChanged => ("Rol cambiado", "Role changed"),
            Self::PersonDeactivated => ("Cuenta desactivada", "Account deactivated"),
            Self::PersonReactivated => ("Cuenta reactivada", "Account reactivated"),
            Self::CoordinatorPassed => ("Rol de coordinador traspasado", "Coordinator role passed"),
            Self::StaffCreated => ("Cuenta de personal creada", "Staff account created"),
            Self::DownloadCreated => ("Descarga creada", "Download created"),
            Self::DownloadUpdated => ("Descarga modificada", "Download updated"),
            Self::VersionPublished => ("Versión publicada", "Version published"),
            Self::VersionWithdrawn => ("Versión retirada", "Version withdrawn"),
            Self::VersionReinstated => ("Versión restablecida", "Version reinstated"),
            Self::ResourceSaved => ("Recurso guardado", "Resource saved"),
            Self::ResourceDeleted => ("Recurso eliminado", "Resource deleted"),
            Self::ApiKeyCreated => ("Clave de API creada", "API key created"),
            Self::ApiKeyRevoked => ("Clave de API revocada", "API key revoked"),
            Self::RefreshReused => (
                "Sesión cerrada: se reutilizó un token de renovación",
                "Signed out: a refresh token was reused",
            ),
        };
        match lang {
            Lang::Es => es,
            Lang::En => en,
        }
    }
}
