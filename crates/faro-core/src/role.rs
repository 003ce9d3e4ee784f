//! Who a person is to Faro: the support company's staff or a client's people.

use crate::error::Invalid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Role {
    Admin,
    Agent,
    Coordinator,
    Member,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Admin, Role::Agent, Role::Coordinator, Role::Member];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Agent => "agent",
            Role::Coordinator => "coordinator",
            Role::Member => "member",
        }
    }

    pub fn parse(s: &str) -> Result<Self, Invalid> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s.trim())
            .ok_or(Invalid::Role)
    }

    /// Staff see every membership; client people see only their own.
    pub fn is_staff(self) -> bool {
        matches!(self, Role::Admin | Role::Agent)
    }

    /// Roles that staff accounts can have.
    pub fn parse_staff(s: &str) -> Result<Self, Invalid> {
        match Role::parse(s)? {
            r if r.is_staff() => Ok(r),
            _ => Err(Invalid::Role),
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
