//! The currency program in a real bank: every instruction's happy path and each constraint's failure.

use anchor_lang::error::ErrorCode as Anchor;
use mercato_program_tests::fixtures::{Economy, MRC, default_params};
use mercato_program_tests::{Backend, Harness};
use mercato_solana_client::events::{decode, decode_one};
use mercato_solana_client::token::{
    self, EconomyConfig, ParamChange, RewardReason, RewardRecord, TokenError, events as ev,
};
use solana_signer::Signer;

fn code(e: TokenError) -> u32 {
    e.into()
}

fn supply<B: Backend>(h: &mut Harness<B>) -> u64 {
    h.read::<anchor_spl::token::Mint>(&token::mint_address()).supply
}

fn initialize_creates_config_mint_and_vault<B: Backend>(mut h: Harness<B>) {
    let e = Economy::start(&mut h, 0);
    let config: EconomyConfig = h.read(&token::config_address());
    assert_eq!(config.authority, e.authority.pubkey());
    assert_eq!(config.game_server, e.game_server.pubkey());
    assert_eq!(config.mint, token::mint_address());
    assert_eq!(config.rewards_vault, token::rewards_vault_address());
    assert_eq!(config.cap, 1_000_000_000 * MRC);
    assert_eq!(config.market.market_fee_bps, 250);
    assert!(!config.genesis_minted);
    let mint: anchor_spl::token::Mint = h.read(&token::mint_address());
    assert_eq!(mint.decimals, 9);
    assert_eq!(Option::<_>::from(mint.mint_authority), Some(token::config_address()));
    assert!(Option::<anchor_lang::prelude::Pubkey>::from(mint.freeze_authority).is_none());
    let vault: anchor_spl::token::TokenAccount = h.read(&token::rewards_vault_address());
    assert_eq!(vault.owner, token::config_address());
    // The treasury is a program-owned account: nobody can close it or refuse a fee.
    assert_eq!(config.treasury, token::treasury_address());
    let treasury: anchor_spl::token::TokenAccount = h.read(&token::treasury_address());
    assert_eq!((treasury.owner, treasury.mint), (token::config_address(), token::mint_address()));
}

fn initialize_emits_and_cannot_run_twice<B: Backend>(mut h: Harness<B>) {
    let authority = h.funded_keypair(10);
    let params = default_params(authority.pubkey());
    let landed = h.must(&[token::initialize(authority.pubkey(), params.clone())], &[&authority]);
    let event: ev::ConfigInitialized = decode_one(&landed.logs).expect("ConfigInitialized");
    assert_eq!(event.cap, params.cap);
    assert_eq!(event.market, params.market);
    // The PDAs exist now: a second initialize fails in the system program (account already in use).
    assert!(h.send(&[token::initialize(authority.pubkey(), params)], &[&authority]).is_err());
}

fn initialize_checks_bounds<B: Backend>(mut h: Harness<B>) {
    let authority = h.funded_keypair(10);
    type Breakage = Box<dyn Fn(&mut token::InitializeParams)>;
    let cases: Vec<(Breakage, TokenError)> = vec![
        (Box::new(|p| p.market.market_fee_bps = 1_001), TokenError::MarketFeeOutOfBounds),
        (Box::new(|p| p.market.royalty_cap_bps = 2_501), TokenError::RoyaltyCapOutOfBounds),
        (Box::new(|p| p.market.min_bid_increment_bps = 0), TokenError::BidIncrementOutOfBounds),
        (Box::new(|p| p.market.anti_snipe_buffer = 3_601), TokenError::AntiSnipeBufferOutOfBounds),
        (Box::new(|p| p.market.min_auction_duration = 59), TokenError::AuctionDurationOutOfBounds),
        (Box::new(|p| p.market.max_auction_duration = 100), TokenError::AuctionDurationOutOfBounds),
        (Box::new(|p| p.emission_rate = p.max_emission_rate + 1), TokenError::EmissionRateOutOfBounds),
        (Box::new(|p| p.daily_reward_cap = p.max_daily_reward_cap + 1), TokenError::DailyRewardCapOutOfBounds),
        (Box::new(|p| p.cap = 0), TokenError::InvalidCap),
    ];
    for (break_it, error) in cases {
        let mut params = default_params(authority.pubkey());
        break_it(&mut params);
        h.must_fail_with(&[token::initialize(authority.pubkey(), params)], &[&authority], code(error));
    }
}

fn genesis_is_minted_once_within_the_cap<B: Backend>(mut h: Harness<B>) {
    let e = Economy::start(&mut h, 0);
    let stranger = h.funded_keypair(1);
    h.must_fail_with(
        &[token::mint_genesis(stranger.pubkey(), e.genesis_account, MRC)],
        &[&stranger],
        Anchor::ConstraintHasOne.into(),
    );
    h.must_fail_with(
        &[token::mint_genesis(e.authority.pubkey(), e.genesis_account, 1_000_000_000 * MRC + 1)],
        &[&e.authority],
        code(TokenError::CapExceeded),
    );
    let landed = h.must(&[token::mint_genesis(e.authority.pubkey(), e.genesis_account, 100 * MRC)], &[&e.authority]);
    assert_eq!(decode_one::<ev::GenesisMinted>(&landed.logs).unwrap().amount, 100 * MRC);
    assert_eq!(h.token_balance(&e.genesis_account), 100 * MRC);
    h.must_fail_with(
        &[token::mint_genesis(e.authority.pubkey(), e.genesis_account, MRC)],
        &[&e.authority],
        code(TokenError::GenesisAlreadyMinted),
    );
}

fn emission_accrues_per_second_and_anyone_releases_it<B: Backend>(mut h: Harness<B>) {
    let _e = Economy::start(&mut h, 0);
    h.warp(3_600);
    // Sent by the harness's payer, which holds no role: the crank is permissionless.
    let landed = h.must(&[token::release_emission()], &[]);
    let event: ev::EmissionReleased = decode_one(&landed.logs).unwrap();
    // The clock moves only when the tests move it, so exactly 3,600 seconds accrued.
    assert_eq!(event.amount, 3_600 * MRC);
    assert_eq!(event.to_ts - event.from_ts, 3_600);
    assert_eq!(h.token_balance(&token::rewards_vault_address()), 3_600 * MRC);
    assert_eq!(supply(&mut h), 3_600 * MRC);
    let again = h.must(&[token::release_emission()], &[]);
    assert_eq!(decode_one::<ev::EmissionReleased>(&again.logs).unwrap().amount, 0, "nothing accrues in 0 s");
}

fn emission_stops_at_the_cap<B: Backend>(mut h: Harness<B>) {
    let e = Economy::start(&mut h, 1_000_000_000 * MRC - 500 * MRC);
    h.warp(10_000);
    h.must(&[token::release_emission()], &[]);
    assert_eq!(supply(&mut h), 1_000_000_000 * MRC);
    assert_eq!(h.token_balance(&token::rewards_vault_address()), 500 * MRC);
    h.warp(10_000);
    let landed = h.must(&[token::release_emission()], &[]);
    assert_eq!(decode_one::<ev::EmissionReleased>(&landed.logs).unwrap().amount, 0);
    drop(e);
}

fn rewards_respect_the_daily_cap_and_reset_the_next_day<B: Backend>(mut h: Harness<B>) {
    let e = Economy::start(&mut h, 0);
    h.warp(1_000);
    h.must(&[token::release_emission()], &[]);
    let (player, account) = e.player(&mut h, 0);
    let grant =
        |amount| token::grant_reward(e.game_server.pubkey(), player.pubkey(), account, amount, RewardReason::SignIn);
    let landed = h.must(&[grant(30 * MRC)], &[&e.game_server]);
    let event: ev::RewardGranted = decode_one(&landed.logs).unwrap();
    assert_eq!((event.amount, event.granted_today), (30 * MRC, 30 * MRC));
    h.must(&[grant(20 * MRC)], &[&e.game_server]);
    h.must_fail_with(&[grant(1)], &[&e.game_server], code(TokenError::RewardCapExceeded));
    assert_eq!(h.token_balance(&account), 50 * MRC);
    // A new UTC day starts a new allowance.
    let now = h.now();
    h.warp(86_400 - now.rem_euclid(86_400));
    h.must(&[grant(50 * MRC)], &[&e.game_server]);
    let record: RewardRecord = h.read(&token::reward_record_address(&player.pubkey()));
    assert_eq!(record.granted_today, 50 * MRC);
    assert_eq!(record.granted_total, 100 * MRC);
    assert_eq!(record.player, player.pubkey());
}

fn rewards_need_the_game_server_a_funded_vault_and_the_right_mint<B: Backend>(mut h: Harness<B>) {
    let e = Economy::start(&mut h, 0);
    let (player, account) = e.player(&mut h, 0);
    let impostor = h.funded_keypair(1);
    h.must_fail_with(
        &[token::grant_reward(impostor.pubkey(), player.pubkey(), account, MRC, RewardReason::Task)],
        &[&impostor],
        Anchor::ConstraintHasOne.into(),
    );
    h.must_fail_with(
        &[token::grant_reward(e.game_server.pubkey(), player.pubkey(), account, MRC, RewardReason::Task)],
        &[&e.game_server],
        code(TokenError::RewardsVaultInsufficient),
    );
    h.must_fail_with(
        &[token::grant_reward(e.game_server.pubkey(), player.pubkey(), account, 0, RewardReason::Task)],
        &[&e.game_server],
        code(TokenError::ZeroAmount),
    );
    // A token account of another owner cannot receive the player's reward.
    let (_, other_account) = e.player(&mut h, 0);
    h.warp(100);
    h.must(&[token::release_emission()], &[]);
    h.must_fail_with(
        &[token::grant_reward(e.game_server.pubkey(), player.pubkey(), other_account, MRC, RewardReason::Task)],
        &[&e.game_server],
        Anchor::ConstraintTokenOwner.into(),
    );
}

fn burn_is_a_sink_with_a_reason<B: Backend>(mut h: Harness<B>) {
    let e = Economy::start(&mut h, 1_000 * MRC);
    let (player, account) = e.player(&mut h, 100 * MRC);
    let landed = h.must(&[token::burn(player.pubkey(), account, 40 * MRC, 7)], &[&player]);
    let event: ev::Burned = decode_one(&landed.logs).unwrap();
    assert_eq!((event.amount, event.sink, event.supply), (40 * MRC, 7, 960 * MRC));
    assert_eq!(h.token_balance(&account), 60 * MRC);
    h.must_fail_with(&[token::burn(player.pubkey(), account, 0, 7)], &[&player], code(TokenError::ZeroAmount));
    // Burning another holder's tokens: the account's owner must sign.
    let thief = h.funded_keypair(1);
    h.must_fail_with(&[token::burn(thief.pubkey(), account, MRC, 0)], &[&thief], Anchor::ConstraintTokenOwner.into());
    assert!(h.send(&[token::burn(player.pubkey(), account, 61 * MRC, 0)], &[&player]).is_err(), "more than held");
}

fn parameters_change_within_bounds_only_by_the_authority<B: Backend>(mut h: Harness<B>) {
    let e = Economy::start(&mut h, 0);
    let a = &e.authority;
    let landed = h.must(&[token::update_param(a.pubkey(), ParamChange::MarketFeeBps(400))], &[a]);
    let event: ev::ParameterChanged = decode_one(&landed.logs).unwrap();
    assert_eq!((event.name.as_str(), event.old_value, event.new_value), ("marketFeeBps", 250, 400));
    let accepted = [
        ParamChange::RoyaltyCapBps(2_500),
        ParamChange::MinBidIncrementBps(1),
        ParamChange::AntiSnipeBuffer(0),
        ParamChange::AuctionDurationBounds { min: 120, max: 7 * 86_400 },
        ParamChange::DailyRewardCap(10_000 * MRC),
        ParamChange::GameServer(a.pubkey()),
    ];
    for change in accepted {
        h.must(&[token::update_param(a.pubkey(), change)], &[a]);
    }
    let config: EconomyConfig = h.read(&token::config_address());
    assert_eq!(config.market.royalty_cap_bps, 2_500);
    assert_eq!(config.market.min_auction_duration, 120);
    assert_eq!(config.game_server, a.pubkey());
    let rejected = [
        (ParamChange::MarketFeeBps(1_001), TokenError::MarketFeeOutOfBounds),
        (ParamChange::RoyaltyCapBps(2_501), TokenError::RoyaltyCapOutOfBounds),
        (ParamChange::MinBidIncrementBps(5_001), TokenError::BidIncrementOutOfBounds),
        (ParamChange::AntiSnipeBuffer(3_601), TokenError::AntiSnipeBufferOutOfBounds),
        (ParamChange::AuctionDurationBounds { min: 86_400, max: 3_600 }, TokenError::AuctionDurationOutOfBounds),
        (ParamChange::EmissionRate(100 * MRC + 1), TokenError::EmissionRateOutOfBounds),
        (ParamChange::DailyRewardCap(10_000 * MRC + 1), TokenError::DailyRewardCapOutOfBounds),
    ];
    for (change, error) in rejected {
        h.must_fail_with(&[token::update_param(a.pubkey(), change)], &[a], code(error));
    }
    let stranger = h.funded_keypair(1);
    h.must_fail_with(
        &[token::update_param(stranger.pubkey(), ParamChange::MarketFeeBps(0))],
        &[&stranger],
        Anchor::ConstraintHasOne.into(),
    );
    assert_eq!(h.read::<EconomyConfig>(&token::config_address()).market.market_fee_bps, 400);
}

fn emission_rate_change_releases_at_the_old_rate_first<B: Backend>(mut h: Harness<B>) {
    let e = Economy::start(&mut h, 0);
    h.warp(100);
    let landed =
        h.must(&[token::update_param(e.authority.pubkey(), ParamChange::EmissionRate(5 * MRC))], &[&e.authority]);
    assert_eq!(decode_one::<ev::EmissionReleased>(&landed.logs).unwrap().amount, 100 * MRC);
    let changed: Vec<ev::ParameterChanged> = decode(&landed.logs);
    assert_eq!((changed[0].old_value, changed[0].new_value), (MRC, 5 * MRC));
    h.warp(10);
    let landed = h.must(&[token::release_emission()], &[]);
    assert_eq!(decode_one::<ev::EmissionReleased>(&landed.logs).unwrap().amount, 50 * MRC);
}

fn authority_hand_over<B: Backend>(mut h: Harness<B>) {
    let e = Economy::start(&mut h, 0);
    let governance = h.funded_keypair(1);
    let landed = h.must(&[token::set_authority(e.authority.pubkey(), governance.pubkey())], &[&e.authority]);
    let event: ev::AddressChanged = decode_one(&landed.logs).unwrap();
    assert_eq!((event.old_value, event.new_value), (e.authority.pubkey(), governance.pubkey()));
    h.must_fail_with(
        &[token::update_param(e.authority.pubkey(), ParamChange::MarketFeeBps(1))],
        &[&e.authority],
        Anchor::ConstraintHasOne.into(),
    );
    h.must(&[token::update_param(governance.pubkey(), ParamChange::MarketFeeBps(1))], &[&governance]);
    h.must_fail_with(
        &[token::set_authority(e.authority.pubkey(), e.authority.pubkey())],
        &[&e.authority],
        Anchor::ConstraintHasOne.into(),
    );
}

fn an_unsigned_authority_and_an_overflowing_reward_are_refused<B: Backend>(mut h: Harness<B>) {
    let e = Economy::start(&mut h, 0);
    // The authority's account is present but has not signed.
    let mut ix = token::update_param(e.authority.pubkey(), ParamChange::MarketFeeBps(1));
    ix.accounts[0].is_signer = false;
    h.must_fail_with(&[ix], &[], Anchor::AccountNotSigner.into());
    // A reward that would overflow the player's daily counter fails with a named error, not a wrap-around.
    h.warp(100);
    h.must(&[token::release_emission()], &[]);
    let (player, account) = e.player(&mut h, 0);
    let grant =
        |amount| token::grant_reward(e.game_server.pubkey(), player.pubkey(), account, amount, RewardReason::Other);
    h.must(&[grant(1)], &[&e.game_server]);
    h.must_fail_with(&[grant(u64::MAX)], &[&e.game_server], code(TokenError::MathOverflow));
}

fn burning_needs_the_currency_mint<B: Backend>(mut h: Harness<B>) {
    let e = Economy::start(&mut h, 1_000 * MRC);
    let (player, _) = e.player(&mut h, 10 * MRC);
    // An account of another mint (the collection-less rewards vault's mint is ours, so make a foreign mint).
    let foreign_mint = solana_keypair::Keypair::new();
    let payer = h.payer();
    let rent = 1_461_600; // rent-exempt minimum of an 82-byte mint
    let create = anchor_lang::solana_program::system_instruction::create_account(
        &payer,
        &foreign_mint.pubkey(),
        rent,
        82,
        &anchor_spl::token::ID,
    );
    let init = anchor_spl::token::spl_token::instruction::initialize_mint2(
        &anchor_spl::token::ID,
        &foreign_mint.pubkey(),
        &payer,
        None,
        0,
    )
    .unwrap();
    h.must(&[create, init], &[&foreign_mint]);
    let foreign_account = h.create_ata(&player.pubkey(), &foreign_mint.pubkey());
    h.must_fail_with(
        &[token::burn(player.pubkey(), foreign_account, 1, 0)],
        &[&player],
        Anchor::ConstraintTokenMint.into(),
    );
}

mercato_program_tests::on_both_backends!(
    initialize_creates_config_mint_and_vault,
    initialize_emits_and_cannot_run_twice,
    initialize_checks_bounds,
    genesis_is_minted_once_within_the_cap,
    emission_accrues_per_second_and_anyone_releases_it,
    emission_stops_at_the_cap,
    rewards_respect_the_daily_cap_and_reset_the_next_day,
    rewards_need_the_game_server_a_funded_vault_and_the_right_mint,
    burn_is_a_sink_with_a_reason,
    parameters_change_within_bounds_only_by_the_authority,
    emission_rate_change_releases_at_the_old_rate_first,
    authority_hand_over,
    an_unsigned_authority_and_an_overflowing_reward_are_refused,
    burning_needs_the_currency_mint,
);
