// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

/// @title IAuctionHouse
/// @notice Types, events and errors of the Mercato auction house (English, Dutch and fixed-price listings of any
/// ERC-721, paid in the Mercato currency).
interface IAuctionHouse {
    /// @notice The kind of a listing. `None` marks an id that does not exist (never created, or already closed).
    enum Kind {
        None,
        English,
        Dutch,
        Fixed
    }

    /// @notice A listing, packed into five slots. Prices are uint96 (up to ~7.9e28 base units).
    struct Listing {
        address seller;
        uint40 startTime;
        uint40 endTime; // English: bids accepted before it; Dutch: price reaches the floor at it; Fixed: 0
        Kind kind;
        address nft;
        uint96 startPrice; // English: reserve; Dutch: start price; Fixed: price
        uint256 tokenId;
        address highBidder; // English only
        uint96 highBid; // English only
        uint96 floorPrice; // Dutch only
    }

    /// @notice Listing `id` was created; the item is now in the house's escrow.
    event ListingCreated(
        uint256 indexed id,
        Kind kind,
        address indexed seller,
        address indexed nft,
        uint256 tokenId,
        uint96 startPrice,
        uint96 floorPrice,
        uint40 startTime,
        uint40 endTime
    );
    /// @notice `bidder` became the high bidder of `id` with `amount`; `previousBidder` (if any) was credited
    /// `previousAmount`. `endTime` is the auction's end after any anti-snipe extension.
    event BidPlaced(
        uint256 indexed id,
        address indexed bidder,
        uint96 amount,
        address indexed previousBidder,
        uint96 previousAmount,
        uint40 endTime
    );
    /// @notice Listing `id` sold: `price` == seller proceeds + `fee` + `royalty`.
    event Sale(
        uint256 indexed id,
        Kind kind,
        address indexed seller,
        address indexed buyer,
        address nft,
        uint256 tokenId,
        uint256 price,
        uint256 fee,
        uint256 royalty,
        address royaltyReceiver
    );
    /// @notice The seller cancelled listing `id`; the item went back to them.
    event ListingCancelled(uint256 indexed id, address indexed seller);
    /// @notice English auction `id` ended without bids; the item went back to the seller.
    event AuctionUnsold(uint256 indexed id, address indexed seller);
    /// @notice The item of English auction `id` could not be delivered to the winner (its ERC-721 refused): the sale
    /// is void, the winning bid was credited back to the winner, and the item went back to the seller if
    /// `itemReturned`. No bid is ever locked by a broken token contract.
    event SettlementFailed(uint256 indexed id, address indexed winner, uint96 amount, bool itemReturned);
    /// @notice `account` moved `amount` of currency into its credits.
    event CreditsDeposited(address indexed account, uint256 amount);
    /// @notice `account` withdrew `amount` of credits (refunds of outbid bids and deposits).
    event CreditsWithdrawn(address indexed account, uint256 amount);

    error AuctionHouseListingNotFound(uint256 id);
    error AuctionHouseWrongKind(uint256 id, Kind kind);
    error AuctionHouseAuctionEnded(uint256 id, uint40 endTime);
    error AuctionHouseAuctionNotEnded(uint256 id, uint40 endTime);
    error AuctionHouseBidTooLow(uint256 minimum, uint256 offered);
    error AuctionHouseSellerCannotBuy(uint256 id);
    error AuctionHousePriceAboveMax(uint256 price, uint256 maxPrice);
    error AuctionHouseInvalidDuration(uint256 duration, uint256 min, uint256 max);
    error AuctionHouseInvalidPrices(uint256 startPrice, uint256 floorPrice);
    error AuctionHouseNotSeller(uint256 id, address caller);
    error AuctionHouseHasBids(uint256 id);
    error AuctionHouseNoCredits(address account);
    error AuctionHouseZeroDeposit();
    error AuctionHouseItemNotReceived(address nft, uint256 tokenId);
    error AuctionHouseItemTransferFailed(address nft, uint256 tokenId, address to);
}
