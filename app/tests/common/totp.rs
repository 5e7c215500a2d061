//! An independent TOTP (RFC 4648 base32, RFC 4226 HOTP, RFC 6238 TOTP), written from the RFCs for
//! the two-step sign-in tests: it shares no code with the product (which uses `totp-rs`).
#![allow(dead_code)]

use hmac::{Hmac, Mac};

/// Decodes unpadded RFC 4648 base32, ignoring spaces.
pub fn base32_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let (mut bits, mut value, mut out) = (0u32, 0u32, Vec::new());
    for c in text.bytes().filter(|c| *c != b' ') {
        let index = ALPHABET
            .iter()
            .position(|a| *a == c.to_ascii_uppercase())
            .expect("a base32 character") as u32;
        value = (value << 5) | index;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((value >> bits) as u8);
            value &= (1 << bits) - 1;
        }
    }
    out
}

/// The 6-digit HOTP code of `counter` (RFC 4226 section 5.3).
pub fn hotp(secret: &[u8], counter: u64) -> String {
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(secret).unwrap();
    mac.update(&counter.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = usize::from(digest[19] & 0x0f);
    let binary = (u32::from(digest[offset]) & 0x7f) << 24
        | u32::from(digest[offset + 1]) << 16
        | u32::from(digest[offset + 2]) << 8
        | u32::from(digest[offset + 3]);
    format!("{:06}", binary % 1_000_000)
}

/// The current 30-second step.
pub fn current_step() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        / 30
}

/// The code of the step `ahead` steps from now, from the base32 secret an enrolment shows.
pub fn code(secret_base32: &str, ahead: u64) -> String {
    hotp(&base32_decode(secret_base32), current_step() + ahead)
}
