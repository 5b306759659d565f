//! Integration tests of the indexer, in one binary: real Postgres clusters (mercato-postgres), anvil with the suite
//! deployed by the real deploy script (mercato-e2e), the indexer in-process or as its binary.

mod answer_cache;
mod api_errors;
mod cli;
mod common;
mod crash;
mod economy;
mod prices;
mod ranges;
mod reorg;
mod rollback;
mod solana;
mod solana_backfill;
mod solana_wake;
mod solana_wash;
