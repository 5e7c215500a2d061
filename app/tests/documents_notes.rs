//! Notes: drafting with autosave, signing with the password, the lock in the database, addenda, the
//! signature digest, encryption at rest and key rotation.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test that cannot go on fails here

mod common;

use app::crypto::Keyring;
use app::documents::server::{keys as rotation, notes, process};
use app::documents::types::NoteStatus;
use app::error::AppError;
use common::documents::*;
use common::{audit_actions, meta, PASSWORD};
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn a_note_is_drafted_signed_and_then_locked(pool: PgPool) {
    let d = desk(&pool).await;
    let note = start_progress(&pool, &d.keys, &d.casey, d.ann, d.appointment).await;
    // opening it again finds the same draft, in the practice's default format
    assert_eq!(
        start_progress(&pool, &d.keys, &d.casey, d.ann, d.appointment).await,
        note
    );
    let view = notes::view(&pool, &d.keys, &d.casey, &meta(), note)
        .await
        .unwrap();
    assert_eq!(view.summary.format.map(|f| f.as_str()), Some("soap"));
    assert_eq!(view.summary.service_date.to_string(), "2026-12-01");
    assert!(view.session.unwrap().contains("10:00 AM – 10:50 AM"));
    assert!(view.can_edit);

    // autosave from the revision last seen; an older revision (another tab) is refused
    let partial = content(&[("subjective", "Slept better.")]);
    let saved = notes::save(&pool, &d.keys, &d.casey, &meta(), note, 1, &partial)
        .await
        .unwrap();
    assert_eq!(saved.revision, 2);
    let stale = notes::save(&pool, &d.keys, &d.casey, &meta(), note, 1, &partial).await;
    assert!(matches!(stale, Err(AppError::Conflict(m)) if m.contains("another window")));
    let unknown = content(&[("behavior", "x")]);
    let err = notes::save(&pool, &d.keys, &d.casey, &meta(), note, 2, &unknown)
        .await
        .unwrap_err();
    assert!(err.field_messages("behavior").is_some());

    // signing needs every section, an explained risk and the password
    let err = notes::sign(&pool, &d.keys, &d.casey, &meta(), note, PASSWORD)
        .await
        .unwrap_err();
    for section in [
        "objective",
        "assessment",
        "plan",
        "interventions",
        "risk_level",
    ] {
        assert!(
            err.field_messages(section).is_some(),
            "{section} should be required"
        );
    }
    let mut body = full_soap();
    body.insert("risk_level".into(), "low".into());
    notes::save(&pool, &d.keys, &d.casey, &meta(), note, 2, &body)
        .await
        .unwrap();
    let err = notes::sign(&pool, &d.keys, &d.casey, &meta(), note, PASSWORD)
        .await
        .unwrap_err();
    assert!(err.field_messages("risk_explanation").is_some());
    body.insert(
        "risk_explanation".into(),
        "Passive thoughts last month, none now; plan reviewed.".into(),
    );
    notes::save(&pool, &d.keys, &d.casey, &meta(), note, 3, &body)
        .await
        .unwrap();
    let err = notes::sign(&pool, &d.keys, &d.casey, &meta(), note, "not-my-password")
        .await
        .unwrap_err();
    assert!(err.field_messages("password").is_some());
    assert_eq!(
        notes::sign(&pool, &d.keys, &d.casey, &meta(), note, PASSWORD)
            .await
            .unwrap(),
        NoteStatus::Signed
    );

    let view = notes::view(&pool, &d.keys, &d.casey, &meta(), note)
        .await
        .unwrap();
    assert_eq!(view.content, body);
    assert_eq!(view.hash_verified, Some(true));
    assert!(view
        .signature
        .unwrap()
        .starts_with("Signed by casey@example.com on "));
    assert!(!view.can_edit && view.can_add_addendum);
    let after = notes::save(&pool, &d.keys, &d.casey, &meta(), note, 4, &full_soap()).await;
    assert!(matches!(after, Err(AppError::Conflict(m)) if m.contains("signed and locked")));
    let actions = audit_actions(&pool).await;
    for action in [
        "documents.note_create",
        "documents.note_save",
        "documents.signature_refused",
        "documents.note_sign",
        "documents.note_view",
    ] {
        assert!(actions.iter().any(|a| a == action), "{action} audited");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn raw_sql_cannot_change_or_delete_a_signed_note(pool: PgPool) {
    let d = desk(&pool).await;
    let note = start_progress(&pool, &d.keys, &d.casey, d.ann, d.appointment).await;
    write_and_sign(&pool, &d.keys, &d.casey, note, &full_soap()).await;
    let attempts = [
        "UPDATE clinical_notes SET content = content || '\\x00'::bytea WHERE id = $1",
        "UPDATE clinical_notes SET status = 'draft' WHERE id = $1",
        "UPDATE clinical_notes SET service_date = service_date - 1 WHERE id = $1",
        "UPDATE clinical_notes SET content_sha256 = sha256('x') WHERE id = $1",
        "UPDATE clinical_notes SET key_id = '0000000000000000' WHERE id = $1",
        "DELETE FROM clinical_notes WHERE id = $1",
        "UPDATE clinical_note_versions SET saved_at = now() WHERE note_id = $1",
        "DELETE FROM clinical_note_versions WHERE note_id = $1",
    ];
    for sql in attempts {
        let err = sqlx::query(sql)
            .bind(note)
            .execute(&pool)
            .await
            .unwrap_err();
        assert!(err.to_string().contains("cannot"), "{sql}: {err}");
    }
    // even announcing a re-encryption does not allow a change of content under the same key
    let mut tx = pool.begin().await.unwrap();
    sqlx::query("SET LOCAL mentalspace.rekey = 'on'")
        .execute(&mut *tx)
        .await
        .unwrap();
    let err =
        sqlx::query("UPDATE clinical_notes SET content = content || '\\x00'::bytea WHERE id = $1")
            .bind(note)
            .execute(&mut *tx)
            .await
            .unwrap_err();
    assert!(err.to_string().contains("cannot"));
    drop(tx);
    let view = notes::view(&pool, &d.keys, &d.casey, &meta(), note)
        .await
        .unwrap();
    assert_eq!(view.content, full_soap());
    assert_eq!(view.hash_verified, Some(true));
}

#[sqlx::test(migrations = "../migrations")]
async fn addenda_are_signed_kept_and_the_digest_catches_tampering(pool: PgPool) {
    let d = desk(&pool).await;
    let note = start_progress(&pool, &d.keys, &d.casey, d.ann, d.appointment).await;
    // no addendum to a draft: it can still be edited
    let early = notes::add_addendum(&pool, &d.keys, &d.casey, &meta(), note, "x", PASSWORD).await;
    assert!(matches!(early, Err(AppError::Conflict(_))));
    write_and_sign(&pool, &d.keys, &d.casey, note, &full_soap()).await;
    let err = notes::add_addendum(
        &pool,
        &d.keys,
        &d.casey,
        &meta(),
        note,
        "Late entry.",
        "wrong",
    )
    .await
    .unwrap_err();
    assert!(err.field_messages("password").is_some());
    notes::add_addendum(
        &pool,
        &d.keys,
        &d.casey,
        &meta(),
        note,
        "Client called after session: safe, plan unchanged.",
        PASSWORD,
    )
    .await
    .unwrap();
    let view = notes::view(&pool, &d.keys, &d.casey, &meta(), note)
        .await
        .unwrap();
    assert_eq!(view.addenda.len(), 1);
    assert_eq!(
        view.addenda[0].text,
        "Client called after session: safe, plan unchanged."
    );
    let err = sqlx::query("UPDATE note_addenda SET signed_at = now()")
        .execute(&pool)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("cannot change"));
    let err = sqlx::query("DELETE FROM note_addenda")
        .execute(&pool)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("cannot be deleted"));

    // someone with the key and the power to switch the lock off rewrites the note: the digest no
    // longer matches what was signed
    sqlx::query("ALTER TABLE clinical_notes DISABLE TRIGGER clinical_notes_lock")
        .execute(&pool)
        .await
        .unwrap();
    let mut forged = full_soap();
    forged.insert("assessment".into(), "Rewritten later.".into());
    let sealed = d.keys.seal(
        &serde_json::to_vec(&forged).unwrap(),
        &app::documents::server::repo::row_tag("clinical_notes", note.0),
    );
    sqlx::query("UPDATE clinical_notes SET content = $2, key_id = $3 WHERE id = $1")
        .bind(note)
        .bind(&sealed.bytes)
        .bind(&sealed.key_id)
        .execute(&pool)
        .await
        .unwrap();
    let view = notes::view(&pool, &d.keys, &d.casey, &meta(), note)
        .await
        .unwrap();
    assert_eq!(view.hash_verified, Some(false));

    // such a note is not released, and the refusal is what the audit trail says of the release
    let refused =
        app::documents::server::release::note_pdf(&pool, &d.keys, &d.casey, &meta(), note)
            .await
            .unwrap_err();
    assert!(matches!(refused, AppError::Conflict(_)), "{refused:?}");
    let outcomes: Vec<String> = sqlx::query_scalar(
        "SELECT outcome FROM audit_events WHERE action = 'documents.note_release' ORDER BY id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(outcomes, ["failure"]);
}

#[sqlx::test(migrations = "../migrations")]
async fn content_is_encrypted_at_rest_and_bound_to_its_row(pool: PgPool) {
    let d = desk(&pool).await;
    let note = start_progress(&pool, &d.keys, &d.casey, d.ann, d.appointment).await;
    write_and_sign(&pool, &d.keys, &d.casey, note, &full_soap()).await;
    notes::add_addendum(
        &pool,
        &d.keys,
        &d.casey,
        &meta(),
        note,
        "Addendum about sleeping pills.",
        PASSWORD,
    )
    .await
    .unwrap();
    process::write(
        &pool,
        &d.keys,
        &d.casey,
        &meta(),
        d.ann,
        "Countertransference: sleeping.",
    )
    .await
    .unwrap();
    for table in [
        "clinical_notes",
        "clinical_note_versions",
        "note_addenda",
        "psychotherapy_notes",
    ] {
        let raw: Vec<Vec<u8>> = sqlx::query_scalar(&format!("SELECT content FROM {table}"))
            .fetch_all(&pool)
            .await
            .unwrap();
        assert!(!raw.is_empty(), "{table} has rows");
        for bytes in raw {
            let lossy = String::from_utf8_lossy(&bytes).to_lowercase();
            assert!(!lossy.contains("sleeping"), "{table} holds plaintext");
        }
    }
    // a value copied into another note's row does not open there
    let other_appointment = {
        let p = common::scheduling::Practice {
            individual: sqlx::query_scalar("SELECT id FROM appointment_types")
                .fetch_one(&pool)
                .await
                .unwrap(),
            office: sqlx::query_scalar("SELECT id FROM locations")
                .fetch_one(&pool)
                .await
                .unwrap(),
            room: sqlx::query_scalar("SELECT id FROM rooms")
                .fetch_one(&pool)
                .await
                .unwrap(),
        };
        book(&pool, &p, &d.desk, &d.casey, d.ann, "14:00").await
    };
    let draft = start_progress(&pool, &d.keys, &d.casey, d.ann, other_appointment).await;
    sqlx::query("UPDATE clinical_notes SET content = (SELECT content FROM clinical_notes WHERE id = $2) WHERE id = $1")
        .bind(draft)
        .bind(note)
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        notes::view(&pool, &d.keys, &d.casey, &meta(), draft)
            .await
            .unwrap_err(),
        AppError::Internal
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn key_rotation_reencrypts_everything_and_the_old_key_is_no_longer_needed(pool: PgPool) {
    let d = desk(&pool).await;
    let old_key = Keyring::generate_key();
    let old = Keyring::new(&old_key, &[]).unwrap();
    let note = start_progress(&pool, &old, &d.casey, d.ann, d.appointment).await;
    write_and_sign(&pool, &old, &d.casey, note, &full_soap()).await;
    notes::add_addendum(&pool, &old, &d.casey, &meta(), note, "Addendum.", PASSWORD)
        .await
        .unwrap();
    process::write(&pool, &old, &d.casey, &meta(), d.ann, "Process note.")
        .await
        .unwrap();

    let new_key = Keyring::generate_key();
    let during = Keyring::new(&new_key, &[&old_key]).unwrap();
    let report = rotation::rotate(&pool, &during).await.unwrap();
    let moved: u64 = report.iter().map(|(_, n)| n).sum();
    assert!(moved >= 4, "{report:?}");
    // a second run finds nothing left to do
    let again: u64 = rotation::rotate(&pool, &during)
        .await
        .unwrap()
        .iter()
        .map(|(_, n)| n)
        .sum();
    assert_eq!(again, 0);

    let after = Keyring::new(&new_key, &[]).unwrap();
    for table in [
        "clinical_notes",
        "clinical_note_versions",
        "note_addenda",
        "psychotherapy_notes",
    ] {
        let ids: Vec<String> =
            sqlx::query_scalar(&format!("SELECT DISTINCT key_id::text FROM {table}"))
                .fetch_all(&pool)
                .await
                .unwrap();
        assert_eq!(ids, vec![after.current_id().to_owned()], "{table}");
    }
    let view = notes::view(&pool, &after, &d.casey, &meta(), note)
        .await
        .unwrap();
    assert_eq!(view.content, full_soap());
    assert_eq!(view.hash_verified, Some(true));
    assert_eq!(view.addenda[0].text, "Addendum.");
    let mine = process::mine(&pool, &after, &d.casey, &meta(), d.ann)
        .await
        .unwrap();
    assert_eq!(mine[0].text, "Process note.");
    // and the old key alone no longer opens anything
    assert!(notes::view(&pool, &old, &d.casey, &meta(), note)
        .await
        .is_err());
}
