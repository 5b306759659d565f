//! Gas sponsorship on EVM: the allowlist ([`policy`]) and the submission engine ([`engine`]).

pub mod engine;
pub mod policy;
