//! What the relayer sponsors on EVM: calls to the Mercato contracts' user functions, nothing else.

use crate::error::ApiError;
use alloy::primitives::{Address, FixedBytes};
use alloy::sol_types::SolCall;
use axum::http::StatusCode;
use mercato_evm_bindings::{AuctionHouse, MercatoGovernor, MercatoItems, MercatoToken};
use mercato_manifest::EvmContracts;
use std::collections::{HashMap, HashSet};

/// Allowed `(contract, selector)` pairs.
#[derive(Debug, Clone, Default)]
pub struct Allowlist {
    allowed: HashMap<Address, (&'static str, HashSet<FixedBytes<4>>)>,
}

impl Allowlist {
    /// The Mercato suite's user-facing functions: token approvals, transfers, delegation, burns and permits; item
    /// approvals, transfers and burns; every market action; proposing, voting, queueing, executing and cancelling.
    /// Admin functions are not sponsored (they are the timelock's).
    pub fn mercato(contracts: &EvmContracts) -> Self {
        let mut allowed = HashMap::new();
        allowed.insert(
            contracts.token,
            (
                "token",
                HashSet::from([
                    MercatoToken::approveCall::SELECTOR.into(),
                    MercatoToken::transferCall::SELECTOR.into(),
                    MercatoToken::transferFromCall::SELECTOR.into(),
                    MercatoToken::delegateCall::SELECTOR.into(),
                    MercatoToken::burnCall::SELECTOR.into(),
                    MercatoToken::permitCall::SELECTOR.into(),
                    MercatoToken::releaseEmissionCall::SELECTOR.into(),
                ]),
            ),
        );
        allowed.insert(
            contracts.items,
            (
                "items",
                HashSet::from([
                    MercatoItems::approveCall::SELECTOR.into(),
                    MercatoItems::setApprovalForAllCall::SELECTOR.into(),
                    MercatoItems::transferFromCall::SELECTOR.into(),
                    MercatoItems::safeTransferFrom_0Call::SELECTOR.into(),
                    MercatoItems::safeTransferFrom_1Call::SELECTOR.into(),
                    MercatoItems::burnCall::SELECTOR.into(),
                ]),
            ),
        );
        allowed.insert(
            contracts.auction_house,
            (
                "auctionHouse",
                HashSet::from([
                    AuctionHouse::bidCall::SELECTOR.into(),
                    AuctionHouse::bidWithPermitCall::SELECTOR.into(),
                    AuctionHouse::buyCall::SELECTOR.into(),
                    AuctionHouse::buyWithPermitCall::SELECTOR.into(),
                    AuctionHouse::cancelCall::SELECTOR.into(),
                    AuctionHouse::createDutchCall::SELECTOR.into(),
                    AuctionHouse::createEnglishCall::SELECTOR.into(),
                    AuctionHouse::createFixedCall::SELECTOR.into(),
                    AuctionHouse::depositCall::SELECTOR.into(),
                    AuctionHouse::depositWithPermitCall::SELECTOR.into(),
                    AuctionHouse::settleCall::SELECTOR.into(),
                    AuctionHouse::withdrawCreditsCall::SELECTOR.into(),
                ]),
            ),
        );
        allowed.insert(
            contracts.governor,
            (
                "governor",
                HashSet::from([
                    MercatoGovernor::proposeCall::SELECTOR.into(),
                    MercatoGovernor::castVoteCall::SELECTOR.into(),
                    MercatoGovernor::castVoteWithReasonCall::SELECTOR.into(),
                    MercatoGovernor::queueCall::SELECTOR.into(),
                    MercatoGovernor::executeCall::SELECTOR.into(),
                    MercatoGovernor::cancelCall::SELECTOR.into(),
                ]),
            ),
        );
        Self { allowed }
    }

    /// Refuses (403) a call to a contract or function that is not sponsored.
    pub fn check(&self, to: Address, data: &[u8]) -> Result<(), ApiError> {
        let forbidden = |reason, message: String| ApiError {
            status: StatusCode::FORBIDDEN,
            reason,
            message,
            retry_after: None,
            revert_data: None,
        };
        let (name, selectors) = self
            .allowed
            .get(&to)
            .ok_or_else(|| forbidden("target_not_allowed", format!("{to} is not a sponsored contract")))?;
        let selector = data
            .get(..4)
            .map(FixedBytes::<4>::from_slice)
            .ok_or_else(|| forbidden("selector_not_allowed", "the call data has no function selector".into()))?;
        if selectors.contains(&selector) {
            Ok(())
        } else {
            Err(forbidden("selector_not_allowed", format!("function {selector} of {name} is not sponsored")))
        }
    }
}
