//! Access tokens: HS256 JWTs with a `kid`, so signing keys can rotate. The key comes from
//! `FARO_JWT_KEYS`, or is generated into `<data>/jwt-keys` on first run. Only HS256 with one of
//! Faro's keys, Faro's issuer and audience, and an unexpired `exp` are accepted.

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

const ISSUER: &str = "faro";
const AUDIENCE: &str = "faro-api";

/// What an access token says. `ver` must equal the person's current token version.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub sub: Uuid,
    pub role: String,
    /// The membership of a client person.
    pub mid: Option<Uuid>,
    pub ver: i32,
    pub iat: i64,
    pub exp: i64,
    pub iss: String,
    pub aud: String,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    Expired,
    Invalid,
}

/// Verified tokens kept, so a token's signature and claims are checked once, not on each of its
/// requests; emptied when full.
const VERIFIED_CAPACITY: usize = 10_000;

pub struct JwtKeys {
    verified: std::sync::Mutex<HashMap<String, std::sync::Arc<Claims>>>,
    signing_kid: String,
    signing: EncodingKey,
    verifying: HashMap<String, DecodingKey>,
    validation: Validation,
    pub ttl: Duration,
}

impl std::fmt::Debug for JwtKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "JwtKeys(kid {}, {} verifying)",
            self.signing_kid,
            self.verifying.len()
        )
    }
}

/// The data folder's generated keys: one `id:secret` line each; the first signs.
fn generated(dir: &Path) -> anyhow::Result<Vec<(String, String)>> {
    let file = dir.join("jwt-keys");
    if let Ok(text) = std::fs::read_to_string(&file) {
        let keys: Vec<(String, String)> = text
            .lines()
            .filter_map(|l| l.trim().split_once(':'))
            .map(|(k, s)| (k.to_owned(), s.to_owned()))
            .collect();
        if !keys.is_empty() {
            return Ok(keys);
        }
    }
    let mut id = [0u8; 4];
    let mut secret = [0u8; 32];
    faro_core::secret::random_bytes(&mut id).map_err(anyhow::Error::msg)?;
    faro_core::secret::random_bytes(&mut secret).map_err(anyhow::Error::msg)?;
    let key = (
        format!("k{}", faro_core::secret::hex(&id)),
        faro_core::secret::hex(&secret),
    );
    std::fs::create_dir_all(dir).ok();
    write_private(&file, &format!("{}:{}\n", key.0, key.1))
        .with_context(|| format!("cannot write the signing key to {}", file.display()))?;
    tracing::info!(file = %file.display(), "generated the access-token signing key");
    Ok(vec![key])
}

fn write_private(file: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(file)?.write_all(text.as_bytes())
}

impl JwtKeys {
    /// The configured keys, or the data folder's (generated when missing).
    pub fn load(
        configured: Option<&[(String, String)]>,
        data_dir: &Path,
        ttl: Duration,
    ) -> anyhow::Result<Self> {
        let keys = match configured {
            Some(k) => k.to_vec(),
            None => generated(data_dir)?,
        };
        Self::new(&keys, ttl)
    }

    pub fn new(keys: &[(String, String)], ttl: Duration) -> anyhow::Result<Self> {
        let (kid, secret) = keys.first().context("no signing key")?;
        let mut verifying = HashMap::new();
        for (k, s) in keys {
            verifying.insert(k.clone(), DecodingKey::from_secret(s.as_bytes())?);
        }
        let mut validation = Validation::new(Algorithm::HS256);
        validation.algorithms = vec![Algorithm::HS256];
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iat", "sub", "iss", "aud"]);
        validation.leeway = 5;
        validation.validate_exp = true;
        Ok(Self {
            verified: Default::default(),
            signing_kid: kid.clone(),
            signing: EncodingKey::from_secret(secret.as_bytes())?,
            verifying,
            validation,
            ttl,
        })
    }

    /// A signed token for this person, and when it expires.
    pub fn issue(
        &self,
        sub: Uuid,
        role: &str,
        membership: Option<Uuid>,
        version: i32,
    ) -> anyhow::Result<(String, DateTime<Utc>)> {
        let now = Utc::now();
        let exp = now + chrono::Duration::from_std(self.ttl)?;
        let claims = Claims {
            sub,
            role: role.to_owned(),
            mid: membership,
            ver: version,
            iat: now.timestamp(),
            exp: exp.timestamp(),
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
        };
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some(self.signing_kid.clone());
        let token = jsonwebtoken::encode(&header, &claims, &self.signing)?;
        Ok((token, exp))
    }

    /// `claims` signed with the current key (for tokens other than access tokens, which
    /// carry their own audience).
    pub fn sign<T: Serialize>(&self, claims: &T) -> anyhow::Result<String> {
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some(self.signing_kid.clone());
        Ok(jsonwebtoken::encode(&header, claims, &self.signing)?)
    }

    /// The claims of a token signed by one of Faro's keys for `audience`, unexpired.
    pub fn open<T: serde::de::DeserializeOwned>(
        &self,
        token: &str,
        audience: &str,
    ) -> Result<T, Refusal> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| Refusal::Invalid)?;
        if header.alg != Algorithm::HS256 {
            return Err(Refusal::Invalid);
        }
        let key = header
            .kid
            .as_deref()
            .and_then(|k| self.verifying.get(k))
            .ok_or(Refusal::Invalid)?;
        let mut validation = self.validation.clone();
        validation.set_audience(&[audience]);
        validation.set_required_spec_claims(&["exp", "sub", "aud"]);
        validation.leeway = 0;
        match jsonwebtoken::decode::<T>(token, key, &validation) {
            Ok(data) => Ok(data.claims),
            Err(e) => match e.kind() {
                jsonwebtoken::errors::ErrorKind::ExpiredSignature => Err(Refusal::Expired),
                _ => Err(Refusal::Invalid),
            },
        }
    }

    /// The claims of a token Faro signed that has not expired.
    pub fn verify(&self, token: &str) -> Result<std::sync::Arc<Claims>, Refusal> {
        let now = Utc::now().timestamp();
        if let Ok(cache) = self.verified.lock()
            && let Some(c) = cache.get(token)
        {
            return if c.exp + (self.validation.leeway as i64) < now {
                Err(Refusal::Expired)
            } else {
                Ok(c.clone())
            };
        }
        let claims = std::sync::Arc::new(self.check(token)?);
        if let Ok(mut cache) = self.verified.lock() {
            if cache.len() >= VERIFIED_CAPACITY {
                cache.clear();
            }
            cache.insert(token.to_owned(), claims.clone());
        }
        Ok(claims)
    }

    fn check(&self, token: &str) -> Result<Claims, Refusal> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| Refusal::Invalid)?;
        if header.alg != Algorithm::HS256 {
            return Err(Refusal::Invalid);
        }
        let key = header
            .kid
            .as_deref()
            .and_then(|k| self.verifying.get(k))
            .ok_or(Refusal::Invalid)?;
        match jsonwebtoken::decode::<Claims>(token, key, &self.validation) {
            Ok(data) => Ok(data.claims),
            Err(e) => match e.kind() {
                jsonwebtoken::errors::ErrorKind::ExpiredSignature => Err(Refusal::Expired),
                _ => Err(Refusal::Invalid),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;

    fn keys() -> JwtKeys {
        JwtKeys::new(
            &[
                ("new".into(), "n".repeat(40)),
                ("old".into(), "o".repeat(40)),
            ],
            Duration::from_secs(900),
        )
        .unwrap()
    }

    #[test]
    fn issue_verify_and_refuse() {
        let k = keys();
        let id = Uuid::now_v7();
        let (t, exp) = k.issue(id, "member", None, 3).unwrap();
        assert!(exp > Utc::now());
        let c = k.verify(&t).unwrap();
        assert_eq!((c.sub, c.ver, c.role.as_str()), (id, 3, "member"));
        // A second time it comes from the verified tokens, the same.
        assert_eq!(k.verify(&t).unwrap().sub, id);

        // A token signed by the previous key still verifies while that key is listed.
        let old = JwtKeys::new(&[("old".into(), "o".repeat(40))], Duration::from_secs(60)).unwrap();
        let (t_old, _) = old.issue(id, "member", None, 3).unwrap();
        assert!(k.verify(&t_old).is_ok());
        let stranger =
            JwtKeys::new(&[("new".into(), "x".repeat(40))], Duration::from_secs(60)).unwrap();
        let (forged, _) = stranger.issue(id, "admin", None, 3).unwrap();
        assert_eq!(k.verify(&forged).unwrap_err(), Refusal::Invalid);

        // A changed claim breaks the signature.
        let parts: Vec<&str> = t.split('.').collect();
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let mut claims: serde_json::Value =
            serde_json::from_slice(&b64.decode(parts[1]).unwrap()).unwrap();
        claims["role"] = "admin".into();
        let tampered = format!(
            "{}.{}.{}",
            parts[0],
            b64.encode(serde_json::to_vec(&claims).unwrap()),
            parts[2]
        );
        assert_eq!(k.verify(&tampered).unwrap_err(), Refusal::Invalid);

        // alg=none.
        let none = format!(
            "{}.{}.",
            b64.encode(br#"{"alg":"none","typ":"JWT","kid":"new"}"#),
            parts[1]
        );
        assert_eq!(k.verify(&none).unwrap_err(), Refusal::Invalid);
        assert_eq!(k.verify("junk").unwrap_err(), Refusal::Invalid);
    }

    #[test]
    fn expired() {
        let k = keys();
        let now = Utc::now().timestamp();
        let claims = Claims {
            sub: Uuid::now_v7(),
            role: "member".into(),
            mid: None,
            ver: 0,
            iat: now - 1000,
            exp: now - 100,
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
        };
        let mut h = Header::new(Algorithm::HS256);
        h.kid = Some("new".into());
        let t = jsonwebtoken::encode(
            &h,
            &claims,
            &EncodingKey::from_secret("n".repeat(40).as_bytes()).unwrap(),
        )
        .unwrap();
        assert_eq!(k.verify(&t).unwrap_err(), Refusal::Expired);
    }

    #[test]
    fn generated_key_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let a = generated(dir.path()).unwrap();
        let b = generated(dir.path()).unwrap();
        assert_eq!(a, b);
        assert_eq!(a[0].1.len(), 64);
    }
}
