//! Configuration: defaults -> `faro.toml` (or the file named by `FARO_CONFIG`) -> `FARO_*`
//! environment variables. Invalid values stop start-up with one line naming the setting.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Config {
    /// `FARO_BIND`: address and port to listen on.
    pub bind: String,
    /// `FARO_DATA_DIR`: SQLite database, outbox and (later) files and index.
    pub data_dir: PathBuf,
    /// `FARO_DATABASE_URL`: `sqlite:…` or `postgres://…`; default SQLite in the data folder.
    pub database_url: Option<String>,
    /// `FARO_BASE_URL`: public address used in e-mailed links.
    pub base_url: Option<String>,
    /// `FARO_SMTP_URL`: `smtp://` or `smtps://user:pass@host:port`; without it mail goes to
    /// `<data>/outbox/` as `.eml` files.
    pub smtp_url: Option<String>,
    /// `FARO_MAIL_FROM`: sender of every e-mail.
    pub mail_from: String,
    /// `FARO_S3_BUCKET`: keep files in this S3 bucket instead of `<data>/files`. Credentials
    /// come from `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY`.
    pub s3_bucket: Option<String>,
    /// `FARO_S3_ENDPOINT`: address of an S3-compatible service (MinIO, Garage, Ceph…).
    pub s3_endpoint: Option<String>,
    /// `FARO_S3_REGION`: the bucket's region.
    pub s3_region: Option<String>,
    /// `FARO_DOWNLOAD_MAX_MB`: largest file staff may publish as a download version.
    pub download_max_mb: u64,
    /// `FARO_ATTACHMENT_MAX_MB`: largest file attached to an incident.
    pub attachment_max_mb: u64,
    /// `FARO_HOLIDAYS`: days the SLA clock does not run, `dd/mm/aaaa` separated by commas.
    pub holidays: String,
    /// `FARO_AUTO_CLOSE_DAYS`: resolved incidents close themselves after this many days.
    pub auto_close_days: i64,
    /// `FARO_BUSINESS_HOURS`: when the SLA clock runs each working day, `hh:mm-hh:mm`.
    pub business_hours: String,
    /// `FARO_BUSINESS_DAYS`: working weekdays, 1 = Monday (`1-5`).
    pub business_days: String,
    /// `FARO_SLA_TARGETS`: first response / resolution per priority, in working time
    /// (`alta=1h/4h, media=4h/2d, baja=2d/10d`).
    pub sla_targets: String,
    /// `FARO_INDEX_DIR`: this node's search index; default `<data>/index`.
    pub index_dir: Option<PathBuf>,
    /// `FARO_MEILISEARCH_URL`: search with this Meilisearch server (`http://127.0.0.1:7700`),
    /// one index shared by every node, instead of each node's embedded index.
    pub meilisearch_url: Option<String>,
    /// `FARO_MEILISEARCH_KEY`: the key Faro uses with it (it never leaves the server).
    pub meilisearch_key: Option<String>,
    /// `FARO_MEILISEARCH_INDEX`: the index name's prefix; `faro` makes `faro-v1`.
    pub meilisearch_index: String,
    /// `FARO_JWT_KEYS`: the keys access tokens are signed with, `id:secret` separated by commas
    /// (secrets of 32 characters or more); the first signs, all verify, so a key can rotate. Nodes
    /// of one portal need the same keys. Default: one key generated into `<data>/jwt-keys`.
    pub jwt_keys: Option<String>,
    /// `FARO_ACCESS_TOKEN_MINUTES`: lifetime of an access token, 1 to 15.
    pub access_token_minutes: u64,
    /// `FARO_WEB_DIR`: a folder with the built single-page app to serve (made by
    /// `web/build.sh`). Unset: the copy built into the binary (release builds made with
    /// `--features embed-web`, as `just run` does), else `web/dist`.
    pub web_dir: Option<PathBuf>,
    /// `FARO_CORS_ORIGINS`: web origins (`https://intranet.cliente.es`) whose pages may call the
    /// API from a browser, separated by commas. None by default.
    pub cors_origins: String,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            bind: "127.0.0.1:8080".into(),
            data_dir: PathBuf::from("./faro-data"),
            database_url: None,
            base_url: None,
            smtp_url: None,
            mail_from: "Faro <faro@localhost>".into(),
            s3_bucket: None,
            s3_endpoint: None,
            s3_region: None,
            download_max_mb: 10 * 1024,
            attachment_max_mb: 200,
            holidays: String::new(),
            auto_close_days: 7,
            business_hours: "08:00-18:00".into(),
            business_days: "1-5".into(),
            sla_targets: "alta=1h/4h, media=4h/2d, baja=2d/10d".into(),
            index_dir: None,
            meilisearch_url: None,
            meilisearch_key: None,
            meilisearch_index: "faro".into(),
            jwt_keys: None,
            access_token_minutes: 15,
            cors_origins: String::new(),
            web_dir: None,
        }
    }
}

/// A setting that is not usable, named as the operator writes it.
#[derive(Debug, thiserror::Error)]
#[error("configuration error: {setting}: {problem}")]
pub struct ConfigError {
    pub setting: &'static str,
    pub problem: String,
}

fn bad(setting: &'static str, problem: impl Into<String>) -> ConfigError {
    ConfigError {
        setting,
        problem: problem.into(),
    }
}

/// The validated configuration the application runs with.
#[derive(Debug, Clone)]
pub struct Settings {
    pub bind: SocketAddr,
    pub data_dir: PathBuf,
    pub database_url: String,
    /// `None` means "derive from the bound address".
    pub base_url: Option<String>,
    pub smtp_url: Option<String>,
    pub mail_from: String,
    pub files: faro_files::FileStoreConfig,
    pub download_max_bytes: u64,
    pub attachment_max_bytes: u64,
    pub sla: faro_store::Sla,
    pub auto_close_days: i64,
    pub index_dir: PathBuf,
    /// The shared Meilisearch index, when configured.
    pub meilisearch: Option<faro_search::MeiliConfig>,
    /// Configured signing keys (id, secret); `None` means the data folder's generated key.
    pub jwt_keys: Option<Vec<(String, String)>>,
    pub access_token_ttl: std::time::Duration,
    pub cors_origins: Vec<String>,
    pub web_dir: Option<PathBuf>,
}

/// `id:secret,id:secret` as `FARO_JWT_KEYS` has them.
fn parse_jwt_keys(raw: &str) -> Result<Vec<(String, String)>, ConfigError> {
    let mut keys = Vec::new();
    for part in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (id, secret) = part
            .split_once(':')
            .ok_or_else(|| bad("FARO_JWT_KEYS", "each key is id:secret"))?;
        let id = id.trim();
        if id.is_empty()
            || id.len() > 32
            || !id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(bad(
                "FARO_JWT_KEYS",
                format!("{id:?}: a key id is 1 to 32 letters, digits, - or _"),
            ));
        }
        if secret.trim().chars().count() < 32 {
            return Err(bad(
                "FARO_JWT_KEYS",
                format!("key {id:?}: the secret needs 32 characters or more"),
            ));
        }
        if keys.iter().any(|(k, _)| k == id) {
            return Err(bad("FARO_JWT_KEYS", format!("key id {id:?} appears twice")));
        }
        keys.push((id.to_owned(), secret.trim().to_owned()));
    }
    if keys.is_empty() {
        return Err(bad("FARO_JWT_KEYS", "names no key"));
    }
    Ok(keys)
}

impl Config {
    /// Reads defaults, then the TOML file, then the environment.
    pub fn load() -> Result<Self, ConfigError> {
        let file = std::env::var("FARO_CONFIG")
            .map(PathBuf::from)
            .unwrap_or_else(|_| PathBuf::from("faro.toml"));
        Self::load_from(&file)
    }

    pub fn load_from(file: &Path) -> Result<Self, ConfigError> {
        Figment::from(Serialized::defaults(Config::default()))
            .merge(Toml::file(file))
            .merge(Env::prefixed("FARO_").only(&[
                "bind",
                "data_dir",
                "database_url",
                "base_url",
                "smtp_url",
                "mail_from",
                "s3_bucket",
                "s3_endpoint",
                "s3_region",
                "download_max_mb",
                "attachment_max_mb",
                "holidays",
                "auto_close_days",
                "business_hours",
                "business_days",
                "sla_targets",
                "index_dir",
                "meilisearch_url",
                "meilisearch_key",
                "meilisearch_index",
                "jwt_keys",
                "access_token_minutes",
                "cors_origins",
                "web_dir",
            ]))
            .extract()
            .map_err(|e| {
                let setting = match e.path.first().map(String::as_str) {
                    Some("bind") => "FARO_BIND",
                    Some("data_dir") => "FARO_DATA_DIR",
                    Some("database_url") => "FARO_DATABASE_URL",
                    Some("base_url") => "FARO_BASE_URL",
                    Some("smtp_url") => "FARO_SMTP_URL",
                    Some("mail_from") => "FARO_MAIL_FROM",
                    Some("s3_bucket") => "FARO_S3_BUCKET",
                    Some("s3_endpoint") => "FARO_S3_ENDPOINT",
                    Some("s3_region") => "FARO_S3_REGION",
                    Some("download_max_mb") => "FARO_DOWNLOAD_MAX_MB",
                    Some("attachment_max_mb") => "FARO_ATTACHMENT_MAX_MB",
                    Some("holidays") => "FARO_HOLIDAYS",
                    Some("auto_close_days") => "FARO_AUTO_CLOSE_DAYS",
                    Some("business_hours") => "FARO_BUSINESS_HOURS",
                    Some("business_days") => "FARO_BUSINESS_DAYS",
                    Some("sla_targets") => "FARO_SLA_TARGETS",
                    Some("index_dir") => "FARO_INDEX_DIR",
                    Some("meilisearch_url") => "FARO_MEILISEARCH_URL",
                    Some("meilisearch_key") => "FARO_MEILISEARCH_KEY",
                    Some("meilisearch_index") => "FARO_MEILISEARCH_INDEX",
                    Some("jwt_keys") => "FARO_JWT_KEYS",
                    Some("access_token_minutes") => "FARO_ACCESS_TOKEN_MINUTES",
                    Some("cors_origins") => "FARO_CORS_ORIGINS",
                    Some("web_dir") => "FARO_WEB_DIR",
                    _ => "faro.toml",
                };
                bad(setting, e.kind.to_string())
            })
    }

    /// Checks every setting and fills in derived defaults.
    pub fn validate(self) -> Result<Settings, ConfigError> {
        let bind: SocketAddr = self.bind.trim().parse().map_err(|_| {
            bad(
                "FARO_BIND",
                format!(
                    "{:?} is not an address:port such as 127.0.0.1:8080",
                    self.bind
                ),
            )
        })?;
        if self.data_dir.as_os_str().is_empty() {
            return Err(bad("FARO_DATA_DIR", "must not be empty"));
        }
        let database_url = match self.database_url.filter(|u| !u.trim().is_empty()) {
            Some(url) => {
                faro_store::Backend::from_url(url.trim())
                    .map_err(|e| bad("FARO_DATABASE_URL", e))?;
                url.trim().to_string()
            }
            None => format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("faro.db").display()
            ),
        };
        let base_url = match self.base_url.filter(|u| !u.trim().is_empty()) {
            Some(url) => {
                let url = url.trim().trim_end_matches('/').to_string();
                let rest = url
                    .strip_prefix("https://")
                    .or_else(|| url.strip_prefix("http://"))
                    .ok_or_else(|| {
                        bad(
                            "FARO_BASE_URL",
                            format!("{url:?} must start with http:// or https://"),
                        )
                    })?;
                if rest.is_empty() || rest.contains(char::is_whitespace) {
                    return Err(bad("FARO_BASE_URL", format!("{url:?} has no host")));
                }
                Some(url)
            }
            None => None,
        };
        let smtp_url = match self.smtp_url.filter(|u| !u.trim().is_empty()) {
            Some(url) if url.starts_with("smtp://") || url.starts_with("smtps://") => {
                Some(url.trim().to_string())
            }
            Some(_) => return Err(bad("FARO_SMTP_URL", "must start with smtp:// or smtps://")),
            None => None,
        };
        let address = self
            .mail_from
            .rsplit_once('<')
            .map(|(_, a)| a.trim_end_matches('>'))
            .unwrap_or(&self.mail_from);
        let plausible = address.trim().split_once('@').is_some_and(|(l, d)| {
            !l.is_empty() && !d.is_empty() && !address.trim().contains(char::is_whitespace)
        });
        if !plausible {
            return Err(bad(
                "FARO_MAIL_FROM",
                format!("{:?} is not an e-mail address", self.mail_from),
            ));
        }
        let nonempty =
            |v: Option<String>| v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        let (bucket, endpoint, region) = (
            nonempty(self.s3_bucket),
            nonempty(self.s3_endpoint),
            nonempty(self.s3_region),
        );
        let files = match bucket {
            Some(bucket) => {
                if let Some(e) = &endpoint
                    && !(e.starts_with("https://") || e.starts_with("http://"))
                {
                    return Err(bad(
                        "FARO_S3_ENDPOINT",
                        format!("{e:?} must start with https:// or http://"),
                    ));
                }
                faro_files::FileStoreConfig::S3 {
                    bucket,
                    endpoint,
                    region,
                }
            }
            None if endpoint.is_some() || region.is_some() => {
                return Err(bad(
                    "FARO_S3_BUCKET",
                    "is needed when FARO_S3_ENDPOINT or FARO_S3_REGION is set",
                ));
            }
            None => faro_files::FileStoreConfig::Local {
                root: self.data_dir.join("files"),
            },
        };
        if self.download_max_mb == 0 {
            return Err(bad("FARO_DOWNLOAD_MAX_MB", "must be at least 1"));
        }
        if self.attachment_max_mb == 0 {
            return Err(bad("FARO_ATTACHMENT_MAX_MB", "must be at least 1"));
        }
        if !(1..=365).contains(&self.auto_close_days) {
            return Err(bad("FARO_AUTO_CLOSE_DAYS", "must be between 1 and 365"));
        }
        let mut sla = faro_store::Sla::default();
        let (start, end) = faro_core::sla::parse_hours(&self.business_hours)
            .map_err(|e| bad("FARO_BUSINESS_HOURS", e))?;
        sla.hours.start = start;
        sla.hours.end = end;
        sla.hours.days = faro_core::sla::parse_days(&self.business_days)
            .map_err(|e| bad("FARO_BUSINESS_DAYS", e))?;
        let defaults = faro_core::sla::Targets::defaults(&sla.hours);
        sla.targets =
            faro_core::sla::parse_targets(&self.sla_targets, sla.hours.day_minutes(), defaults)
                .map_err(|e| bad("FARO_SLA_TARGETS", e))?;
        for day in self
            .holidays
            .split(',')
            .map(str::trim)
            .filter(|d| !d.is_empty())
        {
            let d = faro_core::format::parse_date(day).map_err(|_| {
                bad(
                    "FARO_HOLIDAYS",
                    format!("{day:?} is not a date (dd/mm/aaaa)"),
                )
            })?;
            sla.hours.holidays.push(d);
        }
        let jwt_keys = match self.jwt_keys.filter(|k| !k.trim().is_empty()) {
            Some(raw) => Some(parse_jwt_keys(&raw)?),
            None => None,
        };
        if !(1..=15).contains(&self.access_token_minutes) {
            return Err(bad("FARO_ACCESS_TOKEN_MINUTES", "must be between 1 and 15"));
        }
        let mut cors_origins = Vec::new();
        for origin in self
            .cors_origins
            .split(',')
            .map(|o| o.trim().trim_end_matches('/'))
            .filter(|o| !o.is_empty())
        {
            let host = origin
                .strip_prefix("https://")
                .or_else(|| origin.strip_prefix("http://"));
            if host.is_none_or(|h| h.is_empty() || h.contains(['/', ' ', '*'])) {
                return Err(bad(
                    "FARO_CORS_ORIGINS",
                    format!("{origin:?} is not an origin such as https://intranet.example.es"),
                ));
            }
            cors_origins.push(origin.to_owned());
        }
        let meilisearch = match nonempty(self.meilisearch_url) {
            Some(url) => {
                let url = url.trim_end_matches('/').to_owned();
                let host = url
                    .strip_prefix("https://")
                    .or_else(|| url.strip_prefix("http://"));
                if host.is_none_or(|h| h.is_empty() || h.contains(char::is_whitespace)) {
                    return Err(bad(
                        "FARO_MEILISEARCH_URL",
                        format!("{url:?} is not an address such as http://127.0.0.1:7700"),
                    ));
                }
                let index = self.meilisearch_index.trim().to_owned();
                if index.is_empty()
                    || index.len() > 64
                    || !index
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                {
                    return Err(bad(
                        "FARO_MEILISEARCH_INDEX",
                        format!("{index:?}: 1 to 64 letters, digits, - or _"),
                    ));
                }
                Some(faro_search::MeiliConfig {
                    url,
                    key: nonempty(self.meilisearch_key),
                    index,
                })
            }
            None if nonempty(self.meilisearch_key).is_some() => {
                return Err(bad(
                    "FARO_MEILISEARCH_URL",
                    "is needed when FARO_MEILISEARCH_KEY is set",
                ));
            }
            None => None,
        };
        Ok(Settings {
            meilisearch,
            index_dir: self
                .index_dir
                .filter(|d| !d.as_os_str().is_empty())
                .unwrap_or_else(|| self.data_dir.join("index")),
            jwt_keys,
            access_token_ttl: std::time::Duration::from_secs(self.access_token_minutes * 60),
            cors_origins,
            web_dir: self.web_dir,
            files,
            download_max_bytes: self.download_max_mb.saturating_mul(1024 * 1024),
            attachment_max_bytes: self.attachment_max_mb.saturating_mul(1024 * 1024),
            sla,
            auto_close_days: self.auto_close_days,
            bind,
            data_dir: self.data_dir,
            database_url,
            base_url,
            smtp_url,
            mail_from: self.mail_from,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_settings() {
        let s = Config {
            jwt_keys: Some(format!("k2:{}, k1:{}", "a".repeat(32), "b".repeat(40))),
            cors_origins: "https://intranet.cliente.es/, http://localhost:3000".into(),
            ..Config::default()
        }
        .validate()
        .unwrap();
        let keys = s.jwt_keys.unwrap();
        assert_eq!(keys[0].0, "k2");
        assert_eq!(keys.len(), 2);
        assert_eq!(
            s.cors_origins,
            ["https://intranet.cliente.es", "http://localhost:3000"]
        );
        assert_eq!(s.access_token_ttl.as_secs(), 900);
        assert!(s.index_dir.ends_with("index"));
        for bad_keys in ["k1:short", "nocolon", &format!("k 1:{}", "a".repeat(32))] {
            let e = Config {
                jwt_keys: Some(bad_keys.into()),
                ..Config::default()
            }
            .validate()
            .unwrap_err();
            assert_eq!(e.setting, "FARO_JWT_KEYS", "{bad_keys}");
        }
        for origin in ["*", "intranet.es", "https://x.es/path"] {
            let e = Config {
                cors_origins: origin.into(),
                ..Config::default()
            }
            .validate()
            .unwrap_err();
            assert_eq!(e.setting, "FARO_CORS_ORIGINS", "{origin}");
        }
        let e = Config {
            access_token_minutes: 60,
            ..Config::default()
        }
        .validate()
        .unwrap_err();
        assert_eq!(e.setting, "FARO_ACCESS_TOKEN_MINUTES");
        assert!(s.meilisearch.is_none());
        let m = Config {
            meilisearch_url: Some("http://127.0.0.1:7700/".into()),
            meilisearch_key: Some("k".into()),
            ..Config::default()
        }
        .validate()
        .unwrap()
        .meilisearch
        .unwrap();
        assert_eq!(
            (m.url.as_str(), m.index.as_str()),
            ("http://127.0.0.1:7700", "faro")
        );
        for (config, setting) in [
            (
                Config {
                    meilisearch_url: Some("127.0.0.1:7700".into()),
                    ..Config::default()
                },
                "FARO_MEILISEARCH_URL",
            ),
            (
                Config {
                    meilisearch_key: Some("k".into()),
                    ..Config::default()
                },
                "FARO_MEILISEARCH_URL",
            ),
            (
                Config {
                    meilisearch_url: Some("http://m:7700".into()),
                    meilisearch_index: "faro index".into(),
                    ..Config::default()
                },
                "FARO_MEILISEARCH_INDEX",
            ),
        ] {
            assert_eq!(config.validate().unwrap_err().setting, setting);
        }
    }

    #[test]
    fn defaults_are_valid() {
        let s = Config::default().validate().unwrap();
        assert_eq!(s.bind.to_string(), "127.0.0.1:8080");
        assert!(s.database_url.starts_with("sqlite://"));
        assert!(s.database_url.contains("faro-data"));
        assert!(s.smtp_url.is_none());
        assert!(matches!(s.files, faro_files::FileStoreConfig::Local { .. }));
        assert_eq!(s.download_max_bytes, 10 * 1024 * 1024 * 1024);
    }

    #[test]
    fn sla_settings() {
        let s = Config {
            sla_targets: "alta=30m/2h".into(),
            business_hours: "09:00-14:00".into(),
            holidays: "06/01/2027, 2027-04-02".into(),
            ..Config::default()
        }
        .validate()
        .unwrap();
        assert_eq!(s.sla.targets.high.first_response, 30);
        assert_eq!(s.sla.hours.day_minutes(), 300);
        assert_eq!(s.sla.hours.holidays.len(), 2);
        for (c, setting) in [
            (
                Config {
                    sla_targets: "alta=pronto".into(),
                    ..Config::default()
                },
                "FARO_SLA_TARGETS",
            ),
            (
                Config {
                    business_days: "8".into(),
                    ..Config::default()
                },
                "FARO_BUSINESS_DAYS",
            ),
            (
                Config {
                    holidays: "31/02/2027".into(),
                    ..Config::default()
                },
                "FARO_HOLIDAYS",
            ),
        ] {
            assert_eq!(c.validate().unwrap_err().setting, setting);
        }
    }

    #[test]
    fn s3_needs_a_bucket() {
        let e = Config {
            s3_endpoint: Some("http://127.0.0.1:9000".into()),
            ..Config::default()
        }
        .validate()
        .unwrap_err();
        assert_eq!(e.setting, "FARO_S3_BUCKET");
        let s = Config {
            s3_bucket: Some("faro".into()),
            s3_endpoint: Some("http://127.0.0.1:9000".into()),
            ..Config::default()
        }
        .validate()
        .unwrap();
        assert!(matches!(s.files, faro_files::FileStoreConfig::S3 { .. }));
    }

    #[test]
    fn errors_name_the_setting() {
        let e = Config {
            bind: "localhost".into(),
            ..Config::default()
        }
        .validate()
        .unwrap_err();
        assert_eq!(e.setting, "FARO_BIND");
        let e = Config {
            database_url: Some("mysql://x".into()),
            ..Config::default()
        }
        .validate()
        .unwrap_err();
        assert_eq!(e.setting, "FARO_DATABASE_URL");
        let e = Config {
            base_url: Some("example.com".into()),
            ..Config::default()
        }
        .validate()
        .unwrap_err();
        assert_eq!(e.setting, "FARO_BASE_URL");
        let e = Config {
            smtp_url: Some("http://x".into()),
            ..Config::default()
        }
        .validate()
        .unwrap_err();
        assert_eq!(e.setting, "FARO_SMTP_URL");
        assert!(
            e.to_string()
                .starts_with("configuration error: FARO_SMTP_URL")
        );
    }
}
