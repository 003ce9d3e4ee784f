//! Cursors: opaque to callers, the position where the previous page ended (a sort key and an
//! id), as URL-safe base64 of a small JSON array.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use faro_types::page::{DEFAULT_LIMIT, MAX_LIMIT};
use faro_types::{Page, PageQuery};
use uuid::Uuid;

use crate::problem::{ApiError, ApiResult, Text};

/// The validated paging parameters: how many, and after which (key, id).
pub struct Paging {
    pub limit: i64,
    pub after: Option<(String, Uuid)>,
}

impl Paging {
    pub fn parse(q: &PageQuery) -> ApiResult<Self> {
        let limit = q.limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(ApiError::field(
                "limit",
                "out_of_range",
                Text::Catalog(|t| t.api_bad_limit),
            ));
        }
        let after = match q.cursor.as_deref().filter(|c| !c.is_empty()) {
            None => None,
            Some(c) => Some(decode(c).ok_or_else(|| {
                ApiError::field("cursor", "invalid", Text::Catalog(|t| t.api_bad_cursor))
            })?),
        };
        Ok(Self {
            limit: i64::from(limit),
            after,
        })
    }

    /// One more than the page, to know whether another follows.
    pub fn fetch(&self) -> i64 {
        self.limit + 1
    }

    /// The store's request for a list sorted by name: `fetch()` rows after the cursor.
    pub fn name_page(&self) -> faro_store::NamePage {
        faro_store::NamePage {
            after: self.after.clone(),
            limit: Some(self.fetch()),
        }
    }

    /// The page of `rows` (fetched with `fetch()`), its cursor made from the last item shown.
    pub fn page<R, T>(
        &self,
        mut rows: Vec<R>,
        key: impl Fn(&R) -> (String, Uuid),
        item: impl Fn(R) -> T,
    ) -> Page<T> {
        let more = rows.len() as i64 > self.limit;
        rows.truncate(self.limit.max(0) as usize);
        let next_cursor = more.then(|| rows.last().map(|r| encode(&key(r)))).flatten();
        Page {
            items: rows.into_iter().map(item).collect(),
            next_cursor,
        }
    }
}

pub fn encode((key, id): &(String, Uuid)) -> String {
    let json = serde_json::json!([key, id.to_string()]);
    URL_SAFE_NO_PAD.encode(json.to_string())
}

fn decode(cursor: &str) -> Option<(String, Uuid)> {
    if cursor.len() > 1024 {
        return None;
    }
    let bytes = URL_SAFE_NO_PAD.decode(cursor).ok()?;
    let (key, id): (String, String) = serde_json::from_slice(&bytes).ok()?;
    if key.chars().any(char::is_control) {
        return None;
    }
    Some((key, Uuid::parse_str(&id).ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_junk_is_refused() {
        let id = Uuid::now_v7();
        let c = encode(&("Ñandú S.A.".into(), id));
        assert_eq!(decode(&c), Some(("Ñandú S.A.".into(), id)));
        for junk in ["", "!!!", "bm90IGpzb24", &"A".repeat(2000)] {
            assert!(decode(junk).is_none(), "{junk}");
        }
        let q = PageQuery {
            limit: Some(101),
            cursor: None,
        };
        assert!(Paging::parse(&q).is_err());
        let q = PageQuery {
            limit: Some(0),
            cursor: None,
        };
        assert!(Paging::parse(&q).is_err());
    }
}
