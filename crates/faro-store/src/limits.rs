//! How often people may do things that send e-mail to a typed address or guess passwords:
//! counted in the database, so every node (and both the API and the portal pages) agree.

use chrono::TimeDelta;

use crate::Limit;

/// Failed sign-ins for one account or from one address within the window before tries wait.
pub const LOGIN_MAX_FAILURES: u64 = 5;
pub const LOGIN_WINDOW_MINUTES: i64 = 15;

pub const RESET_PER_EMAIL: Limit = Limit {
    kind: "reset_email",
    max: 3,
    window: TimeDelta::hours(1),
};
pub const RESET_PER_ADDRESS: Limit = Limit {
    kind: "reset_ip",
    max: 20,
    window: TimeDelta::hours(1),
};
pub const JOIN_PER_EMAIL: Limit = Limit {
    kind: "join_email",
    max: 3,
    window: TimeDelta::hours(1),
};
pub const JOIN_PER_ADDRESS: Limit = Limit {
    kind: "join_ip",
    max: 20,
    window: TimeDelta::hours(1),
};
