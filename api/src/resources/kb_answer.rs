//! An article's JSON, serialised once and filled in per reader.
//!
//! Everything in an article's answer is the same for every reader except its signed addresses
//! (the images in `body_html` and `pdf_url`), which name the reader. So the answer is
//! serialised once per article and cache epoch with a hole where each address goes, and a read
//! only signs and copies: no cloning of the body, no escaping, no `flatten` map. The holes are
//! marked with a per-process random token, which no article can contain by chance or design
//! (it is never shown); a signed address is URL-safe text that needs no JSON escaping.

use std::sync::{Arc, OnceLock};

use actix_web::web::Bytes;
use faro_core::kb::Article;

use crate::problem::{ApiError, ApiResult};
use crate::signed::{FileRef, Signer};

/// `"<token>:"`: what a hole starts with; its number and a `;` follow.
fn token() -> &'static str {
    static TOKEN: OnceLock<String> = OnceLock::new();
    TOKEN.get_or_init(|| format!("faro-hole-{}:", uuid::Uuid::new_v4().simple()))
}

/// One article's answer with holes for the reader's signed addresses.
pub struct Mold {
    /// What it was made from: a mold serves only the very same content (see `fits`).
    revision: i32,
    views: u64,
    /// Text between the holes: one more part than holes.
    parts: Vec<Bytes>,
    /// The file each hole signs, in the order they appear.
    holes: Vec<FileRef>,
}

impl Mold {
    /// Serialises `a` (with `html`, its rendered body) with holes for its signed addresses.
    pub fn new(a: &Article, html: &str) -> ApiResult<Self> {
        let mut files = Vec::new();
        let body = super::convert::article(a, html, |file| {
            files.push(file);
            Ok(format!("{}{};", token(), files.len() - 1))
        })?;
        let json = serde_json::to_string(&body).map_err(ApiError::internal)?;
        let mut parts = Vec::with_capacity(files.len() + 1);
        let mut holes = Vec::with_capacity(files.len());
        let mut rest = json.as_str();
        while let Some(at) = rest.find(token()) {
            parts.push(Bytes::copy_from_slice(&rest.as_bytes()[..at]));
            let after = &rest[at + token().len()..];
            let end = after
                .find(';')
                .ok_or_else(|| ApiError::internal("article hole without its end"))?;
            let file = after[..end]
                .parse::<usize>()
                .ok()
                .and_then(|i| files.get(i).copied())
                .ok_or_else(|| ApiError::internal("article hole without its file"))?;
            holes.push(file);
            rest = &after[end + 1..];
        }
        parts.push(Bytes::copy_from_slice(rest.as_bytes()));
        Ok(Self {
            revision: a.revision,
            views: a.views,
            parts,
            holes,
        })
    }

    /// Whether this mold was made from `a` as it is now.
    pub fn fits(&self, a: &Article) -> bool {
        self.revision == a.revision && self.views == a.views
    }

    /// The answer for the reader `signer` signs for.
    pub fn fill(&self, signer: &Signer<'_>) -> ApiResult<Bytes> {
        let size: usize = self.parts.iter().map(Bytes::len).sum();
        let mut out = Vec::with_capacity(size + self.holes.len() * 400);
        for (i, part) in self.parts.iter().enumerate() {
            out.extend_from_slice(part);
            if let Some(file) = self.holes.get(i) {
                out.extend_from_slice(signer.shared_url(*file)?.as_bytes());
            }
        }
        Ok(Bytes::from(out))
    }
}

/// The molds of one node, filed under the store's cache epoch like the articles they are made
/// of: any write anywhere retires them all.
pub type Molds = faro_store::fresh::ReadCache<uuid::Uuid, Arc<Mold>>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::jwt::JwtKeys;
    use std::time::Duration;

    fn article(body: &str) -> Article {
        Article {
            id: uuid::Uuid::now_v7(),
            slug: "vpn".into(),
            title: "VPN \"segura\"".into(),
            summary: "Resumen".into(),
            body: body.into(),
            kind: faro_core::kb::ArticleKind::Tutorial,
            state: faro_core::kb::ArticleState::Published,
            category: None,
            membership_id: None,
            membership_name: None,
            tags: vec!["red".into()],
            views: 3,
            revision: 2,
            created_at: chrono::Utc::now(),
            updated_at: chrono::Utc::now(),
            published_at: None,
            last_change_note: String::new(),
        }
    }

    /// The filled mold is exactly what serialising the article for that reader gives.
    #[test]
    fn a_filled_mold_is_the_plain_answer() {
        let keys = JwtKeys::new(&[("k".into(), "s".repeat(40))], Duration::from_secs(900)).unwrap();
        let (one, two) = (uuid::Uuid::now_v7(), uuid::Uuid::now_v7());
        let a = article(&format!(
            "![a](/api/v1/kb/images/{one}) y ![b](/kb/files/{two}) <script>x</script> \"ñ\"\n"
        ));
        let html = faro_markdown::to_html(&a.body);
        let mold = Mold::new(&a, &html).unwrap();
        assert_eq!(mold.holes.len(), 3, "two images and the PDF");
        for person in [uuid::Uuid::now_v7(), uuid::Uuid::now_v7()] {
            let signer = Signer::new(&keys, person, 1);
            let plain = super::super::convert::article(&a, &html, |f| signer.url(f)).unwrap();
            let filled: serde_json::Value =
                serde_json::from_slice(&mold.fill(&signer).unwrap()).unwrap();
            assert_eq!(filled, serde_json::to_value(&plain).unwrap());
            assert!(
                filled["body_html"]
                    .as_str()
                    .unwrap()
                    .contains("/api/v1/files/")
            );
        }
        assert!(mold.fits(&a));
        assert!(!mold.fits(&Article { views: 4, ..a }));
    }
}
