//! A note's content as it is kept: JSON sealed with the data keys and bound to its row, and the
//! digest that signing stores. No SQL here: drafting, signing, reading, plans and the seed share it.

use super::repo::{row_tag, NoteRow};
use crate::crypto::Keyring;
use crate::documents::types::NoteContent;
use crate::error::AppError;
use crate::ids::{NoteId, UserId};
use sha2::{Digest, Sha256};

/// A note's content sealed to its row.
pub fn seal_content(keys: &Keyring, id: NoteId, content: &NoteContent) -> crate::crypto::Sealed {
    let json = content_json(content);
    keys.seal(&json, &row_tag("clinical_notes", id.0))
}

/// A note's content, opened.
pub fn open_content(keys: &Keyring, row: &NoteRow) -> Result<NoteContent, AppError> {
    let json = keys.open(
        &row.key_id,
        &row.content,
        &row_tag("clinical_notes", row.id.0),
    )?;
    serde_json::from_slice(&json).map_err(|_| AppError::Internal)
}

/// The digest stored at signing: the note, its signer and exactly what was signed.
pub fn signature_digest(id: NoteId, signer: UserId, content: &NoteContent) -> Vec<u8> {
    Sha256::new()
        .chain_update(id.0.as_bytes())
        .chain_update(signer.0.as_bytes())
        .chain_update(content_json(content))
        .finalize()
        .to_vec()
}

/// A note's content as JSON, as it is sealed and signed.
#[allow(clippy::expect_used)] // a map of strings always serialises
pub fn content_json(content: &NoteContent) -> Vec<u8> {
    serde_json::to_vec(content).expect("a map of strings serialises")
}
