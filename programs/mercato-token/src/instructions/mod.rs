//! One module per instruction: its accounts struct and its handler.

#![allow(ambiguous_glob_reexports)] // each module has a `handler`; anchor needs the globs for its generated modules

pub mod burn;
pub mod grant_reward;
pub mod initialize;
pub mod mint_genesis;
pub mod release_emission;
pub mod update_param;

pub use burn::*;
pub use grant_reward::*;
pub use initialize::*;
pub use mint_genesis::*;
pub use release_emission::*;
pub use update_param::*;
