//! `--demo`: a Spanish operator with two client memberships and one account per role. The
//! passwords are printed and public: never load the demo into a production database.

use faro_core::records::Actor;
use faro_core::{ContractState, Email, MembershipName, NewPassword, Role, TaxId, Viewer};
use faro_store::{NewMembership, NewStaff, Store};

pub const OPERATOR: &str = "Servicios Informáticos Faro S.L.";
const LOADED_KEY: &str = "demo_loaded";

pub struct DemoAccount {
    pub role: Role,
    pub email: &'static str,
    pub name: &'static str,
    pub password: &'static str,
    /// Index into `MEMBERSHIPS` for client people.
    pub membership: Option<usize>,
}

pub struct DemoMembership {
    pub name: &'static str,
    pub tax_id: &'static str,
    pub coordinator_email: &'static str,
    pub contract: ContractState,
}

pub const MEMBERSHIPS: [DemoMembership; 2] = [
    DemoMembership {
        name: "Industrias Ejemplo S.A.",
        tax_id: "A28123456",
        coordinator_email: "lucia.martin@industrias-ejemplo.es",
        contract: ContractState::Contract,
    },
    DemoMembership {
        name: "Talleres Demo S.L.",
        tax_id: "B46987654",
        coordinator_email: "jorge.navarro@talleres-demo.es",
        contract: ContractState::Subscription,
    },
];

pub const ACCOUNTS: [DemoAccount; 7] = [
    DemoAccount {
        role: Role::Admin,
        email: "admin@faro.demo",
        name: "Elena Ruiz",
        password: "faro-demo-admin",
        membership: None,
    },
    DemoAccount {
        role: Role::Agent,
        email: "soporte@faro.demo",
        name: "Pablo Ortega",
        password: "faro-demo-agente",
        membership: None,
    },
    DemoAccount {
        role: Role::Coordinator,
        email: "lucia.martin@industrias-ejemplo.es",
        name: "Lucía Martín",
        password: "faro-demo-coordina",
        membership: Some(0),
    },
    DemoAccount {
        role: Role::Member,
        email: "ana.garcia@industrias-ejemplo.es",
        name: "Ana García",
        password: "faro-demo-miembro",
        membership: Some(0),
    },
    DemoAccount {
        role: Role::Member,
        email: "carlos.lopez@industrias-ejemplo.es",
        name: "Carlos López",
        password: "faro-demo-miembro",
        membership: Some(0),
    },
    DemoAccount {
        role: Role::Coordinator,
        email: "jorge.navarro@talleres-demo.es",
        name: "Jorge Navarro",
        password: "faro-demo-coordina",
        membership: Some(1),
    },
    DemoAccount {
        role: Role::Member,
        email: "marta.sanz@talleres-demo.es",
        name: "Marta Sanz",
        password: "faro-demo-miembro",
        membership: Some(1),
    },
];

fn hash(password: &str) -> anyhow::Result<faro_core::PasswordHash> {
    let p = NewPassword::parse(password, password, &[])
        .map_err(|e| anyhow::anyhow!("demo password: {e}"))?;
    p.hash().map_err(|e| anyhow::anyhow!(e))
}

/// Loads the demo once; later starts with `--demo` find it in place.
pub async fn load(store: &Store, files: &faro_files::FileStore) -> anyhow::Result<()> {
    if store.setting(LOADED_KEY).await?.is_some() {
        return Ok(());
    }
    let system = Viewer::system();
    let actor = Actor {
        email: Some("demo".into()),
        ..Actor::default()
    };
    store
        .set_setting(crate::runtime::OPERATOR_NAME, OPERATOR)
        .await?;
    let mut ids = Vec::new();
    for m in &MEMBERSHIPS {
        let created = store
            .create_membership(
                &system,
                &actor,
                NewMembership {
                    name: MembershipName::parse(m.name)?,
                    tax_id: TaxId::parse_optional(m.tax_id)?,
                    coordinator_email: Some(Email::parse(m.coordinator_email)?),
                    contract_state: m.contract,
                    code_expires_at: None,
                },
            )
            .await?;
        // Activation would e-mail the coordinator; the demo coordinators already have accounts.
        store
            .activate_membership_quietly(&system, &actor, created.id)
            .await?;
        ids.push(created.id);
    }
    let mut people = Vec::new();
    for a in &ACCOUNTS {
        let email = Email::parse(a.email)?;
        let password = hash(a.password)?;
        match a.membership {
            None => {
                let new = NewStaff {
                    email,
                    name: a.name.into(),
                    role: a.role,
                    language: faro_core::Lang::Es,
                    password: Some(password),
                };
                people.push(store.create_staff(&system, &actor, new, None).await?);
            }
            Some(i) => {
                let id = *ids
                    .get(i)
                    .ok_or_else(|| anyhow::anyhow!("demo membership {i}"))?;
                people.push(
                    store
                        .create_client_person(id, &email, a.name, a.role, &password)
                        .await?,
                );
            }
        }
    }
    crate::demo_kb::load(store, &ids).await?;
    crate::demo_downloads::load(store, files, &ids, &people).await?;
    crate::demo_incidents::load(store, &people).await?;
    store.set_setting(LOADED_KEY, "1").await?;
    Ok(())
}

/// The lines `--demo` prints: one per account, exactly `demo: <role> <email> <password>`.
pub fn account_lines() -> Vec<String> {
    ACCOUNTS
        .iter()
        .map(|a| format!("demo: {} {} {}", a.role, a.email, a.password))
        .collect()
}
