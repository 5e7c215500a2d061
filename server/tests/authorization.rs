//! Who may call every server function, over real HTTP on a real PostgreSQL.
//!
//! `EXPECTED` is written out by hand from the product's rules (README.md, docs/api.md); it is not
//! derived from the gate's policy table or from the role permissions, so a wrong entry in either
//! fails here. A server function missing from it fails too. The second half calls functions with
//! well-formed arguments that point at records outside the caller's reach, so the services' own
//! relationship checks are proved (and their denied audit rows), not only the gate.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test that cannot go on fails here

mod common;

use app::auth::types::Role::{self, *};
use common::*;
use http::StatusCode;
use serde_json::Value;
use sqlx::PgPool;
use std::collections::BTreeSet;

/// Who gets past the gate.
#[derive(Debug, Clone, Copy)]
enum Access {
    /// Anyone, signed in or not.
    Public,
    /// Any session, including one whose initial password must still be replaced.
    AnySession,
    /// Anyone signed in with a password of their own.
    AnySignedIn,
    /// Signed in with a password of their own, in one of these roles.
    Roles(&'static [Role]),
}
use Access::*;

const ADMIN: Access = Roles(&[Admin]);
/// "Admin and front desk create and edit" clients, insurance and the schedule.
const DESK: Access = Roles(&[Admin, FrontDesk]);
/// Clinical staff: clinicians, interns and supervisors.
const CLINICAL: Access = Roles(&[Clinician, Intern, Supervisor]);
/// Billers and admins.
const BILLING: Access = Roles(&[Admin, Biller]);

const EXPECTED: &[(&str, Access)] = &[
    // auth: signing in is public; a session (even one that must change its password) signs out,
    // keeps alive and changes the password; accounts are the admin's
    ("auth/login", Public),
    ("auth/token", Public),
    ("auth/me", Public),
    ("auth/logout", AnySession),
    ("auth/session_status", AnySession),
    ("auth/keep_alive", AnySession),
    ("auth/change_password", AnySession),
    ("auth/sign_out_everywhere", AnySession),
    ("auth/my_sessions", AnySignedIn),
    ("auth/list_users", ADMIN),
    ("auth/create_user", ADMIN),
    ("auth/change_role", ADMIN),
    ("auth/set_user_active", ADMIN),
    // two-step sign-in: the code step and enrolment come before a session exists (a sign-in
    // cookie stands in for it); one's own status on any session, turning it off needs a password
    // of one's own; resetting someone's and the practice's policy are the admin's
    ("auth/mfa_verify", Public),
    ("auth/mfa_begin", Public),
    ("auth/mfa_confirm", Public),
    ("auth/mfa_status", AnySession),
    ("auth/step_up", AnySignedIn),
    ("auth/mfa_disable", AnySignedIn),
    ("auth/mfa_reset", ADMIN),
    ("auth/mfa_policy", ADMIN),
    ("auth/set_mfa_policy", ADMIN),
    // the audit log is the admin's
    ("audit/list_events", ADMIN),
    ("audit/client_access_report", ADMIN),
    // clients: everyone searches and opens charts within their scope (the service applies it);
    // admin and front desk create and edit; diagnoses are clinical, billers read the codes
    ("clients/search", AnySignedIn),
    ("clients/chart", AnySignedIn),
    ("clients/create", DESK),
    ("clients/update", DESK),
    ("clients/change_status", DESK),
    (
        "clients/clinician_options",
        Roles(&[Admin, FrontDesk, Biller]),
    ),
    ("clients/icd10_search", AnySignedIn),
    (
        "clients/diagnoses",
        Roles(&[Clinician, Intern, Supervisor, Biller]),
    ),
    ("clients/add_diagnosis", CLINICAL),
    ("clients/resolve_diagnosis", CLINICAL),
    ("clients/contacts", AnySignedIn),
    ("clients/add_contact", DESK),
    ("clients/remove_contact", DESK),
    ("clients/flags", AnySignedIn),
    ("clients/add_flag", AnySignedIn),
    ("clients/clear_flag", AnySignedIn),
    ("clients/insurance", AnySignedIn),
    ("clients/payer_options", DESK),
    ("clients/add_policy", DESK),
    ("clients/end_policy", DESK),
    ("clients/add_prior_auth", DESK),
    ("clients/add_care_team", DESK),
    ("clients/remove_care_team", DESK),
    ("clients/merge", ADMIN),
    ("clients/activity", AnySignedIn),
    // emergency access: clinicians and supervisors break the glass (interns pass the gate with
    // the other clinical roles; the service refuses them), administrators review
    ("clients/start_emergency_access", CLINICAL),
    ("clients/my_emergency_access", CLINICAL),
    ("clients/end_emergency_access", CLINICAL),
    ("clients/list_emergency_access", ADMIN),
    ("clients/count_unreviewed_emergency_access", ADMIN),
    ("clients/review_emergency_access", ADMIN),
    // practice settings are the admin's; office names are for everyone who picks one
    ("settings/overview", ADMIN),
    ("settings/update_practice", ADMIN),
    ("settings/update_billing_identity", ADMIN),
    ("settings/add_location", ADMIN),
    ("settings/add_room", ADMIN),
    ("settings/add_payer", ADMIN),
    ("settings/set_payer_active", ADMIN),
    ("settings/location_options", AnySignedIn),
    // staff: the directory is everyone's, a profile its owner's and the admin's (the service)
    ("staff/directory", AnySignedIn),
    ("staff/profile", AnySignedIn),
    ("staff/license_alerts", AnySignedIn),
    ("staff/update_profile", ADMIN),
    ("staff/add_license", ADMIN),
    ("staff/add_hours", ADMIN),
    ("staff/remove_hours", ADMIN),
    ("staff/supervisor_options", ADMIN),
    // scheduling: everyone looks at calendars (details decided in the service); admin and front
    // desk book and run the waitlist; a calendar feed is a clinician's own; outbox problems admin
    ("scheduling/appointment_types", AnySignedIn),
    ("scheduling/week", AnySignedIn),
    ("scheduling/day", AnySignedIn),
    ("scheduling/month", AnySignedIn),
    ("scheduling/appointment", AnySignedIn),
    ("scheduling/book", DESK),
    ("scheduling/reschedule", DESK),
    ("scheduling/change_status", DESK),
    ("scheduling/waitlist", DESK),
    ("scheduling/waitlist_add", DESK),
    ("scheduling/waitlist_withdraw", DESK),
    ("scheduling/waitlist_matches", DESK),
    ("scheduling/offer_slot", DESK),
    ("scheduling/outbox_problems", ADMIN),
    ("scheduling/feed_status", CLINICAL),
    ("scheduling/feed_enable", CLINICAL),
    ("scheduling/feed_revoke", CLINICAL),
    // documents: clinical staff write; who reads content or only metadata is the service's
    ("documents/note_start", CLINICAL),
    ("documents/note", AnySignedIn),
    ("documents/note_history", AnySignedIn),
    ("documents/note_save", CLINICAL),
    ("documents/note_sign", CLINICAL),
    ("documents/note_review", CLINICAL),
    ("documents/addendum_add", CLINICAL),
    ("documents/note_discard", CLINICAL),
    ("documents/client_notes", AnySignedIn),
    ("documents/cosign_queue", CLINICAL),
    ("documents/undocumented", CLINICAL),
    ("documents/alerts", CLINICAL),
    ("documents/alert_acknowledge", CLINICAL),
    ("documents/measure_record", CLINICAL),
    ("documents/measures", CLINICAL),
    ("documents/process_note_write", CLINICAL),
    ("documents/process_notes", CLINICAL),
    // billing is the billers' and admins'; the front desk sees a client's charges and expected
    // copay (and marks a client self-pay), never claims or files; clinical staff none of it
    ("billing/work_queue", BILLING),
    ("billing/create_charge", BILLING),
    ("billing/client_charges", Roles(&[Admin, FrontDesk, Biller])),
    ("billing/set_self_pay", Roles(&[Admin, FrontDesk, Biller])),
    ("billing/build_claims", BILLING),
    ("billing/claims", BILLING),
    ("billing/claim", BILLING),
    ("billing/change_claim_status", BILLING),
    ("billing/correct_claim", BILLING),
    ("billing/batches", BILLING),
    ("billing/create_batch", BILLING),
    ("billing/fee_schedule", BILLING),
    ("billing/add_service_code", BILLING),
    ("billing/set_code_fee", BILLING),
    ("billing/add_payer_fee", BILLING),
    ("billing/set_type_code", BILLING),
    // money in: remittances are the billers'; the front desk takes payments and sees balances
    ("billing/payments", BILLING),
    ("billing/import_era", BILLING),
    ("billing/import_ack", BILLING),
    ("billing/upload_refusal", BILLING),
    ("billing/set_payer_rules", BILLING),
    ("billing/own_sessions", CLINICAL),
    ("billing/era", BILLING),
    ("billing/resolve_unmatched", BILLING),
    ("billing/ledger", Roles(&[Admin, FrontDesk, Biller])),
    ("billing/take_payment", Roles(&[Admin, FrontDesk, Biller])),
    ("billing/apply_credit", Roles(&[Admin, FrontDesk, Biller])),
    ("billing/allocate", BILLING),
    ("billing/refund", BILLING),
    ("billing/write_off", BILLING),
    ("billing/transfer_to_client", BILLING),
    ("billing/receivables", BILLING),
];

/// These end the caller's sessions (all of them, for the second): they run last, each call with a
/// fresh sign-in.
const ENDS_THE_SESSION: &[&str] = &["auth/logout", "auth/sign_out_everywhere"];

#[test]
fn the_table_names_every_server_function_once() {
    let mut seen = BTreeSet::new();
    for (endpoint, _) in EXPECTED {
        assert!(seen.insert(format!("/api/{endpoint}")), "{endpoint} twice");
    }
    let registered: BTreeSet<String> = server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_owned())
        .collect();
    let missing: Vec<_> = registered.difference(&seen).collect();
    let stale: Vec<_> = seen.difference(&registered).collect();
    assert!(
        missing.is_empty(),
        "server functions without a row in EXPECTED: {missing:?}"
    );
    assert!(stale.is_empty(), "rows for no server function: {stale:?}");
}

/// A caller: nobody, or a role, with or without a password still to replace.
#[derive(Debug, Clone, Copy)]
enum Caller {
    Anonymous,
    Staff(Role),
    MustChangePassword,
}

/// The gate's refusal for this caller, worked out from the table alone.
fn refusal(access: Access, caller: Caller) -> Option<StatusCode> {
    match (access, caller) {
        (Public, _) => None,
        (_, Caller::Anonymous) => Some(StatusCode::UNAUTHORIZED),
        (AnySession, _) => None,
        (_, Caller::MustChangePassword) => Some(StatusCode::CONFLICT),
        (AnySignedIn, Caller::Staff(_)) => None,
        (Roles(allowed), Caller::Staff(role)) => {
            (!allowed.contains(&role)).then_some(StatusCode::FORBIDDEN)
        }
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn the_gate_lets_through_exactly_the_roles_the_table_names(pool: PgPool) {
    let app = router(pool.clone(), &[("LOGIN_RATE_LIMIT_PER_MINUTE", "1000")]);
    // (caller, email to sign in with, the session kept for the loop)
    let mut callers: Vec<(Caller, Option<String>, Option<String>)> =
        vec![(Caller::Anonymous, None, None)];
    for role in Role::ALL {
        let email = format!("{}@example.com", role.as_str());
        make_user(&pool, &email, role).await;
        let cookie = login(&app, &email).await;
        callers.push((Caller::Staff(role), Some(email), Some(cookie)));
    }
    make_user(&pool, "newcomer@example.com", Clinician).await;
    sqlx::query(
        "UPDATE users SET must_change_password = true WHERE email = 'newcomer@example.com'",
    )
    .execute(&pool)
    .await
    .unwrap();
    let newcomer = login(&app, "newcomer@example.com").await;
    callers.push((
        Caller::MustChangePassword,
        Some("newcomer@example.com".into()),
        Some(newcomer),
    ));

    let (last, first): (Vec<_>, Vec<_>) = EXPECTED
        .iter()
        .partition(|(endpoint, _)| ENDS_THE_SESSION.contains(endpoint));
    let mut checked = 0;
    for &(endpoint, access) in first.into_iter().chain(last) {
        let path = format!("/api/{endpoint}");
        for (caller, email, kept) in &callers {
            let cookie = match email {
                Some(email) if ENDS_THE_SESSION.contains(&endpoint) => {
                    Some(login(&app, email).await)
                }
                _ => kept.clone(),
            };
            // an empty body: past the gate, a function without arguments answers 200 and one with
            // arguments 422 (missing field); the gate answers 401, 403 or 409 before either
            let reply = send(&app, post(&path, "", cookie.as_deref())).await;
            match refusal(access, *caller) {
                Some(status) => assert_eq!(reply.status, status, "{endpoint} as {caller:?}"),
                None => assert!(
                    matches!(reply.status.as_u16(), 200 | 422),
                    "{endpoint} as {caller:?}: {} {}",
                    reply.status,
                    reply.json
                ),
            }
            checked += 1;
        }
    }
    assert_eq!(checked, EXPECTED.len() * callers.len());
}

/// Ann and Bo are clinicians; Xena is Bo's client, with a draft note by Bo. Ann passes the gate
/// everywhere below but has no part in Xena's care.
struct OutOfReach {
    app: axum::Router,
    pool: PgPool,
    ann: String,
    ann_id: String,
    bo: String,
    desk: String,
    biller: String,
    xena: String,
    note: String,
}

async fn user_id(pool: &PgPool, email: &str) -> String {
    sqlx::query_scalar::<_, uuid::Uuid>("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(pool)
        .await
        .unwrap()
        .to_string()
}

fn ok_json(reply: &Reply, what: &str) -> Value {
    assert_eq!(reply.status, StatusCode::OK, "{what}: {}", reply.json);
    reply.json.clone()
}

async fn out_of_reach(pool: PgPool) -> OutOfReach {
    let app = router(pool.clone(), &[("LOGIN_RATE_LIMIT_PER_MINUTE", "1000")]);
    for (email, role) in [
        ("ann@example.com", Clinician),
        ("bo@example.com", Clinician),
        ("desk@example.com", FrontDesk),
        ("biller@example.com", Biller),
    ] {
        make_user(&pool, email, role).await;
    }
    let (ann, bo) = (
        login(&app, "ann@example.com").await,
        login(&app, "bo@example.com").await,
    );
    let (desk, biller) = (
        login(&app, "desk@example.com").await,
        login(&app, "biller@example.com").await,
    );
    let bo_id = user_id(&pool, "bo@example.com").await;
    let created = send(
        &app,
        post(
            "/api/clients/create",
            &format!(
                "client[legal_first_name]=Xena&client[legal_last_name]=Park\
                 &client[date_of_birth]=04%2F23%2F1990&client[primary_clinician_id]={bo_id}"
            ),
            Some(&desk),
        ),
    )
    .await;
    let xena = ok_json(&created, "create Xena")
        .as_str()
        .unwrap()
        .to_owned();
    let started = send(
        &app,
        post(
            "/api/documents/note_start",
            &format!("client_id={xena}&kind=contact"),
            Some(&bo),
        ),
    )
    .await;
    let note = ok_json(&started, "Bo starts a note")
        .as_str()
        .unwrap()
        .to_owned();
    OutOfReach {
        ann_id: user_id(&pool, "ann@example.com").await,
        app,
        pool,
        ann,
        bo,
        desk,
        biller,
        xena,
        note,
    }
}

/// How many times `action` was refused to `email` and recorded so.
async fn denied(pool: &PgPool, action: &str, email: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT count(*) FROM audit_events e JOIN users u ON u.id = e.actor_id
          WHERE e.action = $1 AND e.outcome = 'denied' AND u.email = $2",
    )
    .bind(action)
    .bind(email)
    .fetch_one(pool)
    .await
    .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn records_outside_the_callers_reach_are_refused_by_the_services_and_audited(pool: PgPool) {
    let w = out_of_reach(pool).await;
    let (x, n) = (w.xena.clone(), w.note.clone());
    // (endpoint, body, expected status, audit action of the denied row)
    let cases: Vec<(&str, String, StatusCode, &str)> = vec![
        (
            "clients/chart",
            format!("id={x}"),
            StatusCode::NOT_FOUND,
            "clients.view",
        ),
        (
            "clients/contacts",
            format!("client_id={x}"),
            StatusCode::NOT_FOUND,
            "clients.contacts_view",
        ),
        (
            "clients/flags",
            format!("client_id={x}"),
            StatusCode::NOT_FOUND,
            "clients.flags_view",
        ),
        (
            "clients/diagnoses",
            format!("client_id={x}"),
            StatusCode::NOT_FOUND,
            "clients.diagnoses_view",
        ),
        (
            "clients/insurance",
            format!("client_id={x}"),
            StatusCode::NOT_FOUND,
            "clients.insurance_view",
        ),
        (
            "clients/activity",
            format!("client_id={x}"),
            StatusCode::NOT_FOUND,
            "clients.activity_view",
        ),
        (
            "clients/add_diagnosis",
            format!("client_id={x}&code=F41.1&kind=primary&onset_on="),
            StatusCode::NOT_FOUND,
            "clients.diagnosis_add",
        ),
        (
            "clients/add_flag",
            format!("client_id={x}&category=clinical_risk&severity=warning&text=Check%20in"),
            StatusCode::NOT_FOUND,
            "clients.flag_add",
        ),
        (
            "documents/note",
            format!("id={n}"),
            StatusCode::FORBIDDEN,
            "documents.note_view",
        ),
        (
            "documents/note_history",
            format!("id={n}"),
            StatusCode::FORBIDDEN,
            "documents.note_history_view",
        ),
        (
            "documents/note_save",
            format!("id={n}&revision=1&content[summary]=Rewritten"),
            StatusCode::FORBIDDEN,
            "documents.note_save",
        ),
        (
            "documents/note_sign",
            format!("id={n}&password={PASSWORD}"),
            StatusCode::FORBIDDEN,
            "documents.note_sign",
        ),
        (
            "documents/note_review",
            format!("id={n}&decision=return&comment=Revise"),
            StatusCode::FORBIDDEN,
            "documents.note_return",
        ),
        (
            "documents/addendum_add",
            format!("id={n}&text=Late%20entry&password={PASSWORD}"),
            StatusCode::FORBIDDEN,
            "documents.addendum_add",
        ),
        (
            "documents/note_discard",
            format!("id={n}"),
            StatusCode::FORBIDDEN,
            "documents.note_discard",
        ),
        (
            "documents/note_start",
            format!("client_id={x}&kind=contact"),
            StatusCode::FORBIDDEN,
            "documents.note_create",
        ),
        (
            "documents/client_notes",
            format!("client_id={x}"),
            StatusCode::FORBIDDEN,
            "documents.notes_list",
        ),
        (
            "documents/measures",
            format!("client_id={x}"),
            StatusCode::FORBIDDEN,
            "documents.measures_view",
        ),
        (
            "documents/measure_record",
            format!(
                "measure[client_id]={x}&measure[instrument]=gad7\
                 &measure[answers]=0%2C0%2C0%2C0%2C0%2C0%2C0&measure[administered_on]=2020-01-15"
            ),
            StatusCode::FORBIDDEN,
            "documents.measure_record",
        ),
        (
            "documents/process_note_write",
            format!("client_id={x}&text=Private%20reflection"),
            StatusCode::FORBIDDEN,
            "documents.process_note_write",
        ),
    ];
    for (endpoint, body, status, action) in &cases {
        let reply = send(
            &w.app,
            post(&format!("/api/{endpoint}"), body, Some(&w.ann)),
        )
        .await;
        assert_eq!(reply.status, *status, "{endpoint}: {}", reply.json);
        assert_eq!(
            denied(&w.pool, action, "ann@example.com").await,
            1,
            "{endpoint} records its refusal as {action}"
        );
    }
    // nothing Ann tried was written
    let written: i64 = sqlx::query_scalar(
        "SELECT (SELECT count(*) FROM client_diagnoses) + (SELECT count(*) FROM client_flags)
              + (SELECT count(*) FROM measure_results) + (SELECT count(*) FROM psychotherapy_notes)
              + (SELECT count(*) FROM clinical_notes WHERE author_id <> (SELECT id FROM users WHERE email = 'bo@example.com'))",
    )
    .fetch_one(&w.pool)
    .await
    .unwrap();
    assert_eq!(written, 0);

    // a profile is its owner's and the admin's
    let bo_id = user_id(&w.pool, "bo@example.com").await;
    let reply = send(
        &w.app,
        post(
            "/api/staff/profile",
            &format!("user_id={bo_id}"),
            Some(&w.ann),
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(
        denied(&w.pool, "staff.profile_view", "ann@example.com").await,
        1
    );
    let own = send(
        &w.app,
        post(
            "/api/staff/profile",
            &format!("user_id={}", w.ann_id),
            Some(&w.ann),
        ),
    )
    .await;
    assert_eq!(own.status, StatusCode::OK, "{}", own.json);

    // the records exist and are within reach of Bo: the refusals above are about Ann
    for (endpoint, body) in [
        ("clients/chart", format!("id={x}")),
        ("documents/note", format!("id={n}")),
        ("documents/client_notes", format!("client_id={x}")),
    ] {
        let reply = send(
            &w.app,
            post(&format!("/api/{endpoint}"), &body, Some(&w.bo)),
        )
        .await;
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "{endpoint} as Bo: {}",
            reply.json
        );
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn roles_that_see_every_client_still_see_no_note_content(pool: PgPool) {
    let w = out_of_reach(pool).await;
    let n = w.note.clone();
    for (cookie, email) in [
        (&w.desk, "desk@example.com"),
        (&w.biller, "biller@example.com"),
    ] {
        let chart = send(
            &w.app,
            post(
                "/api/clients/chart",
                &format!("id={}", w.xena),
                Some(cookie),
            ),
        )
        .await;
        assert_eq!(chart.status, StatusCode::OK, "{email} opens the chart");
        let note = send(
            &w.app,
            post("/api/documents/note", &format!("id={n}"), Some(cookie)),
        )
        .await;
        assert_eq!(note.status, StatusCode::FORBIDDEN, "{email} reads the note");
        assert_eq!(denied(&w.pool, "documents.note_view", email).await, 1);
    }
    // the front desk is refused even the list of notes; the biller sees it without Bo's draft
    let desk_list = send(
        &w.app,
        post(
            "/api/documents/client_notes",
            &format!("client_id={}", w.xena),
            Some(&w.desk),
        ),
    )
    .await;
    assert_eq!(desk_list.status, StatusCode::FORBIDDEN);
    let biller_list = send(
        &w.app,
        post(
            "/api/documents/client_notes",
            &format!("client_id={}", w.xena),
            Some(&w.biller),
        ),
    )
    .await;
    assert_eq!(
        ok_json(&biller_list, "biller lists notes"),
        Value::Array(Vec::new())
    );
}
