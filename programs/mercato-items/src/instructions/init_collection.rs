//! `init_collection`: the items config and the collection mint (a Token-2022 group with token metadata).

use anchor_lang::prelude::*;
use anchor_spl::token_2022_extensions::spl_token_metadata_interface::state::TokenMetadata;
use anchor_spl::token_2022_extensions::{
    TokenGroupInitialize, TokenMetadataInitialize, spl_pod::optional_keys::OptionalNonZeroPubkey,
    token_group_initialize, token_metadata_initialize,
};
use anchor_spl::token_interface::{Mint, Token2022};
use mercato_token::state::EconomyConfig;
use spl_token_group_interface::state::TokenGroup;

use crate::constants::*;
use crate::error::ItemsError;
use crate::events::CollectionInitialized;
use crate::state::ItemsConfig;

/// Collection settings.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug)]
pub struct CollectionParams {
    /// Collection name shown by wallets.
    pub name: String,
    /// Collection metadata URI.
    pub uri: String,
    /// The minter role.
    pub minter: Pubkey,
    /// Royalty receiver.
    pub royalty_receiver: Pubkey,
    /// Royalty in bps, at most the economy's royalty cap.
    pub royalty_bps: u16,
}

/// Accounts of `init_collection`.
#[derive(Accounts)]
pub struct InitCollection<'info> {
    /// Pays and becomes the authority.
    #[account(mut)]
    pub authority: Signer<'info>,
    /// The items config.
    #[account(init, payer = authority, space = 8 + ItemsConfig::INIT_SPACE, seeds = [ITEMS_CONFIG_SEED], bump)]
    pub config: Box<Account<'info, ItemsConfig>>,
    /// The currency program's economy config (royalty cap). Its authority must sign, so nobody can front-run the
    /// deployer and create the collection with a minter and royalty of their own.
    #[account(constraint = economy_config.authority == authority.key() @ ItemsError::NotEconomyAuthority)]
    pub economy_config: Box<Account<'info, EconomyConfig>>,
    /// The collection mint: a Token-2022 group whose metadata lives in the mint itself.
    #[account(
        init,
        payer = authority,
        seeds = [COLLECTION_SEED],
        bump,
        mint::decimals = 0,
        mint::authority = config,
        mint::token_program = token_program,
        extensions::metadata_pointer::authority = config,
        extensions::metadata_pointer::metadata_address = collection,
        extensions::group_pointer::authority = config,
        extensions::group_pointer::group_address = collection
    )]
    pub collection: Box<InterfaceAccount<'info, Mint>>,
    /// Token-2022.
    pub token_program: Program<'info, Token2022>,
    /// System program.
    pub system_program: Program<'info, System>,
}

/// Creates the collection.
pub fn handler(ctx: Context<InitCollection>, params: CollectionParams) -> Result<()> {
    require!(params.name.len() <= MAX_NAME_LEN, ItemsError::NameTooLong);
    require!(params.uri.len() <= MAX_URI_LEN, ItemsError::UriTooLong);
    require!(params.royalty_bps <= ctx.accounts.economy_config.market.royalty_cap_bps, ItemsError::RoyaltyAboveCap);
    require!(params.royalty_bps == 0 || params.royalty_receiver != Pubkey::default(), ItemsError::ZeroRoyaltyReceiver);

    let config = &mut ctx.accounts.config;
    config.version = 1;
    config.bump = ctx.bumps.config;
    config.collection_bump = ctx.bumps.collection;
    config.authority = ctx.accounts.authority.key();
    config.minter = params.minter;
    config.collection = ctx.accounts.collection.key();
    config.economy_config = ctx.accounts.economy_config.key();
    config.royalty_receiver = params.royalty_receiver;
    config.royalty_bps = params.royalty_bps;
    config.next_item_id = 1;
    config.reserved = [0; 64];

    let metadata = TokenMetadata {
        update_authority: OptionalNonZeroPubkey::try_from(Some(config.key()))?,
        mint: config.collection,
        name: params.name.clone(),
        symbol: ITEM_SYMBOL.to_string(),
        uri: params.uri.clone(),
        additional_metadata: vec![],
    };
    let growth = metadata.tlv_size_of()? + 4 + std::mem::size_of::<TokenGroup>();
    super::fund_growth(
        &ctx.accounts.authority.to_account_info(),
        &ctx.accounts.collection.to_account_info(),
        &ctx.accounts.system_program.to_account_info(),
        growth,
    )?;

    let seeds: &[&[u8]] = &[ITEMS_CONFIG_SEED, &[config.bump]];
    let program = ctx.accounts.token_program.to_account_info();
    let collection = ctx.accounts.collection.to_account_info();
    let authority = config.to_account_info();
    token_group_initialize(
        CpiContext::new_with_signer(
            program.key(),
            TokenGroupInitialize {
                program_id: program.clone(),
                group: collection.clone(),
                mint: collection.clone(),
                mint_authority: authority.clone(),
            },
            &[seeds],
        ),
        Some(authority.key()),
        u64::MAX,
    )?;
    token_metadata_initialize(
        CpiContext::new_with_signer(
            program.key(),
            TokenMetadataInitialize {
                program_id: program.clone(),
                metadata: collection.clone(),
                update_authority: authority.clone(),
                mint_authority: authority.clone(),
                mint: collection.clone(),
            },
            &[seeds],
        ),
        params.name,
        ITEM_SYMBOL.to_string(),
        params.uri,
    )?;

    mercato_program_log::emit_event!(CollectionInitialized {
        collection: config.collection,
        authority: config.authority,
        minter: config.minter,
        royalty_bps: config.royalty_bps,
        royalty_receiver: config.royalty_receiver,
    });
    Ok(())
}
