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

/// A `Program data:` payload with the program that logged it and its position among the transaction's payloads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgramPayload {
    /// 0-based position among every decodable `Program data:` line of the transaction.
    pub index: usize,
    /// The program executing when the line was logged (base58), from the runtime's `Program <id> invoke [n]` /
    /// `Program <id> success|failed` lines; `None` if the log does not say (truncated or hand-made logs).
    pub program: Option<String>,
    /// The base64-decoded payload: for an Anchor event, its 8-byte discriminator and its Borsh encoding.
    pub bytes: Vec<u8>,
}

/// Every `Program data:` payload in `logs` with the program that emitted it. Anchor events carry no emitter, and
/// any program can log any bytes, so an indexer must attribute each payload to the program on top of the invoke
/// stack before trusting it (a CPI callee's lines are interleaved with its caller's).
pub fn program_payloads(logs: &[String]) -> Vec<ProgramPayload> {
    let mut stack: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for line in logs {
        if let Some(b64) = line.strip_prefix(PREFIX) {
            if let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(b64.trim()) {
                out.push(ProgramPayload { index: out.len(), program: stack.last().cloned(), bytes });
            }
            continue;
        }
        let Some(rest) = line.strip_prefix("Program ") else { continue };
        let mut words = rest.split_whitespace();
        let (Some(id), Some(verb)) = (words.next(), words.next()) else { continue };
        match verb {
            "invoke" => stack.push(id.to_owned()),
            "success" | "failed:" | "failed" if stack.last().is_some_and(|top| top == id) => {
                stack.pop();
            }
            _ => {}
        }
    }
    out
}

/// Decodes `bytes` (discriminator + Borsh) as an event of type `E`, if the discriminator is `E`'s.
pub fn decode_payload<E: AnchorDeserialize + Discriminator>(bytes: &[u8]) -> Option<E> {
    let body = bytes.strip_prefix(E::DISCRIMINATOR)?;
    E::deserialize(&mut &body[..]).ok()
}
