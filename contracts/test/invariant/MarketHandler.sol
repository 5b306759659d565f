// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {Test} from "forge-std/Test.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {EconomyConfig} from "../../src/config/EconomyConfig.sol";
import {IEconomyConfig} from "../../src/config/IEconomyConfig.sol";
import {MercatoToken} from "../../src/token/MercatoToken.sol";
import {MercatoItems} from "../../src/items/MercatoItems.sol";
import {AuctionHouse} from "../../src/market/AuctionHouse.sol";
import {IAuctionHouse} from "../../src/market/IAuctionHouse.sol";

/// @notice Drives random sequences of economy actions for the invariant tests, and keeps the ghost state they
/// are checked against (open listings, expected parameters).
contract MarketHandler is Test {
    MercatoToken internal immutable token;
    MercatoItems internal immutable items;
    AuctionHouse internal immutable house;
    EconomyConfig internal immutable config;
    TimelockController internal immutable timelock;
    address internal immutable game;

    address[] public actors;
    uint256[] public listingIds; // every listing ever created
    IEconomyConfig.MarketParams public expectedMarket;
    uint96 public expectedEmissionRate;
    uint256 public strangerSuccesses;
    mapping(bytes32 => uint256) public calls;

    constructor(
        MercatoToken token_,
        MercatoItems items_,
        AuctionHouse house_,
        EconomyConfig config_,
        TimelockController timelock_,
        address game_,
        address[] memory actors_
    ) {
        (token, items, house, config, timelock, game) = (token_, items_, house_, config_, timelock_, game_);
        actors = actors_;
        expectedMarket = config.marketParams();
        expectedEmissionRate = config.emission().ratePerSecond;
    }

    function actorCount() external view returns (uint256) {
        return actors.length;
    }

    function listingCount() external view returns (uint256) {
        return listingIds.length;
    }

    function _actor(uint256 seed) internal view returns (address) {
        return actors[seed % actors.length];
    }

    function _someListing(uint256 seed) internal view returns (uint256 id, IAuctionHouse.Listing memory l) {
        if (listingIds.length == 0) return (0, l);
        id = listingIds[seed % listingIds.length];
        l = house.listing(id);
    }

    // ---------------------------------------------------------------- listing

    function list(uint256 actorSeed, uint8 kindSeed, uint96 price, uint32 duration) external {
        address seller = _actor(actorSeed);
        vm.prank(game);
        uint256 itemId =
            items.mint(seller, MercatoItems.Attributes(uint16(kindSeed), kindSeed % 5, uint32(price % 1000)));
        IEconomyConfig.MarketParams memory p = config.marketParams();
        duration = uint32(_bound(duration, p.minAuctionDuration, p.maxAuctionDuration));
        price = uint96(_bound(price, 2, 10_000 ether));
        vm.startPrank(seller);
        uint256 id;
        uint8 kind = kindSeed % 3;
        if (kind == 0) id = house.createEnglish(address(items), itemId, price / 2, duration);
        else if (kind == 1) id = house.createDutch(address(items), itemId, price, price / 2, duration);
        else id = house.createFixed(address(items), itemId, price);
        vm.stopPrank();
        listingIds.push(id);
        calls["list"]++;
    }

    function bid(uint256 actorSeed, uint256 listingSeed, uint96 extra) external {
        (uint256 id, IAuctionHouse.Listing memory l) = _someListing(listingSeed);
        if (l.kind != IAuctionHouse.Kind.English || block.timestamp >= l.endTime) return;
        address bidder = _actor(actorSeed);
        if (bidder == l.seller) return;
        uint256 minimum = house.minimumBid(id);
        uint256 amount = minimum + _bound(extra, 0, 1_000 ether);
        if (amount > type(uint96).max || amount > token.balanceOf(bidder) + house.credits(bidder)) return;
        vm.prank(bidder);
        house.bid(id, uint96(amount));
        calls["bid"]++;
    }

    function buy(uint256 actorSeed, uint256 listingSeed) external {
        (uint256 id, IAuctionHouse.Listing memory l) = _someListing(listingSeed);
        if (l.kind != IAuctionHouse.Kind.Dutch && l.kind != IAuctionHouse.Kind.Fixed) return;
        address buyer = _actor(actorSeed);
        if (buyer == l.seller) return;
        uint256 price = house.currentPrice(id);
        if (price > token.balanceOf(buyer)) return;
        vm.prank(buyer);
        house.buy(id, uint96(price));
        calls["buy"]++;
    }

    function settle(uint256 listingSeed) external {
        (uint256 id, IAuctionHouse.Listing memory l) = _someListing(listingSeed);
        if (l.kind != IAuctionHouse.Kind.English) return;
        if (block.timestamp < l.endTime) vm.warp(l.endTime);
        house.settle(id);
        calls["settle"]++;
    }

    function cancel(uint256 listingSeed) external {
        (uint256 id, IAuctionHouse.Listing memory l) = _someListing(listingSeed);
        if (l.kind == IAuctionHouse.Kind.None || l.highBidder != address(0)) return;
        vm.prank(l.seller);
        house.cancel(id);
        calls["cancel"]++;
    }

    function deposit(uint256 actorSeed, uint256 amount) external {
        address a = _actor(actorSeed);
        amount = _bound(amount, 0, token.balanceOf(a));
        if (amount == 0) return;
        vm.prank(a);
        house.deposit(amount);
        calls["deposit"]++;
    }

    function withdraw(uint256 actorSeed) external {
        address a = _actor(actorSeed);
        if (house.credits(a) == 0) return;
        vm.prank(a);
        house.withdrawCredits();
        calls["withdraw"]++;
    }

    // ---------------------------------------------------------------- currency

    function transfer(uint256 fromSeed, uint256 toSeed, uint256 amount) external {
        address from = _actor(fromSeed);
        amount = _bound(amount, 0, token.balanceOf(from));
        vm.prank(from);
        token.transfer(_actor(toSeed), amount);
        calls["transfer"]++;
    }

    function burn(uint256 actorSeed, uint256 amount) external {
        address a = _actor(actorSeed);
        amount = _bound(amount, 0, token.balanceOf(a));
        vm.prank(a);
        token.burn(amount);
        calls["burn"]++;
    }

    function releaseEmission() external {
        token.releaseEmission();
        calls["release"]++;
    }

    function warp(uint32 secs) external {
        vm.warp(block.timestamp + _bound(secs, 1, 3 days));
        calls["warp"]++;
    }

    // ---------------------------------------------------------------- parameters

    /// Governance (the timelock) sets a parameter to any value: in bounds it lands, out of bounds it reverts.
    function governanceSet(uint8 which, uint256 value) external {
        which = which % 4;
        vm.startPrank(address(timelock));
        if (which == 0) {
            try config.setMarketFeeBps(uint16(value)) {
                expectedMarket.marketFeeBps = uint16(value);
            } catch {}
        } else if (which == 1) {
            try config.setMinBidIncrementBps(uint16(value)) {
                expectedMarket.minBidIncrementBps = uint16(value);
            } catch {}
        } else if (which == 2) {
            try config.setAntiSnipeBuffer(uint32(value)) {
                expectedMarket.antiSnipeBuffer = uint32(value);
            } catch {}
        } else {
            try config.setEmissionRate(uint96(value)) {
                expectedEmissionRate = uint96(value);
            } catch {}
        }
        vm.stopPrank();
        calls["governanceSet"]++;
    }

    /// Anyone else tries to set a parameter: it must never land.
    function strangerSet(uint256 callerSeed, uint8 which, uint16 value) external {
        address caller = callerSeed % 2 == 0 ? _actor(callerSeed) : game;
        vm.startPrank(caller);
        bool ok;
        if (which % 3 == 0) (ok,) = address(config).call(abi.encodeCall(EconomyConfig.setMarketFeeBps, (value)));
        else if (which % 3 == 1) (ok,) = address(config).call(abi.encodeCall(EconomyConfig.setRoyaltyCapBps, (value)));
        else (ok,) = address(config).call(abi.encodeCall(EconomyConfig.setTreasury, (caller)));
        vm.stopPrank();
        if (ok) strangerSuccesses++;
        calls["strangerSet"]++;
    }
}
