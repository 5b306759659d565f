//! Anchor events from transaction logs.
//!
//! `emit!` writes `Program data: <base64>` where the payload is the event's 8-byte discriminator followed by its
//! Borsh encoding. Logs of inner (CPI) programs are interleaved; the discriminator tells the events apart.

use anchor_lang::{AnchorDeserialize, Discriminator};
use base64::Engine;

const PREFIX: &str = "Program data: ";

/// Every `Program data:` payload in `logs`, base64-decoded (lines that are not valid base64 are skipped).
pub fn payloads(logs: &[String]) -> impl Iterator<Item = Vec<u8>> + '_ {
    logs.iter()
        .filter_map(|line| line.strip_prefix(PREFIX))
        .filter_map(|b64| base64::engine::general_purpose::STANDARD.decode(b64.trim()).ok())
}

/// Every event of type `E` in `logs`, in order.
pub fn decode<E: AnchorDeserialize + Discriminator>(logs: &[String]) -> Vec<E> {
    payloads(logs)
        .filter_map(|bytes| {
            let body = bytes.strip_prefix(E::DISCRIMINATOR)?;
            E::deserialize(&mut &body[..]).ok()
        })
        .collect()
}

/// The single event of type `E` in `logs`, if there is exactly one.
pub fn decode_one<E: AnchorDeserialize + Discriminator>(logs: &[String]) -> Option<E> {
    let mut all = decode::<E>(logs);
    if all.len() == 1 { all.pop() } else { None }
}
