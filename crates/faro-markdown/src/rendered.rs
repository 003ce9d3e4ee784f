//! Sanitised HTML kept per key (an article revision, a comment). Rendering and cleaning
//! Markdown costs far more than anything else in a read, and a revision's text never changes,
//! so each is rendered once and shared.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

/// At most `capacity` renders; when full it starts over (cheaper than tracking use, and a miss
/// only costs one render).
pub struct Rendered<K> {
    html: Mutex<HashMap<K, Arc<str>>>,
    capacity: usize,
}

impl<K: Hash + Eq> Rendered<K> {
    pub fn new(capacity: usize) -> Self {
        Self {
            html: Mutex::default(),
            capacity: capacity.max(1),
        }
    }

    /// The sanitised HTML of `markdown`, the text `key` names.
    pub fn html(&self, key: K, markdown: &str) -> Arc<str> {
        if let Ok(cache) = self.html.lock()
            && let Some(h) = cache.get(&key)
        {
            return h.clone();
        }
        let html: Arc<str> = crate::to_html(markdown).into();
        if let Ok(mut cache) = self.html.lock() {
            if cache.len() >= self.capacity {
                cache.clear();
            }
            cache.insert(key, html.clone());
        }
        html
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_render_per_key() {
        let r = Rendered::new(2);
        let first = r.html((1, 1), "**uno** <script>x</script>");
        assert_eq!(&*first, &*crate::to_html("**uno** <script>x</script>"));
        assert!(!first.contains("<script"));
        assert!(Arc::ptr_eq(&first, &r.html((1, 1), "ignored: same key")));
        assert!(r.html((1, 2), "*dos*").contains("<em>dos</em>"));
        // Full: starts over.
        assert!(r.html((1, 3), "tres").contains("tres"));
        assert!(!Arc::ptr_eq(
            &first,
            &r.html((1, 1), "**uno** <script>x</script>")
        ));
    }
}
