//! Release of records (a signed note as a PDF, for those who may read it, audited; never a draft,
//! never a psychotherapy note) and the structured treatment plan whose objectives progress notes
//! point at.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test that cannot go on fails here

mod common;

use app::auth::types::Role;
use app::documents::server::release::note_pdf;
use app::documents::server::{notes, process};
use app::error::AppError;
use app::ids::NoteId;
use common::documents::*;
use common::{meta, staff, PASSWORD};
use sqlx::PgPool;

async fn release_outcomes(pool: &PgPool) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT outcome::text FROM audit_events WHERE action = 'documents.note_release' ORDER BY id",
    )
    .fetch_all(pool)
    .await
    .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn a_signed_note_is_released_as_a_pdf_with_its_signature_block(pool: PgPool) {
    let d = desk(&pool).await;
    let note = start_progress(&pool, &d.keys, &d.casey, d.ann, d.appointment).await;

    let draft = note_pdf(&pool, &d.keys, &d.casey, &meta(), note).await;
    assert!(matches!(draft, Err(AppError::Conflict(m)) if m.contains("Only a signed note")));

    write_and_sign(&pool, &d.keys, &d.casey, note, &full_soap()).await;
    notes::add_addendum(
        &pool,
        &d.keys,
        &d.casey,
        &meta(),
        note,
        "Client called to add that sleep improved further.",
        PASSWORD,
    )
    .await
    .unwrap();

    let released = note_pdf(&pool, &d.keys, &d.casey, &meta(), note)
        .await
        .unwrap();
    assert!(released.pdf.starts_with(b"%PDF-"));
    assert!(
        released.filename.ends_with("2026-12-01.pdf"),
        "{}",
        released.filename
    );
    let text = common::pdf_text(&released.pdf);
    for expected in [
        "Progress note (SOAP)",
        "Client: Ann Carter",
        "Client reports sleeping six hours most nights.",
        "Cognitive",
        "Signed by",
        "SHA-256 of the signed content",
        "Client called to add that sleep improved further.",
        "Page 1 of 1",
    ] {
        assert!(text.contains(expected), "{expected:?} is not in:\n{text}");
    }
    let digest: Vec<u8> =
        sqlx::query_scalar("SELECT content_sha256 FROM clinical_notes WHERE id = $1")
            .bind(note)
            .fetch_one(&pool)
            .await
            .unwrap();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    assert!(text.contains(&hex), "the digest printed is the stored one");
    assert_eq!(release_outcomes(&pool).await, ["success"]);

    // the version history keeps what was signed; it is for those who read the note
    let history = notes::history(&pool, &d.keys, &d.casey, &meta(), note)
        .await
        .unwrap();
    assert_eq!(history[0].content, full_soap());
    assert!(history.windows(2).all(|w| w[0].revision > w[1].revision));
    assert!(matches!(
        notes::history(&pool, &d.keys, &d.desk, &meta(), note).await,
        Err(AppError::Forbidden)
    ));
}

#[sqlx::test(migrations = "../migrations")]
async fn only_those_who_read_the_note_may_release_it(pool: PgPool) {
    let d = desk(&pool).await;
    let note = start_progress(&pool, &d.keys, &d.casey, d.ann, d.appointment).await;
    write_and_sign(&pool, &d.keys, &d.casey, note, &full_soap()).await;

    let biller = staff(&pool, "biller@example.com", Role::Biller).await;
    let admin = staff(&pool, "admin@example.com", Role::Admin).await;
    let stranger = staff(&pool, "stranger@example.com", Role::Clinician).await;
    for who in [&d.desk, &biller, &admin, &stranger] {
        let refused = note_pdf(&pool, &d.keys, who, &meta(), note).await;
        assert!(
            matches!(refused, Err(AppError::Forbidden)),
            "{:?} released a note",
            who.role
        );
    }
    assert_eq!(
        release_outcomes(&pool).await,
        ["denied", "denied", "denied", "denied"]
    );

    // a psychotherapy note is not a clinical note: its id names nothing that can be released
    let process_note = process::write(
        &pool,
        &d.keys,
        &d.casey,
        &meta(),
        d.ann,
        "Process: felt protective.",
    )
    .await
    .unwrap();
    let as_note: NoteId = process_note.to_string().parse().unwrap();
    let missing = note_pdf(&pool, &d.keys, &d.casey, &meta(), as_note).await;
    assert!(matches!(missing, Err(AppError::NotFound)));
}

#[sqlx::test(migrations = "../migrations")]
async fn progress_notes_point_at_the_objectives_of_a_signed_treatment_plan(pool: PgPool) {
    use app::documents::plan::*;
    use app::documents::server::notes::NewNote;
    let d = desk(&pool).await;
    let ann = d.ann.to_string();
    let plan_note = notes::start(
        &pool,
        &d.keys,
        &d.casey,
        &meta(),
        NewNote {
            client_id: &ann,
            kind: "treatment_plan",
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let mut plan = TreatmentPlan {
        problems: vec![Problem {
            statement: "Panic attacks at work".into(),
            goals: vec![Goal {
                statement: "Stay at work through an attack".into(),
                objectives: vec![Objective {
                    id: "o1".into(),
                    statement: "Use paced breathing in 4 of 5 attacks".into(),
                    target_date: "not yet".into(),
                    status: "in_progress".into(),
                    interventions: vec![Intervention {
                        description: "CBT for panic".into(),
                        frequency: "Weekly".into(),
                        responsible: "Casey".into(),
                    }],
                }],
            }],
        }],
    };
    let body = |plan: &TreatmentPlan| {
        content(&[
            (PLAN_KEY, &plan.to_content()),
            ("review_date", "03/01/2027"),
            ("client_agreement", "agreed"),
        ])
    };
    notes::save(
        &pool,
        &d.keys,
        &d.casey,
        &meta(),
        plan_note,
        1,
        &body(&plan),
    )
    .await
    .unwrap();
    // a target date that is not a date keeps the plan from being signed, naming where
    let refused = notes::sign(&pool, &d.keys, &d.casey, &meta(), plan_note, PASSWORD).await;
    let Err(AppError::Validation { fields }) = refused else {
        panic!("signed with a bad target date: {refused:?}")
    };
    assert!(fields[PLAN_KEY]
        .iter()
        .any(|m| m.starts_with("Problem 1, goal 1, objective 1: Enter the target date")));
    plan.problems[0].goals[0].objectives[0].target_date = "03/01/2027".into();
    write_and_sign(&pool, &d.keys, &d.casey, plan_note, &body(&plan)).await;

    // the progress note offers the plan's objectives and accepts only those
    let note = start_progress(&pool, &d.keys, &d.casey, d.ann, d.appointment).await;
    let view = notes::view(&pool, &d.keys, &d.casey, &meta(), note)
        .await
        .unwrap();
    let key = objective_key(plan_note, "o1");
    assert_eq!(view.objectives.len(), 1);
    assert_eq!(view.objectives[0].key, key);
    assert!(view.objectives[0].label.starts_with("Use paced breathing"));

    let mut soap = full_soap();
    soap.insert(OBJECTIVES_KEY.into(), objective_key(plan_note, "o9"));
    let unknown = notes::save(&pool, &d.keys, &d.casey, &meta(), note, 1, &soap).await;
    assert!(
        matches!(&unknown, Err(AppError::Validation { fields }) if fields.contains_key(OBJECTIVES_KEY)),
        "{unknown:?}"
    );
    soap.insert(OBJECTIVES_KEY.into(), key);
    write_and_sign(&pool, &d.keys, &d.casey, note, &soap).await;
    let released = note_pdf(&pool, &d.keys, &d.casey, &meta(), note)
        .await
        .unwrap();
    assert!(common::pdf_text(&released.pdf).contains("Use paced breathing in 4 of 5 attacks"));
    let plan_pdf = note_pdf(&pool, &d.keys, &d.casey, &meta(), plan_note)
        .await
        .unwrap();
    let text = common::pdf_text(&plan_pdf.pdf);
    assert!(text.contains("Problem 1: Panic attacks at work"), "{text}");
    assert!(
        text.contains("Intervention: CBT for panic · Weekly · Casey")
            || text.contains("Intervention: CBT for panic")
    );
}
