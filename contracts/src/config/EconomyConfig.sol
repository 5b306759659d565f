// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IEconomyConfig, IEmissionSource} from "./IEconomyConfig.sol";

/// @title EconomyConfig
/// @notice The live economic parameters of Mercato (market fee, royalty cap, bid increment, anti-snipe buffer,
/// auction durations, treasury, emission rate and recipient). Owned by the governance timelock: the only way to
/// change a parameter is a passed, queued and executed proposal. Every setter is bounded by constants below.
/// @dev The token's address is fixed at construction (the deploy script predicts it) so that an emission change can
/// first release what accrued at the old rate: emission is never recomputed retroactively.
contract EconomyConfig is IEconomyConfig, Ownable {
    /// @notice Basis-point denominator.
    uint16 public constant BPS = 10_000;
    /// @notice Highest market fee governance can set (10%).
    uint16 public constant MAX_MARKET_FEE_BPS = 1_000;
    /// @notice Highest royalty cap governance can set (25%).
    uint16 public constant MAX_ROYALTY_CAP_BPS = 2_500;
    /// @notice Bid increment bounds (0.01% .. 50%): zero would allow bidding wars of 1 wei.
    uint16 public constant MIN_BID_INCREMENT_BPS = 1;
    uint16 public constant MAX_BID_INCREMENT_BPS = 5_000;
    /// @notice Anti-snipe buffer bounds (0 disables extensions; at most one hour).
    uint32 public constant MAX_ANTI_SNIPE_BUFFER = 1 hours;
    /// @notice Auction duration bounds: [1 minute, 1 day] for the minimum, [1 hour, 90 days] for the maximum.
    uint32 public constant MIN_AUCTION_DURATION_FLOOR = 1 minutes;
    uint32 public constant MIN_AUCTION_DURATION_CEIL = 1 days;
    uint32 public constant MAX_AUCTION_DURATION_FLOOR = 1 hours;
    uint32 public constant MAX_AUCTION_DURATION_CEIL = 90 days;

    /// @notice Upper bound on the emission rate, fixed at deployment (token base units per second).
    uint96 public immutable maxEmissionRate;
    /// @notice The token whose emission this config schedules.
    IEmissionSource public immutable token;

    MarketParams private _market;
    Emission private _emission;
    /// @inheritdoc IEconomyConfig
    address public treasury;

    /// @param owner_ the governance timelock (or a deployer that hands ownership to it before anyone uses the suite)
    /// @param token_ the MercatoToken that will read this config (predicted address)
    /// @param treasury_ receives market fees
    /// @param market_ initial market parameters, each checked against its bounds
    /// @param emission_ initial emission, checked against `maxEmissionRate_`
    constructor(
        address owner_,
        IEmissionSource token_,
        address treasury_,
        MarketParams memory market_,
        Emission memory emission_,
        uint96 maxEmissionRate_
    ) Ownable(owner_) {
        if (address(token_) == address(0)) revert EconomyConfigZeroAddress("token");
        token = token_;
        maxEmissionRate = maxEmissionRate_;
        _setTreasury(treasury_);
        _setMarketFeeBps(market_.marketFeeBps);
        _setRoyaltyCapBps(market_.royaltyCapBps);
        _setMinBidIncrementBps(market_.minBidIncrementBps);
        _setAntiSnipeBuffer(market_.antiSnipeBuffer);
        _setAuctionDurationBounds(market_.minAuctionDuration, market_.maxAuctionDuration);
        _setEmissionRecipient(emission_.recipient);
        _setEmissionRate(emission_.ratePerSecond);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IEconomyConfig
    function marketParams() external view returns (MarketParams memory) {
        return _market;
    }

    /// @inheritdoc IEconomyConfig
    function emission() external view returns (Emission memory) {
        return _emission;
    }

    /// @inheritdoc IEconomyConfig
    function marketFeeBps() external view returns (uint16) {
        return _market.marketFeeBps;
    }

    /// @inheritdoc IEconomyConfig
    function royaltyCapBps() external view returns (uint16) {
        return _market.royaltyCapBps;
    }

    // ---------------------------------------------------------------- governance setters

    /// @notice Sets the protocol fee taken from every sale.
    /// Requirements: caller is the owner (timelock); `bps` <= {MAX_MARKET_FEE_BPS}.
    /// Emits {ParameterChanged} with name "marketFeeBps".
    function setMarketFeeBps(uint16 bps) external onlyOwner {
        _setMarketFeeBps(bps);
    }

    /// @notice Sets the cap applied to every royalty (item royalties and royalties paid by the house).
    /// Requirements: caller is the owner; `bps` <= {MAX_ROYALTY_CAP_BPS}. Emits {ParameterChanged} "royaltyCapBps".
    function setRoyaltyCapBps(uint16 bps) external onlyOwner {
        _setRoyaltyCapBps(bps);
    }

    /// @notice Sets the minimum raise of an English bid over the high bid.
    /// Requirements: caller is the owner; bounds [{MIN_BID_INCREMENT_BPS}, {MAX_BID_INCREMENT_BPS}].
    /// Emits {ParameterChanged} "minBidIncrementBps".
    function setMinBidIncrementBps(uint16 bps) external onlyOwner {
        _setMinBidIncrementBps(bps);
    }

    /// @notice Sets the anti-snipe buffer: a bid within `secs` of the end moves the end to `now + secs`.
    /// Requirements: caller is the owner; `secs` <= {MAX_ANTI_SNIPE_BUFFER}. Emits {ParameterChanged} "antiSnipeBuffer".
    function setAntiSnipeBuffer(uint32 secs) external onlyOwner {
        _setAntiSnipeBuffer(secs);
    }

    /// @notice Sets the allowed duration range of English and Dutch auctions.
    /// Requirements: caller is the owner; each bound in its range; `minSecs` <= `maxSecs`.
    /// Emits {ParameterChanged} "minAuctionDuration" and "maxAuctionDuration".
    function setAuctionDurationBounds(uint32 minSecs, uint32 maxSecs) external onlyOwner {
        _setAuctionDurationBounds(minSecs, maxSecs);
    }

    /// @notice Sets the address that receives market fees. Requirements: caller is the owner; non-zero.
    /// Emits {ParameterChanged} "treasury".
    function setTreasury(address newTreasury) external onlyOwner {
        _setTreasury(newTreasury);
    }

    /// @notice Sets the emission rate after releasing what accrued at the old rate.
    /// Requirements: caller is the owner; `ratePerSecond` <= {maxEmissionRate}. Emits {ParameterChanged} "emissionRate".
    function setEmissionRate(uint96 ratePerSecond) external onlyOwner {
        token.releaseEmission();
        _setEmissionRate(ratePerSecond);
    }

    /// @notice Sets the emission recipient after releasing what accrued to the old one.
    /// Requirements: caller is the owner; non-zero. Emits {ParameterChanged} "emissionRecipient".
    function setEmissionRecipient(address recipient) external onlyOwner {
        token.releaseEmission();
        _setEmissionRecipient(recipient);
    }

    // ---------------------------------------------------------------- internals

    function _setMarketFeeBps(uint16 bps) private {
        _checkBounds("marketFeeBps", bps, 0, MAX_MARKET_FEE_BPS);
        emit ParameterChanged("marketFeeBps", _market.marketFeeBps, bps);
        _market.marketFeeBps = bps;
    }

    function _setRoyaltyCapBps(uint16 bps) private {
        _checkBounds("royaltyCapBps", bps, 0, MAX_ROYALTY_CAP_BPS);
        emit ParameterChanged("royaltyCapBps", _market.royaltyCapBps, bps);
        _market.royaltyCapBps = bps;
    }

    function _setMinBidIncrementBps(uint16 bps) private {
        _checkBounds("minBidIncrementBps", bps, MIN_BID_INCREMENT_BPS, MAX_BID_INCREMENT_BPS);
        emit ParameterChanged("minBidIncrementBps", _market.minBidIncrementBps, bps);
        _market.minBidIncrementBps = bps;
    }

    function _setAntiSnipeBuffer(uint32 secs) private {
        _checkBounds("antiSnipeBuffer", secs, 0, MAX_ANTI_SNIPE_BUFFER);
        emit ParameterChanged("antiSnipeBuffer", _market.antiSnipeBuffer, secs);
        _market.antiSnipeBuffer = secs;
    }

    function _setAuctionDurationBounds(uint32 minSecs, uint32 maxSecs) private {
        _checkBounds("minAuctionDuration", minSecs, MIN_AUCTION_DURATION_FLOOR, MIN_AUCTION_DURATION_CEIL);
        _checkBounds(
            "maxAuctionDuration", maxSecs, _max(MAX_AUCTION_DURATION_FLOOR, minSecs), MAX_AUCTION_DURATION_CEIL
        );
        emit ParameterChanged("minAuctionDuration", _market.minAuctionDuration, minSecs);
        emit ParameterChanged("maxAuctionDuration", _market.maxAuctionDuration, maxSecs);
        _market.minAuctionDuration = minSecs;
        _market.maxAuctionDuration = maxSecs;
    }

    function _setTreasury(address newTreasury) private {
        if (newTreasury == address(0)) revert EconomyConfigZeroAddress("treasury");
        emit ParameterChanged("treasury", uint160(treasury), uint160(newTreasury));
        treasury = newTreasury;
    }

    function _setEmissionRate(uint96 rate) private {
        _checkBounds("emissionRate", rate, 0, maxEmissionRate);
        emit ParameterChanged("emissionRate", _emission.ratePerSecond, rate);
        _emission.ratePerSecond = rate;
    }

    function _setEmissionRecipient(address recipient) private {
        if (recipient == address(0)) revert EconomyConfigZeroAddress("emissionRecipient");
        emit ParameterChanged("emissionRecipient", uint160(_emission.recipient), uint160(recipient));
        _emission.recipient = recipient;
    }

    function _checkBounds(bytes32 name, uint256 value, uint256 min, uint256 max) private pure {
        if (value < min || value > max) revert EconomyConfigOutOfBounds(name, value, min, max);
    }

    function _max(uint32 a, uint32 b) private pure returns (uint32) {
        return a > b ? a : b;
    }
}
