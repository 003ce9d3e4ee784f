//! The `Range` request header (RFC 9110 §14): one byte range, which is what download managers
//! and video players send. Anything else is answered with the whole file, as the RFC allows.

use std::ops::Range;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RangeRequest {
    /// No usable range: send everything (200).
    Full,
    /// Send these bytes (206).
    Partial(Range<u64>),
    /// The range starts past the end (416).
    Unsatisfiable,
}

/// Reads a `Range` header against a file of `size` bytes.
pub fn parse_range(header: Option<&str>, size: u64) -> RangeRequest {
    let Some(spec) = header.and_then(|h| h.trim().strip_prefix("bytes=")) else {
        return RangeRequest::Full;
    };
    if spec.contains(',') {
        return RangeRequest::Full;
    }
    let Some((start, end)) = spec.trim().split_once('-') else {
        return RangeRequest::Full;
    };
    let number = |s: &str| -> Option<u64> {
        let s = s.trim();
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    match (number(start), number(end), end.trim().is_empty()) {
        // bytes=-N: the last N bytes.
        (None, Some(n), _) if start.trim().is_empty() => {
            if n == 0 || size == 0 {
                RangeRequest::Unsatisfiable
            } else {
                RangeRequest::Partial(size.saturating_sub(n)..size)
            }
        }
        (Some(a), None, true) => {
            if a >= size {
                RangeRequest::Unsatisfiable
            } else {
                RangeRequest::Partial(a..size)
            }
        }
        (Some(a), Some(b), _) if a <= b => {
            if a >= size {
                RangeRequest::Unsatisfiable
            } else {
                RangeRequest::Partial(a..b.saturating_add(1).min(size))
            }
        }
        _ => RangeRequest::Full,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use RangeRequest::*;

    #[test]
    fn reads_the_forms_clients_send() {
        assert_eq!(parse_range(Some("bytes=0-99"), 1000), Partial(0..100));
        assert_eq!(parse_range(Some("bytes=500-"), 1000), Partial(500..1000));
        assert_eq!(parse_range(Some("bytes=-100"), 1000), Partial(900..1000));
        assert_eq!(parse_range(Some("bytes=-5000"), 1000), Partial(0..1000));
        assert_eq!(
            parse_range(Some("bytes=900-5000"), 1000),
            Partial(900..1000)
        );
        assert_eq!(parse_range(Some("bytes=999-999"), 1000), Partial(999..1000));
    }

    #[test]
    fn past_the_end_is_unsatisfiable() {
        assert_eq!(parse_range(Some("bytes=1000-"), 1000), Unsatisfiable);
        assert_eq!(parse_range(Some("bytes=1000-1001"), 1000), Unsatisfiable);
        assert_eq!(parse_range(Some("bytes=-0"), 1000), Unsatisfiable);
        assert_eq!(parse_range(Some("bytes=0-"), 0), Unsatisfiable);
    }

    #[test]
    fn anything_else_is_the_whole_file() {
        for h in [
            None,
            Some(""),
            Some("items=0-1"),
            Some("bytes=5-2"),
            Some("bytes=0-1,5-6"),
            Some("bytes=abc"),
            Some("bytes=-"),
            Some("bytes=+1-2"),
            Some("bytes=99999999999999999999999-"),
        ] {
            assert_eq!(parse_range(h, 1000), Full, "{h:?}");
        }
    }
}
