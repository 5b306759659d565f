//! What the relayer signs as a Solana fee payer: the Mercato programs' user instructions, a compute budget, and
//! one rent top-up it chose itself — nothing else.
//!
//! The fee payer's safety rests on one runtime rule: an instruction (and every CPI beneath it) can only touch the
//! accounts listed in it. So the fee payer must not be listed in any instruction except the one transfer that tops
//! up the user's rent, and that transfer is bounded and charged to the user's lamport budget. Only legacy messages
//! are accepted (no address lookup tables can bring the fee payer back in).

use crate::error::ApiError;
use axum::http::StatusCode;
use mercato_solana_client::Pubkey;
use solana_compute_budget_interface::ComputeBudgetInstruction;
use solana_system_interface::instruction::SystemInstruction;
use solana_transaction::Message;
use std::collections::HashMap;

/// The Solana compute budget program.
pub const COMPUTE_BUDGET_PROGRAM: Pubkey = solana_compute_budget_interface::ID;
/// The system program.
pub const SYSTEM_PROGRAM: Pubkey = solana_system_interface::program::ID;
/// The highest compute-unit limit a transaction may ask for.
pub const MAX_COMPUTE_UNITS: u32 = 1_400_000;

/// Allowed `(program, instruction)` pairs, an instruction known by its data prefix (Anchor's 8-byte
/// discriminator; the associated token program's one-byte tag).
#[derive(Debug, Clone, Default)]
pub struct SolanaAllowlist {
    allowed: HashMap<Pubkey, (&'static str, Vec<AllowedInstruction>)>,
}

/// An instruction's data prefix and its name.
type AllowedInstruction = (&'static [u8], &'static str);

macro_rules! anchor_ixs {
    ($program:ident: $($ix:ident => $name:literal),* $(,)?) => {
        vec![$((<$program::instruction::$ix as mercato_solana_client::anchor_lang::Discriminator>::DISCRIMINATOR, $name)),*]
    };
}

impl SolanaAllowlist {
    /// The Mercato programs' user instructions: market actions (list, bid, buy, settle, cancel, withdraw credits),
    /// governance (deposit, withdraw, propose, cancel, vote, execute), burning currency into a sink or an item,
    /// releasing emission (permissionless), and creating an associated token account. Admin instructions
    /// (initialize, minting, parameter changes, roles) are not sponsored: they belong to the game server and the DAO.
    pub fn mercato() -> Self {
        use mercato_solana_client::{auction, governance, items, token};
        use mercato_solana_client::{mercato_auction, mercato_governance, mercato_items, mercato_token};
        let mut allowed = HashMap::new();
        allowed.insert(
            auction::PROGRAM_ID,
            (
                "mercato_auction",
                anchor_ixs!(mercato_auction: CreateListing => "create_listing", Bid => "bid", Settle => "settle",
                    Buy => "buy", Cancel => "cancel", WithdrawCredits => "withdraw_credits"),
            ),
        );
        allowed.insert(
            governance::PROGRAM_ID,
            (
                "mercato_governance",
                anchor_ixs!(mercato_governance: Deposit => "deposit", Withdraw => "withdraw", Propose => "propose",
                    Cancel => "cancel", CastVote => "cast_vote", Execute => "execute"),
            ),
        );
        allowed.insert(items::PROGRAM_ID, ("mercato_items", anchor_ixs!(mercato_items: BurnItem => "burn_item")));
        allowed.insert(
            token::PROGRAM_ID,
            ("mercato_token", anchor_ixs!(mercato_token: Burn => "burn", ReleaseEmission => "release_emission")),
        );
        // Create (tag 0) and CreateIdempotent (tag 1); the payer is a user signer (the fee payer cannot be listed).
        allowed.insert(
            mercato_solana_client::ASSOCIATED_TOKEN_PROGRAM,
            ("associated_token", vec![(&[0u8][..], "create"), (&[1u8][..], "create_idempotent")]),
        );
        Self { allowed }
    }

    /// Refuses instructions of programs or kinds the relayer does not build or sponsor (also for transactions a
    /// wallet pays for itself: the relayer prepares and simulates only the Mercato suite's instructions).
    pub fn check_instructions(&self, instructions: &[mercato_solana_client::Instruction]) -> Result<(), ApiError> {
        for ix in instructions {
            self.instruction_name(&ix.program_id, &ix.data)?;
        }
        Ok(())
    }

    fn instruction_name(&self, program: &Pubkey, data: &[u8]) -> Result<&'static str, ApiError> {
        let (name, instructions) = self
            .allowed
            .get(program)
            .ok_or_else(|| forbidden("program_not_allowed", format!("program {program} is not sponsored")))?;
        instructions
            .iter()
            .find(|(prefix, _)| data.starts_with(prefix))
            .map(|(_, ix)| *ix)
            .ok_or_else(|| forbidden("instruction_not_allowed", format!("this instruction of {name} is not sponsored")))
    }
}

/// Caps on what a transaction may ask of the fee payer.
#[derive(Debug, Clone, Copy)]
pub struct FeePayerLimits {
    /// The largest rent top-up per transaction, lamports.
    pub max_top_up: u64,
    /// The highest compute-unit price, micro-lamports.
    pub max_priority_fee: u64,
}

/// What a checked message asks of the fee payer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    /// The first signer after the fee payer: who is charged.
    pub signer: Pubkey,
    /// Lamports the fee payer transfers to a signer for rent (0 without a top-up).
    pub top_up: u64,
    /// The compute-unit limit asked for, if any.
    pub compute_units: Option<u32>,
    /// The compute-unit price asked for, if any (micro-lamports).
    pub priority_fee: Option<u64>,
    /// Names of the sponsored instructions, in order (for logs and metrics).
    pub instructions: Vec<&'static str>,
}

fn forbidden(reason: &'static str, message: String) -> ApiError {
    ApiError { status: StatusCode::FORBIDDEN, reason, message, retry_after: None, revert_data: None }
}

fn malformed(message: &str) -> ApiError {
    ApiError::bad_request("malformed_transaction", message)
}

/// Checks a message the fee payer is asked to sign (see the module docs for the rules).
pub fn check(
    message: &Message,
    fee_payer: &Pubkey,
    allowlist: &SolanaAllowlist,
    limits: FeePayerLimits,
) -> Result<Checked, ApiError> {
    let keys = &message.account_keys;
    if keys.first() != Some(fee_payer) {
        return Err(forbidden("fee_payer_not_relayer", format!("the fee payer must be the relayer's {fee_payer}")));
    }
    let signers = usize::from(message.header.num_required_signatures);
    if signers < 2 || signers > keys.len() {
        return Err(malformed("a sponsored transaction needs the fee payer and at least one other signer"));
    }
    let mut checked = Checked {
        signer: keys[1],
        top_up: 0,
        compute_units: None,
        priority_fee: None,
        instructions: Vec::with_capacity(message.instructions.len()),
    };
    let mut top_ups = 0;
    for ix in &message.instructions {
        let program = keys
            .get(usize::from(ix.program_id_index))
            .ok_or_else(|| malformed("an instruction's program index is out of range"))?;
        if ix.accounts.iter().any(|&i| usize::from(i) >= keys.len()) {
            return Err(malformed("an instruction's account index is out of range"));
        }
        if *program == COMPUTE_BUDGET_PROGRAM {
            let parsed = borsh::from_slice::<ComputeBudgetInstruction>(&ix.data)
                .map_err(|_| malformed("unreadable compute budget instruction"))?;
            match parsed {
                ComputeBudgetInstruction::SetComputeUnitLimit(units) if checked.compute_units.is_none() => {
                    if units > MAX_COMPUTE_UNITS {
                        return Err(forbidden("compute_budget_not_allowed", format!("at most {MAX_COMPUTE_UNITS} CU")));
                    }
                    checked.compute_units = Some(units);
                }
                ComputeBudgetInstruction::SetComputeUnitPrice(price) if checked.priority_fee.is_none() => {
                    if price > limits.max_priority_fee {
                        return Err(forbidden(
                            "priority_fee_too_high",
                            format!("the relayer pays at most {} micro-lamports per CU", limits.max_priority_fee),
                        ));
                    }
                    checked.priority_fee = Some(price);
                }
                _ => {
                    return Err(forbidden(
                        "compute_budget_not_allowed",
                        "only one compute-unit limit and one compute-unit price are allowed".into(),
                    ));
                }
            }
            checked.instructions.push("compute_budget");
            continue;
        }
        if *program == SYSTEM_PROGRAM {
            // The one allowed system instruction: the rent top-up, fee payer → a user signer.
            let transfer = bincode::deserialize::<SystemInstruction>(&ix.data).ok();
            let to = ix.accounts.get(1).map(|&i| usize::from(i));
            match (transfer, ix.accounts.first(), to) {
                (Some(SystemInstruction::Transfer { lamports }), Some(0), Some(to))
                    if ix.accounts.len() == 2 && to > 0 && to < signers && top_ups == 0 =>
                {
                    if lamports > limits.max_top_up {
                        return Err(forbidden(
                            "top_up_too_large",
                            format!("the relayer tops up at most {} lamports of rent", limits.max_top_up),
                        ));
                    }
                    top_ups += 1;
                    checked.top_up = lamports;
                    checked.instructions.push("rent_top_up");
                    continue;
                }
                _ => {
                    return Err(forbidden(
                        "system_instruction_not_allowed",
                        "the only system instruction sponsored is one rent top-up from the fee payer to a signer"
                            .into(),
                    ));
                }
            }
        }
        if ix.accounts.contains(&0) {
            return Err(forbidden(
                "fee_payer_in_instruction",
                "the fee payer may not be an account of a sponsored instruction".into(),
            ));
        }
        checked.instructions.push(allowlist.instruction_name(program, &ix.data)?);
    }
    if checked.instructions.iter().all(|name| matches!(*name, "compute_budget" | "rent_top_up")) {
        return Err(ApiError::bad_request("no_instructions", "the transaction has no sponsored instruction"));
    }
    Ok(checked)
}
