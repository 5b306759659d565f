// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

/// @title IEconomyConfig
/// @notice The live economic parameters of a Mercato deployment, read by the token, the items and the auction house.
/// @dev Every parameter has fixed bounds; changing one emits {ParameterChanged} with its name as a bytes32 tag
/// (e.g. "marketFeeBps"), so an indexer can keep the full history of every parameter from one event.
interface IEconomyConfig {
    /// @notice Market parameters packed in one storage slot so a bid or a sale reads them with one SLOAD.
    struct MarketParams {
        uint16 marketFeeBps; // protocol fee on every sale, to the treasury
        uint16 royaltyCapBps; // upper bound on any ERC-2981 royalty paid by the house or set on items
        uint16 minBidIncrementBps; // an English bid must beat the high bid by at least this much
        uint32 antiSnipeBuffer; // seconds: a bid this close to the end pushes the end to now + buffer
        uint32 minAuctionDuration; // seconds
        uint32 maxAuctionDuration; // seconds
    }

    /// @notice Emission parameters packed in one slot: the token reads them on every release.
    struct Emission {
        address recipient; // rewards / treasury address the emission accrues to
        uint96 ratePerSecond; // token base units per second
    }

    /// @notice A parameter changed. Addresses are reported as their uint160 value.
    event ParameterChanged(bytes32 indexed name, uint256 oldValue, uint256 newValue);

    /// @notice `value` for parameter `name` is outside [min, max].
    error EconomyConfigOutOfBounds(bytes32 name, uint256 value, uint256 min, uint256 max);
    /// @notice An address parameter was set to the zero address.
    error EconomyConfigZeroAddress(bytes32 name);

    function marketParams() external view returns (MarketParams memory);
    function emission() external view returns (Emission memory);
    function treasury() external view returns (address);
    function marketFeeBps() external view returns (uint16);
    function royaltyCapBps() external view returns (uint16);
}

/// @notice The hook the config calls before an emission change, so accrued emission is released at the old rate.
interface IEmissionSource {
    function releaseEmission() external returns (uint256 minted);
}
