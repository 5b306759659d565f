//! Solana sponsorship: what the fee payer may sign ([`policy`]) and the submission engine ([`engine`]).

pub mod actions;
pub mod engine;
pub mod policy;

use crate::error::ApiError;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use mercato_solana_client::{AccountMeta, Instruction, Pubkey};
use serde::{Deserialize, Serialize};

/// An instruction as the API carries it.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SolanaInstruction {
    /// The program (base58).
    #[schema(example = "AuCtn9TjSWTjhKkKYmaTXkXLo5mkMNoibqnEPmL98GWF")]
    pub program_id: String,
    /// Its accounts, in order.
    pub accounts: Vec<SolanaAccountMeta>,
    /// Instruction data (base64).
    pub data: String,
}

/// One account of an instruction.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SolanaAccountMeta {
    /// The account (base58).
    pub pubkey: String,
    /// Whether it signs.
    #[serde(default)]
    pub is_signer: bool,
    /// Whether it is written.
    #[serde(default)]
    pub is_writable: bool,
}

fn pubkey(text: &str, what: &str) -> Result<Pubkey, ApiError> {
    text.parse()
        .map_err(|_| ApiError::bad_request("invalid_instruction", &format!("{what} {text:?} is not a base58 address")))
}

impl SolanaInstruction {
    /// Parses it.
    pub fn to_instruction(&self) -> Result<Instruction, ApiError> {
        Ok(Instruction {
            program_id: pubkey(&self.program_id, "program_id")?,
            accounts: self
                .accounts
                .iter()
                .map(|a| {
                    Ok(AccountMeta {
                        pubkey: pubkey(&a.pubkey, "account")?,
                        is_signer: a.is_signer,
                        is_writable: a.is_writable,
                    })
                })
                .collect::<Result<_, ApiError>>()?,
            data: BASE64
                .decode(&self.data)
                .map_err(|_| ApiError::bad_request("invalid_instruction", "data is not base64"))?,
        })
    }

    /// The API form of `instruction`.
    pub fn from_instruction(instruction: &Instruction) -> Self {
        Self {
            program_id: instruction.program_id.to_string(),
            accounts: instruction
                .accounts
                .iter()
                .map(|a| SolanaAccountMeta {
                    pubkey: a.pubkey.to_string(),
                    is_signer: a.is_signer,
                    is_writable: a.is_writable,
                })
                .collect(),
            data: BASE64.encode(&instruction.data),
        }
    }
}
