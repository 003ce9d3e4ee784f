//! The signed-in person on whose behalf a request reads or writes data. Every store call that reads
//! client data takes a `Viewer`; the membership scope is applied inside the store.

use uuid::Uuid;

use crate::role::Role;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Viewer {
    pub user_id: Uuid,
    pub role: Role,
    /// The membership of a coordinator or member; `None` for staff.
    pub membership_id: Option<Uuid>,
}

/// Which memberships' data a viewer may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    AllMemberships,
    Membership(Uuid),
    /// A client person without a membership sees no client data at all.
    Nothing,
}

impl Viewer {
    /// The command line acting as an administrator (`faro membership create`, …).
    pub fn system() -> Self {
        Self {
            user_id: Uuid::nil(),
            role: Role::Admin,
            membership_id: None,
        }
    }

    pub fn is_staff(&self) -> bool {
        self.role.is_staff()
    }

    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    pub fn scope(&self) -> Scope {
        if self.is_staff() {
            Scope::AllMemberships
        } else {
            match self.membership_id {
                Some(id) => Scope::Membership(id),
                None => Scope::Nothing,
            }
        }
    }

    /// Whether data belonging to `membership_id` is visible to this viewer.
    pub fn can_see_membership(&self, membership_id: Uuid) -> bool {
        match self.scope() {
            Scope::AllMemberships => true,
            Scope::Membership(own) => own == membership_id,
            Scope::Nothing => false,
        }
    }

    /// Whether this viewer may manage the people of `membership_id` (staff, or its coordinator).
    pub fn can_manage_people_of(&self, membership_id: Uuid) -> bool {
        self.is_staff()
            || (self.role == Role::Coordinator && self.membership_id == Some(membership_id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_rules() {
        let a = Uuid::now_v7();
        let b = Uuid::now_v7();
        let member = Viewer {
            user_id: Uuid::now_v7(),
            role: Role::Member,
            membership_id: Some(a),
        };
        assert!(member.can_see_membership(a));
        assert!(!member.can_see_membership(b));
        assert!(!member.can_manage_people_of(a));
        let coord = Viewer {
            role: Role::Coordinator,
            ..member.clone()
        };
        assert!(coord.can_manage_people_of(a));
        assert!(!coord.can_manage_people_of(b));
        let agent = Viewer {
            user_id: Uuid::now_v7(),
            role: Role::Agent,
            membership_id: None,
        };
        assert!(agent.can_see_membership(b));
        let orphan = Viewer {
            membership_id: None,
            ..member
        };
        assert!(!orphan.can_see_membership(a));
    }
}
