//! The governance program in a real bank: deposits, proposals, votes, quorum, approval, hold-up, execution by
//! CPI into the currency program, and the sale after it paying the new fee.

use mercato_program_tests::fixtures::{Dao, MRC};
use mercato_program_tests::{Backend, Harness};
use mercato_solana_client::auction;
use mercato_solana_client::events::decode_one;
use mercato_solana_client::governance::{
    self, GovernanceError, Proposal, ProposalStatus, Side, VoterRecord, events as ev,
};
use mercato_solana_client::token::{self, EconomyConfig, ParamChange};
use solana_signer::Signer;

fn code(e: GovernanceError) -> u32 {
    e.into()
}

/// 10,000,000 MRC supply: quorum (4%) is 400,000 MRC.
const SUPPLY: u64 = 10_000_000 * MRC;

fn lifecycle_changes_the_market_fee_and_the_next_sale_pays_it<B: Backend>(mut h: Harness<B>) {
    let dao = Dao::start(&mut h, SUPPLY);
    let alice = dao.voter(&mut h, 300_000 * MRC, 300_000 * MRC);
    let bob = dao.voter(&mut h, 200_000 * MRC, 200_000 * MRC);
    let carol = dao.voter(&mut h, 100_000 * MRC, 100_000 * MRC);

    let id = dao.next_id(&mut h);
    let landed = h.must(&[governance::propose(alice.pubkey(), id, ParamChange::MarketFeeBps(500))], &[&alice]);
    let created: ev::ProposalCreated = decode_one(&landed.logs).unwrap();
    assert_eq!((created.id, created.change, created.quorum_votes), (1, ParamChange::MarketFeeBps(500), 400_000 * MRC));

    h.must(&[governance::cast_vote(alice.pubkey(), id, Side::For)], &[&alice]);
    h.must(&[governance::cast_vote(bob.pubkey(), id, Side::For)], &[&bob]);
    let landed = h.must(&[governance::cast_vote(carol.pubkey(), id, Side::Against)], &[&carol]);
    let vote: ev::VoteCast = decode_one(&landed.logs).unwrap();
    assert_eq!((vote.votes_for, vote.votes_against), (500_000 * MRC, 100_000 * MRC));

    // Not before voting ends plus the hold-up.
    h.must_fail_with(&[governance::execute(id)], &[], code(GovernanceError::HoldUpNotOver));
    h.warp(600);
    h.must_fail_with(&[governance::execute(id)], &[], code(GovernanceError::HoldUpNotOver));
    h.warp(120);
    let landed = h.must(&[governance::execute(id)], &[]);
    assert_eq!(decode_one::<ev::ProposalExecuted>(&landed.logs).unwrap().change, ParamChange::MarketFeeBps(500));
    let changed: token::events::ParameterChanged = decode_one(&landed.logs).unwrap();
    assert_eq!((changed.old_value, changed.new_value), (250, 500));
    assert_eq!(h.read::<EconomyConfig>(&token::config_address()).market.market_fee_bps, 500);
    assert_eq!(h.read::<Proposal>(&governance::proposal_address(id)).status, ProposalStatus::Executed);
    h.must_fail_with(&[governance::execute(id)], &[], code(GovernanceError::NotActive));

    // The next sale pays 5%.
    let market = &dao.market;
    let seller = market.player(&mut h, 0);
    let mint = market.item(&mut h, &seller.pubkey());
    h.must(&[auction::create_listing(seller.pubkey(), mint, auction::ListingKind::Fixed, 100 * MRC, 0, 0)], &[&seller]);
    let buyer = market.player(&mut h, 100 * MRC);
    let landed = h.must(&[auction::buy(buyer.pubkey(), mint, 100 * MRC, market.parties(seller.pubkey()))], &[&buyer]);
    let sale: auction::events::Sale = decode_one(&landed.logs).unwrap();
    assert_eq!(sale.fee, 5 * MRC);
}

fn deposits_are_locked_while_a_voted_proposal_is_open<B: Backend>(mut h: Harness<B>) {
    let dao = Dao::start(&mut h, SUPPLY);
    let alice = dao.voter(&mut h, 500_000 * MRC, 450_000 * MRC);
    h.must(&[governance::deposit(alice.pubkey(), 50_000 * MRC)], &[&alice]);
    h.must(&[governance::withdraw(alice.pubkey(), 100_000 * MRC)], &[&alice]);
    let id = dao.next_id(&mut h);
    h.must(&[governance::propose(alice.pubkey(), id, ParamChange::AntiSnipeBuffer(60))], &[&alice]);
    h.must(&[governance::cast_vote(alice.pubkey(), id, Side::For)], &[&alice]);
    h.must_fail_with(&[governance::withdraw(alice.pubkey(), MRC)], &[&alice], code(GovernanceError::DepositLocked));
    h.warp(600);
    h.must(&[governance::withdraw(alice.pubkey(), 400_000 * MRC)], &[&alice]);
    h.must_fail_with(&[governance::withdraw(alice.pubkey(), 1)], &[&alice], code(GovernanceError::InsufficientDeposit));
    assert_eq!(h.token_balance(&token::currency_account(&alice.pubkey())), 500_000 * MRC);
    let record: VoterRecord = h.read(&governance::voter_address(&alice.pubkey()));
    assert_eq!(record.deposited, 0);
}

fn proposing_and_voting_rules<B: Backend>(mut h: Harness<B>) {
    let dao = Dao::start(&mut h, SUPPLY);
    let small = dao.voter(&mut h, 999 * MRC, 999 * MRC);
    let alice = dao.voter(&mut h, 100_000 * MRC, 100_000 * MRC);
    let id = dao.next_id(&mut h);
    h.must_fail_with(
        &[governance::propose(small.pubkey(), id, ParamChange::MarketFeeBps(0))],
        &[&small],
        code(GovernanceError::BelowProposalThreshold),
    );
    h.must(&[governance::propose(alice.pubkey(), id, ParamChange::MarketFeeBps(0))], &[&alice]);
    h.must(&[governance::cast_vote(alice.pubkey(), id, Side::For)], &[&alice]);
    assert!(h.send(&[governance::cast_vote(alice.pubkey(), id, Side::For)], &[&alice]).is_err(), "one vote each");
    let (no_deposit, _) = dao.market.collection.economy.player(&mut h, MRC);
    assert!(h.send(&[governance::cast_vote(no_deposit.pubkey(), id, Side::For)], &[&no_deposit]).is_err());
    h.warp(600);
    h.must_fail_with(
        &[governance::cast_vote(small.pubkey(), id, Side::For)],
        &[&small],
        code(GovernanceError::VotingEnded),
    );
}

fn quorum_and_approval_decide<B: Backend>(mut h: Harness<B>) {
    let dao = Dao::start(&mut h, SUPPLY);
    let alice = dao.voter(&mut h, 300_000 * MRC, 300_000 * MRC);
    let bob = dao.voter(&mut h, 400_000 * MRC, 400_000 * MRC);
    let carol = dao.voter(&mut h, 200_000 * MRC, 200_000 * MRC);
    let propose = |h: &mut Harness<B>| {
        let id = dao.next_id(h);
        h.must(&[governance::propose(alice.pubkey(), id, ParamChange::MarketFeeBps(100))], &[&alice]);
        id
    };
    // 1. Below quorum: 300,000 for < 400,000.
    let below = propose(&mut h);
    h.must(&[governance::cast_vote(alice.pubkey(), below, Side::For)], &[&alice]);
    // 2. Against votes do not count toward quorum: 300,000 for + 400,000 against is still below it.
    let against_only = propose(&mut h);
    h.must(&[governance::cast_vote(alice.pubkey(), against_only, Side::For)], &[&alice]);
    h.must(&[governance::cast_vote(bob.pubkey(), against_only, Side::Against)], &[&bob]);
    // 3. Quorum through abstention (300,000 + 200,000), but a tie of for and against (300,000 each) fails.
    let tie = propose(&mut h);
    h.must(&[governance::cast_vote(alice.pubkey(), tie, Side::For)], &[&alice]);
    h.must(&[governance::cast_vote(carol.pubkey(), tie, Side::Abstain)], &[&carol]);
    let dave = dao.voter(&mut h, 300_000 * MRC, 300_000 * MRC);
    h.must(&[governance::cast_vote(dave.pubkey(), tie, Side::Against)], &[&dave]);
    h.warp(720);
    h.must_fail_with(&[governance::execute(below)], &[], code(GovernanceError::QuorumNotReached));
    h.must_fail_with(&[governance::execute(against_only)], &[], code(GovernanceError::QuorumNotReached));
    h.must_fail_with(&[governance::execute(tie)], &[], code(GovernanceError::NotApproved));
    assert_eq!(h.read::<EconomyConfig>(&token::config_address()).market.market_fee_bps, 250);
}

fn only_the_economy_authority_sets_governance_up<B: Backend>(mut h: Harness<B>) {
    let market = mercato_program_tests::fixtures::Market::start(&mut h, SUPPLY);
    let squatter = h.funded_keypair(1);
    let params = mercato_program_tests::fixtures::governance_params();
    h.must_fail_with(
        &[governance::init_governance(squatter.pubkey(), params.clone())],
        &[&squatter],
        code(GovernanceError::NotEconomyAuthority),
    );
    let authority = &market.collection.economy.authority;
    h.must(&[governance::init_governance(authority.pubkey(), params)], &[authority]);
}

fn out_of_bounds_changes_fail_at_execution<B: Backend>(mut h: Harness<B>) {
    let dao = Dao::start(&mut h, SUPPLY);
    let alice = dao.voter(&mut h, 500_000 * MRC, 500_000 * MRC);
    let id = dao.next_id(&mut h);
    h.must(&[governance::propose(alice.pubkey(), id, ParamChange::MarketFeeBps(5_000))], &[&alice]);
    h.must(&[governance::cast_vote(alice.pubkey(), id, Side::For)], &[&alice]);
    h.warp(720);
    h.must_fail_with(&[governance::execute(id)], &[], token::TokenError::MarketFeeOutOfBounds.into());
    assert_eq!(h.read::<Proposal>(&governance::proposal_address(id)).status, ProposalStatus::Active);
}

fn the_author_cancels_only_before_any_vote<B: Backend>(mut h: Harness<B>) {
    let dao = Dao::start(&mut h, SUPPLY);
    let alice = dao.voter(&mut h, 100_000 * MRC, 100_000 * MRC);
    let bob = dao.voter(&mut h, 100_000 * MRC, 100_000 * MRC);
    let first = dao.next_id(&mut h);
    h.must(&[governance::propose(alice.pubkey(), first, ParamChange::MarketFeeBps(1))], &[&alice]);
    h.must_fail_with(&[governance::cancel(bob.pubkey(), first)], &[&bob], code(GovernanceError::CannotCancel));
    let landed = h.must(&[governance::cancel(alice.pubkey(), first)], &[&alice]);
    assert_eq!(decode_one::<ev::ProposalCancelled>(&landed.logs).unwrap().id, first);
    h.must_fail_with(
        &[governance::cast_vote(bob.pubkey(), first, Side::For)],
        &[&bob],
        code(GovernanceError::NotActive),
    );
    let second = dao.next_id(&mut h);
    h.must(&[governance::propose(alice.pubkey(), second, ParamChange::MarketFeeBps(1))], &[&alice]);
    h.must(&[governance::cast_vote(bob.pubkey(), second, Side::Against)], &[&bob]);
    h.must_fail_with(&[governance::cancel(alice.pubkey(), second)], &[&alice], code(GovernanceError::CannotCancel));
}

fn emission_changes_through_governance_release_first<B: Backend>(mut h: Harness<B>) {
    let dao = Dao::start(&mut h, SUPPLY);
    let alice = dao.voter(&mut h, 500_000 * MRC, 500_000 * MRC);
    let id = dao.next_id(&mut h);
    h.must(&[governance::propose(alice.pubkey(), id, ParamChange::EmissionRate(0))], &[&alice]);
    h.must(&[governance::cast_vote(alice.pubkey(), id, Side::For)], &[&alice]);
    h.warp(720);
    let vault_before = h.token_balance(&token::rewards_vault_address());
    h.must(&[governance::execute(id)], &[]);
    assert!(h.token_balance(&token::rewards_vault_address()) > vault_before, "accrued emission released first");
    assert_eq!(h.read::<EconomyConfig>(&token::config_address()).emission_rate, 0);
}

mercato_program_tests::on_both_backends!(
    lifecycle_changes_the_market_fee_and_the_next_sale_pays_it,
    deposits_are_locked_while_a_voted_proposal_is_open,
    proposing_and_voting_rules,
    quorum_and_approval_decide,
    only_the_economy_authority_sets_governance_up,
    out_of_bounds_changes_fail_at_execution,
    the_author_cancels_only_before_any_vote,
    emission_changes_through_governance_release_first,
);
