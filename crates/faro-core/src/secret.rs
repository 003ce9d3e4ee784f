//! Random tokens sent to people (setup, e-mail confirmation, password reset, sessions). Only their
//! SHA-256 is stored, so a copy of the database does not hand out working links.

use sha2::{Digest, Sha256};

/// Fills `buf` from the operating system's generator.
pub fn random_bytes(buf: &mut [u8]) -> Result<(), String> {
    getrandom::fill(buf).map_err(|e| e.to_string())
}

pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

pub fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

/// A 256-bit random token, written as 64 hex digits.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretToken(String);

impl std::fmt::Debug for SecretToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretToken(***)")
    }
}

impl SecretToken {
    pub fn generate() -> Result<Self, String> {
        let mut buf = [0u8; 32];
        random_bytes(&mut buf)?;
        Ok(Self(hex(&buf)))
    }

    /// Accepts only what `generate` produces, so junk never reaches a query.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        (s.len() == 64
            && s.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
        .then(|| Self(s.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    /// What the database keeps.
    pub fn digest(&self) -> String {
        sha256_hex(self.0.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens() {
        let t = SecretToken::generate().unwrap();
        assert_eq!(t.expose().len(), 64);
        assert_eq!(SecretToken::parse(t.expose()), Some(t.clone()));
        assert_ne!(t.digest(), t.expose());
        assert!(SecretToken::parse("xyz").is_none());
        assert!(SecretToken::parse(&"G".repeat(64)).is_none());
    }
}
