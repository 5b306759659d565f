//! The EVM side: decoding the suite's logs ([`decode`]) and reading the chain ([`source`]).

pub mod decode;
pub mod source;
