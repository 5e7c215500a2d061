//! Co-signature, who reads what (roles, caseload, drafts, psychotherapy notes), measures and the
//! sessions still to document.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test that cannot go on fails here

mod common;

use app::auth::types::Role;
use app::documents::server::notes::Decision::{Approve, Return};
use app::documents::server::{alerts, lists, measures, notes, process};
use app::documents::types::{MeasureInput, NoteStatus};
use app::error::AppError;
use common::documents::*;
use common::scheduling::practice;
use common::{create, input, meta, staff, PASSWORD};
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn an_interns_note_goes_to_the_supervisor_who_returns_then_approves_it(pool: PgPool) {
    let p = practice(&pool).await;
    let desk = staff(&pool, "desk@example.com", Role::FrontDesk).await;
    let sam = staff(&pool, "sam@example.com", Role::Supervisor).await;
    let ivy = staff(&pool, "ivy@example.com", Role::Intern).await;
    let other = staff(&pool, "other@example.com", Role::Clinician).await;
    let ann = create(&pool, &desk, input("Ann", "Carter"), Some(&ivy)).await;
    let appointment = book(&pool, &p, &desk, &ivy, ann, "10:00").await;
    let k = keys();
    let note = start_progress(&pool, &k, &ivy, ann, appointment).await;

    // without a supervisor an intern's note cannot be signed
    notes::save(&pool, &k, &ivy, &meta(), note, 1, &full_soap())
        .await
        .unwrap();
    let orphan = notes::sign(&pool, &k, &ivy, &meta(), note, PASSWORD).await;
    assert!(matches!(orphan, Err(AppError::Conflict(m)) if m.contains("no supervisor")));
    set_supervisor(&pool, ivy.id, sam.id).await;
    assert_eq!(
        notes::sign(&pool, &k, &ivy, &meta(), note, PASSWORD)
            .await
            .unwrap(),
        NoteStatus::AwaitingCosign
    );
    let queue = lists::cosign_queue(&pool, &sam, &meta()).await.unwrap();
    assert_eq!(queue.iter().map(|n| n.id).collect::<Vec<_>>(), vec![note]);
    assert!(lists::cosign_queue(&pool, &other, &meta())
        .await
        .unwrap()
        .is_empty());
    // locked while it waits, for the author and in the database
    assert!(matches!(
        notes::save(&pool, &k, &ivy, &meta(), note, 2, &full_soap()).await,
        Err(AppError::Conflict(_))
    ));
    let raw =
        sqlx::query("UPDATE clinical_notes SET content = content || '\\x00'::bytea WHERE id = $1")
            .bind(note)
            .execute(&pool)
            .await;
    assert!(raw.is_err());
    // only the awaited supervisor decides
    assert_eq!(
        notes::review(
            &pool,
            &k,
            &other,
            &meta(),
            note,
            Approve { password: PASSWORD }
        )
        .await
        .unwrap_err(),
        AppError::Forbidden
    );
    let err = notes::review(&pool, &k, &sam, &meta(), note, Return { comment: "  " })
        .await
        .unwrap_err();
    assert!(err.field_messages("comment").is_some());
    assert_eq!(
        notes::review(
            &pool,
            &k,
            &sam,
            &meta(),
            note,
            Return {
                comment: "Add the homework you agreed."
            }
        )
        .await
        .unwrap(),
        NoteStatus::Returned
    );
    let view = notes::view(&pool, &k, &ivy, &meta(), note).await.unwrap();
    assert!(view.can_edit);
    // the supervisor still reads what they returned, without being able to change it
    let seen = notes::view(&pool, &k, &sam, &meta(), note).await.unwrap();
    assert!(!seen.can_edit && !seen.can_cosign);
    assert!(
        view.reviews[0].contains("“Add the homework you agreed.”"),
        "{:?}",
        view.reviews
    );
    assert!(view.signature.is_none());

    let mut body = full_soap();
    body.insert(
        "plan".into(),
        "Continue weekly; breathing log every evening.".into(),
    );
    assert_eq!(
        write_and_sign(&pool, &k, &ivy, note, &body).await,
        NoteStatus::AwaitingCosign
    );
    let err = notes::review(
        &pool,
        &k,
        &sam,
        &meta(),
        note,
        Approve { password: "wrong" },
    )
    .await
    .unwrap_err();
    assert!(err.field_messages("password").is_some());
    assert_eq!(
        notes::review(
            &pool,
            &k,
            &sam,
            &meta(),
            note,
            Approve { password: PASSWORD }
        )
        .await
        .unwrap(),
        NoteStatus::Signed
    );
    let view = notes::view(&pool, &k, &sam, &meta(), note).await.unwrap();
    assert_eq!(view.summary.status, NoteStatus::Signed);
    assert!(view
        .cosignature
        .unwrap()
        .starts_with("Co-signed by sam@example.com on "));
    assert_eq!(view.hash_verified, Some(true));
    assert!(view.can_add_addendum && !view.can_cosign);
    assert!(lists::cosign_queue(&pool, &sam, &meta())
        .await
        .unwrap()
        .is_empty());
}

#[sqlx::test(migrations = "../migrations")]
async fn who_reads_notes_and_who_sees_only_that_they_exist(pool: PgPool) {
    let d = desk(&pool).await;
    let biller = staff(&pool, "biller@example.com", Role::Biller).await;
    let admin = staff(&pool, "admin@example.com", Role::Admin).await;
    let stranger = staff(&pool, "stranger@example.com", Role::Clinician).await;
    let teammate = staff(&pool, "teammate@example.com", Role::Clinician).await;
    let sam = staff(&pool, "sam@example.com", Role::Supervisor).await;
    set_supervisor(&pool, d.casey.id, sam.id).await;
    sqlx::query("INSERT INTO client_care_team (client_id, user_id) VALUES ($1, $2)")
        .bind(d.ann)
        .bind(teammate.id)
        .execute(&pool)
        .await
        .unwrap();
    let signed = start_progress(&pool, &d.keys, &d.casey, d.ann, d.appointment).await;
    write_and_sign(&pool, &d.keys, &d.casey, signed, &full_soap()).await;
    let draft = notes::start(
        &pool,
        &d.keys,
        &d.casey,
        &meta(),
        notes::NewNote {
            client_id: &d.ann.to_string(),
            kind: "contact",
            ..Default::default()
        },
    )
    .await
    .unwrap();

    let m = meta();
    let view = |u| notes::view(&pool, &d.keys, u, &m, signed);
    assert!(view(&d.casey).await.is_ok());
    assert!(
        view(&teammate).await.is_ok(),
        "care team reads signed notes"
    );
    assert!(
        view(&sam).await.is_ok(),
        "the author's supervisor reads them"
    );
    for outsider in [&d.desk, &biller, &admin, &stranger] {
        assert_eq!(
            view(outsider).await.unwrap_err(),
            AppError::Forbidden,
            "{}",
            outsider.email
        );
    }
    // a draft stays with its author
    assert!(notes::view(&pool, &d.keys, &d.casey, &meta(), draft)
        .await
        .is_ok());
    assert_eq!(
        notes::view(&pool, &d.keys, &teammate, &meta(), draft)
            .await
            .unwrap_err(),
        AppError::Forbidden
    );

    // lists: metadata for billers and admins, nothing for the front desk or outside the caseload
    let list = |u| lists::for_client(&pool, u, &m, d.ann);
    assert_eq!(list(&d.casey).await.unwrap().len(), 2);
    assert_eq!(
        list(&teammate).await.unwrap().len(),
        1,
        "someone else's draft is left out"
    );
    let billed = list(&biller).await.unwrap();
    assert_eq!(billed.len(), 1);
    assert_eq!(billed[0].status, NoteStatus::Signed);
    assert_eq!(billed[0].service.as_deref(), Some("Individual therapy"));
    assert_eq!(list(&admin).await.unwrap().len(), 1);
    assert_eq!(list(&d.desk).await.unwrap_err(), AppError::Forbidden);
    assert_eq!(list(&stranger).await.unwrap_err(), AppError::Forbidden);

    // writing needs the caseload, and a progress note is the appointment clinician's
    let (ann, appointment) = (d.ann.to_string(), d.appointment.to_string());
    let start = |u, kind: &'static str| {
        notes::start(
            &pool,
            &d.keys,
            u,
            &m,
            notes::NewNote {
                client_id: &ann,
                kind,
                appointment_id: &appointment,
                format: "dap",
            },
        )
    };
    assert_eq!(
        start(&stranger, "contact").await.unwrap_err(),
        AppError::Forbidden
    );
    assert_eq!(
        start(&d.desk, "contact").await.unwrap_err(),
        AppError::Forbidden
    );
    assert!(matches!(
        start(&teammate, "progress").await,
        Err(AppError::Conflict(_))
    ));
    assert!(start(&teammate, "contact").await.is_ok());

    // psychotherapy notes: the author's alone, whatever the role of anyone else
    process::write(
        &pool,
        &d.keys,
        &d.casey,
        &meta(),
        d.ann,
        "Process: felt protective.",
    )
    .await
    .unwrap();
    assert_eq!(
        process::mine(&pool, &d.keys, &d.casey, &meta(), d.ann)
            .await
            .unwrap()
            .len(),
        1
    );
    for other in [&sam, &teammate] {
        assert!(process::mine(&pool, &d.keys, other, &meta(), d.ann)
            .await
            .unwrap()
            .is_empty());
    }
    for outsider in [&d.desk, &biller, &admin] {
        assert_eq!(
            process::mine(&pool, &d.keys, outsider, &meta(), d.ann)
                .await
                .unwrap_err(),
            AppError::Forbidden
        );
    }
    assert_eq!(
        process::write(&pool, &d.keys, &stranger, &meta(), d.ann, "x")
            .await
            .unwrap_err(),
        AppError::Forbidden
    );
}

fn phq9(client: app::ids::ClientId, answers: &str, on: &str) -> MeasureInput {
    MeasureInput {
        client_id: client.to_string(),
        instrument: "phq9".into(),
        answers: answers.into(),
        administered_on: on.into(),
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn measures_are_scored_and_item_9_raises_a_flag_and_alerts_the_clinician(pool: PgPool) {
    let d = desk(&pool).await;
    let calm = measures::record_measure(
        &pool,
        &d.casey,
        &meta(),
        &phq9(d.ann, "1,1,0,1,0,0,1,0,0", "2026-11-02"),
    )
    .await
    .unwrap();
    assert_eq!((calm.total, calm.severity.as_str()), (4, "Minimal"));
    let flags: i64 = sqlx::query_scalar("SELECT count(*) FROM client_flags")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(flags, 0);

    let risky = measures::record_measure(
        &pool,
        &d.casey,
        &meta(),
        &phq9(d.ann, "2,2,2,2,1,1,1,0,1", "2026-11-20"),
    )
    .await
    .unwrap();
    assert_eq!((risky.total, risky.severity.as_str()), (12, "Moderate"));
    let (category, severity, text): (String, String, String) = sqlx::query_as(
        "SELECT category, severity, text FROM client_flags WHERE client_id = $1 AND active",
    )
    .bind(d.ann)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        (category.as_str(), severity.as_str()),
        ("clinical_risk", "critical")
    );
    assert!(text.contains("item 9") && text.contains("11/20/2026"));
    let alerted: Vec<app::ids::UserId> =
        sqlx::query_scalar("SELECT user_id FROM clinical_alerts WHERE acknowledged_at IS NULL")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(alerted, vec![d.casey.id]);
    // the clinician sees it until acknowledging it; no one else can acknowledge it
    let open = alerts::open(&pool, &d.casey, &meta()).await.unwrap();
    assert_eq!(open.len(), 1);
    assert!(open[0].what.starts_with("PHQ-9 item 9"), "{}", open[0].what);
    assert!(open[0].what.contains("11/20/2026"));
    let teammate = staff(&pool, "teammate@example.com", Role::Clinician).await;
    assert!(alerts::open(&pool, &teammate, &meta())
        .await
        .unwrap()
        .is_empty());
    assert!(matches!(
        alerts::acknowledge(&pool, &teammate, &meta(), open[0].id).await,
        Err(AppError::NotFound)
    ));
    assert!(matches!(
        alerts::open(&pool, &d.desk, &meta()).await,
        Err(AppError::Forbidden)
    ));
    alerts::acknowledge(&pool, &d.casey, &meta(), open[0].id)
        .await
        .unwrap();
    assert!(alerts::open(&pool, &d.casey, &meta())
        .await
        .unwrap()
        .is_empty());

    let gad = MeasureInput {
        instrument: "gad7".into(),
        ..phq9(d.ann, "3,3,3,3,3,3", "2026-11-20")
    };
    let err = measures::record_measure(&pool, &d.casey, &meta(), &gad)
        .await
        .unwrap_err();
    assert!(err.field_messages("answers").unwrap()[0].contains("all 7"));
    let err = measures::record_measure(
        &pool,
        &d.casey,
        &meta(),
        &phq9(d.ann, "0,0,0,0,0,0,0,0,4", "2026-11-20"),
    )
    .await
    .unwrap_err();
    assert!(err.field_messages("answers").is_some());
    let err = measures::record_measure(
        &pool,
        &d.casey,
        &meta(),
        &phq9(d.ann, "0,0,0,0,0,0,0,0,0", "2099-01-01"),
    )
    .await
    .unwrap_err();
    assert!(err.field_messages("administered_on").is_some());
    assert_eq!(
        measures::record_measure(
            &pool,
            &d.desk,
            &meta(),
            &phq9(d.ann, "0,0,0,0,0,0,0,0,0", "2026-11-20")
        )
        .await
        .unwrap_err(),
        AppError::Forbidden
    );
    // the database checks the total against the answers too
    let forged = sqlx::query(
        "INSERT INTO measure_results (client_id, instrument, answers, total, severity, administered_on, entered_by)
         VALUES ($1, 'phq9', '{0,0,0,0,0,0,0,0,0}', 5, 'Mild', '2026-11-20', $2)",
    )
    .bind(d.ann)
    .bind(d.casey.id)
    .execute(&pool)
    .await;
    assert!(forged.is_err());

    let series = measures::for_client(&pool, &d.casey, &meta(), d.ann)
        .await
        .unwrap();
    assert_eq!(
        series.iter().map(|m| m.total).collect::<Vec<_>>(),
        vec![4, 12]
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_completed_session_is_undocumented_until_its_note_is_signed(pool: PgPool) {
    let d = desk(&pool).await;
    let sam = staff(&pool, "sam@example.com", Role::Supervisor).await;
    set_supervisor(&pool, d.casey.id, sam.id).await;
    // the session happened last week and was completed
    sqlx::query(
        "UPDATE appointments SET starts_at = now() - interval '7 days', ends_at = now() - interval '7 days' + interval '50 minutes',
                status = 'completed' WHERE id = $1",
    )
    .bind(d.appointment)
    .execute(&pool)
    .await
    .unwrap();
    // the calendar marks it, in the same query that draws the week
    assert!(marked_undocumented(&pool, &d.desk, d.casey.id).await);
    let open = lists::undocumented(&pool, &d.casey, &meta()).await.unwrap();
    assert_eq!(open.len(), 1);
    assert!(open[0].overdue, "72 hours have passed");
    assert_eq!(open[0].drafted, None);
    assert_eq!(
        lists::undocumented(&pool, &sam, &meta())
            .await
            .unwrap()
            .len(),
        1,
        "the supervisor sees it too"
    );

    let note = start_progress(&pool, &d.keys, &d.casey, d.ann, d.appointment).await;
    assert_eq!(
        lists::undocumented(&pool, &d.casey, &meta()).await.unwrap()[0].drafted,
        Some(note)
    );
    assert!(
        marked_undocumented(&pool, &d.desk, d.casey.id).await,
        "a draft does not document it"
    );
    write_and_sign(&pool, &d.keys, &d.casey, note, &full_soap()).await;
    assert!(lists::undocumented(&pool, &d.casey, &meta())
        .await
        .unwrap()
        .is_empty());
    assert!(!marked_undocumented(&pool, &d.desk, d.casey.id).await);
    let actions = common::audit_actions(&pool).await;
    assert!(actions.iter().any(|a| a == "documents.undocumented_view"));
}

/// Whether the clinician's calendar week (holding the first appointment) marks one undocumented.
async fn marked_undocumented(
    pool: &PgPool,
    viewer: &app::auth::server::CurrentUser,
    clinician: app::ids::UserId,
) -> bool {
    let day: chrono::NaiveDate = sqlx::query_scalar(
        "SELECT (a.starts_at AT TIME ZONE p.time_zone)::date FROM appointments a CROSS JOIN practice p LIMIT 1",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    app::scheduling::server::service::week(pool, viewer, &meta(), clinician, day)
        .await
        .unwrap()
        .entries
        .iter()
        .any(|e| e.undocumented)
}

#[sqlx::test(migrations = "../migrations")]
async fn an_author_whose_client_moved_on_reads_the_draft_but_no_longer_changes_it(pool: PgPool) {
    let d = desk(&pool).await;
    let note = start_progress(&pool, &d.keys, &d.casey, d.ann, d.appointment).await;
    let dana = staff(&pool, "dana@example.com", Role::Clinician).await;
    let reassign = |to: app::ids::UserId| {
        let pool = pool.clone();
        async move {
            sqlx::query("UPDATE clients SET primary_clinician_id = $1 WHERE id = $2")
                .bind(to)
                .bind(d.ann)
                .execute(&pool)
                .await
                .unwrap();
        }
    };
    reassign(dana.id).await;

    let body = full_soap();
    let refused = [
        notes::save(&pool, &d.keys, &d.casey, &meta(), note, 1, &body)
            .await
            .map(drop),
        notes::sign(&pool, &d.keys, &d.casey, &meta(), note, PASSWORD)
            .await
            .map(drop),
        notes::discard(&pool, &d.casey, &meta(), note).await,
    ];
    for r in &refused {
        assert_eq!(r, &Err(AppError::Forbidden));
    }
    let denied: Vec<String> =
        sqlx::query_scalar("SELECT action FROM audit_events WHERE outcome = 'denied' ORDER BY id")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(
        denied,
        [
            "documents.note_save",
            "documents.note_sign",
            "documents.note_discard"
        ]
    );
    // still readable by its author, but not offered for editing
    let view = notes::view(&pool, &d.keys, &d.casey, &meta(), note)
        .await
        .unwrap();
    assert!(!view.can_edit);

    // back on Casey's caseload, the draft is hers to finish
    reassign(d.casey.id).await;
    notes::save(&pool, &d.keys, &d.casey, &meta(), note, 1, &body)
        .await
        .unwrap();
}
