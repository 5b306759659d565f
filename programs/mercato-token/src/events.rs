//! Events of the currency program, emitted in the transaction log for indexers (Anchor `emit!`).

use anchor_lang::prelude::*;

use crate::state::{MarketParams, RewardReason};

/// The economy was initialized.
#[event]
pub struct ConfigInitialized {
    /// The config PDA.
    pub config: Pubkey,
    /// The currency mint.
    pub mint: Pubkey,
    /// Initial authority.
    pub authority: Pubkey,
    /// Supply cap.
    pub cap: u64,
    /// Initial emission rate per second.
    pub emission_rate: u64,
    /// Initial market parameters.
    pub market: MarketParams,
}

/// The one-time genesis supply was minted.
#[event]
pub struct GenesisMinted {
    /// Receiving token account.
    pub to: Pubkey,
    /// Amount minted.
    pub amount: u64,
}

/// Accrued emission was minted into the rewards vault.
#[event]
pub struct EmissionReleased {
    /// Amount minted (0 when capped or nothing accrued).
    pub amount: u64,
    /// Start of the released period (exclusive).
    pub from_ts: i64,
    /// End of the released period (inclusive).
    pub to_ts: i64,
    /// Mint supply after the release.
    pub supply: u64,
}

/// The game server granted a reward from the rewards vault.
#[event]
pub struct RewardGranted {
    /// The player wallet.
    pub player: Pubkey,
    /// Amount granted.
    pub amount: u64,
    /// Why.
    pub reason: RewardReason,
    /// UTC day number.
    pub day: i64,
    /// The player's rewards on that day, this one included.
    pub granted_today: u64,
}

/// Currency was burned (a sink).
#[event]
pub struct Burned {
    /// The holder who burned.
    pub owner: Pubkey,
    /// Amount burned.
    pub amount: u64,
    /// Game-defined sink code (crafting, repair, fees, …).
    pub sink: u16,
    /// Mint supply after the burn.
    pub supply: u64,
}

/// A numeric parameter changed. Names match the EVM `ParameterChanged` names.
#[event]
pub struct ParameterChanged {
    /// Parameter name, e.g. "marketFeeBps".
    pub name: String,
    /// Previous value.
    pub old_value: u64,
    /// New value.
    pub new_value: u64,
}

/// An address parameter or role changed ("treasury", "gameServer", "authority").
#[event]
pub struct AddressChanged {
    /// Parameter name.
    pub name: String,
    /// Previous address.
    pub old_value: Pubkey,
    /// New address.
    pub new_value: Pubkey,
}
