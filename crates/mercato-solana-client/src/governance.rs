//! The governance program (`mercato_governance`): PDAs and instruction builders.

use anchor_lang::{InstructionData, ToAccountMetas, prelude::Pubkey, solana_program::instruction::Instruction};
use mercato_governance::constants::{GOVERNANCE_SEED, PROPOSAL_SEED, VAULT_SEED, VOTE_SEED, VOTER_SEED};

pub use mercato_governance::ID as PROGRAM_ID;
pub use mercato_governance::instructions::GovernanceParams;
pub use mercato_governance::state::{Governance, Proposal, ProposalStatus, Side, VoteRecord, VoterRecord};
pub use mercato_governance::{error::GovernanceError, events};

use crate::token::{self, ParamChange};

const TOKEN_PROGRAM: Pubkey = anchor_spl::token::ID;
const SYSTEM_PROGRAM: Pubkey = anchor_lang::solana_program::system_program::ID;

/// The governance PDA: `["governance"]` (the economy config's authority once handed over).
pub fn governance_address() -> Pubkey {
    Pubkey::find_program_address(&[GOVERNANCE_SEED], &PROGRAM_ID).0
}

/// The deposit vault: `["vault"]`.
pub fn vault_address() -> Pubkey {
    Pubkey::find_program_address(&[VAULT_SEED], &PROGRAM_ID).0
}

/// A voter's record: `["voter", owner]`.
pub fn voter_address(owner: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[VOTER_SEED, owner.as_ref()], &PROGRAM_ID).0
}

/// Proposal `id`: `["proposal", id (u64 LE)]`.
pub fn proposal_address(id: u64) -> Pubkey {
    Pubkey::find_program_address(&[PROPOSAL_SEED, &id.to_le_bytes()], &PROGRAM_ID).0
}

/// A vote: `["vote", proposal, owner]`.
pub fn vote_address(proposal: &Pubkey, owner: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[VOTE_SEED, proposal.as_ref(), owner.as_ref()], &PROGRAM_ID).0
}

fn ix(accounts: impl ToAccountMetas, data: impl InstructionData) -> Instruction {
    Instruction { program_id: PROGRAM_ID, accounts: accounts.to_account_metas(None), data: data.data() }
}

/// `init_governance`.
pub fn init_governance(payer: Pubkey, params: GovernanceParams) -> Instruction {
    ix(
        mercato_governance::accounts::InitGovernance {
            payer,
            governance: governance_address(),
            economy_config: token::config_address(),
            mint: token::mint_address(),
            vault: vault_address(),
            token_program: TOKEN_PROGRAM,
            system_program: SYSTEM_PROGRAM,
        },
        mercato_governance::instruction::InitGovernance { params },
    )
}

fn deposit_accounts(owner: Pubkey) -> mercato_governance::accounts::Deposit {
    mercato_governance::accounts::Deposit {
        owner,
        governance: governance_address(),
        voter: voter_address(&owner),
        owner_currency: token::currency_account(&owner),
        vault: vault_address(),
        token_program: TOKEN_PROGRAM,
        system_program: SYSTEM_PROGRAM,
    }
}

/// `deposit` from the owner's associated currency account.
pub fn deposit(owner: Pubkey, amount: u64) -> Instruction {
    ix(deposit_accounts(owner), mercato_governance::instruction::Deposit { amount })
}

/// `withdraw` into the owner's associated currency account.
pub fn withdraw(owner: Pubkey, amount: u64) -> Instruction {
    ix(deposit_accounts(owner), mercato_governance::instruction::Withdraw { amount })
}

/// `propose` as proposal `id` (the governance's `next_proposal_id`).
pub fn propose(author: Pubkey, id: u64, change: ParamChange) -> Instruction {
    ix(
        mercato_governance::accounts::Propose {
            author,
            governance: governance_address(),
            mint: token::mint_address(),
            voter: voter_address(&author),
            proposal: proposal_address(id),
            system_program: SYSTEM_PROGRAM,
        },
        mercato_governance::instruction::Propose { change },
    )
}

/// `cancel` proposal `id`.
pub fn cancel(author: Pubkey, id: u64) -> Instruction {
    ix(
        mercato_governance::accounts::Cancel { author, proposal: proposal_address(id) },
        mercato_governance::instruction::Cancel {},
    )
}

/// `cast_vote` on proposal `id`.
pub fn cast_vote(owner: Pubkey, id: u64, side: Side) -> Instruction {
    let proposal = proposal_address(id);
    ix(
        mercato_governance::accounts::CastVote {
            owner,
            voter: voter_address(&owner),
            proposal,
            vote: vote_address(&proposal, &owner),
            system_program: SYSTEM_PROGRAM,
        },
        mercato_governance::instruction::CastVote { side },
    )
}

/// `execute` proposal `id`.
pub fn execute(id: u64) -> Instruction {
    ix(
        mercato_governance::accounts::Execute {
            governance: governance_address(),
            proposal: proposal_address(id),
            economy_config: token::config_address(),
            mint: token::mint_address(),
            rewards_vault: token::rewards_vault_address(),
            mercato_token_program: token::PROGRAM_ID,
            token_program: TOKEN_PROGRAM,
        },
        mercato_governance::instruction::Execute {},
    )
}
