//! Passwords: the rules a new password must meet, and argon2id hashing.

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier, phc};

use crate::error::Invalid;

pub const MIN_LEN: usize = 10;
pub const MAX_LEN: usize = 128;

/// Passwords seen everywhere in leaked lists; refusing them costs nothing.
const COMMON: &[&str] = &[
    "1234567890",
    "12345678910",
    "0123456789",
    "1111111111",
    "qwertyuiop",
    "password123",
    "password1234",
    "contraseña",
    "contraseña1",
    "contraseña123",
    "contrasena",
    "contrasena123",
    "administrador",
    "bienvenido1",
    "bienvenido123",
    "qwerty1234",
    "qwertyuiop1",
    "asdfghjkl1",
    "iloveyou12",
    "passw0rd123",
    "abcdefghij",
    "abc1234567",
    "1q2w3e4r5t",
    "1qaz2wsx3edc",
    "zaq12wsxcde",
    "superman123",
    "barcelona1",
    "realmadrid",
    "realmadrid1",
    "0987654321",
    "9876543210",
    "changeme123",
    "letmein123",
    "welcome123",
    "trustno1234",
];

/// A password that passed the rules, not yet hashed. Never printed.
pub struct NewPassword(String);

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

impl NewPassword {
    /// Checks a new password against the rules. `context` holds words the password must not be,
    /// such as the person's e-mail or name.
    pub fn parse(password: &str, confirm: &str, context: &[&str]) -> Result<Self, Invalid> {
        let len = password.chars().count();
        if len < MIN_LEN {
            return Err(Invalid::PasswordTooShort);
        }
        if len > MAX_LEN {
            return Err(Invalid::PasswordTooLong);
        }
        let lower = password.to_lowercase();
        let mut distinct: Vec<char> = lower.chars().collect();
        distinct.sort_unstable();
        distinct.dedup();
        let is_context = context.iter().any(|w| {
            let w = w.trim().to_lowercase();
            !w.is_empty() && (lower == w || w.split('@').next().is_some_and(|local| lower == local))
        });
        if distinct.len() < 5 || COMMON.contains(&lower.as_str()) || is_context {
            return Err(Invalid::PasswordWeak);
        }
        if password != confirm {
            return Err(Invalid::PasswordMismatch);
        }
        Ok(Self(password.to_string()))
    }

    /// Hashes with argon2id and a random salt, giving a PHC string.
    pub fn hash(&self) -> Result<PasswordHash, String> {
        Argon2::default()
            .hash_password(self.0.as_bytes())
            .map(|h| PasswordHash(h.to_string()))
            .map_err(|e| e.to_string())
    }
}

/// A stored argon2id PHC string.
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordHash(pub String);

impl std::fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordHash(***)")
    }
}

impl PasswordHash {
    pub fn verify(&self, candidate: &str) -> bool {
        match phc::PasswordHash::new(&self.0) {
            Ok(parsed) => Argon2::default()
                .verify_password(candidate.as_bytes(), &parsed)
                .is_ok(),
            Err(_) => false,
        }
    }

    /// A hash of a random password, verified against when an account does not exist so that
    /// a failed sign-in takes the same time either way.
    pub fn decoy() -> Self {
        Self("$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Ww1KPbWwfp0Od/I4y7GQTYeXlY2D+bKD3mH6tC3G/Dw".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules() {
        assert_eq!(
            NewPassword::parse("corta", "corta", &[]).unwrap_err(),
            Invalid::PasswordTooShort
        );
        assert_eq!(
            NewPassword::parse("contraseña123", "contraseña123", &[]).unwrap_err(),
            Invalid::PasswordWeak
        );
        assert_eq!(
            NewPassword::parse("aaaaaaaaaaaa", "aaaaaaaaaaaa", &[]).unwrap_err(),
            Invalid::PasswordWeak
        );
        assert_eq!(
            NewPassword::parse("ana.lopez.99", "ana.lopez.99", &["ana.lopez.99@x.es"]).unwrap_err(),
            Invalid::PasswordWeak
        );
        assert_eq!(
            NewPassword::parse("Faro-lento-42", "Faro-lento-43", &[]).unwrap_err(),
            Invalid::PasswordMismatch
        );
        assert!(NewPassword::parse("Faro-lento-42", "Faro-lento-42", &[]).is_ok());
    }

    #[test]
    fn hash_roundtrip() {
        let h = NewPassword::parse("Faro-lento-42", "Faro-lento-42", &[])
            .unwrap()
            .hash()
            .unwrap();
        assert!(h.0.starts_with("$argon2id$"));
        assert!(h.verify("Faro-lento-42"));
        assert!(!h.verify("Faro-lento-43"));
        assert!(!PasswordHash::decoy().verify("anything"));
    }
}
