//! Decoding the suite's logs into [`Event`]s, with the typed bindings (no hand-written ABI). Which contract emitted a
//! log decides how it is read: an ERC-20 and an ERC-721 `Transfer` share a topic.

use alloy::primitives::{Address, B256, Bytes, U256};
use alloy::rpc::types::Log;
use alloy::sol_types::SolEvent;
use mercato_evm_bindings::{AuctionHouse, EconomyConfig, MercatoGovernor, MercatoItems, MercatoToken};
use mercato_manifest::EvmContracts;

/// A decoded event the derived tables use. Logs decoded to `None` are kept only as raw events. Fields mirror the
/// Solidity events' arguments (documented in the contracts), in Rust types.
#[allow(missing_docs)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// Currency moved (`from` zero: minted; `to` zero: burned).
    CurrencyTransfer { from: Address, to: Address, value: U256 },
    /// `delegator` now delegates to `to`.
    DelegateChanged { delegator: Address, to: Address },
    /// `delegate`'s voting power is now `votes`.
    DelegateVotesChanged { delegate: Address, votes: U256 },
    /// An item moved (`from` zero: minted).
    ItemTransfer { from: Address, to: Address, id: U256 },
    /// An item was minted with these attributes.
    ItemMinted { id: U256, to: Address, class: u16, rarity: u8, power: u32 },
    /// A listing was created; `kind` is 1 English, 2 Dutch, 3 fixed price.
    ListingCreated {
        id: U256,
        kind: u8,
        seller: Address,
        nft: Address,
        token_id: U256,
        start_price: U256,
        floor_price: U256,
        start_time: u64,
        end_time: u64,
    },
    /// A bid on an English auction.
    BidPlaced {
        id: U256,
        bidder: Address,
        amount: U256,
        previous_bidder: Address,
        previous_amount: U256,
        end_time: u64,
    },
    /// A listing sold.
    Sale {
        id: U256,
        kind: u8,
        seller: Address,
        buyer: Address,
        nft: Address,
        token_id: U256,
        price: U256,
        fee: U256,
        royalty: U256,
        royalty_receiver: Address,
    },
    /// The seller cancelled.
    ListingCancelled { id: U256 },
    /// An English auction ended without bids.
    AuctionUnsold { id: U256 },
    /// Settlement could not deliver the item: no sale.
    SettlementFailed { id: U256 },
    /// An economy parameter changed.
    ParameterChanged { name: String, old: U256, new: U256 },
    /// A proposal was made.
    ProposalCreated {
        id: U256,
        proposer: Address,
        targets: Vec<Address>,
        calldatas: Vec<Bytes>,
        vote_start: u64,
        vote_end: u64,
        description: String,
    },
    /// A vote (with or without params).
    VoteCast { voter: Address, id: U256, support: u8, weight: U256, reason: String },
    /// The proposal's deadline moved (late-quorum protection).
    ProposalExtended { id: U256, vote_end: u64 },
    /// Queued in the timelock.
    ProposalQueued { id: U256, eta: u64 },
    /// Executed.
    ProposalExecuted { id: U256 },
    /// Cancelled.
    ProposalCanceled { id: U256 },
    /// The governor's quorum (percent of the supply at the snapshot) changed.
    QuorumNumeratorUpdated { old: U256, new: U256 },
}

impl Event {
    /// The event's name as it is stored in `raw_events.name`.
    pub fn name(&self) -> &'static str {
        match self {
            Self::CurrencyTransfer { .. } | Self::ItemTransfer { .. } => "Transfer",
            Self::DelegateChanged { .. } => "DelegateChanged",
            Self::DelegateVotesChanged { .. } => "DelegateVotesChanged",
            Self::ItemMinted { .. } => "ItemMinted",
            Self::ListingCreated { .. } => "ListingCreated",
            Self::BidPlaced { .. } => "BidPlaced",
            Self::Sale { .. } => "Sale",
            Self::ListingCancelled { .. } => "ListingCancelled",
            Self::AuctionUnsold { .. } => "AuctionUnsold",
            Self::SettlementFailed { .. } => "SettlementFailed",
            Self::ParameterChanged { .. } => "ParameterChanged",
            Self::ProposalCreated { .. } => "ProposalCreated",
            Self::VoteCast { .. } => "VoteCast",
            Self::ProposalExtended { .. } => "ProposalExtended",
            Self::ProposalQueued { .. } => "ProposalQueued",
            Self::ProposalExecuted { .. } => "ProposalExecuted",
            Self::ProposalCanceled { .. } => "ProposalCanceled",
            Self::QuorumNumeratorUpdated { .. } => "QuorumNumeratorUpdated",
        }
    }
}

fn clamp_u64(value: U256) -> u64 {
    u64::try_from(value).unwrap_or(u64::MAX)
}

/// The name of a `bytes32` parameter tag ("marketFeeBps"), without its zero padding.
pub fn tag_name(tag: B256) -> String {
    let end = tag.iter().position(|b| *b == 0).unwrap_or(32);
    String::from_utf8_lossy(&tag[..end]).into_owned()
}

/// Decodes `log` if it is one of the events the derived tables use. A log that claims a known topic but does not
/// decode (it cannot happen with the suite's contracts) is treated as unknown rather than stopping ingest.
pub fn decode(contracts: &EvmContracts, log: &Log) -> Option<Event> {
    let inner = &log.inner;
    let topic0 = *inner.topics().first()?;
    let address = inner.address;
    if address == contracts.token {
        match topic0 {
            MercatoToken::Transfer::SIGNATURE_HASH => {
                let e = MercatoToken::Transfer::decode_log(inner).ok()?;
                Some(Event::CurrencyTransfer { from: e.from, to: e.to, value: e.value })
            }
            MercatoToken::DelegateChanged::SIGNATURE_HASH => {
                let e = MercatoToken::DelegateChanged::decode_log(inner).ok()?;
                Some(Event::DelegateChanged { delegator: e.delegator, to: e.toDelegate })
            }
            MercatoToken::DelegateVotesChanged::SIGNATURE_HASH => {
                let e = MercatoToken::DelegateVotesChanged::decode_log(inner).ok()?;
                Some(Event::DelegateVotesChanged { delegate: e.delegate, votes: e.newVotes })
            }
            _ => None,
        }
    } else if address == contracts.items {
        match topic0 {
            MercatoItems::Transfer::SIGNATURE_HASH => {
                let e = MercatoItems::Transfer::decode_log(inner).ok()?;
                Some(Event::ItemTransfer { from: e.from, to: e.to, id: e.id })
            }
            MercatoItems::ItemMinted::SIGNATURE_HASH => {
                let e = MercatoItems::ItemMinted::decode_log(inner).ok()?;
                Some(Event::ItemMinted { id: e.id, to: e.to, class: e.class, rarity: e.rarity, power: e.power })
            }
            _ => None,
        }
    } else if address == contracts.auction_house {
        decode_house(inner, topic0)
    } else if address == contracts.economy_config {
        match topic0 {
            EconomyConfig::ParameterChanged::SIGNATURE_HASH => {
                let e = EconomyConfig::ParameterChanged::decode_log(inner).ok()?;
                Some(Event::ParameterChanged { name: tag_name(e.name), old: e.oldValue, new: e.newValue })
            }
            _ => None,
        }
    } else if address == contracts.governor {
        decode_governor(inner, topic0)
    } else {
        None
    }
}

fn decode_house(inner: &alloy::primitives::Log, topic0: B256) -> Option<Event> {
    use AuctionHouse as H;
    Some(match topic0 {
        H::ListingCreated::SIGNATURE_HASH => {
            let e = H::ListingCreated::decode_log(inner).ok()?;
            Event::ListingCreated {
                id: e.id,
                kind: e.kind,
                seller: e.seller,
                nft: e.nft,
                token_id: e.tokenId,
                start_price: U256::from(e.startPrice),
                floor_price: U256::from(e.floorPrice),
                start_time: e.startTime.to::<u64>(),
                end_time: e.endTime.to::<u64>(),
            }
        }
        H::BidPlaced::SIGNATURE_HASH => {
            let e = H::BidPlaced::decode_log(inner).ok()?;
            Event::BidPlaced {
                id: e.id,
                bidder: e.bidder,
                amount: U256::from(e.amount),
                previous_bidder: e.previousBidder,
                previous_amount: U256::from(e.previousAmount),
                end_time: e.endTime.to::<u64>(),
            }
        }
        H::Sale::SIGNATURE_HASH => {
            let e = H::Sale::decode_log(inner).ok()?;
            Event::Sale {
                id: e.id,
                kind: e.kind,
                seller: e.seller,
                buyer: e.buyer,
                nft: e.nft,
                token_id: e.tokenId,
                price: e.price,
                fee: e.fee,
                royalty: e.royalty,
                royalty_receiver: e.royaltyReceiver,
            }
        }
        H::ListingCancelled::SIGNATURE_HASH => {
            Event::ListingCancelled { id: H::ListingCancelled::decode_log(inner).ok()?.id }
        }
        H::AuctionUnsold::SIGNATURE_HASH => Event::AuctionUnsold { id: H::AuctionUnsold::decode_log(inner).ok()?.id },
        H::SettlementFailed::SIGNATURE_HASH => {
            Event::SettlementFailed { id: H::SettlementFailed::decode_log(inner).ok()?.id }
        }
        _ => return None,
    })
}

fn decode_governor(inner: &alloy::primitives::Log, topic0: B256) -> Option<Event> {
    use MercatoGovernor as G;
    Some(match topic0 {
        G::ProposalCreated::SIGNATURE_HASH => {
            let e = G::ProposalCreated::decode_log(inner).ok()?;
            Event::ProposalCreated {
                id: e.proposalId,
                proposer: e.proposer,
                targets: e.targets.clone(),
                calldatas: e.calldatas.clone(),
                vote_start: clamp_u64(e.voteStart),
                vote_end: clamp_u64(e.voteEnd),
                description: e.description.clone(),
            }
        }
        G::VoteCast::SIGNATURE_HASH => {
            let e = G::VoteCast::decode_log(inner).ok()?;
            Event::VoteCast {
                voter: e.voter,
                id: e.proposalId,
                support: e.support,
                weight: e.weight,
                reason: e.reason.clone(),
            }
        }
        G::VoteCastWithParams::SIGNATURE_HASH => {
            let e = G::VoteCastWithParams::decode_log(inner).ok()?;
            Event::VoteCast {
                voter: e.voter,
                id: e.proposalId,
                support: e.support,
                weight: e.weight,
                reason: e.reason.clone(),
            }
        }
        G::ProposalExtended::SIGNATURE_HASH => {
            let e = G::ProposalExtended::decode_log(inner).ok()?;
            Event::ProposalExtended { id: e.proposalId, vote_end: e.extendedDeadline }
        }
        G::ProposalQueued::SIGNATURE_HASH => {
            let e = G::ProposalQueued::decode_log(inner).ok()?;
            Event::ProposalQueued { id: e.proposalId, eta: clamp_u64(e.etaSeconds) }
        }
        G::ProposalExecuted::SIGNATURE_HASH => {
            Event::ProposalExecuted { id: G::ProposalExecuted::decode_log(inner).ok()?.proposalId }
        }
        G::QuorumNumeratorUpdated::SIGNATURE_HASH => {
            let e = G::QuorumNumeratorUpdated::decode_log(inner).ok()?;
            Event::QuorumNumeratorUpdated { old: e.oldQuorumNumerator, new: e.newQuorumNumerator }
        }
        G::ProposalCanceled::SIGNATURE_HASH => {
            Event::ProposalCanceled { id: G::ProposalCanceled::decode_log(inner).ok()?.proposalId }
        }
        _ => return None,
    })
}
