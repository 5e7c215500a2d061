//! One audited action, as services build it (the repo writes it; every module records them).

use crate::audit::types::Outcome;
use crate::auth::server::{CurrentUser, RequestMeta};
use crate::ids::{ClientId, EmergencyAccessId, UserId};

/// One audited action. Build with [`AuditEvent::new`] and the chained setters, then [`record`] it in
/// the same transaction as the change it describes. Never put PHI in `detail`: use IDs.
#[derive(Debug, Clone)]
pub struct AuditEvent {
    pub actor: Option<UserId>,
    pub action: &'static str,
    pub entity_type: Option<&'static str>,
    pub entity_id: Option<String>,
    pub client_id: Option<ClientId>,
    pub outcome: Outcome,
    pub meta: RequestMeta,
    pub detail: serde_json::Value,
    /// Set when the read happened under emergency access: written into `detail` as
    /// `emergency_access` (so the hash chain covers it), whatever else `detail` says.
    pub emergency: Option<EmergencyAccessId>,
}

impl AuditEvent {
    pub fn new(action: &'static str, outcome: Outcome, meta: &RequestMeta) -> Self {
        AuditEvent {
            actor: None,
            action,
            entity_type: None,
            entity_id: None,
            client_id: None,
            outcome,
            meta: meta.clone(),
            detail: serde_json::Value::Object(Default::default()),
            emergency: None,
        }
    }

    pub fn actor(mut self, actor: UserId) -> Self {
        self.actor = Some(actor);
        self
    }

    pub fn by(self, user: &CurrentUser) -> Self {
        self.actor(user.id)
    }

    pub fn entity(mut self, entity_type: &'static str, id: impl ToString) -> Self {
        self.entity_type = Some(entity_type);
        self.entity_id = Some(id.to_string());
        self
    }

    pub fn client(mut self, client: ClientId) -> Self {
        self.client_id = Some(client);
        self
    }

    pub fn detail(mut self, detail: serde_json::Value) -> Self {
        self.detail = detail;
        self
    }

    /// Marks the event as done under this emergency access, if any.
    pub fn under(mut self, emergency: Option<EmergencyAccessId>) -> Self {
        self.emergency = emergency;
        self
    }
}
