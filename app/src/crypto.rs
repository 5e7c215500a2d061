//! Column encryption for clinical text: AES-256-GCM under data keys from the environment.
//!
//! A sealed value is `nonce ‖ ciphertext ‖ tag`, stored beside the id of the key that sealed it, and
//! is bound to its row (the row's id is the associated data), so a value copied into another row does
//! not open. `DATA_ENCRYPTION_KEY` is the current key (base64 of 32 bytes); earlier keys stay in
//! `DATA_ENCRYPTION_OLD_KEYS` (comma-separated) until `server keys rotate` has re-sealed everything.

use crate::error::AppError;
use aes_gcm::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use sha2::{Digest, Sha256};

const NONCE_LEN: usize = 12;

/// One data key and its public id (derived from the key, so the two cannot drift apart).
struct DataKey {
    id: String,
    cipher: Aes256Gcm,
}

impl DataKey {
    fn from_base64(raw: &str) -> Result<Self, String> {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(raw.trim())
            .map_err(|_| "is not base64".to_owned())?;
        if bytes.len() != 32 {
            return Err(format!("must be 32 bytes, not {}", bytes.len()));
        }
        let digest = Sha256::new()
            .chain_update(b"mentalspace data key id\0")
            .chain_update(&bytes)
            .finalize();
        Ok(DataKey {
            id: digest[..8].iter().map(|b| format!("{b:02x}")).collect(),
            cipher: Aes256Gcm::new_from_slice(&bytes).map_err(|_| "must be 32 bytes".to_owned())?,
        })
    }
}

/// The associated data that binds a sealed value to its row: the table's name and the row's id.
pub fn row_tag(table: &str, id: uuid::Uuid) -> Vec<u8> {
    let mut tag = table.as_bytes().to_vec();
    tag.push(b':');
    tag.extend_from_slice(id.as_bytes());
    tag
}

/// A value sealed under a key.
#[derive(Debug, Clone, PartialEq)]
pub struct Sealed {
    pub key_id: String,
    pub bytes: Vec<u8>,
}

/// The current key, which seals, and older keys, which only open.
pub struct Keyring {
    current: DataKey,
    old: Vec<DataKey>,
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let old: Vec<&str> = self.old.iter().map(|k| k.id.as_str()).collect();
        f.debug_struct("Keyring")
            .field("current", &self.current.id)
            .field("old", &old)
            .finish()
    }
}

impl Keyring {
    /// From the current key and any older ones (base64 each). The error names the bad value.
    pub fn new(current: &str, old: &[&str]) -> Result<Self, String> {
        let current =
            DataKey::from_base64(current).map_err(|e| format!("DATA_ENCRYPTION_KEY {e}"))?;
        let old = old
            .iter()
            .filter(|k| !k.trim().is_empty())
            .map(|k| {
                DataKey::from_base64(k).map_err(|e| format!("DATA_ENCRYPTION_OLD_KEYS: a key {e}"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Keyring { current, old })
    }

    /// From `DATA_ENCRYPTION_KEY` and `DATA_ENCRYPTION_OLD_KEYS`.
    pub fn from_lookup(lookup: &dyn Fn(&str) -> Option<String>) -> Result<Self, String> {
        let current = lookup("DATA_ENCRYPTION_KEY")
            .filter(|k| !k.trim().is_empty())
            .ok_or("DATA_ENCRYPTION_KEY must be set (base64 of 32 random bytes: `openssl rand -base64 32`)")?;
        let old = lookup("DATA_ENCRYPTION_OLD_KEYS").unwrap_or_default();
        Keyring::new(&current, &old.split(',').collect::<Vec<_>>())
    }

    /// A fresh random key, base64 (for development set-ups and tests).
    pub fn generate_key() -> String {
        base64::engine::general_purpose::STANDARD.encode(Aes256Gcm::generate_key(OsRng))
    }

    pub fn current_id(&self) -> &str {
        &self.current.id
    }

    /// Seals `plain` under the current key, bound to `row` (its id).
    pub fn seal(&self, plain: &[u8], row: &[u8]) -> Sealed {
        let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
        #[allow(clippy::expect_used)] // the one failure is a plaintext over 64 GiB
        let sealed = self
            .current
            .cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: plain,
                    aad: row,
                },
            )
            .expect("AES-GCM refuses only plaintexts beyond 64 GiB");
        let mut bytes = nonce.to_vec();
        bytes.extend_from_slice(&sealed);
        Sealed {
            key_id: self.current.id.clone(),
            bytes,
        }
    }

    /// Opens a value sealed by any key of the ring. A missing key or a value that does not open (tampered,
    /// or moved from another row) is logged by key id only and reported as an internal error.
    pub fn open(&self, key_id: &str, bytes: &[u8], row: &[u8]) -> Result<Vec<u8>, AppError> {
        let Some(key) = std::iter::once(&self.current)
            .chain(&self.old)
            .find(|k| k.id == key_id)
        else {
            tracing::error!(key_id, "a sealed value's key is not configured");
            return Err(AppError::Internal);
        };
        if bytes.len() < NONCE_LEN {
            tracing::error!(key_id, "a sealed value is too short");
            return Err(AppError::Internal);
        }
        let (nonce, sealed) = bytes.split_at(NONCE_LEN);
        let Ok(nonce) = <[u8; NONCE_LEN]>::try_from(nonce) else {
            return Err(AppError::Internal);
        };
        key.cipher
            .decrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: sealed,
                    aad: row,
                },
            )
            .map_err(|_| {
                tracing::error!(key_id, "a sealed value did not open");
                AppError::Internal
            })
    }

    /// Opens UTF-8 text.
    pub fn open_text(&self, key_id: &str, bytes: &[u8], row: &[u8]) -> Result<String, AppError> {
        String::from_utf8(self.open(key_id, bytes, row)?).map_err(|_| AppError::Internal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seals_and_opens_bound_to_its_row() {
        let ring = Keyring::new(&Keyring::generate_key(), &[]).unwrap();
        let sealed = ring.seal(b"Client reports better sleep.", b"row-1");
        assert_eq!(sealed.key_id, ring.current_id());
        assert!(!sealed.bytes.windows(6).any(|w| w == b"Client"));
        assert_eq!(
            ring.open(&sealed.key_id, &sealed.bytes, b"row-1").unwrap(),
            b"Client reports better sleep."
        );
        assert!(ring.open(&sealed.key_id, &sealed.bytes, b"row-2").is_err());
        let mut tampered = sealed.bytes.clone();
        *tampered.last_mut().unwrap() ^= 1;
        assert!(ring.open(&sealed.key_id, &tampered, b"row-1").is_err());
    }

    #[test]
    fn old_keys_open_but_only_the_current_key_seals() {
        let (old, new) = (Keyring::generate_key(), Keyring::generate_key());
        let before = Keyring::new(&old, &[]).unwrap();
        let sealed = before.seal(b"x", b"r");
        let after = Keyring::new(&new, &[&old]).unwrap();
        assert_ne!(after.current_id(), sealed.key_id);
        assert_eq!(
            after.open(&sealed.key_id, &sealed.bytes, b"r").unwrap(),
            b"x"
        );
        let without_old = Keyring::new(&new, &[]).unwrap();
        assert!(without_old
            .open(&sealed.key_id, &sealed.bytes, b"r")
            .is_err());
    }

    #[test]
    fn bad_keys_are_named() {
        assert!(Keyring::new("not base64!", &[])
            .unwrap_err()
            .contains("DATA_ENCRYPTION_KEY"));
        let short = base64::engine::general_purpose::STANDARD.encode([0u8; 16]);
        assert!(Keyring::new(&short, &[]).unwrap_err().contains("32 bytes"));
        assert!(Keyring::from_lookup(&|_| None)
            .unwrap_err()
            .contains("must be set"));
    }
}
