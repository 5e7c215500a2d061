//! Who may call each server function. The session middleware enforces this table before a server
//! function runs (failing closed for a function missing from it); the services enforce their own
//! rules again, including relationship rules the table cannot express.

use crate::auth::types::{Permission, Role};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in user, even one who still has to replace an initial password.
    Session,
    /// Any signed-in user who has chosen their own password.
    SignedIn,
    /// A signed-in user whose role has this permission.
    Requires(Permission),
}

use Permission::*;
use Policy::*;

/// Every server function's path and policy.
pub const ENDPOINT_POLICIES: &[(&str, Policy)] = &[
    ("/api/auth/login", Public),
    ("/api/auth/token", Public),
    ("/api/auth/me", Public),
    // the second step of a sign-in has no session yet: the service checks the sign-in's challenge
    ("/api/auth/mfa_verify", Public),
    ("/api/auth/mfa_begin", Public),
    ("/api/auth/mfa_confirm", Public),
    ("/api/auth/mfa_status", Session),
    ("/api/auth/step_up", SignedIn),
    ("/api/auth/mfa_disable", SignedIn),
    ("/api/auth/mfa_reset", Requires(ManageUsers)),
    ("/api/auth/mfa_policy", Requires(ManageUsers)),
    ("/api/auth/set_mfa_policy", Requires(ManageUsers)),
    ("/api/auth/logout", Session),
    ("/api/auth/session_status", Session),
    ("/api/auth/keep_alive", Session),
    ("/api/auth/change_password", Session),
    ("/api/auth/my_sessions", SignedIn),
    ("/api/auth/sign_out_everywhere", Session),
    ("/api/auth/list_users", Requires(ManageUsers)),
    ("/api/auth/create_user", Requires(ManageUsers)),
    ("/api/auth/change_role", Requires(ManageUsers)),
    ("/api/auth/set_user_active", Requires(ManageUsers)),
    ("/api/audit/list_events", Requires(ViewAudit)),
    ("/api/audit/client_access_report", Requires(ViewAudit)),
    // clinical roles see their caseload: the service scopes the rows
    ("/api/clients/icd10_search", SignedIn),
    ("/api/clients/contacts", SignedIn),
    // which categories a role reads and writes is decided in the service
    ("/api/clients/flags", SignedIn),
    ("/api/clients/add_flag", SignedIn),
    ("/api/clients/clear_flag", SignedIn),
    (
        "/api/clients/remove_contact",
        Requires(EditClientDemographics),
    ),
    ("/api/clients/add_contact", Requires(EditClientDemographics)),
    // clinical staff (caseload) and billers (codes only); the service applies the caseload
    ("/api/clients/diagnoses", Requires(ReadDiagnosisCodes)),
    ("/api/clients/add_diagnosis", Requires(EditClinical)),
    ("/api/clients/resolve_diagnosis", Requires(EditClinical)),
    ("/api/clients/search", SignedIn),
    ("/api/clients/chart", SignedIn),
    ("/api/clients/create", Requires(EditClientDemographics)),
    (
        "/api/clients/change_status",
        Requires(EditClientDemographics),
    ),
    ("/api/clients/clinician_options", Requires(ViewAllClients)),
    ("/api/clients/update", Requires(EditClientDemographics)),
    (
        "/api/clients/add_care_team",
        Requires(EditClientDemographics),
    ),
    (
        "/api/clients/remove_care_team",
        Requires(EditClientDemographics),
    ),
    ("/api/clients/merge", Requires(MergeClients)),
    // what the history shows depends on the role: the service filters it
    ("/api/clients/activity", SignedIn),
    // emergency access: clinical roles ask (the service and the database take clinicians and
    // supervisors only); administrators review
    (
        "/api/clients/start_emergency_access",
        Requires(EditClinical),
    ),
    ("/api/clients/my_emergency_access", Requires(EditClinical)),
    ("/api/clients/end_emergency_access", Requires(EditClinical)),
    ("/api/clients/list_emergency_access", Requires(ViewAudit)),
    (
        "/api/clients/count_unreviewed_emergency_access",
        Requires(ViewAudit),
    ),
    ("/api/clients/review_emergency_access", Requires(ViewAudit)),
    // every role that opens the chart reads its insurance; the service applies the caseload
    ("/api/clients/insurance", SignedIn),
    (
        "/api/clients/payer_options",
        Requires(EditClientDemographics),
    ),
    ("/api/clients/add_policy", Requires(EditClientDemographics)),
    ("/api/clients/end_policy", Requires(EditClientDemographics)),
    (
        "/api/clients/add_prior_auth",
        Requires(EditClientDemographics),
    ),
    ("/api/settings/overview", Requires(ManageSettings)),
    ("/api/settings/update_practice", Requires(ManageSettings)),
    (
        "/api/settings/update_billing_identity",
        Requires(ManageSettings),
    ),
    ("/api/settings/add_location", Requires(ManageSettings)),
    ("/api/settings/add_room", Requires(ManageSettings)),
    ("/api/settings/add_payer", Requires(ManageSettings)),
    ("/api/settings/set_payer_active", Requires(ManageSettings)),
    // names of offices, not PHI: anyone who picks a location
    ("/api/settings/location_options", SignedIn),
    // appointment types are not PHI: everyone who looks at a calendar needs them
    ("/api/scheduling/appointment_types", SignedIn),
    // details for the calendar's owner, their supervisor, front desk, admin, billers; "busy" for others
    ("/api/scheduling/week", SignedIn),
    ("/api/scheduling/day", SignedIn),
    ("/api/scheduling/month", SignedIn),
    ("/api/scheduling/book", Requires(ManageSchedule)),
    ("/api/scheduling/reschedule", Requires(ManageSchedule)),
    ("/api/scheduling/change_status", Requires(ManageSchedule)),
    // details for the owner, their supervisor, billers and the front desk: decided in the service
    ("/api/scheduling/appointment", SignedIn),
    ("/api/scheduling/feed_status", Requires(OwnCalendar)),
    ("/api/scheduling/feed_enable", Requires(OwnCalendar)),
    ("/api/scheduling/feed_revoke", Requires(OwnCalendar)),
    ("/api/scheduling/waitlist", Requires(ManageSchedule)),
    ("/api/scheduling/waitlist_add", Requires(ManageSchedule)),
    (
        "/api/scheduling/waitlist_withdraw",
        Requires(ManageSchedule),
    ),
    ("/api/scheduling/waitlist_matches", Requires(ManageSchedule)),
    ("/api/scheduling/offer_slot", Requires(ManageSchedule)),
    ("/api/scheduling/outbox_problems", Requires(ManageSettings)),
    // the directory is for everyone; a profile for its owner and admins (the service decides)
    ("/api/staff/directory", SignedIn),
    ("/api/staff/profile", SignedIn),
    ("/api/staff/license_alerts", SignedIn),
    ("/api/staff/update_profile", Requires(ManageStaff)),
    ("/api/staff/add_license", Requires(ManageStaff)),
    ("/api/staff/add_hours", Requires(ManageStaff)),
    ("/api/staff/remove_hours", Requires(ManageStaff)),
    ("/api/staff/supervisor_options", Requires(ManageStaff)),
    // notes: clinical staff write (caseload); who reads content or only metadata is the service's
    ("/api/documents/note_start", Requires(EditClinical)),
    ("/api/documents/note", SignedIn),
    ("/api/documents/note_history", SignedIn),
    ("/api/documents/note_save", Requires(EditClinical)),
    ("/api/documents/note_sign", Requires(EditClinical)),
    ("/api/documents/note_review", Requires(EditClinical)),
    ("/api/documents/addendum_add", Requires(EditClinical)),
    ("/api/documents/note_discard", Requires(EditClinical)),
    // metadata for admins and billers, caseload for clinical staff, nothing for the front desk
    ("/api/documents/client_notes", SignedIn),
    ("/api/documents/cosign_queue", Requires(EditClinical)),
    ("/api/documents/undocumented", Requires(EditClinical)),
    ("/api/documents/alerts", Requires(EditClinical)),
    ("/api/documents/alert_acknowledge", Requires(EditClinical)),
    ("/api/documents/measure_record", Requires(EditClinical)),
    ("/api/documents/measures", Requires(EditClinical)),
    // the author's own, whatever the role
    ("/api/documents/process_note_write", Requires(EditClinical)),
    ("/api/documents/process_notes", Requires(EditClinical)),
    ("/api/billing/work_queue", Requires(ManageBilling)),
    ("/api/billing/create_charge", Requires(ManageBilling)),
    // the front desk collects copays: a client's charges and expected share, no claim files
    ("/api/billing/client_charges", Requires(BillClients)),
    ("/api/billing/set_self_pay", Requires(BillClients)),
    ("/api/billing/build_claims", Requires(ManageBilling)),
    ("/api/billing/claims", Requires(ManageBilling)),
    ("/api/billing/claim", Requires(ManageBilling)),
    ("/api/billing/change_claim_status", Requires(ManageBilling)),
    ("/api/billing/correct_claim", Requires(ManageBilling)),
    ("/api/billing/batches", Requires(ManageBilling)),
    ("/api/billing/create_batch", Requires(ManageBilling)),
    ("/api/billing/fee_schedule", Requires(ManageBilling)),
    ("/api/billing/add_service_code", Requires(ManageBilling)),
    ("/api/billing/set_code_fee", Requires(ManageBilling)),
    ("/api/billing/add_payer_fee", Requires(ManageBilling)),
    ("/api/billing/set_type_code", Requires(ManageBilling)),
    ("/api/billing/payments", Requires(ManageBilling)),
    ("/api/billing/import_era", Requires(ManageBilling)),
    ("/api/billing/import_ack", Requires(ManageBilling)),
    ("/api/billing/upload_refusal", Requires(ManageBilling)),
    ("/api/billing/set_payer_rules", Requires(ManageBilling)),
    ("/api/billing/own_sessions", Requires(OwnCalendar)),
    ("/api/billing/era", Requires(ManageBilling)),
    ("/api/billing/resolve_unmatched", Requires(ManageBilling)),
    ("/api/billing/ledger", Requires(BillClients)),
    ("/api/billing/take_payment", Requires(BillClients)),
    ("/api/billing/apply_credit", Requires(BillClients)),
    ("/api/billing/allocate", Requires(ManageBilling)),
    ("/api/billing/refund", Requires(ManageBilling)),
    ("/api/billing/write_off", Requires(ManageBilling)),
    ("/api/billing/transfer_to_client", Requires(ManageBilling)),
    ("/api/billing/receivables", Requires(ManageBilling)),
];

pub fn policy_for(path: &str) -> Option<Policy> {
    ENDPOINT_POLICIES
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, policy)| *policy)
}

/// What the policy says of a caller: `Ok` or the status-bearing refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow,
    Unauthenticated,
    Forbidden,
    /// Signed in with an initial password: only `Session` endpoints until it is replaced.
    PasswordChangeRequired,
}

pub fn decide(policy: Policy, caller: Option<(Role, bool)>) -> Decision {
    match (policy, caller) {
        (Public, _) => Decision::Allow,
        (_, None) => Decision::Unauthenticated,
        (Session, Some(_)) => Decision::Allow,
        (_, Some((_, true))) => Decision::PasswordChangeRequired,
        (SignedIn, Some(_)) => Decision::Allow,
        (Requires(p), Some((role, _))) if role.can(p) => Decision::Allow,
        (Requires(_), Some(_)) => Decision::Forbidden,
    }
}
