//! Typed bindings for the Mercato EVM suite.
//!
//! Generated at compile time by alloy's `sol!` from the forge artifacts in `contracts/out` (ABI and bytecode), so
//! no ABI is written by hand: calls are `<Contract>::<fn>Call`, events `<Contract>::<Event>`, and revert data
//! decodes into `<Contract>::<Contract>Errors`. Run `forge build` before `cargo build` (`./mercato test` does).
//!
//! Layout: one module per contract, named after it; each holds the contract's instance type (`new(address,
//! provider)`), its calls, events and errors.

#![allow(missing_docs)] // generated items carry the contracts' NatSpec, not rustdoc
#![allow(clippy::too_many_arguments)] // generated deploy and call builders mirror the Solidity signatures

alloy::sol!(
    #[sol(rpc)]
    #[derive(Debug)]
    MercatoToken,
    "../../contracts/out/MercatoToken.sol/MercatoToken.json"
);

alloy::sol!(
    #[sol(rpc)]
    #[derive(Debug)]
    MercatoItems,
    "../../contracts/out/MercatoItems.sol/MercatoItems.json"
);

alloy::sol!(
    #[sol(rpc)]
    #[derive(Debug)]
    AuctionHouse,
    "../../contracts/out/AuctionHouse.sol/AuctionHouse.json"
);

alloy::sol!(
    #[sol(rpc)]
    #[derive(Debug)]
    EconomyConfig,
    "../../contracts/out/EconomyConfig.sol/EconomyConfig.json"
);

alloy::sol!(
    #[sol(rpc)]
    #[derive(Debug)]
    MercatoGovernor,
    "../../contracts/out/MercatoGovernor.sol/MercatoGovernor.json"
);

alloy::sol!(
    #[sol(rpc)]
    #[derive(Debug)]
    MercatoForwarder,
    "../../contracts/out/MercatoForwarder.sol/MercatoForwarder.json"
);

alloy::sol!(
    #[sol(rpc)]
    #[derive(Debug)]
    TimelockController,
    "../../contracts/out/TimelockController.sol/TimelockController.json"
);

alloy::sol! {
    /// EIP-2612 permit, as signed by a token holder (domain: the token's name, version "1").
    #[derive(Debug)]
    struct Permit {
        address owner;
        address spender;
        uint256 value;
        uint256 nonce;
        uint256 deadline;
    }

    /// ERC-2771 forward request, as signed by a user (domain: "MercatoForwarder", version "1").
    #[derive(Debug)]
    struct ForwardRequest {
        address from;
        address to;
        uint256 value;
        uint256 gas;
        uint256 nonce;
        uint48 deadline;
        bytes data;
    }
}

impl ForwardRequest {
    /// The forwarder's `execute` argument: this request with its signature (the nonce is not part of it; the
    /// forwarder checks the signature against the signer's current nonce).
    pub fn with_signature(
        self,
        signature: impl Into<alloy::primitives::Bytes>,
    ) -> ERC2771Forwarder::ForwardRequestData {
        ERC2771Forwarder::ForwardRequestData {
            from: self.from,
            to: self.to,
            value: self.value,
            gas: self.gas,
            deadline: self.deadline,
            data: self.data,
            signature: signature.into(),
        }
    }
}
