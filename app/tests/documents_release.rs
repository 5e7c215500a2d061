//! Release of records: a signed note as a PDF, for those who may read it, audited; never a draft,
//! never a psychotherapy note.

mod common;

use app::auth::types::Role;
use app::documents::server::release::note_pdf;
use app::documents::server::{notes, process};
use app::error::AppError;
use app::ids::NoteId;
use common::documents::*;
use common::{meta, staff, PASSWORD};
use sqlx::PgPool;

/// Every string in an uncompressed PDF (literal or hex), one per line, bytes read as Latin-1.
fn shown_text(pdf: &[u8]) -> String {
    let mut strings = Vec::new();
    let mut i = 0;
    while i < pdf.len() {
        match pdf[i] {
            b'(' => {
                let mut s = Vec::new();
                let mut depth = 1;
                i += 1;
                while depth > 0 {
                    match pdf[i] {
                        b'\\' => {
                            i += 1;
                            s.push(pdf[i]);
                        }
                        b'(' => {
                            depth += 1;
                            s.push(b'(');
                        }
                        b')' => {
                            depth -= 1;
                            if depth > 0 {
                                s.push(b')');
                            }
                        }
                        b => s.push(b),
                    }
                    i += 1;
                }
                strings.push(s);
            }
            b'<' if pdf.get(i + 1) != Some(&b'<') => {
                let end = i + pdf[i..].iter().position(|b| *b == b'>').unwrap();
                let hex = std::str::from_utf8(&pdf[i + 1..end]).unwrap();
                strings.push(
                    (0..hex.len())
                        .step_by(2)
                        .map(|k| u8::from_str_radix(&hex[k..k + 2], 16).unwrap())
                        .collect(),
                );
                i = end + 1;
            }
            b'<' => i += 2,
            _ => i += 1,
        }
    }
    strings
        .iter()
        .map(|s| s.iter().map(|b| *b as char).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

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
    let text = shown_text(&released.pdf);
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
