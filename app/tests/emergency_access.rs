//! Emergency access ("break the glass") and each client's access report, on a real PostgreSQL:
//! who may break the glass, what it opens (reading only, never psychotherapy notes, never a
//! release), expiry, the emergency mark on every read, the administrators' review, and a report
//! that lists exactly the accesses that happened.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test that cannot go on fails here

mod common;

use app::audit::server::access_report;
use app::auth::server::RequestMeta;
use app::auth::types::Role;
use app::clients::emergency::EmergencyAccessInput;
use app::clients::server::diagnoses::{self, DiagnosisInput};
use app::clients::server::{emergency, service as clients};
use app::documents::server::notes::Purpose;
use app::documents::server::{lists, measures, notes, process};
use app::error::AppError;
use app::ids::ClientId;
use common::documents::*;
use common::{meta, staff, today};
use sqlx::PgPool;

fn ask(client: &str, reason: &str, explanation: &str) -> EmergencyAccessInput {
    EmergencyAccessInput {
        client: client.into(),
        reason: reason.into(),
        explanation: explanation.into(),
    }
}

const WHY: &str = "Client called the crisis line; her clinician is on a flight.";

/// (action, actor email, outcome, under emergency) of every audit row naming the client, in order.
async fn trail(pool: &PgPool, client: ClientId) -> Vec<(String, String, String, bool)> {
    sqlx::query_as(
        "SELECT e.action, coalesce(u.email::text, ''), e.outcome, e.detail ? 'emergency_access'
           FROM audit_events e LEFT JOIN users u ON u.id = e.actor_id
          WHERE e.client_id = $1 ORDER BY e.id",
    )
    .bind(client)
    .fetch_all(pool)
    .await
    .unwrap()
}

fn row(action: &str, who: &str, outcome: &str, emergency: bool) -> (String, String, String, bool) {
    (action.into(), who.into(), outcome.into(), emergency)
}

#[sqlx::test(migrations = "../migrations")]
async fn a_clinician_breaks_the_glass_reads_the_chart_and_writes_nothing(pool: PgPool) {
    let d = desk(&pool).await;
    let note = start_progress(&pool, &d.keys, &d.casey, d.ann, d.appointment).await;
    write_and_sign(&pool, &d.keys, &d.casey, note, &full_soap()).await;
    process::write(
        &pool,
        &d.keys,
        &d.casey,
        &meta(),
        d.ann,
        "Casey's own process note.",
    )
    .await
    .unwrap();
    let olu = staff(&pool, "olu@example.com", Role::Clinician).await;

    // outside the caseload: not found, and refused
    assert_eq!(
        clients::chart(&pool, &olu, &meta(), d.ann)
            .await
            .unwrap_err(),
        AppError::NotFound
    );
    assert_eq!(
        notes::view(&pool, &d.keys, &olu, &meta(), note)
            .await
            .unwrap_err(),
        AppError::Forbidden
    );

    // every field checked at once; a chart number that names nobody is said in words
    let err = emergency::start(&pool, &olu, &meta(), &ask("C9999", "curiosity", "hm"))
        .await
        .unwrap_err();
    assert_eq!(
        err.field_messages("client").unwrap()[0],
        "No client has chart number C9999."
    );
    assert!(err.field_messages("reason").is_some());
    assert!(err.field_messages("explanation").unwrap()[0].contains("at least 10"));
    // one's own caseload needs no glass broken
    let own = emergency::start(
        &pool,
        &d.casey,
        &meta(),
        &ask(&d.ann.to_string(), "imminent_risk", WHY),
    )
    .await
    .unwrap_err();
    assert!(own.field_messages("client").unwrap()[0].contains("in your caseload"));

    let chart_number: String = sqlx::query_scalar("SELECT chart_number FROM clients WHERE id = $1")
        .bind(d.ann)
        .fetch_one(&pool)
        .await
        .unwrap();
    let grant = emergency::start(
        &pool,
        &olu,
        &meta(),
        &ask(
            &chart_number.to_lowercase(),
            "treating_clinician_unavailable",
            WHY,
        ),
    )
    .await
    .unwrap();
    assert_eq!(grant.client_id, d.ann);
    assert_eq!(grant.client_name, "Ann Carter");
    // the practice's default: an hour
    let minutes: f64 = sqlx::query_scalar(
        "SELECT (extract(epoch FROM expires_at - started_at) / 60)::float8 FROM emergency_access WHERE id = $1",
    )
    .bind(grant.id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(minutes, 60.0);

    // reading: the chart, its parts, the notes and the signed note's content
    let chart = clients::chart(&pool, &olu, &meta(), d.ann).await.unwrap();
    assert_eq!(chart.emergency.as_ref().map(|e| e.id), Some(grant.id));
    assert!(!chart.can_edit);
    let dx = diagnoses::list(&pool, &olu, &meta(), d.ann).await.unwrap();
    assert!(!dx.can_edit);
    assert_eq!(
        lists::for_client(&pool, &olu, &meta(), d.ann)
            .await
            .unwrap()
            .len(),
        1
    );
    let view = notes::view(&pool, &d.keys, &olu, &meta(), note)
        .await
        .unwrap();
    assert_eq!(view.content, full_soap());
    assert!(!view.can_edit && !view.can_add_addendum);
    assert!(measures::for_client(&pool, &olu, &meta(), d.ann)
        .await
        .is_ok());

    // writing: nothing
    let add_dx = diagnoses::add(
        &pool,
        &olu,
        &meta(),
        DiagnosisInput {
            client: d.ann,
            code: "F41.1",
            kind: "secondary",
            onset: "",
        },
        today(),
    )
    .await;
    assert_eq!(add_dx.unwrap_err(), AppError::NotFound);
    let new_note = notes::start(
        &pool,
        &d.keys,
        &olu,
        &meta(),
        notes::NewNote {
            client_id: &d.ann.to_string(),
            kind: "contact",
            appointment_id: "",
            format: "",
        },
    )
    .await;
    assert_eq!(new_note.unwrap_err(), AppError::Forbidden);
    assert_eq!(
        process::write(&pool, &d.keys, &olu, &meta(), d.ann, "A process note.")
            .await
            .unwrap_err(),
        AppError::Forbidden
    );
    // never a release of records, and never anyone's psychotherapy notes
    assert_eq!(
        notes::read(&pool, &d.keys, &olu, &meta(), note, Purpose::Release)
            .await
            .unwrap_err(),
        AppError::Forbidden
    );
    assert!(process::mine(&pool, &d.keys, &olu, &meta(), d.ann)
        .await
        .unwrap()
        .is_empty());

    // the trail: Olu's reads under the grant are marked, and the release he tried under it; his
    // refusals before it are not
    let olu_rows: Vec<_> = trail(&pool, d.ann)
        .await
        .into_iter()
        .filter(|r| r.1 == "olu@example.com")
        .collect();
    let expected = vec![
        row("clients.view", "olu@example.com", "denied", false),
        row("documents.note_view", "olu@example.com", "denied", false),
        row(
            "clients.emergency_access_start",
            "olu@example.com",
            "success",
            false,
        ),
        row("clients.view", "olu@example.com", "success", true),
        row("clients.diagnoses_view", "olu@example.com", "success", true),
        row("documents.notes_list", "olu@example.com", "success", true),
        row("documents.note_view", "olu@example.com", "success", true),
        row(
            "documents.measures_view",
            "olu@example.com",
            "success",
            true,
        ),
        row("clients.diagnosis_add", "olu@example.com", "denied", false),
        row("documents.note_create", "olu@example.com", "denied", false),
        row(
            "documents.process_note_write",
            "olu@example.com",
            "denied",
            false,
        ),
        row("documents.note_release", "olu@example.com", "denied", true),
        row(
            "documents.process_notes_view",
            "olu@example.com",
            "success",
            false,
        ),
    ];
    assert_eq!(olu_rows, expected);
    // and each marked row names this grant
    let marked: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT detail->>'emergency_access' FROM audit_events WHERE detail ? 'emergency_access'",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(marked, vec![grant.id.to_string()]);

    // the review list counts the five reads and the refused release made under it
    let admin = staff(&pool, "admin@example.com", Role::Admin).await;
    let listed = emergency::review_list(&pool, &admin, &meta())
        .await
        .unwrap();
    assert_eq!(
        (listed.len(), listed[0].reads, listed[0].open),
        (1, 6, true)
    );
    // an open grant is not reviewed yet; its holder ends it, and then it is
    assert!(matches!(
        emergency::review(&pool, &admin, &meta(), grant.id, "Looked fine.").await,
        Err(AppError::Conflict(m)) if m.contains("still open")
    ));
    assert_eq!(
        emergency::end(&pool, &d.casey, &meta(), grant.id)
            .await
            .unwrap_err(),
        AppError::Conflict("This emergency access has already ended.".into()),
        "only its holder ends it"
    );
    emergency::end(&pool, &olu, &meta(), grant.id)
        .await
        .unwrap();
    assert_eq!(
        clients::chart(&pool, &olu, &meta(), d.ann)
            .await
            .unwrap_err(),
        AppError::NotFound
    );
    assert!(matches!(
        emergency::end(&pool, &olu, &meta(), grant.id).await,
        Err(AppError::Conflict(_))
    ));
    emergency::review(
        &pool,
        &admin,
        &meta(),
        grant.id,
        "Walk-in confirmed; appropriate.",
    )
    .await
    .unwrap();
}

#[sqlx::test(migrations = "../migrations")]
async fn only_clinicians_and_supervisors_break_the_glass_in_the_service_and_the_database(
    pool: PgPool,
) {
    let d = desk(&pool).await;
    let sam = staff(&pool, "sam@example.com", Role::Supervisor).await;
    let who = d.ann.to_string();
    assert!(
        emergency::start(&pool, &sam, &meta(), &ask(&who, "crisis_coverage", WHY))
            .await
            .is_ok()
    );
    for role in [Role::Intern, Role::FrontDesk, Role::Biller, Role::Admin] {
        let user = staff(&pool, &format!("{}@example.com", role.as_str()), role).await;
        assert_eq!(
            emergency::start(&pool, &user, &meta(), &ask(&who, "crisis_coverage", WHY))
                .await
                .unwrap_err(),
            AppError::Forbidden,
            "{role:?}"
        );
        // the database refuses a grant the application should never have asked for
        let raw = sqlx::query(
            "INSERT INTO emergency_access (user_id, client_id, reason, explanation, expires_at)
             VALUES ($1, $2, 'other', 'Written around the service.', now() + interval '1 hour')",
        )
        .bind(user.id)
        .bind(d.ann)
        .execute(&pool)
        .await
        .unwrap_err();
        assert_eq!(
            raw.as_database_error().unwrap().constraint(),
            Some("emergency_access_holder_role")
        );
    }
    let refusals: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_events WHERE action = 'clients.emergency_access_start' AND outcome = 'denied'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(refusals, 4);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_grant_ends_on_time_and_administrators_review_it_once(pool: PgPool) {
    let d = desk(&pool).await;
    let olu = staff(&pool, "olu@example.com", Role::Clinician).await;
    let admin = staff(&pool, "admin@example.com", Role::Admin).await;
    let admin2 = staff(&pool, "admin2@example.com", Role::Admin).await;
    // a grant that ended ten minutes ago (written as it would have been an hour earlier)
    let ended: app::ids::EmergencyAccessId = sqlx::query_scalar(
        "INSERT INTO emergency_access (user_id, client_id, reason, explanation, started_at, expires_at)
         VALUES ($1, $2, 'imminent_risk', 'An hour ago, a crisis call.', now() - interval '70 minutes',
                 now() - interval '10 minutes') RETURNING id",
    )
    .bind(olu.id)
    .bind(d.ann)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        clients::chart(&pool, &olu, &meta(), d.ann)
            .await
            .unwrap_err(),
        AppError::NotFound
    );
    assert!(emergency::my_open_grants(&pool, &olu, &meta())
        .await
        .unwrap()
        .is_empty());
    // a record of what happened: kept whole
    let changed = sqlx::query(
        "UPDATE emergency_access SET expires_at = now() + interval '1 hour' WHERE id = $1",
    )
    .bind(ended)
    .execute(&pool)
    .await
    .unwrap_err();
    assert_eq!(
        changed.as_database_error().unwrap().constraint(),
        Some("emergency_access_kept")
    );
    for statement in ["DELETE FROM emergency_access", "TRUNCATE emergency_access"] {
        let refused = sqlx::query(statement).execute(&pool).await.unwrap_err();
        assert_eq!(
            refused.as_database_error().unwrap().constraint(),
            Some("emergency_access_kept"),
            "{statement}"
        );
    }

    // the administrators' alert counts it; only they see the list
    assert_eq!(emergency::unreviewed_count(&pool, &admin).await.unwrap(), 1);
    assert_eq!(
        emergency::unreviewed_count(&pool, &olu).await.unwrap_err(),
        AppError::Forbidden
    );
    assert_eq!(
        emergency::review_list(&pool, &olu, &meta())
            .await
            .unwrap_err(),
        AppError::Forbidden
    );
    let list = emergency::review_list(&pool, &admin, &meta())
        .await
        .unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(
        (list[0].open, list[0].reads, list[0].reviewed.clone()),
        (false, 0, None)
    );

    let blank = emergency::review(&pool, &admin, &meta(), ended, "  ")
        .await
        .unwrap_err();
    assert!(blank.field_messages("comment").is_some());
    assert_eq!(
        emergency::review(&pool, &olu, &meta(), ended, "Fine by me.")
            .await
            .unwrap_err(),
        AppError::Forbidden
    );
    emergency::review(
        &pool,
        &admin,
        &meta(),
        ended,
        "Confirmed with the on-call lead: appropriate.",
    )
    .await
    .unwrap();
    assert!(matches!(
        emergency::review(&pool, &admin2, &meta(), ended, "Again.").await,
        Err(AppError::Conflict(_))
    ));
    assert_eq!(emergency::unreviewed_count(&pool, &admin).await.unwrap(), 0);
    let list = emergency::review_list(&pool, &admin, &meta())
        .await
        .unwrap();
    assert!(list[0]
        .reviewed
        .as_deref()
        .unwrap()
        .starts_with("Reviewed by admin@example.com on "));
    assert_eq!(
        list[0].review_comment.as_deref(),
        Some("Confirmed with the on-call lead: appropriate.")
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn the_access_report_lists_exactly_the_accesses_to_the_record(pool: PgPool) {
    let d = desk(&pool).await;
    let olu = staff(&pool, "olu@example.com", Role::Clinician).await;
    let admin = staff(&pool, "admin@example.com", Role::Admin).await;
    let from_office = RequestMeta {
        ip: Some("203.0.113.7".parse().unwrap()),
        user_agent: None,
    };
    // another client's events stay out of Ann's report
    let bo = common::create(&pool, &d.desk, common::input("Bo", "Diaz"), Some(&d.casey)).await;
    clients::chart(&pool, &d.casey, &meta(), bo).await.unwrap();

    clients::chart(&pool, &d.casey, &from_office, d.ann)
        .await
        .unwrap();
    clients::chart(&pool, &olu, &meta(), d.ann)
        .await
        .unwrap_err();
    emergency::start(
        &pool,
        &olu,
        &meta(),
        &ask(&d.ann.to_string(), "crisis_coverage", WHY),
    )
    .await
    .unwrap();
    clients::chart(&pool, &olu, &from_office, d.ann)
        .await
        .unwrap();

    // events happen now (the real date): a period around it
    let (from, to) = ("2025-01-01", "2028-12-31");
    let report = access_report::report(&pool, &admin, &meta(), d.ann, from, to)
        .await
        .unwrap();
    assert!(report.chain.verified, "{}", report.chain.summary);
    assert_eq!(report.client_name, "Ann Carter");
    // by hand: registration, booking, Casey's read, Olu's refusal, the glass, Olu's marked read
    let got: Vec<(String, String, String, bool, Option<String>)> = report
        .rows
        .iter()
        .map(|r| {
            (
                r.what.clone(),
                r.who.clone(),
                r.outcome.clone(),
                r.emergency,
                r.ip.clone(),
            )
        })
        .collect();
    let ip = Some("203.0.113.7".to_owned());
    assert_eq!(
        got,
        vec![
            (
                "Record created".into(),
                "desk@example.com".into(),
                "Done".into(),
                false,
                None
            ),
            (
                "Appointment booked".into(),
                "desk@example.com".into(),
                "Done".into(),
                false,
                None
            ),
            (
                "Chart opened".into(),
                "casey@example.com".into(),
                "Done".into(),
                false,
                ip.clone()
            ),
            (
                "Chart opened".into(),
                "olu@example.com".into(),
                "Refused".into(),
                false,
                None
            ),
            (
                "Emergency access started".into(),
                "olu@example.com".into(),
                "Done".into(),
                false,
                None
            ),
            (
                "Chart opened".into(),
                "olu@example.com".into(),
                "Done".into(),
                true,
                ip
            ),
        ]
    );
    assert_eq!(report.rows[2].role, "Clinician");
    // and each row is the audit row of that number
    let ids: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM audit_events WHERE client_id = $1 ORDER BY id")
            .bind(d.ann)
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(
        report.rows.iter().map(|r| r.id).collect::<Vec<_>>(),
        ids[..6].to_vec()
    );
    // making the report was recorded after it was read
    assert_eq!(ids.len(), 7);

    // a period in the past: nothing; a period backwards: said so
    let empty = access_report::report(&pool, &admin, &meta(), d.ann, "01/01/2001", "12/31/2001")
        .await
        .unwrap();
    assert!(empty.rows.is_empty());
    let backwards =
        access_report::report(&pool, &admin, &meta(), d.ann, "2026-12-07", "2026-12-01")
            .await
            .unwrap_err();
    assert!(backwards.field_messages("to").is_some());
    // only administrators
    assert_eq!(
        access_report::report(&pool, &olu, &meta(), d.ann, from, to)
            .await
            .unwrap_err(),
        AppError::Forbidden
    );

    // an altered row makes the report say the trail does not verify
    sqlx::query("ALTER TABLE audit_events DISABLE TRIGGER USER")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("UPDATE audit_events SET outcome = 'success' WHERE id = $1")
        .bind(ids[3])
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("ALTER TABLE audit_events ENABLE TRIGGER USER")
        .execute(&pool)
        .await
        .unwrap();
    let tampered = access_report::report(&pool, &admin, &meta(), d.ann, from, to)
        .await
        .unwrap();
    assert!(!tampered.chain.verified);
    assert!(
        tampered.chain.summary.contains("does NOT verify"),
        "{}",
        tampered.chain.summary
    );
}
