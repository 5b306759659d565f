// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {IERC2981} from "@openzeppelin/contracts/interfaces/IERC2981.sol";
import {ERC2771Context} from "@openzeppelin/contracts/metatx/ERC2771Context.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IEconomyConfig} from "../config/IEconomyConfig.sol";
import {IAuctionHouse} from "./IAuctionHouse.sol";

/// @title AuctionHouse
/// @notice English auctions (reserve, minimum increment, anti-snipe extension), Dutch auctions (linear decay from a
/// start price to a floor, then resting at the floor; first buyer wins) and fixed-price listings of any ERC-721,
/// paid in the Mercato currency. Items sit in the house's escrow while listed. Every sale pays the protocol fee to
/// the treasury and the item's ERC-2981 royalty, both bounded by {EconomyConfig} at the time of the sale, and the
/// rest to the seller: seller + fee + royalty == price, exactly.
///
/// Refunds without a griefing path: an outbid bidder is never paid inside someone else's transaction. Their bid
/// becomes a credit in the house (pull pattern), spent automatically by their next bid or withdrawn with
/// {withdrawCredits}. Bidders may also {deposit} credits up front: bids paid from credits move no tokens. No bidder can make another bid, a settlement or a refund revert. Items are delivered with
/// `transferFrom` (no receiver callback the winner could use to block settlement), royalties are read with a
/// gas-capped static call (a broken royalty contract pays no royalty instead of blocking the sale), and an ERC-721
/// whose transfer reverts at settlement gets the winning bid credited back ({SettlementFailed}).
///
/// Invariant: the house's currency balance == the high bids of open English auctions + all credits.
contract AuctionHouse is IAuctionHouse, ERC2771Context, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    uint256 private constant BPS = 10_000;
    /// @dev Gas given to an NFT's royaltyInfo; ample for any honest implementation.
    uint256 private constant ROYALTY_LOOKUP_GAS = 50_000;

    /// @notice The currency every price is paid in (MercatoToken).
    IERC20 public immutable currency;
    /// @notice Live market parameters (fee, royalty cap, increment, anti-snipe buffer, durations, treasury).
    IEconomyConfig public immutable config;
    /// @notice Id the next listing receives (ids start at 1).
    uint256 public nextListingId = 1;
    /// @notice Refunds of outbid bids, per account.
    mapping(address account => uint256) public credits;

    mapping(uint256 id => Listing) private _listings;

    constructor(IERC20 currency_, IEconomyConfig config_, address forwarder) ERC2771Context(forwarder) {
        currency = currency_;
        config = config_;
    }

    // ---------------------------------------------------------------- listing

    /// @notice Puts `tokenId` of `nft` up for an English auction running `duration` seconds from now.
    /// Requirements: the caller owns the item and approved the house; `duration` within the config's bounds.
    /// Emits {ListingCreated}.
    function createEnglish(address nft, uint256 tokenId, uint96 reserve, uint32 duration)
        external
        nonReentrant
        returns (uint256 id)
    {
        return _create(Kind.English, nft, tokenId, reserve, 0, duration);
    }

    /// @notice Puts an item up for a Dutch auction: the price falls linearly from `startPrice` to `floorPrice` over
    /// `duration` seconds, then stays at `floorPrice` until bought or cancelled.
    /// Requirements: as {createEnglish}; `startPrice` > `floorPrice` > 0. Emits {ListingCreated}.
    function createDutch(address nft, uint256 tokenId, uint96 startPrice, uint96 floorPrice, uint32 duration)
        external
        nonReentrant
        returns (uint256 id)
    {
        if (floorPrice == 0 || startPrice <= floorPrice) {
            revert AuctionHouseInvalidPrices(startPrice, floorPrice);
        }
        return _create(Kind.Dutch, nft, tokenId, startPrice, floorPrice, duration);
    }

    /// @notice Lists an item at a fixed `price` until bought or cancelled.
    /// Requirements: the caller owns the item and approved the house; `price` > 0. Emits {ListingCreated}.
    function createFixed(address nft, uint256 tokenId, uint96 price) external nonReentrant returns (uint256 id) {
        if (price == 0) revert AuctionHouseInvalidPrices(price, 0);
        return _create(Kind.Fixed, nft, tokenId, price, 0, 0);
    }

    /// @notice Withdraws listing `id` and returns the item to the seller. English auctions only before any bid.
    /// Requirements: caller is the seller. Emits {ListingCancelled}.
    function cancel(uint256 id) external nonReentrant {
        Listing storage l = _listings[id];
        Kind kind = l.kind;
        if (kind == Kind.None) revert AuctionHouseListingNotFound(id);
        address seller = l.seller;
        if (_msgSender() != seller) revert AuctionHouseNotSeller(id, _msgSender());
        if (l.highBidder != address(0)) revert AuctionHouseHasBids(id);
        (address nft, uint256 tokenId) = (l.nft, l.tokenId);
        delete _listings[id];
        emit ListingCancelled(id, seller);
        _deliverOrRevert(nft, tokenId, seller);
    }

    // ---------------------------------------------------------------- English

    /// @notice Bids `amount` on English auction `id`. The bid is funded first from the caller's credits, the rest
    /// is pulled with `transferFrom` (approve or permit first). The previous high bid becomes the previous bidder's
    /// credit. A bid within the anti-snipe buffer of the end moves the end to now + buffer.
    /// Requirements: the auction is open; the caller is not the seller; `amount` >= {minimumBid}.
    /// Emits {BidPlaced}.
    function bid(uint256 id, uint96 amount) external nonReentrant {
        _bid(id, amount, _msgSender());
    }

    /// @notice {bid} preceded by an EIP-2612 permit of the currency, so no separate approve transaction is needed.
    /// A permit that fails (e.g. already used by a front-runner) is ignored if the allowance suffices anyway.
    function bidWithPermit(
        uint256 id,
        uint96 amount,
        uint256 permitValue,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external nonReentrant {
        address bidder = _msgSender();
        _tryPermit(bidder, permitValue, deadline, v, r, s);
        _bid(id, amount, bidder);
    }

    /// @notice Ends English auction `id` after its end time: pays seller, treasury and royalty from the high bid and
    /// delivers the item to the winner, or returns the item to the seller when there was no bid. Anyone may call it.
    /// Emits {Sale}, {AuctionUnsold} or {SettlementFailed}.
    function settle(uint256 id) external nonReentrant {
        Listing memory l = _listings[id];
        if (l.kind != Kind.English) _revertNotKind(id, l.kind);
        if (block.timestamp < l.endTime) revert AuctionHouseAuctionNotEnded(id, l.endTime);
        delete _listings[id];
        if (l.highBidder == address(0)) {
            emit AuctionUnsold(id, l.seller);
            _deliverOrRevert(l.nft, l.tokenId, l.seller);
        } else if (_deliver(l.nft, l.tokenId, l.highBidder)) {
            _payout(id, l, l.highBidder, l.highBid);
        } else {
            // The ERC-721 refused the transfer to the winner: the sale is void. The winner gets the bid back as a
            // credit and the item goes back to the seller if the token allows it (a token that refuses both keeps
            // the item where it is, and nobody's currency is locked).
            credits[l.highBidder] += l.highBid;
            bool returned = _deliver(l.nft, l.tokenId, l.seller);
            emit SettlementFailed(id, l.highBidder, l.highBid, returned);
        }
    }

    // ---------------------------------------------------------------- Dutch and fixed price

    /// @notice Buys Dutch or fixed-price listing `id` at its current price, if that is at most `maxPrice`.
    /// Requirements: the caller is not the seller; allowance for the price. Emits {Sale}.
    /// @return price the price paid
    function buy(uint256 id, uint96 maxPrice) external nonReentrant returns (uint256 price) {
        return _buy(id, maxPrice, _msgSender());
    }

    /// @notice {buy} preceded by an EIP-2612 permit of the currency (see {bidWithPermit}).
    function buyWithPermit(
        uint256 id,
        uint96 maxPrice,
        uint256 permitValue,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external nonReentrant returns (uint256 price) {
        address buyer = _msgSender();
        _tryPermit(buyer, permitValue, deadline, v, r, s);
        return _buy(id, maxPrice, buyer);
    }

    // ---------------------------------------------------------------- credits

    /// @notice Moves `amount` of the caller's currency into their credits, so that later bids are paid from the
    /// house balance without a token transfer each (cheaper bidding wars). Withdrawable at any time.
    /// Requirements: `amount` > 0; allowance. Emits {CreditsDeposited}.
    function deposit(uint256 amount) external nonReentrant {
        _deposit(_msgSender(), amount);
    }

    /// @notice {deposit} preceded by an EIP-2612 permit of the currency (see {bidWithPermit}).
    function depositWithPermit(uint256 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s) external nonReentrant {
        address account = _msgSender();
        _tryPermit(account, amount, deadline, v, r, s);
        _deposit(account, amount);
    }

    /// @notice Sends the caller all their credits. Requirements: credits > 0. Emits {CreditsWithdrawn}.
    function withdrawCredits() external nonReentrant {
        address account = _msgSender();
        uint256 amount = credits[account];
        if (amount == 0) revert AuctionHouseNoCredits(account);
        credits[account] = 0;
        emit CreditsWithdrawn(account, amount);
        currency.safeTransfer(account, amount);
    }

    // ---------------------------------------------------------------- views

    /// @notice Listing `id` (kind None if it does not exist or is closed).
    function listing(uint256 id) external view returns (Listing memory) {
        return _listings[id];
    }

    /// @notice The price a buyer pays now for Dutch or fixed-price listing `id`.
    function currentPrice(uint256 id) public view returns (uint256) {
        Listing storage l = _listings[id];
        if (l.kind == Kind.Fixed) return l.startPrice;
        if (l.kind != Kind.Dutch) _revertNotKind(id, l.kind);
        return _dutchPrice(l.startPrice, l.floorPrice, l.startTime, l.endTime);
    }

    /// @notice The smallest bid English auction `id` accepts now.
    function minimumBid(uint256 id) public view returns (uint256) {
        Listing storage l = _listings[id];
        if (l.kind != Kind.English) _revertNotKind(id, l.kind);
        return _minimumBid(l.highBidder, l.highBid, l.startPrice, config.marketParams().minBidIncrementBps);
    }

    /// @notice How `price` would be split now for `tokenId` of `nft`: fee to the treasury, royalty to `receiver`,
    /// the rest to the seller.
    function quote(address nft, uint256 tokenId, uint256 price)
        public
        view
        returns (uint256 fee, uint256 royalty, address receiver, uint256 sellerProceeds)
    {
        IEconomyConfig.MarketParams memory p = config.marketParams();
        fee = price * p.marketFeeBps / BPS;
        (receiver, royalty) = _royaltyOf(nft, tokenId, price);
        uint256 royaltyCap = price * p.royaltyCapBps / BPS;
        if (royalty > royaltyCap) royalty = royaltyCap;
        if (receiver == address(0)) royalty = 0;
        // fee <= 10% and royalty <= 25% of price (config bounds), so this cannot underflow.
        sellerProceeds = price - fee - royalty;
    }

    // ---------------------------------------------------------------- internals

    function _create(Kind kind, address nft, uint256 tokenId, uint96 startPrice, uint96 floorPrice, uint32 duration)
        private
        returns (uint256 id)
    {
        address seller = _msgSender();
        uint40 endTime;
        if (kind != Kind.Fixed) {
            IEconomyConfig.MarketParams memory p = config.marketParams();
            if (duration < p.minAuctionDuration || duration > p.maxAuctionDuration) {
                revert AuctionHouseInvalidDuration(duration, p.minAuctionDuration, p.maxAuctionDuration);
            }
            endTime = uint40(block.timestamp + duration);
        }
        id = nextListingId++;
        _listings[id] = Listing({
            seller: seller,
            startTime: uint40(block.timestamp),
            endTime: endTime,
            kind: kind,
            nft: nft,
            startPrice: startPrice,
            tokenId: tokenId,
            highBidder: address(0),
            highBid: 0,
            floorPrice: floorPrice
        });
        emit ListingCreated(id, kind, seller, nft, tokenId, startPrice, floorPrice, uint40(block.timestamp), endTime);
        IERC721(nft).transferFrom(seller, address(this), tokenId);
        if (IERC721(nft).ownerOf(tokenId) != address(this)) revert AuctionHouseItemNotReceived(nft, tokenId);
    }

    function _bid(uint256 id, uint96 amount, address bidder) private {
        Listing storage l = _listings[id];
        if (l.kind != Kind.English) _revertNotKind(id, l.kind);
        uint40 endTime = l.endTime;
        if (block.timestamp >= endTime) revert AuctionHouseAuctionEnded(id, endTime);
        if (bidder == l.seller) revert AuctionHouseSellerCannotBuy(id);
        IEconomyConfig.MarketParams memory p = config.marketParams();
        (address prevBidder, uint96 prevBid) = (l.highBidder, l.highBid);
        uint256 minimum = _minimumBid(prevBidder, prevBid, l.startPrice, p.minBidIncrementBps);
        if (amount < minimum) revert AuctionHouseBidTooLow(minimum, amount);

        // Effects: new high bid, anti-snipe extension, refund of the previous bid as a credit.
        (l.highBidder, l.highBid) = (bidder, amount);
        // endTime > block.timestamp was checked above.
        if (endTime - block.timestamp < p.antiSnipeBuffer) {
            endTime = uint40(block.timestamp + p.antiSnipeBuffer);
            l.endTime = endTime;
        }
        if (prevBidder != address(0)) credits[prevBidder] += prevBid;
        uint256 available = credits[bidder];
        uint256 fromCredits = available < amount ? available : amount;
        if (fromCredits != 0) credits[bidder] = available - fromCredits;
        emit BidPlaced(id, bidder, amount, prevBidder, prevBid, endTime);

        // Interaction: pull only what the credits did not cover.
        if (amount > fromCredits) currency.safeTransferFrom(bidder, address(this), amount - fromCredits);
    }

    function _buy(uint256 id, uint96 maxPrice, address buyer) private returns (uint256 price) {
        Listing memory l = _listings[id];
        if (l.kind == Kind.Fixed) price = l.startPrice;
        else if (l.kind == Kind.Dutch) price = _dutchPrice(l.startPrice, l.floorPrice, l.startTime, l.endTime);
        else _revertNotKind(id, l.kind);
        if (buyer == l.seller) revert AuctionHouseSellerCannotBuy(id);
        if (price > maxPrice) revert AuctionHousePriceAboveMax(price, maxPrice);
        delete _listings[id];
        currency.safeTransferFrom(buyer, address(this), price);
        _deliverOrRevert(l.nft, l.tokenId, buyer);
        _payout(id, l, buyer, price);
    }

    /// @dev Splits `price` (already held by the house) between treasury, royalty receiver and seller.
    function _payout(uint256 id, Listing memory l, address buyer, uint256 price) private {
        (uint256 fee, uint256 royalty, address receiver, uint256 proceeds) = quote(l.nft, l.tokenId, price);
        emit Sale(id, l.kind, l.seller, buyer, l.nft, l.tokenId, price, fee, royalty, receiver);
        if (fee != 0) currency.safeTransfer(config.treasury(), fee);
        if (royalty != 0) currency.safeTransfer(receiver, royalty);
        if (proceeds != 0) currency.safeTransfer(l.seller, proceeds);
    }

    function _deposit(address account, uint256 amount) private {
        if (amount == 0) revert AuctionHouseZeroDeposit();
        credits[account] += amount;
        emit CreditsDeposited(account, amount);
        currency.safeTransferFrom(account, address(this), amount);
    }

    function _tryPermit(address owner, uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s) private {
        // A front-runner may submit the same permit first; the allowance check in transferFrom still protects us.
        try IERC20Permit(address(currency)).permit(owner, address(this), value, deadline, v, r, s) {} catch {}
    }

    function _minimumBid(address highBidder, uint96 highBid, uint96 reserve, uint16 incrementBps)
        private
        pure
        returns (uint256)
    {
        if (highBidder == address(0)) return reserve == 0 ? 1 : reserve;
        // Round the increment up so that every accepted bid raises the price by at least 1 base unit.
        return uint256(highBid) + (uint256(highBid) * incrementBps + BPS - 1) / BPS;
    }

    function _dutchPrice(uint96 startPrice, uint96 floorPrice, uint40 startTime, uint40 endTime)
        private
        view
        returns (uint256)
    {
        if (block.timestamp >= endTime) return floorPrice;
        // startTime <= block.timestamp < endTime, startPrice > floorPrice: no underflow, no division by zero.
        uint256 drop = uint256(startPrice - floorPrice) * (block.timestamp - startTime) / (endTime - startTime);
        return startPrice - drop;
    }

    /// @dev ERC-2981 lookup that cannot block a sale: gas-capped, and any failure or malformed answer means no royalty.
    function _royaltyOf(address nft, uint256 tokenId, uint256 price)
        private
        view
        returns (address receiver, uint256 amount)
    {
        (bool ok, bytes memory ret) =
            nft.staticcall{gas: ROYALTY_LOOKUP_GAS}(abi.encodeCall(IERC2981.royaltyInfo, (tokenId, price)));
        if (!ok || ret.length < 64) return (address(0), 0);
        uint256 rawReceiver;
        (rawReceiver, amount) = abi.decode(ret, (uint256, uint256));
        if (rawReceiver > type(uint160).max) return (address(0), 0);
        // Safe: values above type(uint160).max were rejected on the line above.
        // forge-lint: disable-next-line(unsafe-typecast)
        receiver = address(uint160(rawReceiver));
    }

    /// @dev Moves an escrowed item and confirms it arrived. `transferFrom` is called without copying its return data
    /// (a hostile token cannot answer with a huge buffer whose copy runs the caller out of gas: a "return bomb"), and
    /// `ownerOf` is read back into a fixed 32-byte slot, so a token that reports success without moving the item
    /// counts as a failure.
    function _deliver(address nft, uint256 tokenId, address to) private returns (bool delivered) {
        bytes memory transfer = abi.encodeCall(IERC721.transferFrom, (address(this), to, tokenId));
        bytes memory query = abi.encodeCall(IERC721.ownerOf, (tokenId));
        assembly ("memory-safe") {
            if call(gas(), nft, 0, add(transfer, 0x20), mload(transfer), 0, 0) {
                if staticcall(gas(), nft, add(query, 0x20), mload(query), 0x00, 0x20) {
                    delivered := and(gt(returndatasize(), 0x1f), eq(mload(0x00), to))
                }
            }
        }
    }

    function _deliverOrRevert(address nft, uint256 tokenId, address to) private {
        if (!_deliver(nft, tokenId, to)) revert AuctionHouseItemTransferFailed(nft, tokenId, to);
    }

    function _revertNotKind(uint256 id, Kind kind) private pure {
        if (kind == Kind.None) revert AuctionHouseListingNotFound(id);
        revert AuctionHouseWrongKind(id, kind);
    }
}
