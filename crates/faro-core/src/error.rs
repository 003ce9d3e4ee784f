//! The errors that cross crate boundaries: what the store reports and why input was refused.

/// Why user input was refused. Each variant has a message in every language of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Invalid {
    #[error("e-mail address is not valid")]
    Email,
    #[error("name is empty or too long")]
    Name,
    #[error("password is too short")]
    PasswordTooShort,
    #[error("password is too long")]
    PasswordTooLong,
    #[error("password is too common or too simple")]
    PasswordWeak,
    #[error("passwords do not match")]
    PasswordMismatch,
    #[error("invitation code is not valid")]
    InvitationCode,
    #[error("tax id is not valid")]
    TaxId,
    #[error("contract state is not valid")]
    ContractState,
    #[error("role is not valid")]
    Role,
    #[error("date is not valid")]
    Date,
    #[error("language is not valid")]
    Lang,
    #[error("article kind is not valid")]
    ArticleKind,
    #[error("article state is not valid")]
    ArticleState,
    #[error("slug is not valid")]
    Slug,
    #[error("tags are not valid")]
    Tags,
    #[error("title is empty or too long")]
    Title,
    #[error("summary is too long")]
    Summary,
    #[error("body is too long")]
    Body,
    #[error("comment is empty or too long")]
    Comment,
    #[error("category is not valid")]
    Category,
    #[error("image is not valid")]
    Image,
    #[error("download kind is not valid")]
    DownloadKind,
    #[error("version label is not valid")]
    VersionLabel,
    #[error("category name is too long")]
    CategoryName,
    #[error("notes are too long")]
    Notes,
    #[error("reason is empty or too long")]
    Reason,
    #[error("web address is not valid")]
    WebAddress,
    #[error("no file was sent")]
    File,
    #[error("audience is empty")]
    Audience,
    #[error("priority is not valid")]
    Priority,
    #[error("incident state is not valid")]
    IncidentState,
    #[error("escalation level is not valid")]
    Escalation,
    #[error("system is too long")]
    System,
    #[error("message is empty or too long")]
    Message,
    #[error("assignee is not an active staff member")]
    Assignee,
    #[error("purpose is empty or too long")]
    Purpose,
    #[error("tool is empty or too long")]
    Tool,
    #[error("window is empty or too long")]
    Window,
    #[error("technician is empty or too long")]
    Technician,
    #[error("address is empty or too long")]
    Address,
    #[error("time is not valid")]
    Time,
    #[error("article cannot be the solution")]
    SolutionArticle,
    #[error("key name is empty or too long")]
    KeyName,
    #[error("key scope is not valid")]
    KeyScope,
}

/// What a repository call can fail with. A database error is never turned into `NotFound`.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    #[error("conflict: {0:?}")]
    Conflict(Conflict),
    #[error("invalid: {0}")]
    Invalid(#[from] Invalid),
    #[error("forbidden")]
    Forbidden,
    #[error("storage error: {0}")]
    Other(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// A request that is well-formed but clashes with the current state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conflict {
    /// No active membership has this invitation code.
    CodeInvalid,
    /// The membership's code has passed its expiry date.
    CodeExpired,
    EmailTaken,
    NameTaken,
    /// The change would leave no active administrator.
    LastAdmin,
    /// People cannot deactivate themselves or pass a role to themselves.
    SelfAction,
    /// Activation sends the code to the coordinator, so an address is needed.
    NeedsCoordinatorEmail,
    /// The first administrator already exists.
    AlreadySetUp,
    /// Too many of these in a short time (e.g. articles e-mailed).
    RateLimited,
    /// An item already has a version with this label.
    VersionExists,
    /// The incident's state does not allow this step now.
    NotAllowedNow,
    /// The article was saved by someone else since the editor read it: `current` is its
    /// revision now.
    StaleRevision {
        current: i32,
    },
}
