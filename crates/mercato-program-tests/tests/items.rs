//! The items program in a real bank with the real Token-2022: items are ordinary NFTs to wallets, carry their
//! attributes, join the collection group, and only the right roles can mint, burn and set royalties.

use anchor_lang::error::ErrorCode as Anchor;
use anchor_spl::token_2022::spl_token_2022::{
    extension::{BaseStateWithExtensions, StateWithExtensions},
    state::Mint as MintState,
};
use anchor_spl::token_2022_extensions::spl_token_metadata_interface::state::TokenMetadata;
use mercato_program_tests::fixtures::Collection;
use mercato_program_tests::{Backend, Harness};
use mercato_solana_client::events::decode_one;
use mercato_solana_client::items::{self, ItemAttributes, ItemsConfig, ItemsError, ItemsRole, events as ev};
use solana_signer::Signer;
use spl_token_group_interface::state::{TokenGroup, TokenGroupMember};

fn code(e: ItemsError) -> u32 {
    e.into()
}

const SWORD: ItemAttributes = ItemAttributes { class: 3, rarity: 4, power: 9_999 };

fn collection_is_a_token_group_with_metadata<B: Backend>(mut h: Harness<B>) {
    let c = Collection::start(&mut h, 0);
    let config: ItemsConfig = h.read(&items::config_address());
    assert_eq!(config.authority, c.authority.pubkey());
    assert_eq!(config.minter, c.minter.pubkey());
    assert_eq!(config.royalty_bps, 500);
    assert_eq!(config.next_item_id, 1);
    let account = h.raw(&items::collection_address());
    assert_eq!(account.owner, items::TOKEN_2022);
    let mint = StateWithExtensions::<MintState>::unpack(&account.data).unwrap();
    let group = mint.get_extension::<TokenGroup>().unwrap();
    assert_eq!(u64::from(group.size), 0);
    let metadata = mint.get_variable_len_extension::<TokenMetadata>().unwrap();
    assert_eq!(metadata.name, "Mercato Items");
    assert_eq!(metadata.symbol, "MITEM");
}

fn minted_item_is_an_ordinary_nft_with_attributes<B: Backend>(mut h: Harness<B>) {
    let c = Collection::start(&mut h, 0);
    let player = h.funded_keypair(1);
    let id = 1;
    let ix = items::mint_item(c.minter.pubkey(), player.pubkey(), id, SWORD, "Blade".into(), "https://x/1.json".into());
    let landed = h.must(&[ix], &[&c.minter]);
    let mint_address = items::item_mint_address(id);
    let event: ev::ItemMinted = decode_one(&landed.logs).expect("ItemMinted");
    assert_eq!((event.id, event.mint, event.owner, event.attributes), (1, mint_address, player.pubkey(), SWORD));

    // 0 decimals, supply 1, and nobody can mint a second unit.
    let account = h.raw(&mint_address);
    assert_eq!(account.owner, items::TOKEN_2022);
    let mint = StateWithExtensions::<MintState>::unpack(&account.data).unwrap();
    assert_eq!(mint.base.decimals, 0);
    assert_eq!(mint.base.supply, 1);
    assert!(mint.base.mint_authority.is_none());
    // Metadata in the mint, with the attributes as fields wallets display.
    let metadata = mint.get_variable_len_extension::<TokenMetadata>().unwrap();
    assert_eq!(
        (metadata.name.as_str(), metadata.symbol.as_str(), metadata.uri.as_str()),
        ("Blade", "MITEM", "https://x/1.json")
    );
    let field = |k: &str| metadata.additional_metadata.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone());
    assert_eq!(field("class").as_deref(), Some("3"));
    assert_eq!(field("rarity").as_deref(), Some("4"));
    assert_eq!(field("power").as_deref(), Some("9999"));
    // Member of the collection.
    let member = mint.get_extension::<TokenGroupMember>().unwrap();
    assert_eq!(member.group, items::collection_address());
    assert_eq!(u64::from(member.member_number), 1);
    let collection_account = h.raw(&items::collection_address());
    let collection = StateWithExtensions::<MintState>::unpack(&collection_account.data).unwrap();
    assert_eq!(u64::from(collection.get_extension::<TokenGroup>().unwrap().size), 1);
    // Held by the player; the record carries the attributes for programs.
    let holder = h.raw(&items::item_account(&player.pubkey(), &mint_address));
    let holder =
        StateWithExtensions::<anchor_spl::token_2022::spl_token_2022::state::Account>::unpack(&holder.data).unwrap();
    assert_eq!((holder.base.owner, holder.base.amount), (player.pubkey(), 1));
    let record: items::Item = h.read(&items::item_address(&mint_address));
    assert_eq!((record.id, record.mint, record.attributes), (1, mint_address, SWORD));
    assert_eq!(h.read::<ItemsConfig>(&items::config_address()).next_item_id, 2);
}

fn only_the_economy_authority_creates_the_collection<B: Backend>(mut h: Harness<B>) {
    let economy = mercato_program_tests::fixtures::Economy::start(&mut h, 0);
    let squatter = h.funded_keypair(5);
    let params = items::CollectionParams {
        name: "Mine".into(),
        uri: "u".into(),
        minter: squatter.pubkey(),
        royalty_receiver: squatter.pubkey(),
        royalty_bps: 1_000,
    };
    h.must_fail_with(
        &[items::init_collection(squatter.pubkey(), params)],
        &[&squatter],
        code(ItemsError::NotEconomyAuthority),
    );
    drop(economy);
}

fn ids_are_sequential<B: Backend>(mut h: Harness<B>) {
    let c = Collection::start(&mut h, 0);
    let owner = h.funded_keypair(1).pubkey();
    let (first, _) = c.mint(&mut h, &owner, SWORD);
    let (second, _) = c.mint(&mut h, &owner, SWORD);
    assert_eq!((first, second), (1, 2));
    assert_eq!(h.read::<ItemsConfig>(&items::config_address()).minted, 2);
}

fn minting_needs_the_minter_valid_attributes_and_bounded_strings<B: Backend>(mut h: Harness<B>) {
    let c = Collection::start(&mut h, 0);
    let owner = h.funded_keypair(1).pubkey();
    let impostor = h.funded_keypair(5);
    let mint = |minter, attrs, name: &str| items::mint_item(minter, owner, 1, attrs, name.into(), "u".into());
    h.must_fail_with(&[mint(impostor.pubkey(), SWORD, "x")], &[&impostor], Anchor::ConstraintHasOne.into());
    let too_rare = ItemAttributes { rarity: 5, ..SWORD };
    h.must_fail_with(&[mint(c.minter.pubkey(), too_rare, "x")], &[&c.minter], code(ItemsError::InvalidRarity));
    h.must_fail_with(&[mint(c.minter.pubkey(), SWORD, &"n".repeat(33))], &[&c.minter], code(ItemsError::NameTooLong));
    // An id other than the next one is not the PDA the program derives.
    let skip = items::mint_item(c.minter.pubkey(), owner, 2, SWORD, "x".into(), "u".into());
    h.must_fail_with(&[skip], &[&c.minter], Anchor::ConstraintSeeds.into());
}

fn the_owner_burns_an_item<B: Backend>(mut h: Harness<B>) {
    let c = Collection::start(&mut h, 0);
    let player = h.funded_keypair(1);
    let (id, mint) = c.mint(&mut h, &player.pubkey(), SWORD);
    let thief = h.funded_keypair(1);
    assert!(h.send(&[items::burn_item(thief.pubkey(), mint)], &[&thief]).is_err(), "only the holder burns");
    let landed = h.must(&[items::burn_item(player.pubkey(), mint)], &[&player]);
    let event: ev::ItemBurned = decode_one(&landed.logs).unwrap();
    assert_eq!((event.id, event.mint, event.owner), (id, mint, player.pubkey()));
    let account = h.raw(&mint);
    assert_eq!(StateWithExtensions::<MintState>::unpack(&account.data).unwrap().base.supply, 0);
    assert!(!h.exists(&items::item_address(&mint)), "record closed");
    assert!(!h.exists(&items::item_account(&player.pubkey(), &mint)), "token account closed");
    assert_eq!(h.read::<ItemsConfig>(&items::config_address()).burned, 1);
}

fn royalty_is_capped_and_roles_belong_to_the_authority<B: Backend>(mut h: Harness<B>) {
    let c = Collection::start(&mut h, 0);
    let a = &c.authority;
    h.must_fail_with(
        &[items::set_royalty(a.pubkey(), c.creator.pubkey(), 1_001)],
        &[a],
        code(ItemsError::RoyaltyAboveCap),
    );
    h.must_fail_with(
        &[items::set_royalty(a.pubkey(), anchor_lang::prelude::Pubkey::default(), 100)],
        &[a],
        code(ItemsError::ZeroRoyaltyReceiver),
    );
    let landed = h.must(&[items::set_royalty(a.pubkey(), c.creator.pubkey(), 1_000)], &[a]);
    assert_eq!(decode_one::<ev::RoyaltyChanged>(&landed.logs).unwrap().bps, 1_000);
    let stranger = h.funded_keypair(1);
    h.must_fail_with(
        &[items::set_royalty(stranger.pubkey(), stranger.pubkey(), 0)],
        &[&stranger],
        Anchor::ConstraintHasOne.into(),
    );
    // A new minter takes over.
    let new_minter = h.funded_keypair(50);
    h.must(&[items::set_role(a.pubkey(), ItemsRole::Minter, new_minter.pubkey())], &[a]);
    let owner = h.funded_keypair(1).pubkey();
    let old = items::mint_item(c.minter.pubkey(), owner, 1, SWORD, "x".into(), "u".into());
    h.must_fail_with(&[old], &[&c.minter], Anchor::ConstraintHasOne.into());
    let new = items::mint_item(new_minter.pubkey(), owner, 1, SWORD, "x".into(), "u".into());
    h.must(&[new], &[&new_minter]);
}

fn items_move_like_any_token_2022_nft<B: Backend>(mut h: Harness<B>) {
    let c = Collection::start(&mut h, 0);
    let alice = h.funded_keypair(1);
    let bob = h.funded_keypair(1);
    let (_, mint) = c.mint(&mut h, &alice.pubkey(), SWORD);
    use anchor_spl::associated_token::spl_associated_token_account::instruction::create_associated_token_account;
    use anchor_spl::token_2022::spl_token_2022::instruction::transfer_checked;
    let payer = h.payer();
    let create = create_associated_token_account(&payer, &bob.pubkey(), &mint, &items::TOKEN_2022);
    let from = items::item_account(&alice.pubkey(), &mint);
    let to = items::item_account(&bob.pubkey(), &mint);
    let transfer = transfer_checked(&items::TOKEN_2022, &from, &mint, &to, &alice.pubkey(), &[], 1, 0).unwrap();
    h.must(&[create, transfer], &[&alice]);
    let account = h.raw(&to);
    let state =
        StateWithExtensions::<anchor_spl::token_2022::spl_token_2022::state::Account>::unpack(&account.data).unwrap();
    assert_eq!((state.base.owner, state.base.amount), (bob.pubkey(), 1));
}

mercato_program_tests::on_both_backends!(
    collection_is_a_token_group_with_metadata,
    minted_item_is_an_ordinary_nft_with_attributes,
    only_the_economy_authority_creates_the_collection,
    ids_are_sequential,
    minting_needs_the_minter_valid_attributes_and_bounded_strings,
    the_owner_burns_an_item,
    royalty_is_capped_and_roles_belong_to_the_authority,
    items_move_like_any_token_2022_nft,
);
