// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {console} from "forge-std/console.sol";
import {MercatoFixture} from "../helpers/MercatoFixture.sol";
import {MarketHandler} from "./MarketHandler.sol";
import {IEconomyConfig} from "../../src/config/IEconomyConfig.sol";
import {IAuctionHouse} from "../../src/market/IAuctionHouse.sol";

/// @notice Economy-wide invariants under random sequences of listings, bids, sales, settlements, cancellations,
/// withdrawals, transfers, burns, emission releases, time jumps and parameter changes. The handler checks each
/// action's preconditions, so any revert is a finding (fail_on_revert).
/// forge-config: default.invariant.fail-on-revert = true
contract EconomyInvariantTest is MercatoFixture {
    MarketHandler internal handler;
    address[] internal holders;

    function setUp() public override {
        super.setUp();
        address[] memory actors = new address[](4);
        actors[0] = alice.addr;
        actors[1] = bob.addr;
        actors[2] = carol.addr;
        actors[3] = makeAddr("dave");
        _fund(actors[3], FUNDS);
        for (uint256 i; i < actors.length; i++) {
            _approveHouse(actors[i]);
        }
        handler = new MarketHandler(token, items, house, config, timelock, game, actors);
        targetContract(address(handler));
        // Every address that can ever hold currency in these runs.
        holders = actors;
        holders.push(game);
        holders.push(address(house));
        holders.push(address(timelock));
    }

    function invariant_supplyWithinCapAndEqualToBalances() public view {
        uint256 sum;
        for (uint256 i; i < holders.length; i++) {
            sum += token.balanceOf(holders[i]);
        }
        assertEq(sum, token.totalSupply(), "supply == sum of balances");
        assertLe(token.totalSupply(), token.cap(), "supply <= cap");
    }

    function invariant_houseHoldsExactlyBidsAndCredits() public view {
        uint256 owed;
        for (uint256 i; i < handler.listingCount(); i++) {
            IAuctionHouse.Listing memory l = house.listing(handler.listingIds(i));
            if (l.kind == IAuctionHouse.Kind.English) owed += l.highBid;
        }
        for (uint256 i; i < handler.actorCount(); i++) {
            owed += house.credits(handler.actors(i));
        }
        assertEq(token.balanceOf(address(house)), owed, "house balance == escrowed bids + credits");
    }

    function invariant_everyListedItemIsInEscrow() public view {
        for (uint256 i; i < handler.listingCount(); i++) {
            IAuctionHouse.Listing memory l = house.listing(handler.listingIds(i));
            if (l.kind != IAuctionHouse.Kind.None) assertEq(items.ownerOf(l.tokenId), address(house));
        }
    }

    function invariant_parametersWithinBounds() public view {
        IEconomyConfig.MarketParams memory p = config.marketParams();
        assertLe(p.marketFeeBps, config.MAX_MARKET_FEE_BPS());
        assertLe(p.royaltyCapBps, config.MAX_ROYALTY_CAP_BPS());
        assertGe(p.minBidIncrementBps, config.MIN_BID_INCREMENT_BPS());
        assertLe(p.minBidIncrementBps, config.MAX_BID_INCREMENT_BPS());
        assertLe(p.antiSnipeBuffer, config.MAX_ANTI_SNIPE_BUFFER());
        assertLe(p.minAuctionDuration, p.maxAuctionDuration);
        assertLe(config.emission().ratePerSecond, config.maxEmissionRate());
    }

    function invariant_parametersChangeOnlyThroughTheTimelock() public view {
        assertEq(handler.strangerSuccesses(), 0);
        (uint16 fee, uint16 cap, uint16 inc, uint32 buffer, uint32 minD, uint32 maxD) = handler.expectedMarket();
        IEconomyConfig.MarketParams memory p = config.marketParams();
        assertEq(p.marketFeeBps, fee);
        assertEq(p.royaltyCapBps, cap);
        assertEq(p.minBidIncrementBps, inc);
        assertEq(p.antiSnipeBuffer, buffer);
        assertEq(p.minAuctionDuration, minD);
        assertEq(p.maxAuctionDuration, maxD);
        assertEq(config.emission().ratePerSecond, handler.expectedEmissionRate());
        assertEq(config.treasury(), address(timelock));
    }

    function invariant_votesNeverExceedSupply() public view {
        uint256 votes;
        for (uint256 i; i < holders.length; i++) {
            votes += token.getVotes(holders[i]);
        }
        assertLe(votes, token.totalSupply());
    }

    function afterInvariant() external view {
        console.log("listings", handler.listingCount());
        console.log("bids", handler.calls("bid"), "buys", handler.calls("buy"));
        console.log("settles", handler.calls("settle"), "cancels", handler.calls("cancel"));
    }
}
