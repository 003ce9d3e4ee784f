//! E-mail addresses, normalised to lower case so that one person has one account.

use crate::error::Invalid;

#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Email(String);

impl Email {
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let s = input.trim().to_lowercase();
        if s.len() > 254 || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(Invalid::Email);
        }
        let (local, domain) = s.rsplit_once('@').ok_or(Invalid::Email)?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '.' || c == '-');
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.contains('@')
            && !local.contains(['<', '>', '"', ',', ';', '(', ')', '[', ']', '\\']);
        if domain_ok && local_ok {
            Ok(Self(s))
        } else {
            Err(Invalid::Email)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Email {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A person's display name: trimmed, 1..=120 characters, no control characters.
pub fn parse_name(input: &str) -> Result<String, Invalid> {
    let s = input.trim();
    let n = s.chars().count();
    if n == 0 || n > 120 || s.chars().any(char::is_control) {
        return Err(Invalid::Name);
    }
    Ok(s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_and_normalises() {
        assert_eq!(
            Email::parse("  Ana.Lopez@Ejemplo.ES ").unwrap().as_str(),
            "ana.lopez@ejemplo.es"
        );
    }

    #[test]
    fn rejects_bad_addresses() {
        for bad in [
            "",
            "ana",
            "ana@",
            "@x.es",
            "ana@x",
            "a b@x.es",
            "ana@x..es",
            "<a>@x.es",
        ] {
            assert_eq!(Email::parse(bad), Err(Invalid::Email), "{bad}");
        }
    }

    #[test]
    fn names() {
        assert_eq!(parse_name("  Ana  ").unwrap(), "Ana");
        assert!(parse_name("   ").is_err());
        assert!(parse_name(&"x".repeat(121)).is_err());
    }
}
