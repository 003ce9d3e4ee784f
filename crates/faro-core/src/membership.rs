//! Memberships: a client company's place in the portal.

use crate::error::Invalid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum ContractState {
    /// A maintenance contract runs: the membership is free.
    Contract,
    /// No contract, a paid subscription.
    Subscription,
    /// Neither any more.
    Lapsed,
}

impl ContractState {
    pub const ALL: [ContractState; 3] = [Self::Contract, Self::Subscription, Self::Lapsed];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Contract => "contract",
            Self::Subscription => "subscription",
            Self::Lapsed => "lapsed",
        }
    }

    pub fn parse(s: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|c| c.as_str() == s.trim())
            .ok_or(Invalid::ContractState)
    }
}

/// A client company's name: 2..=160 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MembershipName(String);

impl MembershipName {
    pub fn parse(s: &str) -> Result<Self, Invalid> {
        let s = s.trim();
        let n = s.chars().count();
        if !(2..=160).contains(&n) || s.chars().any(char::is_control) {
            return Err(Invalid::Name);
        }
        Ok(Self(s.to_string()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A tax identifier (NIF/CIF/VAT): optional, letters and digits, 5..=20 after removing separators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxId(String);

impl TaxId {
    pub fn parse_optional(s: &str) -> Result<Option<Self>, Invalid> {
        let compact: String = s
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-' && *c != '.')
            .flat_map(char::to_uppercase)
            .collect();
        if compact.is_empty() {
            return Ok(None);
        }
        if (5..=20).contains(&compact.len()) && compact.chars().all(|c| c.is_ascii_alphanumeric()) {
            Ok(Some(Self(compact)))
        } else {
            Err(Invalid::TaxId)
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parsing() {
        assert_eq!(
            ContractState::parse("lapsed").unwrap(),
            ContractState::Lapsed
        );
        assert!(ContractState::parse("x").is_err());
        assert_eq!(
            TaxId::parse_optional(" b-12.345.678 ")
                .unwrap()
                .unwrap()
                .as_str(),
            "B12345678"
        );
        assert!(TaxId::parse_optional("").unwrap().is_none());
        assert!(TaxId::parse_optional("<script>").is_err());
        assert!(MembershipName::parse(" ").is_err());
    }
}
