//! Signed addresses for files: `/api/v1/files/{ticket}`, so `<img>`, `<a download>` and the
//! browser's own PDF viewer work without an `Authorization` header. A ticket names one file
//! and one person, is signed with the access-token keys (its own audience, so neither can pass
//! for the other) and expires within minutes. Opening one checks again that the person is
//! still active, has not signed out everywhere, and may still read the file: a ticket is
//! never wider than its person's scope is now.
//!
//! Tickets are cut per ten-minute window (issued at its start, valid until the end of the
//! next), so the same person gets the same address for the same file all window long: an
//! article's representation, and its `ETag`, stay stable that long.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::Utc;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::auth::jwt::{JwtKeys, Refusal};
use crate::problem::{ApiError, ApiResult, Text};

const AUDIENCE: &str = "faro-file";
const ISSUER: &str = "faro";
/// Seconds per window; a ticket lives between one and two windows.
pub const WINDOW: i64 = 600;
/// Where tickets are opened.
pub const PREFIX: &str = "/api/v1/files/";

/// The file a ticket opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileRef {
    /// An image uploaded into an article.
    Image(Uuid),
    /// An article typeset as a PDF.
    ArticlePdf(Uuid),
    /// A file attached to an incident.
    Attachment(Uuid),
    /// An incident typeset as a PDF.
    IncidentPdf(Uuid),
    /// The thumbnail of an image attached to an incident.
    Thumbnail(Uuid),
    /// The file of a download version.
    Version(Uuid),
    /// The hosted copy of a resource (named by the resource).
    Resource(Uuid),
}

impl FileRef {
    fn encode(self) -> String {
        match self {
            FileRef::Image(id) => format!("i:{id}"),
            FileRef::ArticlePdf(id) => format!("p:{id}"),
            FileRef::Attachment(id) => format!("a:{id}"),
            FileRef::IncidentPdf(id) => format!("n:{id}"),
            FileRef::Thumbnail(id) => format!("t:{id}"),
            FileRef::Version(id) => format!("v:{id}"),
            FileRef::Resource(id) => format!("r:{id}"),
        }
    }

    fn decode(s: &str) -> Option<Self> {
        let (kind, id) = s.split_once(':')?;
        let id = Uuid::parse_str(id).ok()?;
        match kind {
            "i" => Some(FileRef::Image(id)),
            "p" => Some(FileRef::ArticlePdf(id)),
            "a" => Some(FileRef::Attachment(id)),
            "n" => Some(FileRef::IncidentPdf(id)),
            "t" => Some(FileRef::Thumbnail(id)),
            "v" => Some(FileRef::Version(id)),
            "r" => Some(FileRef::Resource(id)),
            _ => None,
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct Ticket {
    sub: Uuid,
    /// The person's token version: signing out everywhere ends their tickets too.
    ver: i32,
    f: String,
    iat: i64,
    exp: i64,
    iss: String,
    aud: String,
}

/// The window a moment falls in.
pub fn window_now() -> i64 {
    Utc::now().timestamp().div_euclid(WINDOW)
}

/// Who may open the file, and which: what a ticket proves.
pub struct Opened {
    pub person: Uuid,
    pub version: i32,
    pub file: FileRef,
}

/// Addresses this node has signed in the current window. A ticket is the same all window long
/// (see the module), and signing one costs more than the rest of an article read, so each
/// person's address for each file is signed once per window and then looked up. Emptied when
/// the window turns or when it holds [`Memo::CAPACITY`] addresses.
#[derive(Default)]
pub struct Memo {
    signed: Mutex<Signed>,
}

#[derive(Default)]
struct Signed {
    window: i64,
    urls: HashMap<(Uuid, i32, FileRef), Arc<str>>,
}

impl Memo {
    /// About 15 MB of addresses at most.
    pub const CAPACITY: usize = 50_000;

    fn get_or_sign(
        &self,
        window: i64,
        key: (Uuid, i32, FileRef),
        sign: impl FnOnce() -> ApiResult<String>,
    ) -> ApiResult<Arc<str>> {
        if let Ok(signed) = self.signed.lock()
            && signed.window == window
            && let Some(url) = signed.urls.get(&key)
        {
            return Ok(url.clone());
        }
        let url: Arc<str> = sign()?.into();
        // A poisoned memo only means an address is signed again next time.
        if let Ok(mut signed) = self.signed.lock() {
            if signed.window != window || signed.urls.len() >= Self::CAPACITY {
                signed.urls.clear();
                signed.window = window;
            }
            signed.urls.insert(key, url.clone());
        }
        Ok(url)
    }
}

/// Signs tickets for one person in one window.
pub struct Signer<'a> {
    keys: &'a JwtKeys,
    memo: Option<&'a Memo>,
    person: Uuid,
    version: i32,
    window: i64,
}

impl<'a> Signer<'a> {
    pub fn new(keys: &'a JwtKeys, person: Uuid, version: i32) -> Self {
        Self {
            keys,
            memo: None,
            person,
            version,
            window: window_now(),
        }
    }

    /// Looks addresses up in `memo` before signing them (and files new ones there).
    pub fn memoized(mut self, memo: &'a Memo) -> Self {
        self.memo = Some(memo);
        self
    }

    /// The window the signer's addresses belong to (part of an article's `ETag`).
    pub fn window(&self) -> i64 {
        self.window
    }

    /// `/api/v1/files/<ticket>` for `file`.
    pub fn url(&self, file: FileRef) -> ApiResult<String> {
        Ok(self.shared_url(file)?.to_string())
    }

    /// The same, shared with the memo.
    pub fn shared_url(&self, file: FileRef) -> ApiResult<Arc<str>> {
        match self.memo {
            Some(memo) => memo.get_or_sign(self.window, (self.person, self.version, file), || {
                self.sign(file)
            }),
            None => self.sign(file).map(Arc::from),
        }
    }

    fn sign(&self, file: FileRef) -> ApiResult<String> {
        let ticket = Ticket {
            sub: self.person,
            ver: self.version,
            f: file.encode(),
            iat: self.window * WINDOW,
            exp: (self.window + 2) * WINDOW,
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
        };
        let token = self.keys.sign(&ticket).map_err(ApiError::internal)?;
        Ok(format!("{PREFIX}{token}"))
    }
}

fn refused() -> ApiError {
    ApiError::new(
        actix_web::http::StatusCode::NOT_FOUND,
        faro_types::ErrorCode::LinkInvalid,
        Text::Catalog(|t| t.api_file_link_invalid),
    )
}

/// What a ticket names, if Faro signed it and it has not expired; otherwise a 404 saying the
/// link is not valid (an expired ticket and a forged one look the same).
pub fn open(keys: &JwtKeys, token: &str) -> ApiResult<Opened> {
    if token.len() > 1024 {
        return Err(refused());
    }
    let t: Ticket = keys.open(token, AUDIENCE).map_err(|r| match r {
        Refusal::Expired | Refusal::Invalid => refused(),
    })?;
    let file = FileRef::decode(&t.f).ok_or_else(refused)?;
    Ok(Opened {
        person: t.sub,
        version: t.ver,
        file,
    })
}

/// The image ids a body's HTML points at (`src="/api/v1/kb/images/<id>"`, or the older
/// `/kb/files/<id>`), each replaced by what `sign` makes of it.
pub fn sign_images(
    html: &str,
    mut sign: impl FnMut(Uuid) -> ApiResult<String>,
) -> ApiResult<String> {
    const MARKS: [&str; 2] = ["src=\"/api/v1/kb/images/", "src=\"/kb/files/"];
    if !MARKS.iter().any(|m| html.contains(m)) {
        return Ok(html.to_owned());
    }
    let mut out = String::with_capacity(html.len() + 256);
    let mut rest = html;
    loop {
        let next = MARKS
            .iter()
            .filter_map(|m| rest.find(m).map(|i| (i, m.len())))
            .min();
        let Some((at, mark_len)) = next else {
            out.push_str(rest);
            return Ok(out);
        };
        let id_start = at + mark_len;
        let id_text = rest.get(id_start..id_start + 36);
        match id_text.and_then(|s| Uuid::parse_str(s).ok()) {
            Some(id) if rest[id_start + 36..].starts_with('"') => {
                out.push_str(&rest[..at]);
                out.push_str("src=\"");
                out.push_str(&sign(id)?);
                out.push('"');
                rest = &rest[id_start + 37..];
            }
            _ => {
                out.push_str(&rest[..id_start]);
                rest = &rest[id_start..];
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn keys(secret: &str) -> JwtKeys {
        JwtKeys::new(&[("k".into(), secret.repeat(40))], Duration::from_secs(900)).unwrap()
    }

    #[test]
    fn tickets_open_only_with_faros_keys() {
        let k = keys("a");
        let person = Uuid::now_v7();
        let image = Uuid::now_v7();
        let s = Signer::new(&k, person, 4);
        let url = s.url(FileRef::Image(image)).unwrap();
        // The same address all window long.
        assert_eq!(url, s.url(FileRef::Image(image)).unwrap());
        let token = url.strip_prefix(PREFIX).unwrap();
        let o = open(&k, token).unwrap();
        assert_eq!(
            (o.person, o.version, o.file),
            (person, 4, FileRef::Image(image))
        );
        // Another installation's key, an access token and junk are all refused.
        assert!(open(&keys("b"), token).is_err());
        let (access, _) = k.issue(person, "member", None, 4).unwrap();
        assert!(open(&k, &access).is_err());
        assert!(open(&k, "x.y.z").is_err());
        // A ticket is not an access token either.
        assert!(k.verify(token).is_err());
    }

    #[test]
    fn the_memo_gives_each_person_their_own_address_once_per_window() {
        let k = keys("a");
        let memo = Memo::default();
        let (one, two, image) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        let file = FileRef::Image(image);
        let first = Signer::new(&k, one, 1).memoized(&memo).url(file).unwrap();
        assert_eq!(first, Signer::new(&k, one, 1).url(file).unwrap());
        assert_eq!(
            first,
            Signer::new(&k, one, 1).memoized(&memo).url(file).unwrap()
        );
        // Another person, or the same one after signing out everywhere, gets another ticket.
        for (person, version) in [(two, 1), (one, 2)] {
            let url = Signer::new(&k, person, version)
                .memoized(&memo)
                .url(file)
                .unwrap();
            let o = open(&k, url.strip_prefix(PREFIX).unwrap()).unwrap();
            assert_eq!((o.person, o.version), (person, version));
        }
        // An address from an earlier window is not handed out in a later one.
        let old = Signer {
            keys: &k,
            memo: Some(&memo),
            person: one,
            version: 1,
            window: window_now() - 3,
        };
        let stale = old.url(file).unwrap();
        assert!(open(&k, stale.strip_prefix(PREFIX).unwrap()).is_err());
        let now = Signer::new(&k, one, 1).memoized(&memo).url(file).unwrap();
        assert!(open(&k, now.strip_prefix(PREFIX).unwrap()).is_ok());
    }

    #[test]
    fn expired_tickets_are_refused() {
        let k = keys("a");
        let s = Signer {
            keys: &k,
            memo: None,
            person: Uuid::now_v7(),
            version: 0,
            window: window_now() - 3,
        };
        let url = s.url(FileRef::ArticlePdf(Uuid::now_v7())).unwrap();
        assert!(open(&k, url.strip_prefix(PREFIX).unwrap()).is_err());
    }

    #[test]
    fn image_sources_are_signed() {
        let id = Uuid::now_v7();
        let html = format!(
            "<p><img src=\"/api/v1/kb/images/{id}\" alt=\"a\"><img src=\"/kb/files/{id}\"><img src=\"/kb/files/nope\"><img src=\"https://x.example/i.png\"></p>"
        );
        let out = sign_images(&html, |i| Ok(format!("/signed/{i}"))).unwrap();
        assert_eq!(
            out,
            format!(
                "<p><img src=\"/signed/{id}\" alt=\"a\"><img src=\"/signed/{id}\"><img src=\"/kb/files/nope\"><img src=\"https://x.example/i.png\"></p>"
            )
        );
        assert_eq!(
            sign_images("<p>x</p>", |_| unreachable!()).unwrap(),
            "<p>x</p>"
        );
    }
}
