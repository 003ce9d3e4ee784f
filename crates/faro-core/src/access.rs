//! Credentials of the REST API: API keys for integrations (scoped, expirable, shown once and
//! stored as a digest) and the limits of their names.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::error::Invalid;
use crate::secret::{hex, random_bytes, sha256_hex};

/// What a key may do: read only, or also change what its owner may change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyScope {
    Read,
    ReadWrite,
}

impl KeyScope {
    pub fn as_str(self) -> &'static str {
        match self {
            KeyScope::Read => "read",
            KeyScope::ReadWrite => "read_write",
        }
    }

    pub fn parse(s: &str) -> Result<Self, Invalid> {
        match s {
            "read" => Ok(KeyScope::Read),
            "read_write" => Ok(KeyScope::ReadWrite),
            _ => Err(Invalid::KeyScope),
        }
    }
}

/// A key as its owner and administrators see it (never its secret).
#[derive(Debug, Clone)]
pub struct ApiKey {
    pub id: Uuid,
    pub owner_id: Uuid,
    pub owner_email: String,
    pub name: String,
    /// The first characters of the secret, to recognise a key in a list.
    pub prefix: String,
    pub scope: KeyScope,
    /// Created by an administrator for a staff integration.
    pub service: bool,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub last_used_ip: Option<String>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl ApiKey {
    pub fn usable(&self, now: DateTime<Utc>) -> bool {
        self.revoked_at.is_none() && self.expires_at.is_none_or(|at| at > now)
    }
}

/// Every key starts with this, so a leaked one is easy to recognise (secret scanners).
pub const KEY_PREFIX: &str = "faro_";

/// A freshly generated key: `faro_` and 48 hex digits (192 bits). Only its digest is stored.
#[derive(Clone)]
pub struct KeySecret(String);

impl std::fmt::Debug for KeySecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeySecret(***)")
    }
}

impl KeySecret {
    pub fn generate() -> Result<Self, String> {
        let mut buf = [0u8; 24];
        random_bytes(&mut buf)?;
        Ok(Self(format!("{KEY_PREFIX}{}", hex(&buf))))
    }

    /// Accepts only what `generate` produces.
    pub fn parse(s: &str) -> Option<Self> {
        let rest = s.strip_prefix(KEY_PREFIX)?;
        (rest.len() == 48 && rest.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
            .then(|| Self(s.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    /// What is shown in lists: `faro_` and the first 8 digits.
    pub fn prefix(&self) -> String {
        self.0.chars().take(KEY_PREFIX.len() + 8).collect()
    }

    pub fn digest(&self) -> String {
        sha256_hex(self.0.as_bytes())
    }
}

/// A key's name: 1 to 80 characters, no control characters.
pub fn parse_key_name(raw: &str) -> Result<String, Invalid> {
    let name = raw.trim();
    if name.is_empty() || name.chars().count() > 80 || name.chars().any(char::is_control) {
        return Err(Invalid::KeyName);
    }
    Ok(name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_and_names() {
        let k = KeySecret::generate().unwrap();
        assert!(k.expose().starts_with("faro_"));
        assert_eq!(k.expose().len(), 53);
        assert!(KeySecret::parse(k.expose()).is_some());
        assert!(KeySecret::parse("faro_xyz").is_none());
        assert!(KeySecret::parse(&k.expose().to_uppercase()).is_none());
        assert_eq!(k.prefix().len(), 13);
        assert_ne!(k.digest(), k.expose());
        assert_eq!(parse_key_name("  CI  ").unwrap(), "CI");
        assert!(parse_key_name("").is_err());
        assert!(parse_key_name("a\u{0}b").is_err());
        assert!(parse_key_name(&"x".repeat(81)).is_err());
        assert_eq!(KeyScope::parse("read_write"), Ok(KeyScope::ReadWrite));
        assert!(KeyScope::parse("admin").is_err());
    }
}
