//! Incidents on these pages: only the home page's list of open ones (the rest is the SPA's).

use faro_core::incidents::Incident;

use super::Page;

impl Page<'_> {
    pub fn priority(&self, i: &Incident) -> &'static str {
        self.t.priority(i.priority)
    }
    pub fn incident_state(&self, i: &Incident) -> &'static str {
        self.t.incident_state(i.state)
    }
}
