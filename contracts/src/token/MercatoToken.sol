// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ERC20Votes} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Votes.sol";
import {ERC2771Context} from "@openzeppelin/contracts/metatx/ERC2771Context.sol";
import {Context} from "@openzeppelin/contracts/utils/Context.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {IEconomyConfig, IEmissionSource} from "../config/IEconomyConfig.sol";

/// @title MercatoToken
/// @notice Mercato's currency: ERC-20 with EIP-2612 permit and ERC-5805 votes (timestamp clock), a hard cap, and
/// new supply only from an emission schedule whose rate and recipient live in {EconomyConfig} (governance-owned).
/// Burning (the economy's sinks) is open to every holder and to approved spenders.
///
/// Voting power without a delegation step: an externally owned account that has never delegated is delegated to
/// itself when it first receives tokens, so every holder can vote. Contracts (escrows, the treasury, the auction
/// house) are not auto-delegated: their balances carry no votes unless they delegate explicitly. Delegating to the
/// zero address is refused, because "no delegate" is what triggers auto-delegation.
/// @dev The cost of auto-delegation is paid once per holder, on the first receipt (a delegate slot and the first
/// checkpoint); after that a transfer does what an OpenZeppelin ERC20Votes transfer between two delegated holders
/// does. The gas benchmark (test/bench) prints both.
contract MercatoToken is ERC20, ERC20Burnable, ERC20Permit, ERC20Votes, ERC2771Context, IEmissionSource {
    /// @notice The hard cap on total supply, in base units.
    uint256 public immutable cap;
    /// @notice Where the emission rate and recipient are read from.
    IEconomyConfig public immutable config;
    /// @notice Emission has been released up to this timestamp.
    uint64 public lastEmissionTime;

    /// @notice `amount` accrued over (`fromTime`, `toTime`] was minted to `recipient`.
    event EmissionReleased(address indexed recipient, uint256 amount, uint64 fromTime, uint64 toTime);

    /// @notice Minting `amount` would take the supply above the cap.
    error MercatoTokenCapExceeded(uint256 supply, uint256 amount, uint256 cap);
    /// @notice The cap is zero or below the genesis supply.
    error MercatoTokenInvalidCap(uint256 cap, uint256 genesisSupply);
    /// @notice Delegating to the zero address is not allowed (it would re-trigger auto-delegation).
    error MercatoTokenZeroDelegatee();

    /// @param config_ the economy config holding the emission schedule
    /// @param forwarder the trusted ERC-2771 forwarder (gasless calls)
    /// @param genesisHolder receives `genesisSupply` at deployment (the only mint outside emission)
    /// @param genesisSupply initial supply, at most `cap_`
    /// @param cap_ hard cap on total supply
    constructor(IEconomyConfig config_, address forwarder, address genesisHolder, uint256 genesisSupply, uint256 cap_)
        ERC20("Mercato", "MRC")
        ERC20Permit("Mercato")
        ERC2771Context(forwarder)
    {
        if (cap_ == 0 || genesisSupply > cap_ || cap_ > type(uint208).max) {
            revert MercatoTokenInvalidCap(cap_, genesisSupply);
        }
        cap = cap_;
        config = config_;
        lastEmissionTime = uint64(block.timestamp);
        if (genesisSupply > 0) _mint(genesisHolder, genesisSupply);
    }

    // ---------------------------------------------------------------- emission

    /// @notice Emission accrued since the last release and not yet minted (already limited by the cap).
    function pendingEmission() public view returns (uint256) {
        return _accrued(config.emission().ratePerSecond);
    }

    /// @notice Mints the emission accrued since the last release to the configured recipient. Anyone may call it;
    /// the config calls it before changing the rate or recipient.
    /// Emits {EmissionReleased} and {Transfer} when something is minted.
    /// @return minted the amount minted (0 when nothing accrued or the cap is reached)
    function releaseEmission() external returns (uint256 minted) {
        IEconomyConfig.Emission memory e = config.emission();
        minted = _accrued(e.ratePerSecond);
        uint64 from = lastEmissionTime;
        lastEmissionTime = uint64(block.timestamp);
        if (minted > 0) {
            _mint(e.recipient, minted);
            emit EmissionReleased(e.recipient, minted, from, uint64(block.timestamp));
        }
    }

    function _accrued(uint96 rate) private view returns (uint256) {
        uint256 accrued = (block.timestamp - lastEmissionTime) * rate;
        uint256 room = cap - totalSupply();
        return accrued < room ? accrued : room;
    }

    // ---------------------------------------------------------------- votes

    /// @notice Votes are checkpointed by timestamp (ERC-6372), matching the governor's seconds-based periods.
    function clock() public view override returns (uint48) {
        return uint48(block.timestamp);
    }

    /// @notice ERC-6372 clock description.
    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() public pure override returns (string memory) {
        return "mode=timestamp";
    }

    /// @dev Refuses the zero delegatee; see the contract notice.
    function _delegate(address account, address delegatee) internal override {
        if (delegatee == address(0)) revert MercatoTokenZeroDelegatee();
        super._delegate(account, delegatee);
    }

    /// @dev Enforces the cap on mints.
    function _update(address from, address to, uint256 value) internal override(ERC20, ERC20Votes) {
        if (from == address(0)) {
            uint256 supply = totalSupply();
            if (supply + value > cap) revert MercatoTokenCapExceeded(supply, value, cap);
        }
        super._update(from, to, value);
    }

    /// @dev Moves votes like OpenZeppelin's Votes, and auto-delegates a first-time EOA receiver to itself. The
    /// receiver's delegate is read once and reused, so a transfer between holders that have a delegate costs what
    /// the OpenZeppelin implementation costs; the code-size check runs only for receivers without a delegate.
    function _transferVotingUnits(address from, address to, uint256 amount) internal override {
        if (to == address(0)) {
            super._transferVotingUnits(from, to, amount); // burn: also moves the total-supply checkpoint
            return;
        }
        address toDelegate = delegates(to);
        bool autoDelegate = toDelegate == address(0) && to.code.length == 0;
        if (from == address(0)) {
            super._transferVotingUnits(from, to, amount); // mint: also moves the total-supply checkpoint
        } else {
            _moveDelegateVotes(delegates(from), toDelegate, amount);
        }
        // The receiver's balance already includes `amount`: delegating moves all of it to the receiver.
        if (autoDelegate) super._delegate(to, to);
    }

    // ---------------------------------------------------------------- plumbing

    /// @inheritdoc ERC20Permit
    function nonces(address owner) public view override(ERC20Permit, Nonces) returns (uint256) {
        return super.nonces(owner);
    }

    function _msgSender() internal view override(Context, ERC2771Context) returns (address) {
        return ERC2771Context._msgSender();
    }

    function _msgData() internal view override(Context, ERC2771Context) returns (bytes calldata) {
        return ERC2771Context._msgData();
    }

    function _contextSuffixLength() internal view override(Context, ERC2771Context) returns (uint256) {
        return ERC2771Context._contextSuffixLength();
    }
}
