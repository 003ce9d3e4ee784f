//! `Content-Disposition` for a stored file sent to a browser.

/// `Content-Disposition` with an ASCII fallback and the UTF-8 name (RFC 6266 / 8187).
pub fn disposition(kind: &str, name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("{kind}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disposition_keeps_names_safe() {
        assert_eq!(
            disposition("attachment", "Guía de instalación.pdf"),
            "attachment; filename=\"Gu_a de instalaci_n.pdf\"; filename*=UTF-8''Gu%C3%ADa%20de%20instalaci%C3%B3n.pdf"
        );
        assert!(!disposition("attachment", "a\"b\r\n.txt").contains('\n'));
    }
}
