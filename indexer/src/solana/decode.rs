//! A Solana transaction's logs → Mercato events, through the programs' own event types (shared client crate).
//!
//! Each `Program data:` payload is attributed to the program executing when it was logged
//! ([`program_payloads`]); only payloads of the four Mercato programs, decoded as that program's events, count. A
//! payload another program logged with a Mercato discriminator is ignored, so nobody can forge a sale by logging it.

use mercato_solana_client::events::{ProgramPayload, decode_payload, program_payloads};
use mercato_solana_client::{Pubkey, auction, governance, items, token};

/// A decoded Mercato event (the programs' event types implement neither Debug nor Clone).
#[allow(missing_docs)]
pub enum SolEvent {
    GenesisMinted(token::events::GenesisMinted),
    EmissionReleased(token::events::EmissionReleased),
    RewardGranted(token::events::RewardGranted),
    Burned(token::events::Burned),
    ParameterChanged(token::events::ParameterChanged),
    AddressChanged(token::events::AddressChanged),
    ItemMinted(items::events::ItemMinted),
    ItemBurned(items::events::ItemBurned),
    ListingCreated(auction::events::ListingCreated),
    BidPlaced(auction::events::BidPlaced),
    Sale(auction::events::Sale),
    ListingCancelled(auction::events::ListingCancelled),
    AuctionUnsold(auction::events::AuctionUnsold),
    Deposited(governance::events::Deposited),
    Withdrawn(governance::events::Withdrawn),
    ProposalCreated(governance::events::ProposalCreated),
    VoteCast(governance::events::VoteCast),
    ProposalCancelled(governance::events::ProposalCancelled),
    ProposalExecuted(governance::events::ProposalExecuted),
    /// A Mercato event nothing is derived from (initializations, role and royalty changes, credit withdrawals).
    Other(&'static str),
}

impl std::fmt::Debug for SolEvent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl SolEvent {
    /// The event's name as the program declares it.
    pub fn name(&self) -> &'static str {
        match self {
            Self::GenesisMinted(_) => "GenesisMinted",
            Self::EmissionReleased(_) => "EmissionReleased",
            Self::RewardGranted(_) => "RewardGranted",
            Self::Burned(_) => "Burned",
            Self::ParameterChanged(_) => "ParameterChanged",
            Self::AddressChanged(_) => "AddressChanged",
            Self::ItemMinted(_) => "ItemMinted",
            Self::ItemBurned(_) => "ItemBurned",
            Self::ListingCreated(_) => "ListingCreated",
            Self::BidPlaced(_) => "BidPlaced",
            Self::Sale(_) => "Sale",
            Self::ListingCancelled(_) => "ListingCancelled",
            Self::AuctionUnsold(_) => "AuctionUnsold",
            Self::Deposited(_) => "Deposited",
            Self::Withdrawn(_) => "Withdrawn",
            Self::ProposalCreated(_) => "ProposalCreated",
            Self::VoteCast(_) => "VoteCast",
            Self::ProposalCancelled(_) => "ProposalCancelled",
            Self::ProposalExecuted(_) => "ProposalExecuted",
            Self::Other(name) => name,
        }
    }
}

/// One Mercato event of a transaction, with what `raw_events` keeps of it.
#[derive(Debug)]
pub struct DecodedEvent {
    /// Position among the transaction's `Program data:` payloads.
    pub index: usize,
    /// The emitting program.
    pub program: Pubkey,
    /// The payload (8-byte discriminator + Borsh body).
    pub bytes: Vec<u8>,
    /// The decoded event.
    pub event: SolEvent,
}

/// The four program ids.
#[derive(Debug, Clone, Copy)]
pub struct Programs {
    /// mercato_token.
    pub token: Pubkey,
    /// mercato_items.
    pub items: Pubkey,
    /// mercato_auction.
    pub auction: Pubkey,
    /// mercato_governance.
    pub governance: Pubkey,
}

macro_rules! first_of {
    ($bytes:expr; $($variant:ident => $ty:ty),* ; $($other:ident => $oty:ty),*) => {{
        let bytes: &[u8] = $bytes;
        None
            $(.or_else(|| decode_payload::<$ty>(bytes).map(SolEvent::$variant)))*
            $(.or_else(|| decode_payload::<$oty>(bytes).map(|_| SolEvent::Other(stringify!($other)))))*
    }};
}

fn decode_one(programs: &Programs, program: &Pubkey, bytes: &[u8]) -> Option<SolEvent> {
    if *program == programs.token {
        use token::events as e;
        first_of!(bytes; GenesisMinted => e::GenesisMinted, EmissionReleased => e::EmissionReleased,
            RewardGranted => e::RewardGranted, Burned => e::Burned, ParameterChanged => e::ParameterChanged,
            AddressChanged => e::AddressChanged; ConfigInitialized => e::ConfigInitialized)
    } else if *program == programs.items {
        use items::events as e;
        first_of!(bytes; ItemMinted => e::ItemMinted, ItemBurned => e::ItemBurned;
            CollectionInitialized => e::CollectionInitialized, RoyaltyChanged => e::RoyaltyChanged,
            RoleChanged => e::RoleChanged)
    } else if *program == programs.auction {
        use auction::events as e;
        first_of!(bytes; ListingCreated => e::ListingCreated, BidPlaced => e::BidPlaced, Sale => e::Sale,
            ListingCancelled => e::ListingCancelled, AuctionUnsold => e::AuctionUnsold;
            HouseInitialized => e::HouseInitialized, CreditsWithdrawn => e::CreditsWithdrawn)
    } else if *program == programs.governance {
        use governance::events as e;
        first_of!(bytes; Deposited => e::Deposited, Withdrawn => e::Withdrawn, ProposalCreated => e::ProposalCreated,
            VoteCast => e::VoteCast, ProposalCancelled => e::ProposalCancelled,
            ProposalExecuted => e::ProposalExecuted; GovernanceInitialized => e::GovernanceInitialized)
    } else {
        None
    }
}

/// The Mercato events in a transaction's logs, in log order.
pub fn decode_logs(programs: &Programs, logs: &[String]) -> Vec<DecodedEvent> {
    program_payloads(logs)
        .into_iter()
        .filter_map(|ProgramPayload { index, program, bytes }| {
            let program: Pubkey = program?.parse().ok()?;
            let event = decode_one(programs, &program, &bytes)?;
            Some(DecodedEvent { index, program, bytes, event })
        })
        .collect()
}

/// A governance change as the parameter name and value the EVM suite uses (addresses as their integer value).
pub fn describe_change(change: &token::ParamChange) -> String {
    use token::ParamChange as P;
    match change {
        P::MarketFeeBps(v) => format!("marketFeeBps = {v}"),
        P::RoyaltyCapBps(v) => format!("royaltyCapBps = {v}"),
        P::MinBidIncrementBps(v) => format!("minBidIncrementBps = {v}"),
        P::AntiSnipeBuffer(v) => format!("antiSnipeBuffer = {v}"),
        P::AuctionDurationBounds { min, max } => format!("auctionDurationBounds = {min}..{max}"),
        P::EmissionRate(v) => format!("emissionRate = {v}"),
        P::DailyRewardCap(v) => format!("dailyRewardCap = {v}"),
        P::GameServer(k) => format!("gameServer = {k}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mercato_solana_client::anchor_lang::{Discriminator, Event};

    fn line(event: &impl Event) -> String {
        use base64::Engine;
        format!("Program data: {}", base64::engine::general_purpose::STANDARD.encode(event.data()))
    }

    #[test]
    fn only_events_logged_by_their_own_program_count() {
        let programs = Programs {
            token: token::PROGRAM_ID,
            items: items::PROGRAM_ID,
            auction: auction::PROGRAM_ID,
            governance: governance::PROGRAM_ID,
        };
        let cancelled = auction::events::ListingCancelled { id: 7, seller: Pubkey::new_unique() };
        let forger = Pubkey::new_unique();
        let a = auction::PROGRAM_ID;
        let logs = vec![
            format!("Program {a} invoke [1]"),
            line(&cancelled),
            format!("Program {forger} invoke [2]"),
            line(&cancelled), // a forgery: logged by another program with the auction's discriminator
            format!("Program {forger} success"),
            format!("Program {a} consumed 1000 of 200000 compute units"),
            format!("Program {a} success"),
            line(&cancelled), // outside any program
        ];
        let events = decode_logs(&programs, &logs);
        assert_eq!(events.len(), 1, "{events:?}");
        assert_eq!(events[0].index, 0);
        assert_eq!(&events[0].bytes[..8], auction::events::ListingCancelled::DISCRIMINATOR);
        assert!(matches!(&events[0].event, SolEvent::ListingCancelled(c) if c.id == 7));
    }
}
