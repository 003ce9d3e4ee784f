//! The reading fixture of the API benchmark: a membership, its member, and N published articles.

use faro_core::kb::{ArticleDraft, ArticleKind, ArticleState};
use faro_core::records::Actor;
use faro_core::{ContractState, Email, MembershipName, NewPassword, Role, Viewer};
use faro_store::{Author, NewMembership};

pub const PASSWORD: &str = "Banco-de-pruebas-2026";

/// The bench member's address (password `PASSWORD`).
pub const MEMBER: &str = "lectora@banco.es";

/// `PASSWORD` hashed as the store keeps it.
pub fn password_hash() -> anyhow::Result<faro_core::PasswordHash> {
    NewPassword::parse(PASSWORD, PASSWORD, &[])
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .hash()
        .map_err(|e| anyhow::anyhow!(e))
}

/// An active membership with one member, `MEMBER`; gives its id.
pub async fn member(store: &faro_store::Store) -> anyhow::Result<uuid::Uuid> {
    let system = Viewer::system();
    let actor = Actor::default();
    let m = store
        .create_membership(
            &system,
            &actor,
            NewMembership {
                name: MembershipName::parse("Banco de Pruebas S.A.")?,
                tax_id: None,
                coordinator_email: None,
                contract_state: ContractState::Contract,
                code_expires_at: None,
            },
        )
        .await?;
    store
        .activate_membership_quietly(&system, &actor, m.id)
        .await?;
    store
        .create_client_person(
            m.id,
            &Email::parse(MEMBER)?,
            "Lectora",
            Role::Member,
            &password_hash()?,
        )
        .await?;
    Ok(m.id)
}

/// Signs `email` in (password `password`) at the API under `base` (`…/api/v1`); its token.
pub async fn login(
    http: &reqwest::Client,
    base: &str,
    email: &str,
    password: &str,
) -> anyhow::Result<String> {
    let r: serde_json::Value = http
        .post(format!("{base}/auth/login"))
        .json(&serde_json::json!({"email": email, "password": password}))
        .send()
        .await?
        .json()
        .await?;
    r["access_token"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| anyhow::anyhow!("{email} could not sign in: {r}"))
}

/// A membership with a member (`MEMBER`) and `articles` published articles, half of them the
/// membership's and half global, with realistic Markdown. Returns the slug of the middle one.
pub async fn seed(store: &faro_store::Store, articles: usize) -> anyhow::Result<String> {
    let system = Viewer::system();
    let m_id = member(store).await?;
    println!("Writing {articles} articles through the store…");
    let author = Author {
        id: None,
        name: "Banco".into(),
    };
    let mut slug = String::new();
    for (i, d) in faro_search::synth::documents(articles, 7).enumerate() {
        let body = format!(
            "## Pasos\n\n1. {}\n2. Comprueba el resultado.\n\n| Campo | Valor |\n|---|---|\n| Equipo | PC-{i} |\n\n```\nping servidor\n```\n",
            d.body
        );
        let a = store
            .create_article(
                &system,
                &author,
                ArticleDraft {
                    title: format!("{} {i}", d.title),
                    summary: d.summary,
                    body,
                    kind: ArticleKind::parse(&d.kind).unwrap_or(ArticleKind::Faq),
                    state: ArticleState::Published,
                    category_id: None,
                    membership_id: if i % 2 == 0 { Some(m_id) } else { None },
                    tags: d.tags,
                    note: String::new(),
                },
            )
            .await?;
        if i == articles / 2 {
            slug = a.slug;
        }
    }
    Ok(slug)
}
