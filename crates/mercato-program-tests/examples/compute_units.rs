//! Compute units of every Mercato instruction, measured on the SBF builds in LiteSVM, printed as a markdown table.
//!
//! Run: `./mercato bench` (or `cargo run -p mercato-program-tests --example compute_units` after `./mercato sbf`).
//! Figures are for the whole transaction (one instruction each, plus any CPI it makes). PDA bump searches depend on
//! the random keys of a run, so some instructions vary between runs: the table shows the range of three runs.

use mercato_program_tests::fixtures::{Dao, MRC};
use mercato_program_tests::{Backend, Harness, sbf::SbfBackend};
use mercato_solana_client::Instruction;
use mercato_solana_client::auction::{self, Listing, ListingKind};
use mercato_solana_client::governance::{self, Side};
use mercato_solana_client::items::{self, ItemAttributes};
use mercato_solana_client::token::{self, ParamChange, RewardReason};
use solana_keypair::Keypair;
use solana_signer::Signer;

struct Table<B: Backend> {
    h: Harness<B>,
    rows: Vec<(String, u64, Option<u64>)>,
    /// Program logs of the rows with a target, for the breakdown of their CPIs.
    logs: Vec<(String, Vec<String>)>,
}

impl<B: Backend> Table<B> {
    fn row(&mut self, name: &str, target: Option<u64>, ixs: &[Instruction], signers: &[&Keypair]) {
        let landed = self.h.must(ixs, signers);
        self.rows.push((name.to_string(), landed.compute_units, target));
        if target.is_some() {
            self.logs.push((name.to_string(), landed.logs));
        }
    }
}

/// The direct CPIs of a transaction's instruction from its logs: `(program, compute units it consumed, nested calls
/// included)` for every invocation at depth 2 (the runtime's `Program <id> invoke [depth]` / `Program <id> consumed <n> of <m> compute units` lines;
/// each CPI also costs 1,000 CU of invoke base charged to the caller, not included here).
fn cpis(logs: &[String]) -> Vec<(String, u64)> {
    // (program, depth, units consumed): BPF programs log `consumed` before `success`; builtins (system) only
    // `success`, and their cost is not metered separately.
    let mut stack: Vec<(String, String, u64)> = Vec::new();
    let mut found = Vec::new();
    for line in logs {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["Program", id, "invoke", depth] => {
                stack.push((id.to_string(), depth.trim_matches(['[', ']']).to_owned(), 0));
            }
            ["Program", id, "consumed", units, "of", ..] => {
                if let Some(top) = stack.last_mut().filter(|(invoked, ..)| invoked == id) {
                    top.2 = units.parse().unwrap_or(0);
                }
            }
            ["Program", id, "success"] | ["Program", id, "failed:", ..] => {
                if let Some((invoked, depth, units)) = stack.pop_if(|(invoked, ..)| invoked == id)
                    && depth == "2"
                {
                    found.push((program_name(&invoked), units));
                }
            }
            _ => {}
        }
    }
    found
}

fn program_name(id: &str) -> String {
    match id {
        "TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb" => "Token-2022".into(),
        "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA" => "SPL Token".into(),
        "ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL" => "associated token".into(),
        "11111111111111111111111111111111" => "system".into(),
        other => other.into(),
    }
}

type Rows = Vec<(String, u64, Option<u64>)>;

fn scenario() -> (Rows, Vec<(String, Vec<String>)>) {
    let h = Harness::new(SbfBackend::start());
    let mut t = Table { h, rows: Vec::new(), logs: Vec::new() };
    let h = &mut t.h;

    // Set-up instructions are measured inside the fixtures' own transactions; the rows below are the everyday ones.
    let dao = Dao::start(h, 10_000_000 * MRC);
    let market = &dao.market;
    let economy = &market.collection.economy;
    let minter = market.collection.minter.insecure_clone();
    let game = economy.game_server.insecure_clone();
    let seller = market.player(h, 0);
    let alice = market.player(h, 10_000 * MRC);
    let bob = market.player(h, 10_000 * MRC);
    let voter = dao.voter(h, 1_000_000 * MRC, 0);
    h.warp(3_600);

    t.row("token: release_emission", None, &[token::release_emission()], &[]);
    let (player, player_account) = economy.player(&mut t.h, 100 * MRC);
    t.row(
        "token: grant_reward (first reward of the player)",
        None,
        &[token::grant_reward(game.pubkey(), player.pubkey(), player_account, MRC, RewardReason::SignIn)],
        &[&game],
    );
    t.row(
        "token: grant_reward",
        None,
        &[token::grant_reward(game.pubkey(), player.pubkey(), player_account, MRC, RewardReason::Task)],
        &[&game],
    );
    t.row("token: burn", None, &[token::burn(player.pubkey(), player_account, MRC, 1)], &[&player]);

    let next = t.h.read::<items::ItemsConfig>(&items::config_address()).next_item_id;
    let attributes = ItemAttributes { class: 3, rarity: 2, power: 900 };
    let mint_ix =
        items::mint_item(minter.pubkey(), seller.pubkey(), next, attributes, "Blade".into(), "https://x/1".into());
    t.row("items: mint_item", Some(60_000), &[mint_ix], &[&minter]);
    let english_item = items::item_mint_address(next);
    let fixed_item = market.item(&mut t.h, &seller.pubkey());
    let dutch_item = market.item(&mut t.h, &seller.pubkey());
    let burn_item = market.item(&mut t.h, &seller.pubkey());
    t.row("items: burn_item", None, &[items::burn_item(seller.pubkey(), burn_item)], &[&seller]);

    let list = |mint, kind, start, floor, duration| {
        auction::create_listing(seller.pubkey(), mint, kind, start, floor, duration)
    };
    t.row(
        "auction: create_listing (English)",
        None,
        &[list(english_item, ListingKind::English, 10 * MRC, 0, 3_600)],
        &[&seller],
    );
    t.row("auction: create_listing (fixed)", None, &[list(fixed_item, ListingKind::Fixed, 20 * MRC, 0, 0)], &[&seller]);
    t.row(
        "auction: create_listing (Dutch)",
        None,
        &[list(dutch_item, ListingKind::Dutch, 50 * MRC, 5 * MRC, 3_600)],
        &[&seller],
    );
    t.row(
        "auction: bid (first; creates the bidder's credit account)",
        None,
        &[auction::bid(alice.pubkey(), english_item, 10 * MRC, None)],
        &[&alice],
    );
    let listing: Listing = t.h.read(&auction::listing_address(&english_item));
    t.row(
        "auction: bid (outbid; creates the previous bidder's credit account)",
        None,
        &[auction::bid(bob.pubkey(), english_item, 11 * MRC, Some(listing.high_bidder))],
        &[&bob],
    );
    t.row(
        "auction: bid (outbid; creates the previous bidder's credit account)",
        None,
        &[auction::bid(alice.pubkey(), english_item, 12 * MRC, Some(bob.pubkey()))],
        &[&alice],
    );
    t.row(
        "auction: bid (outbid; the previous bidder's credit account exists)",
        Some(25_000),
        &[auction::bid(bob.pubkey(), english_item, 13 * MRC, Some(alice.pubkey()))],
        &[&bob],
    );
    let parties = market.parties(seller.pubkey());
    t.row("auction: buy (fixed)", None, &[auction::buy(bob.pubkey(), fixed_item, 20 * MRC, parties)], &[&bob]);
    t.h.warp(1_800);
    t.row("auction: buy (Dutch)", None, &[auction::buy(bob.pubkey(), dutch_item, 50 * MRC, parties)], &[&bob]);
    t.h.warp(3_600);
    let payer = t.h.payer();
    t.row("auction: settle", Some(40_000), &[auction::settle(payer, english_item, bob.pubkey(), parties)], &[]);
    let credit_to = token::currency_account(&seller.pubkey());
    t.h.create_ata(&seller.pubkey(), &token::mint_address());
    t.row("auction: withdraw_credits", None, &[auction::withdraw_credits(seller.pubkey(), credit_to, MRC)], &[&seller]);

    t.row("governance: deposit (first)", None, &[governance::deposit(voter.pubkey(), 500_000 * MRC)], &[&voter]);
    t.row("governance: deposit", None, &[governance::deposit(voter.pubkey(), 1)], &[&voter]);
    let id = dao.next_id(&mut t.h);
    t.row(
        "governance: propose",
        None,
        &[governance::propose(voter.pubkey(), id, ParamChange::MarketFeeBps(300))],
        &[&voter],
    );
    t.row("governance: cast_vote", Some(25_000), &[governance::cast_vote(voter.pubkey(), id, Side::For)], &[&voter]);
    t.h.warp(720);
    t.row("governance: execute (CPI into the economy config)", None, &[governance::execute(id)], &[]);
    t.row("governance: withdraw", None, &[governance::withdraw(voter.pubkey(), 1)], &[&voter]);

    (t.rows, t.logs)
}

/// Runs the scenario with fresh random keys a few times: PDA bump searches depend on the keys, so some rows vary.
fn main() {
    const RUNS: usize = 3;
    let (runs, logs): (Vec<_>, Vec<_>) = (0..RUNS).map(|_| scenario()).unzip();
    println!("| instruction | CU (min-max of {RUNS} runs) | target |");
    println!("| --- | ---: | --- |");
    for (i, (name, _, target)) in runs[0].iter().enumerate() {
        let min = runs.iter().map(|r| r[i].1).min().unwrap_or_default();
        let max = runs.iter().map(|r| r[i].1).max().unwrap_or_default();
        let verdict = match target {
            Some(limit) if max <= *limit => format!("<= {limit}: met"),
            Some(limit) if min <= *limit => format!("<= {limit}: met in some runs only"),
            Some(limit) => format!("<= {limit}: NOT met"),
            None => "-".into(),
        };
        let cu = if min == max { min.to_string() } else { format!("{min}-{max}") };
        println!("| {name} | {cu} | {verdict} |");
    }
    println!();
    println!("CPIs of the rows with a target (first run; CU each program consumed, without the 1,000 CU invoke base):");
    for (name, lines) in &logs[0] {
        let calls = cpis(lines);
        let total: u64 = calls.iter().map(|(_, cu)| cu).sum();
        let list: Vec<String> = calls.iter().map(|(program, cu)| format!("{program} {cu}")).collect();
        println!("- {name}: {} CPIs, {total} CU inside them ({})", calls.len(), list.join(", "));
    }
}
