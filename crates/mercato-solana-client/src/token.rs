//! The currency program (`mercato_token`): PDAs and instruction builders.

use anchor_lang::{InstructionData, ToAccountMetas, prelude::Pubkey, solana_program::instruction::Instruction};
use anchor_spl::associated_token::get_associated_token_address;
use mercato_token::constants::{CONFIG_SEED, MINT_SEED, REWARD_RECORD_SEED, REWARDS_VAULT_SEED, TREASURY_SEED};

pub use mercato_token::ID as PROGRAM_ID;
pub use mercato_token::instructions::InitializeParams;
pub use mercato_token::state::{EconomyConfig, MarketParams, ParamChange, RewardReason, RewardRecord};
pub use mercato_token::{error::TokenError, events};

const TOKEN_PROGRAM: Pubkey = anchor_spl::token::ID;
const SYSTEM_PROGRAM: Pubkey = anchor_lang::solana_program::system_program::ID;

/// The economy config PDA: `["config"]`.
pub fn config_address() -> Pubkey {
    Pubkey::find_program_address(&[CONFIG_SEED], &PROGRAM_ID).0
}

/// The currency mint PDA: `["mint"]`.
pub fn mint_address() -> Pubkey {
    Pubkey::find_program_address(&[MINT_SEED], &PROGRAM_ID).0
}

/// The rewards vault PDA: `["rewards_vault"]`.
pub fn rewards_vault_address() -> Pubkey {
    Pubkey::find_program_address(&[REWARDS_VAULT_SEED], &PROGRAM_ID).0
}

/// The treasury PDA (market fees): `["treasury"]`.
pub fn treasury_address() -> Pubkey {
    Pubkey::find_program_address(&[TREASURY_SEED], &PROGRAM_ID).0
}

/// A player's reward record PDA: `["reward", player]`.
pub fn reward_record_address(player: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[REWARD_RECORD_SEED, player.as_ref()], &PROGRAM_ID).0
}

/// The associated currency account of `owner`.
pub fn currency_account(owner: &Pubkey) -> Pubkey {
    get_associated_token_address(owner, &mint_address())
}

/// Creates `owner`'s associated currency account, paid by `owner`, unless it exists (idempotent).
pub fn create_currency_account(owner: Pubkey) -> Instruction {
    anchor_spl::associated_token::spl_associated_token_account::instruction::create_associated_token_account_idempotent(
        &owner,
        &owner,
        &mint_address(),
        &anchor_spl::token::ID,
    )
}

fn ix(accounts: impl ToAccountMetas, data: impl InstructionData) -> Instruction {
    Instruction { program_id: PROGRAM_ID, accounts: accounts.to_account_metas(None), data: data.data() }
}

/// `initialize`: `authority` pays and becomes the first authority.
pub fn initialize(authority: Pubkey, params: InitializeParams) -> Instruction {
    ix(
        mercato_token::accounts::Initialize {
            authority,
            config: config_address(),
            mint: mint_address(),
            rewards_vault: rewards_vault_address(),
            treasury: treasury_address(),
            token_program: TOKEN_PROGRAM,
            system_program: SYSTEM_PROGRAM,
        },
        mercato_token::instruction::Initialize { params },
    )
}

/// `mint_genesis` into the token account `to`.
pub fn mint_genesis(authority: Pubkey, to: Pubkey, amount: u64) -> Instruction {
    ix(
        mercato_token::accounts::MintGenesis {
            authority,
            config: config_address(),
            mint: mint_address(),
            to,
            token_program: TOKEN_PROGRAM,
        },
        mercato_token::instruction::MintGenesis { amount },
    )
}

/// `release_emission` (anyone may send it).
pub fn release_emission() -> Instruction {
    ix(
        mercato_token::accounts::ReleaseEmission {
            config: config_address(),
            mint: mint_address(),
            rewards_vault: rewards_vault_address(),
            token_program: TOKEN_PROGRAM,
        },
        mercato_token::instruction::ReleaseEmission {},
    )
}

/// `grant_reward` to `player`, paid into `player_token`.
pub fn grant_reward(
    game_server: Pubkey,
    player: Pubkey,
    player_token: Pubkey,
    amount: u64,
    reason: RewardReason,
) -> Instruction {
    ix(
        mercato_token::accounts::GrantReward {
            game_server,
            config: config_address(),
            player,
            player_token,
            reward_record: reward_record_address(&player),
            rewards_vault: rewards_vault_address(),
            token_program: TOKEN_PROGRAM,
            system_program: SYSTEM_PROGRAM,
        },
        mercato_token::instruction::GrantReward { amount, reason },
    )
}

/// `burn` from `owner_token`, recording `sink`.
pub fn burn(owner: Pubkey, owner_token: Pubkey, amount: u64, sink: u16) -> Instruction {
    ix(
        mercato_token::accounts::Burn {
            owner,
            config: config_address(),
            mint: mint_address(),
            owner_token,
            token_program: TOKEN_PROGRAM,
        },
        mercato_token::instruction::Burn { amount, sink },
    )
}

/// `update_param` signed by the config authority.
pub fn update_param(authority: Pubkey, change: ParamChange) -> Instruction {
    ix(
        mercato_token::accounts::UpdateParam {
            authority,
            config: config_address(),
            mint: mint_address(),
            rewards_vault: rewards_vault_address(),
            token_program: TOKEN_PROGRAM,
        },
        mercato_token::instruction::UpdateParam { change },
    )
}

/// `set_authority` signed by the current authority.
pub fn set_authority(authority: Pubkey, new_authority: Pubkey) -> Instruction {
    ix(
        mercato_token::accounts::SetAuthority { authority, config: config_address() },
        mercato_token::instruction::SetAuthority { new_authority },
    )
}
