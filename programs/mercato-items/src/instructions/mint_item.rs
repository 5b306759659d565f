//! `mint_item`: a new Token-2022 NFT (0 decimals, supply 1, no mint authority afterwards) with token metadata,
//! membership in the collection group, and an on-chain record of its game attributes.

use anchor_lang::prelude::*;
use anchor_spl::associated_token::AssociatedToken;
use anchor_spl::token_2022_extensions::spl_token_metadata_interface::state::{Field, TokenMetadata};
use anchor_spl::token_2022_extensions::{
    TokenMemberInitialize, TokenMetadataInitialize, TokenMetadataUpdateField,
    spl_pod::optional_keys::OptionalNonZeroPubkey, token_member_initialize, token_metadata_initialize,
    token_metadata_update_field,
};
use anchor_spl::token_interface::{
    Mint, MintTo, SetAuthority, Token2022, mint_to, set_authority, spl_token_2022::instruction::AuthorityType,
};
use spl_token_group_interface::state::TokenGroupMember;

use crate::constants::*;
use crate::error::ItemsError;
use crate::events::ItemMinted;
use crate::state::{Item, ItemAttributes, ItemsConfig};

/// Accounts of `mint_item`.
#[derive(Accounts)]
pub struct MintItem<'info> {
    /// The minter role; pays for the new accounts.
    #[account(mut)]
    pub minter: Signer<'info>,
    /// The items config.
    #[account(mut, address = ITEMS_CONFIG_ADDRESS, has_one = minter, has_one = collection)]
    pub config: Box<Account<'info, ItemsConfig>>,
    /// CHECK: the collection mint (the config's, `has_one`; its group size grows). Token-2022 checks the group and
    /// its update authority in `InitializeMember`.
    #[account(mut)]
    pub collection: UncheckedAccount<'info>,
    /// CHECK: the first owner; only its address is used (owner of the new token account).
    pub recipient: UncheckedAccount<'info>,
    /// The item's mint, at the PDA of the next id.
    #[account(
        init,
        payer = minter,
        seeds = [ITEM_MINT_SEED, &config.next_item_id.to_le_bytes()],
        bump,
        mint::decimals = 0,
        mint::authority = config,
        mint::token_program = token_program,
        extensions::metadata_pointer::authority = config,
        extensions::metadata_pointer::metadata_address = item_mint,
        extensions::group_member_pointer::authority = config,
        extensions::group_member_pointer::member_address = item_mint
    )]
    pub item_mint: Box<InterfaceAccount<'info, Mint>>,
    /// CHECK: the recipient's associated token account for the item, created by the handler (the associated token
    /// program checks its address and fails if it exists, as `init` would).
    #[account(mut)]
    pub recipient_token: UncheckedAccount<'info>,
    /// The item's record.
    #[account(init, payer = minter, space = 8 + Item::INIT_SPACE, seeds = [ITEM_SEED, item_mint.key().as_ref()], bump)]
    pub item: Box<Account<'info, Item>>,
    /// Token-2022.
    pub token_program: Program<'info, Token2022>,
    /// Associated token program.
    pub associated_token_program: Program<'info, AssociatedToken>,
    /// System program.
    pub system_program: Program<'info, System>,
}

/// Mints item `config.next_item_id` named `name` with `uri` and `attributes` to the recipient.
pub fn handler(ctx: Context<MintItem>, attributes: ItemAttributes, name: String, uri: String) -> Result<()> {
    require!(attributes.rarity <= MAX_RARITY, ItemsError::InvalidRarity);
    require!(name.len() <= MAX_NAME_LEN, ItemsError::NameTooLong);
    require!(uri.len() <= MAX_URI_LEN, ItemsError::UriTooLong);

    let config = &mut ctx.accounts.config;
    let id = config.next_item_id;
    let fields = [
        ("class", attributes.class.to_string()),
        ("rarity", attributes.rarity.to_string()),
        ("power", attributes.power.to_string()),
    ];
    let metadata = TokenMetadata {
        update_authority: OptionalNonZeroPubkey::try_from(Some(config.key()))?,
        mint: ctx.accounts.item_mint.key(),
        name: name.clone(),
        symbol: ITEM_SYMBOL.to_string(),
        uri: uri.clone(),
        additional_metadata: fields.iter().map(|(k, v)| (k.to_string(), v.clone())).collect(),
    };
    let growth = metadata.tlv_size_of()? + 4 + std::mem::size_of::<TokenGroupMember>();
    super::fund_growth(
        &ctx.accounts.minter.to_account_info(),
        &ctx.accounts.item_mint.to_account_info(),
        &ctx.accounts.system_program.to_account_info(),
        growth,
    )?;

    let seeds: &[&[u8]] = &[ITEMS_CONFIG_SEED, &[config.bump]];
    let signer = &[seeds];
    let program = ctx.accounts.token_program.to_account_info();
    let mint = ctx.accounts.item_mint.to_account_info();
    let authority = config.to_account_info();

    token_member_initialize(CpiContext::new_with_signer(
        program.key(),
        TokenMemberInitialize {
            program_id: program.clone(),
            member: mint.clone(),
            member_mint: mint.clone(),
            member_mint_authority: authority.clone(),
            group: ctx.accounts.collection.to_account_info(),
            group_update_authority: authority.clone(),
        },
        signer,
    ))?;
    token_metadata_initialize(
        CpiContext::new_with_signer(
            program.key(),
            TokenMetadataInitialize {
                program_id: program.clone(),
                metadata: mint.clone(),
                update_authority: authority.clone(),
                mint_authority: authority.clone(),
                mint: mint.clone(),
            },
            signer,
        ),
        name,
        ITEM_SYMBOL.to_string(),
        uri,
    )?;
    for (key, value) in fields {
        token_metadata_update_field(
            CpiContext::new_with_signer(
                program.key(),
                TokenMetadataUpdateField {
                    program_id: program.clone(),
                    metadata: mint.clone(),
                    update_authority: authority.clone(),
                },
                signer,
            ),
            Field::Key(key.to_string()),
            value,
        )?;
    }
    let recipient_token = ctx.accounts.recipient_token.to_account_info();
    mercato_pda::create_associated_token_account(
        &ctx.accounts.minter.to_account_info(),
        &recipient_token,
        &ctx.accounts.recipient.to_account_info(),
        &mint,
        &ctx.accounts.system_program.to_account_info(),
        &program,
        &ctx.accounts.associated_token_program.to_account_info(),
    )?;
    mint_to(
        CpiContext::new_with_signer(
            program.key(),
            MintTo { mint: mint.clone(), to: recipient_token, authority: authority.clone() },
            signer,
        ),
        1,
    )?;
    // Supply 1 forever: no one can mint a second unit.
    set_authority(
        CpiContext::new_with_signer(
            program.key(),
            SetAuthority { current_authority: authority.clone(), account_or_mint: mint.clone() },
            signer,
        ),
        AuthorityType::MintTokens,
        None,
    )?;

    let item = &mut ctx.accounts.item;
    item.bump = ctx.bumps.item;
    item.id = id;
    item.mint = mint.key();
    item.attributes = attributes;
    item.minted_at = Clock::get()?.unix_timestamp;
    config.next_item_id = id.checked_add(1).ok_or(ItemsError::MathOverflow)?;
    config.minted = config.minted.checked_add(1).ok_or(ItemsError::MathOverflow)?;

    mercato_program_log::emit_event!(ItemMinted {
        id,
        mint: item.mint,
        owner: ctx.accounts.recipient.key(),
        attributes
    });
    Ok(())
}
