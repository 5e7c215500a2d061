//! Release of records: a signed note as a PDF, with the client's identifiers, every section as
//! signed, the signature block (signer, co-signer, content digest) and its signed addenda. Only signed
//! notes are released, and each release is audited; psychotherapy notes live in their own table
//! and have no way out of it.

use super::notes::{self, Purpose};
use crate::auth::server::{CurrentUser, RequestMeta};
use crate::crypto::Keyring;
use crate::documents::types::{sections, NoteView};
use crate::error::AppError;
use crate::ids::NoteId;
use crate::pdf::{self, Block};
use crate::settings::server::clock;
use sqlx::PgPool;

/// A released note: the file's name and its bytes.
#[derive(Debug, Clone)]
pub struct Released {
    pub filename: String,
    pub pdf: Vec<u8>,
}

/// Who the record is about and by whom it is released, as printed on it.
#[derive(sqlx::FromRow)]
struct Letterhead {
    practice: String,
    legal_name: String,
    date_of_birth: chrono::NaiveDate,
}

pub async fn note_pdf(
    pool: &PgPool,
    keys: &Keyring,
    user: &CurrentUser,
    meta: &RequestMeta,
    id: NoteId,
) -> Result<Released, AppError> {
    // refuses a note whose content no longer matches its signature (and records the refusal)
    let note = notes::read(pool, keys, user, meta, id, Purpose::Release).await?;
    let mut conn = pool.acquire().await?;
    let head: Letterhead = sqlx::query_as!(
        Letterhead,
        r#"SELECT p.name AS practice, c.legal_first_name || ' ' || c.legal_last_name AS "legal_name!",
                c.date_of_birth
           FROM practice p CROSS JOIN clients c WHERE c.id = $1"#,
        note.summary.client_id as _,
    )
    .fetch_one(&mut *conn)
    .await?;
    let zone = clock::practice_zone(&mut conn).await?;
    let released = format!(
        "Released {} by {}",
        clock::date_time(chrono::Utc::now(), zone),
        user.display_name
    );
    let s = &note.summary;
    let footer = format!(
        "Confidential health information · {} · DOB {}",
        head.legal_name,
        head.date_of_birth.format("%m/%d/%Y")
    );
    Ok(Released {
        filename: format!(
            "{}-{}.pdf",
            s.kind.label().to_lowercase().replace(' ', "-"),
            s.service_date
        ),
        pdf: pdf::render(
            &format!("{} · {}", note.summary.title(), head.legal_name),
            &blocks(&note, &head, &released),
            &footer,
        ),
    })
}

fn blocks(note: &NoteView, head: &Letterhead, released: &str) -> Vec<Block> {
    let s = &note.summary;
    let mut out = vec![
        Block::Title(head.practice.clone()),
        Block::Small(format!("Clinical record · {released}")),
        Block::Rule,
        Block::Heading(note.summary.title()),
        Block::Text(format!(
            "Client: {} · Date of birth: {}",
            head.legal_name,
            head.date_of_birth.format("%m/%d/%Y")
        )),
        Block::Text(format!(
            "Service date: {} · Clinician: {}",
            s.service_date.format("%m/%d/%Y"),
            s.author_name
        )),
    ];
    if let Some(session) = &note.session {
        out.push(Block::Text(format!("Session: {session}")));
    }
    if let Some(service) = &s.service {
        out.push(Block::Text(format!("Service: {service}")));
    }
    if !note.diagnoses.is_empty() {
        out.push(Block::Text(format!(
            "Diagnoses: {}",
            note.diagnoses.join("; ")
        )));
    }
    out.push(Block::Rule);
    for section in sections(s.kind, s.format) {
        if let Some(value) = note
            .content
            .get(section.key)
            .filter(|v| !v.trim().is_empty())
        {
            out.push(Block::Heading(section.label.to_owned()));
            out.push(Block::Text(section.shown(value, &note.objectives)));
        }
    }
    out.push(Block::Rule);
    out.push(Block::Heading("Signature".into()));
    out.extend(note.signature.iter().cloned().map(Block::Text));
    out.extend(note.cosignature.iter().cloned().map(Block::Text));
    if let Some(digest) = &note.digest {
        out.push(Block::Small(format!(
            "SHA-256 of the signed content: {digest} (verified when released)"
        )));
    }
    if !note.addenda.is_empty() {
        out.push(Block::Heading("Addenda".into()));
        for addendum in &note.addenda {
            out.push(Block::Text(addendum.text.clone()));
            out.push(Block::Small(format!("Signed: {}", addendum.signed)));
        }
    }
    out
}
