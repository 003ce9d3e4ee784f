//! Invitation codes: how a client's people join its membership. 16 symbols from a 23-symbol
//! alphabet that keeps at most one of each look-alike group (0/O, 1/I/L, 2/Z, 5/S, 8/B, 6/G,
//! U/V) give 72 bits, written in four groups of four so they can be read aloud over the phone.

use crate::error::Invalid;
use crate::secret::random_bytes;

pub const ALPHABET: &[u8; 23] = b"ACDEFGHJKMNPQRTVWXY3479";
const LEN: usize = 16;
const GROUP: usize = 4;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct InvitationCode(String);

impl InvitationCode {
    pub fn generate() -> Result<Self, String> {
        let mut code = String::with_capacity(LEN);
        // Rejection sampling keeps every symbol equally likely.
        let limit = 256 - (256 % ALPHABET.len());
        while code.len() < LEN {
            let mut buf = [0u8; 32];
            random_bytes(&mut buf)?;
            for b in buf {
                if (b as usize) < limit && code.len() < LEN {
                    code.push(ALPHABET[b as usize % ALPHABET.len()] as char);
                }
            }
        }
        Ok(Self(code))
    }

    /// Accepts the code as people type it: any case, with or without spaces and dashes.
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let s: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .flat_map(char::to_uppercase)
            .collect();
        if s.len() == LEN && s.bytes().all(|b| ALPHABET.contains(&b)) {
            Ok(Self(s))
        } else {
            Err(Invalid::InvitationCode)
        }
    }

    /// The form stored in the database: 16 symbols, no separators.
    pub fn compact(&self) -> &str {
        &self.0
    }

    /// The form shown to people: `XXXX-XXXX-XXXX-XXXX`.
    pub fn display(&self) -> String {
        let chunks: Vec<&str> = (0..LEN / GROUP)
            .filter_map(|i| self.0.get(i * GROUP..(i + 1) * GROUP))
            .collect();
        chunks.join("-")
    }

    /// Bits of entropy of a generated code.
    pub fn entropy_bits() -> f64 {
        LEN as f64 * (ALPHABET.len() as f64).log2()
    }
}

impl std::fmt::Display for InvitationCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.display())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strong_enough() {
        assert!(InvitationCode::entropy_bits() >= 60.0);
    }

    #[test]
    fn generate_and_parse() {
        let c = InvitationCode::generate().unwrap();
        let shown = c.display();
        assert_eq!(shown.len(), 19);
        assert_eq!(shown.matches('-').count(), 3);
        assert_eq!(InvitationCode::parse(&shown).unwrap(), c);
        assert_eq!(
            InvitationCode::parse(&shown.to_lowercase().replace('-', " ")).unwrap(),
            c
        );
        assert_ne!(InvitationCode::generate().unwrap(), c);
    }

    #[test]
    fn no_look_alikes() {
        for group in ["0O", "1IL", "2Z", "5S", "8B", "6G", "UV"] {
            let present = group.bytes().filter(|b| ALPHABET.contains(b)).count();
            assert!(present <= 1, "{group}");
        }
        assert!(!ALPHABET.contains(&b'0') && !ALPHABET.contains(&b'O'));
        assert!(InvitationCode::parse("AAAA-AAAA-AAAA-AAA0").is_err());
        assert!(InvitationCode::parse("AAAA").is_err());
    }
}
