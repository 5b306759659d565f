//! The auction program (`mercato_auction`): PDAs and instruction builders.

use anchor_lang::{InstructionData, ToAccountMetas, prelude::Pubkey, solana_program::instruction::Instruction};
use anchor_spl::associated_token::get_associated_token_address_with_program_id;
use mercato_auction::constants::{BID_ESCROW_SEED, CREDIT_SEED, HOUSE_SEED, ITEM_ESCROW_SEED, LISTING_SEED};

pub use mercato_auction::ID as PROGRAM_ID;
pub use mercato_auction::instructions::{dutch_price, minimum_bid, split};
pub use mercato_auction::state::{House, Listing, ListingKind};
pub use mercato_auction::{error::AuctionError, events};

use crate::{items, token};

const TOKEN_PROGRAM: Pubkey = anchor_spl::token::ID;
const TOKEN_2022: Pubkey = anchor_spl::token_2022::ID;
const SYSTEM_PROGRAM: Pubkey = anchor_lang::solana_program::system_program::ID;
const ATA_PROGRAM: Pubkey = anchor_spl::associated_token::ID;

/// The house PDA: `["house"]`.
pub fn house_address() -> Pubkey {
    Pubkey::find_program_address(&[HOUSE_SEED], &PROGRAM_ID).0
}

/// The listing PDA of an item: `["listing", item_mint]`.
pub fn listing_address(item_mint: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[LISTING_SEED, item_mint.as_ref()], &PROGRAM_ID).0
}

/// A listing's item escrow: `["item_escrow", listing]`.
pub fn item_escrow_address(listing: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[ITEM_ESCROW_SEED, listing.as_ref()], &PROGRAM_ID).0
}

/// A listing's bid escrow: `["bid_escrow", listing]`.
pub fn bid_escrow_address(listing: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[BID_ESCROW_SEED, listing.as_ref()], &PROGRAM_ID).0
}

/// A user's credit account (refunds, proceeds, royalties): `["credit", owner]`.
pub fn credit_address(owner: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[CREDIT_SEED, owner.as_ref()], &PROGRAM_ID).0
}

fn ix(accounts: impl ToAccountMetas, data: impl InstructionData) -> Instruction {
    Instruction { program_id: PROGRAM_ID, accounts: accounts.to_account_metas(None), data: data.data() }
}

/// Who a sale pays besides the program-owned treasury.
#[derive(Clone, Copy, Debug)]
pub struct SaleParties {
    /// The seller (proceeds go to their credit account).
    pub seller: Pubkey,
    /// The collection's royalty receiver (`ItemsConfig::royalty_receiver`).
    pub creator: Pubkey,
}

/// `init_house`.
pub fn init_house(payer: Pubkey) -> Instruction {
    ix(
        mercato_auction::accounts::InitHouse { payer, house: house_address(), system_program: SYSTEM_PROGRAM },
        mercato_auction::instruction::InitHouse {},
    )
}

/// `create_listing` of the Mercato item at `item_mint`, held in the seller's associated account.
pub fn create_listing(
    seller: Pubkey,
    item_mint: Pubkey,
    kind: ListingKind,
    start_price: u64,
    floor_price: u64,
    duration: u32,
) -> Instruction {
    let listing = listing_address(&item_mint);
    ix(
        mercato_auction::accounts::CreateListing {
            seller,
            house: house_address(),
            economy_config: token::config_address(),
            currency_mint: token::mint_address(),
            item_mint,
            item_record: items::item_address(&item_mint),
            seller_item: get_associated_token_address_with_program_id(&seller, &item_mint, &TOKEN_2022),
            listing,
            item_escrow: item_escrow_address(&listing),
            bid_escrow: bid_escrow_address(&listing),
            token_program: TOKEN_PROGRAM,
            item_token_program: TOKEN_2022,
            system_program: SYSTEM_PROGRAM,
        },
        mercato_auction::instruction::CreateListing { kind, start_price, floor_price, duration },
    )
}

/// `bid` of `amount`; `previous_bidder` is the listing's current high bidder (`None` for the first bid).
pub fn bid(bidder: Pubkey, item_mint: Pubkey, amount: u64, previous_bidder: Option<Pubkey>) -> Instruction {
    let listing = listing_address(&item_mint);
    let previous = previous_bidder.unwrap_or(bidder);
    ix(
        mercato_auction::accounts::Bid {
            bidder,
            economy_config: token::config_address(),
            currency_mint: token::mint_address(),
            listing,
            bidder_currency: token::currency_account(&bidder),
            bid_escrow: bid_escrow_address(&listing),
            previous_bidder: previous,
            house: house_address(),
            previous_bidder_credit: credit_address(&previous),
            token_program: TOKEN_PROGRAM,
            system_program: SYSTEM_PROGRAM,
        },
        mercato_auction::instruction::Bid { amount },
    )
}

/// `settle`; `winner` is the high bidder, or the seller when there was no bid.
pub fn settle(payer: Pubkey, item_mint: Pubkey, winner: Pubkey, parties: SaleParties) -> Instruction {
    let listing = listing_address(&item_mint);
    ix(
        mercato_auction::accounts::Settle {
            payer,
            economy_config: token::config_address(),
            currency_mint: token::mint_address(),
            house: house_address(),
            listing,
            seller: parties.seller,
            seller_credit: credit_address(&parties.seller),
            winner,
            winner_item: get_associated_token_address_with_program_id(&winner, &item_mint, &TOKEN_2022),
            item_mint,
            item_escrow: item_escrow_address(&listing),
            bid_escrow: bid_escrow_address(&listing),
            treasury: token::treasury_address(),
            items_config: items::config_address(),
            creator: parties.creator,
            creator_credit: credit_address(&parties.creator),
            token_program: TOKEN_PROGRAM,
            item_token_program: TOKEN_2022,
            associated_token_program: ATA_PROGRAM,
            system_program: SYSTEM_PROGRAM,
        },
        mercato_auction::instruction::Settle {},
    )
}

/// `buy` at the current price, at most `max_price`, paid from the buyer's associated currency account.
pub fn buy(buyer: Pubkey, item_mint: Pubkey, max_price: u64, parties: SaleParties) -> Instruction {
    let listing = listing_address(&item_mint);
    ix(
        mercato_auction::accounts::Buy {
            buyer,
            economy_config: token::config_address(),
            currency_mint: token::mint_address(),
            house: house_address(),
            listing,
            seller: parties.seller,
            seller_credit: credit_address(&parties.seller),
            buyer_currency: token::currency_account(&buyer),
            buyer_item: get_associated_token_address_with_program_id(&buyer, &item_mint, &TOKEN_2022),
            item_mint,
            item_escrow: item_escrow_address(&listing),
            bid_escrow: bid_escrow_address(&listing),
            treasury: token::treasury_address(),
            items_config: items::config_address(),
            creator: parties.creator,
            creator_credit: credit_address(&parties.creator),
            token_program: TOKEN_PROGRAM,
            item_token_program: TOKEN_2022,
            associated_token_program: ATA_PROGRAM,
            system_program: SYSTEM_PROGRAM,
        },
        mercato_auction::instruction::Buy { max_price },
    )
}

/// `cancel` by the seller.
pub fn cancel(seller: Pubkey, item_mint: Pubkey) -> Instruction {
    let listing = listing_address(&item_mint);
    ix(
        mercato_auction::accounts::Cancel {
            seller,
            economy_config: token::config_address(),
            currency_mint: token::mint_address(),
            house: house_address(),
            listing,
            item_mint,
            seller_item: get_associated_token_address_with_program_id(&seller, &item_mint, &TOKEN_2022),
            seller_credit: credit_address(&seller),
            item_escrow: item_escrow_address(&listing),
            bid_escrow: bid_escrow_address(&listing),
            token_program: TOKEN_PROGRAM,
            item_token_program: TOKEN_2022,
            associated_token_program: ATA_PROGRAM,
            system_program: SYSTEM_PROGRAM,
        },
        mercato_auction::instruction::Cancel {},
    )
}

/// `withdraw_credits` of `amount` into `destination` (any currency account).
pub fn withdraw_credits(owner: Pubkey, destination: Pubkey, amount: u64) -> Instruction {
    ix(
        mercato_auction::accounts::WithdrawCredits {
            owner,
            house: house_address(),
            economy_config: token::config_address(),
            currency_mint: token::mint_address(),
            credit: credit_address(&owner),
            destination,
            token_program: TOKEN_PROGRAM,
        },
        mercato_auction::instruction::WithdrawCredits { amount },
    )
}
