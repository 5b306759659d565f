//! Instruction builders for the common Solana actions, so an app need not encode Anchor instructions or look up
//! the accounts an instruction needs (the listing's high bidder, its seller, the collection's royalty receiver):
//! the relayer reads them from the chain and answers instructions for `/v1/solana/instructions` (custodial) or
//! `/v1/solana/prepare` (wallet). Building signs nothing, stores nothing and spends nothing.

use crate::error::ApiError;
use axum::http::StatusCode;
use mercato_solana_client::anchor_lang::AccountDeserialize;
use mercato_solana_client::auction::{self, Listing, ListingKind, SaleParties};
use mercato_solana_client::governance::{self, Governance, Side};
use mercato_solana_client::items::{self, ItemsConfig};
use mercato_solana_client::token::{self, EconomyConfig, ParamChange};
use mercato_solana_client::{AccountMeta, Instruction, Pubkey};
use serde::{Deserialize, Serialize};
use solana_rpc_client::nonblocking::rpc_client::RpcClient;

/// An action to build instructions for. Amounts are in currency base units, as decimal strings or numbers.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum SolanaAction {
    /// Bid `amount` on the English auction of `item_mint`.
    Bid {
        /// The item (base58 mint).
        item_mint: String,
        /// The bid, base units.
        #[schema(value_type = String)]
        amount: Amount,
    },
    /// Buy the fixed-price or Dutch listing of `item_mint`, paying at most `max_price`.
    Buy {
        /// The item (base58 mint).
        item_mint: String,
        /// The most the buyer pays, base units.
        #[schema(value_type = String)]
        max_price: Amount,
    },
    /// Settle the ended English auction of `item_mint` (anyone may).
    Settle {
        /// The item (base58 mint).
        item_mint: String,
    },
    /// List `item_mint` (held by the signer).
    List {
        /// The item (base58 mint).
        item_mint: String,
        /// `english`, `dutch` or `fixed`.
        kind: Kind,
        /// English: reserve; Dutch: start price; fixed: the price. Base units.
        #[schema(value_type = String)]
        start_price: Amount,
        /// Dutch: the floor; otherwise ignored.
        #[serde(default)]
        #[schema(value_type = String)]
        floor_price: Amount,
        /// Seconds (English: until the end; Dutch: until the floor; fixed: 0).
        #[serde(default)]
        duration: u32,
    },
    /// Cancel the signer's listing of `item_mint`.
    Cancel {
        /// The item (base58 mint).
        item_mint: String,
    },
    /// Move the signer's auction credits (refunds, proceeds) to their currency account.
    WithdrawCredits {
        /// Base units.
        #[schema(value_type = String)]
        amount: Amount,
    },
    /// Deposit currency into governance (voting power).
    Deposit {
        /// Base units.
        #[schema(value_type = String)]
        amount: Amount,
    },
    /// Withdraw deposited currency from governance.
    Withdraw {
        /// Base units.
        #[schema(value_type = String)]
        amount: Amount,
    },
    /// Vote on proposal `proposal_id`.
    Vote {
        /// The proposal's id.
        proposal_id: u64,
        /// `for`, `against` or `abstain`.
        side: VoteSide,
    },
    /// Propose a change of one economy parameter (as the governance's next proposal id). The proposer needs the
    /// governance's proposal threshold deposited.
    Propose {
        /// The change.
        change: ProposedChange,
    },
    /// Execute proposal `proposal_id`, which passed and whose hold-up is over (anyone may).
    Execute {
        /// The proposal's id.
        proposal_id: u64,
    },
}

/// A change of one economy parameter, as `{"parameter": "market_fee_bps", "value": 300}`. The program checks the
/// bounds only when a passed proposal is executed; the relayer checks them before building the proposal (a change
/// out of bounds could be voted through and never executed).
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "parameter", content = "value", rename_all = "snake_case", deny_unknown_fields)]
pub enum ProposedChange {
    /// Market fee, basis points.
    MarketFeeBps(u16),
    /// Royalty cap, basis points.
    RoyaltyCapBps(u16),
    /// Minimum bid increment, basis points.
    MinBidIncrementBps(u16),
    /// Anti-snipe buffer, seconds.
    AntiSnipeBuffer(u32),
    /// Shortest and longest auction, seconds.
    AuctionDurationBounds {
        /// Shortest, seconds.
        min: u32,
        /// Longest, seconds.
        max: u32,
    },
    /// Emission, base units per second.
    EmissionRate(Amount),
    /// Per-player daily reward cap, base units.
    DailyRewardCap(Amount),
    /// The game server allowed to grant rewards (base58).
    GameServer(String),
}

/// Refuses a change the program would refuse at execution (`mercato_token`'s `update_param` bounds).
fn check_bounds(change: &ParamChange, config: &EconomyConfig) -> Result<(), ApiError> {
    use mercato_solana_client::mercato_token::constants::*;
    let out = |what: String| Err(bad("parameter_out_of_bounds", what));
    match *change {
        ParamChange::MarketFeeBps(bps) if bps > MAX_MARKET_FEE_BPS => {
            out(format!("the market fee is at most {MAX_MARKET_FEE_BPS} bps"))
        }
        ParamChange::RoyaltyCapBps(bps) if bps > MAX_ROYALTY_CAP_BPS => {
            out(format!("the royalty cap is at most {MAX_ROYALTY_CAP_BPS} bps"))
        }
        ParamChange::MinBidIncrementBps(bps) if !(MIN_BID_INCREMENT_BPS..=MAX_BID_INCREMENT_BPS).contains(&bps) => {
            out(format!("the minimum bid increment is {MIN_BID_INCREMENT_BPS}..={MAX_BID_INCREMENT_BPS} bps"))
        }
        ParamChange::AntiSnipeBuffer(seconds) if seconds > MAX_ANTI_SNIPE_BUFFER => {
            out(format!("the anti-snipe buffer is at most {MAX_ANTI_SNIPE_BUFFER} s"))
        }
        ParamChange::AuctionDurationBounds { min, max }
            if !(MIN_AUCTION_DURATION_FLOOR..=MIN_AUCTION_DURATION_CEIL).contains(&min)
                || !(MAX_AUCTION_DURATION_FLOOR.max(min)..=MAX_AUCTION_DURATION_CEIL).contains(&max) =>
        {
            out(format!(
                "the shortest auction is {MIN_AUCTION_DURATION_FLOOR}..={MIN_AUCTION_DURATION_CEIL} s and the longest \
                 max({MAX_AUCTION_DURATION_FLOOR}, shortest)..={MAX_AUCTION_DURATION_CEIL} s"
            ))
        }
        ParamChange::EmissionRate(rate) if rate > config.max_emission_rate => {
            out(format!("the emission rate is at most {} base units per second", config.max_emission_rate))
        }
        ParamChange::DailyRewardCap(cap) if cap > config.max_daily_reward_cap => {
            out(format!("the daily reward cap is at most {} base units", config.max_daily_reward_cap))
        }
        _ => Ok(()),
    }
}

impl ProposedChange {
    fn to_change(&self) -> Result<ParamChange, ApiError> {
        Ok(match self {
            Self::MarketFeeBps(bps) => ParamChange::MarketFeeBps(*bps),
            Self::RoyaltyCapBps(bps) => ParamChange::RoyaltyCapBps(*bps),
            Self::MinBidIncrementBps(bps) => ParamChange::MinBidIncrementBps(*bps),
            Self::AntiSnipeBuffer(seconds) => ParamChange::AntiSnipeBuffer(*seconds),
            Self::AuctionDurationBounds { min, max } => ParamChange::AuctionDurationBounds { min: *min, max: *max },
            Self::EmissionRate(rate) => ParamChange::EmissionRate(rate.0),
            Self::DailyRewardCap(cap) => ParamChange::DailyRewardCap(cap.0),
            Self::GameServer(key) => ParamChange::GameServer(
                key.parse()
                    .map_err(|_| bad("invalid_action", format!("game server {key:?} is not a base58 address")))?,
            ),
        })
    }
}

/// A listing kind.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Ascending bids.
    English,
    /// Falling price.
    Dutch,
    /// Fixed price.
    Fixed,
}

/// A side of a vote.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum VoteSide {
    /// In favour.
    For,
    /// Against.
    Against,
    /// Counts for quorum only.
    Abstain,
}

/// A token amount: a JSON number or a decimal string (u64 amounts exceed what JavaScript numbers hold exactly).
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
#[serde(try_from = "AmountText", into = "String")]
pub struct Amount(pub u64);

#[derive(Deserialize)]
#[serde(untagged)]
enum AmountText {
    Number(u64),
    Text(String),
}

impl TryFrom<AmountText> for Amount {
    type Error = String;
    fn try_from(value: AmountText) -> Result<Self, String> {
        match value {
            AmountText::Number(n) => Ok(Self(n)),
            AmountText::Text(text) => {
                text.parse().map(Self).map_err(|_| format!("{text:?} is not an amount in base units (0..2^64)"))
            }
        }
    }
}

/// Documented as a string (the form that holds every u64 exactly).
impl utoipa::PartialSchema for Amount {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        <String as utoipa::PartialSchema>::schema()
    }
}

impl utoipa::ToSchema for Amount {}

impl From<Amount> for String {
    fn from(value: Amount) -> Self {
        value.0.to_string()
    }
}

fn bad(reason: &'static str, message: String) -> ApiError {
    ApiError::bad_request(reason, &message)
}

fn refused(reason: &'static str, message: String) -> ApiError {
    ApiError { status: StatusCode::UNPROCESSABLE_ENTITY, reason, message, retry_after: None, revert_data: None }
}

fn mint(text: &str) -> Result<Pubkey, ApiError> {
    text.parse().map_err(|_| bad("invalid_action", format!("item_mint {text:?} is not a base58 address")))
}

fn positive(amount: Amount, what: &str) -> Result<u64, ApiError> {
    match amount.0 {
        0 => Err(bad("invalid_action", format!("{what} must be above zero"))),
        n => Ok(n),
    }
}

/// Reads an Anchor account of `program`; `None` when there is none. An account at the address that `program` does
/// not own (anyone may send lamports to an unused address) counts as none.
async fn account<T: AccountDeserialize>(
    rpc: &RpcClient,
    program: &Pubkey,
    address: &Pubkey,
) -> Result<Option<T>, ApiError> {
    let response =
        rpc.get_account_with_commitment(address, rpc.commitment()).await.map_err(super::engine::unavailable)?;
    match response.value {
        None => Ok(None),
        Some(account) if account.owner != *program || account.data.is_empty() => Ok(None),
        Some(account) => T::try_deserialize(&mut account.data.as_slice())
            .map(Some)
            .map_err(|e| ApiError::internal(format!("account {address} does not decode: {e}"))),
    }
}

async fn listing(rpc: &RpcClient, item_mint: &Pubkey) -> Result<Listing, ApiError> {
    account(rpc, &auction::PROGRAM_ID, &auction::listing_address(item_mint))
        .await?
        .ok_or_else(|| refused("no_listing", format!("item {item_mint} is not listed")))
}

async fn sale_parties(rpc: &RpcClient, listing: &Listing) -> Result<SaleParties, ApiError> {
    let config: ItemsConfig = account(rpc, &items::PROGRAM_ID, &items::config_address())
        .await?
        .ok_or_else(|| ApiError::internal("the items program is not initialized"))?;
    Ok(SaleParties { seller: listing.seller, creator: config.royalty_receiver })
}

/// The instructions of `action` signed by `signer`, built from the chain's current state.
pub async fn build(rpc: &RpcClient, signer: Pubkey, action: &SolanaAction) -> Result<Vec<Instruction>, ApiError> {
    Ok(match action {
        SolanaAction::Bid { item_mint, amount } => {
            let item_mint = mint(item_mint)?;
            let listing = listing(rpc, &item_mint).await?;
            if listing.kind != ListingKind::English {
                return Err(refused("not_an_auction", format!("item {item_mint} is not in an English auction")));
            }
            let previous = listing.has_bid().then_some(listing.high_bidder);
            vec![auction::bid(signer, item_mint, positive(*amount, "amount")?, previous)]
        }
        SolanaAction::Buy { item_mint, max_price } => {
            let item_mint = mint(item_mint)?;
            let listing = listing(rpc, &item_mint).await?;
            if listing.kind == ListingKind::English {
                return Err(refused("not_for_sale", format!("item {item_mint} is in an English auction: bid")));
            }
            let parties = sale_parties(rpc, &listing).await?;
            vec![auction::buy(signer, item_mint, positive(*max_price, "max_price")?, parties)]
        }
        SolanaAction::Settle { item_mint } => {
            let item_mint = mint(item_mint)?;
            let listing = listing(rpc, &item_mint).await?;
            if listing.kind != ListingKind::English {
                return Err(refused("not_an_auction", format!("item {item_mint} is not in an English auction")));
            }
            let winner = if listing.has_bid() { listing.high_bidder } else { listing.seller };
            let parties = sale_parties(rpc, &listing).await?;
            vec![auction::settle(signer, item_mint, winner, parties)]
        }
        SolanaAction::List { item_mint, kind, start_price, floor_price, duration } => {
            let kind = match kind {
                Kind::English => ListingKind::English,
                Kind::Dutch => ListingKind::Dutch,
                Kind::Fixed => ListingKind::Fixed,
            };
            let start = positive(*start_price, "start_price")?;
            vec![auction::create_listing(signer, mint(item_mint)?, kind, start, floor_price.0, *duration)]
        }
        SolanaAction::Cancel { item_mint } => vec![auction::cancel(signer, mint(item_mint)?)],
        // Both pay into the signer's currency account, which a seller paid only in credits may not have yet.
        SolanaAction::WithdrawCredits { amount } => vec![
            token::create_currency_account(signer),
            auction::withdraw_credits(signer, token::currency_account(&signer), positive(*amount, "amount")?),
        ],
        SolanaAction::Deposit { amount } => vec![governance::deposit(signer, positive(*amount, "amount")?)],
        SolanaAction::Withdraw { amount } => {
            vec![token::create_currency_account(signer), governance::withdraw(signer, positive(*amount, "amount")?)]
        }
        SolanaAction::Vote { proposal_id, side } => {
            let side = match side {
                VoteSide::For => Side::For,
                VoteSide::Against => Side::Against,
                VoteSide::Abstain => Side::Abstain,
            };
            vec![governance::cast_vote(signer, *proposal_id, side)]
        }
        SolanaAction::Propose { change } => {
            let change = change.to_change()?;
            let config: EconomyConfig = account(rpc, &token::PROGRAM_ID, &token::config_address())
                .await?
                .ok_or_else(|| ApiError::internal("the token program is not initialized"))?;
            check_bounds(&change, &config)?;
            let governance: Governance = account(rpc, &governance::PROGRAM_ID, &governance::governance_address())
                .await?
                .ok_or_else(|| ApiError::internal("the governance program is not initialized"))?;
            vec![governance::propose(signer, governance.next_proposal_id, change)]
        }
        SolanaAction::Execute { proposal_id } => {
            // `execute` needs no signature; the signer's is attached (a trailing account the program ignores) so a
            // sponsored execution is charged to someone, as the relayer's policy requires.
            let mut execute = governance::execute(*proposal_id);
            execute.accounts.push(AccountMeta::new_readonly(signer, true));
            vec![execute]
        }
    })
}
