//! One module per instruction: its accounts struct and its handler.

#![allow(ambiguous_glob_reexports)] // each module has a `handler`; anchor needs the globs for its generated modules

pub mod cast_vote;
pub mod deposit;
pub mod execute;
pub mod init_governance;
pub mod propose;

pub use cast_vote::*;
pub use deposit::*;
pub use execute::*;
pub use init_governance::*;
pub use propose::*;
