//! Key rotation (`server keys rotate`): every sealed value not under the current key is opened with the
//! old key and sealed again under the new one, in batches, each batch its own transaction. Locked rows
//! (signed notes, addenda, versions, reviews) allow exactly this change while `mentalspace.rekey` is on
//! for the transaction. Afterwards the old key can be removed from the environment.

use super::repo::{row_tag, version_tag};
use crate::crypto::Keyring;
use crate::error::AppError;
use crate::ids::NoteId;
use sqlx::PgPool;
use uuid::Uuid;

const BATCH: i64 = 200;

/// Each table holding sealed values: its name, sealed column, and how a row's tag is made.
struct SealedTable {
    table: &'static str,
    column: &'static str,
    /// rows are picked by `id` (versions: by note and revision)
    versions: bool,
}

const TABLES: [SealedTable; 6] = [
    SealedTable {
        table: "clinical_notes",
        column: "content",
        versions: false,
    },
    SealedTable {
        table: "clinical_note_versions",
        column: "content",
        versions: true,
    },
    SealedTable {
        table: "note_addenda",
        column: "content",
        versions: false,
    },
    SealedTable {
        table: "note_reviews",
        column: "comment",
        versions: false,
    },
    SealedTable {
        table: "psychotherapy_notes",
        column: "content",
        versions: false,
    },
    // two-step sign-in secrets (the auth module seals them the same way)
    SealedTable {
        table: "user_mfa",
        column: "secret",
        versions: false,
    },
];

/// Re-seals everything under the current key; returns (table, rows re-sealed).
pub async fn rotate(pool: &PgPool, keys: &Keyring) -> Result<Vec<(&'static str, u64)>, AppError> {
    let mut report = Vec::new();
    for t in &TABLES {
        let mut done = 0u64;
        loop {
            let moved = rotate_batch(pool, keys, t).await?;
            done += moved;
            if moved < BATCH as u64 {
                break;
            }
        }
        report.push((t.table, done));
    }
    Ok(report)
}

async fn rotate_batch(pool: &PgPool, keys: &Keyring, t: &SealedTable) -> Result<u64, AppError> {
    let (table, column) = (t.table, t.column);
    let id_columns = if t.versions {
        "note_id, revision"
    } else {
        "id, 0"
    };
    let mut tx = pool.begin().await?;
    sqlx::query!("SET LOCAL mentalspace.rekey = 'on'")
        .execute(&mut *tx)
        .await?;
    // runtime SQL: the table and column are the sealed table being rotated
    let rows: Vec<(Uuid, i32, Vec<u8>, String)> = sqlx::query_as(&format!(
        "SELECT {id_columns}, {column}, key_id FROM {table}
          WHERE {column} IS NOT NULL AND key_id <> $1 LIMIT $2 FOR UPDATE"
    ))
    .bind(keys.current_id())
    .bind(BATCH)
    .fetch_all(&mut *tx)
    .await?;
    for (id, revision, sealed, key_id) in &rows {
        let tag = if t.versions {
            version_tag(NoteId(*id), *revision)
        } else {
            row_tag(table, *id)
        };
        let plain = keys.open(key_id, sealed, &tag)?;
        let fresh = keys.seal(&plain, &tag);
        let filter = if t.versions {
            "note_id = $3 AND revision = $4"
        } else {
            "id = $3 AND $4 = 0"
        };
        // runtime SQL: as above
        sqlx::query(&format!(
            "UPDATE {table} SET {column} = $1, key_id = $2 WHERE {filter}"
        ))
        .bind(&fresh.bytes)
        .bind(&fresh.key_id)
        .bind(id)
        .bind(revision)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(rows.len() as u64)
}
