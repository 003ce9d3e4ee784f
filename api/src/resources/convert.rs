//! Domain records into API bodies (and API enums into domain ones).

use faro_core::records::{AuditEvent, Membership, MembershipSummary, Person};
use faro_core::{ContractState, Lang, Role};
use faro_store::Principal;
use faro_types::{accounts as a, memberships as m};

pub fn role(r: Role) -> a::Role {
    match r {
        Role::Admin => a::Role::Admin,
        Role::Agent => a::Role::Agent,
        Role::Coordinator => a::Role::Coordinator,
        Role::Member => a::Role::Member,
    }
}

pub fn role_in(r: a::Role) -> Role {
    match r {
        a::Role::Admin => Role::Admin,
        a::Role::Agent => Role::Agent,
        a::Role::Coordinator => Role::Coordinator,
        a::Role::Member => Role::Member,
    }
}

pub fn lang(l: Lang) -> a::Language {
    match l {
        Lang::Es => a::Language::Es,
        Lang::En => a::Language::En,
    }
}

pub fn lang_in(l: a::Language) -> Lang {
    match l {
        a::Language::Es => Lang::Es,
        a::Language::En => Lang::En,
    }
}

pub fn contract(c: ContractState) -> m::ContractState {
    match c {
        ContractState::Contract => m::ContractState::Contract,
        ContractState::Subscription => m::ContractState::Subscription,
        ContractState::Lapsed => m::ContractState::Lapsed,
    }
}

pub fn contract_in(c: m::ContractState) -> ContractState {
    match c {
        m::ContractState::Contract => ContractState::Contract,
        m::ContractState::Subscription => ContractState::Subscription,
        m::ContractState::Lapsed => ContractState::Lapsed,
    }
}

pub fn me(p: &Principal, via_api_key: Option<uuid::Uuid>) -> a::Me {
    let person = &p.person;
    a::Me {
        id: person.id,
        email: person.email.to_string(),
        name: person.name.clone(),
        role: role(person.role),
        language: lang(person.language),
        membership: person
            .membership_id
            .zip(p.membership_name.clone())
            .map(|(id, name)| a::MembershipRef { id, name }),
        created_at: person.created_at,
        last_sign_in_at: person.last_sign_in_at,
        via_api_key,
    }
}

pub fn person(p: Person) -> a::Person {
    a::Person {
        id: p.id,
        email: p.email.to_string(),
        name: p.name,
        role: role(p.role),
        language: lang(p.language),
        membership_id: p.membership_id,
        active: p.active,
        created_at: p.created_at,
        last_sign_in_at: p.last_sign_in_at,
    }
}

pub fn membership(x: Membership, people: Option<u64>) -> m::Membership {
    let usable = x.code_usable(chrono::Utc::now());
    m::Membership {
        id: x.id,
        name: x.name,
        tax_id: x.tax_id,
        coordinator_email: x.coordinator_email,
        contract_state: contract(x.contract_state),
        active: x.active,
        invitation_code: x.invitation_code.display(),
        code_expires_at: x.code_expires_at,
        code_usable: usable,
        people,
        created_at: x.created_at,
    }
}

pub fn summary(s: MembershipSummary) -> m::Membership {
    membership(s.membership, Some(s.people))
}

pub fn api_key(k: faro_core::access::ApiKey) -> faro_types::access::ApiKey {
    use faro_core::access::KeyScope;
    faro_types::access::ApiKey {
        id: k.id,
        name: k.name,
        prefix: k.prefix,
        scope: match k.scope {
            KeyScope::Read => faro_types::access::KeyScope::Read,
            KeyScope::ReadWrite => faro_types::access::KeyScope::ReadWrite,
        },
        service: k.service,
        owner_id: k.owner_id,
        owner_email: k.owner_email,
        created_at: k.created_at,
        expires_at: k.expires_at,
        last_used_at: k.last_used_at,
        last_used_ip: k.last_used_ip,
        revoked_at: k.revoked_at,
    }
}

pub fn audit_event(e: AuditEvent, l: Lang) -> faro_types::audit::AuditEvent {
    let label = faro_core::AuditAction::from_code(&e.action)
        .map(|a| a.label(l).to_owned())
        .unwrap_or_else(|| e.action.clone());
    faro_types::audit::AuditEvent {
        id: e.id,
        at: e.at,
        actor_email: e.actor_email,
        action: e.action,
        action_label: label,
        subject: e.subject,
        ip: e.ip,
        api_key_id: e.api_key_id,
    }
}
