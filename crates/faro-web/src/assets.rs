//! Static assets compiled into the binary and served under content-hash names, so browsers may
//! cache them forever.

use std::sync::Arc;

use faro_core::secret::sha256_hex;

pub struct Asset {
    pub name: String,
    pub content_type: &'static str,
    pub body: &'static [u8],
}

pub struct Assets {
    pub css: Asset,
    pub js: Asset,
    css_url: Arc<str>,
    js_url: Arc<str>,
}

impl Assets {
    pub fn load() -> Self {
        let css: &'static [u8] = include_bytes!("../assets/faro.css");
        let js: &'static [u8] = include_bytes!("../assets/faro.js");
        let css_name = format!("faro.{}.css", &sha256_hex(css)[..12]);
        let js_name = format!("faro.{}.js", &sha256_hex(js)[..12]);
        Self {
            css_url: format!("/static/{css_name}").into(),
            js_url: format!("/static/{js_name}").into(),
            css: Asset {
                name: css_name,
                content_type: "text/css; charset=utf-8",
                body: css,
            },
            js: Asset {
                name: js_name,
                content_type: "text/javascript; charset=utf-8",
                body: js,
            },
        }
    }

    pub fn find(&self, name: &str) -> Option<&Asset> {
        [&self.css, &self.js].into_iter().find(|a| a.name == name)
    }

    pub fn js_url(&self) -> Arc<str> {
        self.js_url.clone()
    }

    pub fn css_url(&self) -> Arc<str> {
        self.css_url.clone()
    }
}
