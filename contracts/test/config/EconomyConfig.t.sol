// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {MercatoFixture} from "../helpers/MercatoFixture.sol";
import {EconomyConfig} from "../../src/config/EconomyConfig.sol";
import {IEconomyConfig, IEmissionSource} from "../../src/config/IEconomyConfig.sol";

contract EconomyConfigTest is MercatoFixture {
    event ParameterChanged(bytes32 indexed name, uint256 oldValue, uint256 newValue);

    function _asTimelock() internal {
        vm.prank(address(timelock));
    }

    function test_initialValues() public view {
        IEconomyConfig.MarketParams memory p = config.marketParams();
        assertEq(p.marketFeeBps, 250);
        assertEq(p.royaltyCapBps, 1_000);
        assertEq(p.minBidIncrementBps, 500);
        assertEq(p.antiSnipeBuffer, 5 minutes);
        assertEq(p.minAuctionDuration, 10 minutes);
        assertEq(p.maxAuctionDuration, 30 days);
        assertEq(config.treasury(), address(timelock));
        assertEq(config.emission().recipient, game);
        assertEq(config.emission().ratePerSecond, 1 ether);
        assertEq(config.owner(), address(timelock));
        assertEq(address(config.token()), address(token));
    }

    function test_setMarketFeeBps() public {
        vm.expectEmit(address(config));
        emit ParameterChanged("marketFeeBps", 250, 400);
        _asTimelock();
        config.setMarketFeeBps(400);
        assertEq(config.marketFeeBps(), 400);
    }

    function test_setMarketFeeBps_revertsAboveBound() public {
        _asTimelock();
        vm.expectRevert(
            abi.encodeWithSelector(
                IEconomyConfig.EconomyConfigOutOfBounds.selector, bytes32("marketFeeBps"), 1_001, 0, 1_000
            )
        );
        config.setMarketFeeBps(1_001);
    }

    function test_setRoyaltyCapBps() public {
        vm.expectEmit(address(config));
        emit ParameterChanged("royaltyCapBps", 1_000, 2_500);
        _asTimelock();
        config.setRoyaltyCapBps(2_500);
        assertEq(config.royaltyCapBps(), 2_500);
        _asTimelock();
        vm.expectRevert(
            abi.encodeWithSelector(
                IEconomyConfig.EconomyConfigOutOfBounds.selector, bytes32("royaltyCapBps"), 2_501, 0, 2_500
            )
        );
        config.setRoyaltyCapBps(2_501);
    }

    function test_setMinBidIncrementBps_bounds() public {
        _asTimelock();
        config.setMinBidIncrementBps(1);
        assertEq(config.marketParams().minBidIncrementBps, 1);
        _asTimelock();
        vm.expectRevert(
            abi.encodeWithSelector(
                IEconomyConfig.EconomyConfigOutOfBounds.selector, bytes32("minBidIncrementBps"), 0, 1, 5_000
            )
        );
        config.setMinBidIncrementBps(0);
        _asTimelock();
        vm.expectRevert(
            abi.encodeWithSelector(
                IEconomyConfig.EconomyConfigOutOfBounds.selector, bytes32("minBidIncrementBps"), 5_001, 1, 5_000
            )
        );
        config.setMinBidIncrementBps(5_001);
    }

    function test_setAntiSnipeBuffer() public {
        vm.expectEmit(address(config));
        emit ParameterChanged("antiSnipeBuffer", 300, 0);
        _asTimelock();
        config.setAntiSnipeBuffer(0);
        _asTimelock();
        vm.expectRevert(
            abi.encodeWithSelector(
                IEconomyConfig.EconomyConfigOutOfBounds.selector, bytes32("antiSnipeBuffer"), 3_601, 0, 3_600
            )
        );
        config.setAntiSnipeBuffer(1 hours + 1);
    }

    function test_setAuctionDurationBounds() public {
        vm.expectEmit(address(config));
        emit ParameterChanged("minAuctionDuration", 600, 120);
        vm.expectEmit(address(config));
        emit ParameterChanged("maxAuctionDuration", 30 days, 7 days);
        _asTimelock();
        config.setAuctionDurationBounds(120, 7 days);
        assertEq(config.marketParams().minAuctionDuration, 120);
        assertEq(config.marketParams().maxAuctionDuration, 7 days);
    }

    function test_setAuctionDurationBounds_rejectsBadRanges() public {
        _asTimelock();
        vm.expectRevert(
            abi.encodeWithSelector(
                IEconomyConfig.EconomyConfigOutOfBounds.selector, bytes32("minAuctionDuration"), 59, 60, 1 days
            )
        );
        config.setAuctionDurationBounds(59, 7 days);
        _asTimelock();
        vm.expectRevert(
            abi.encodeWithSelector(
                IEconomyConfig.EconomyConfigOutOfBounds.selector,
                bytes32("maxAuctionDuration"),
                91 days,
                1 hours,
                90 days
            )
        );
        config.setAuctionDurationBounds(1 hours, 91 days);
        // max below min
        _asTimelock();
        vm.expectRevert(
            abi.encodeWithSelector(
                IEconomyConfig.EconomyConfigOutOfBounds.selector,
                bytes32("maxAuctionDuration"),
                2 hours,
                1 days,
                90 days
            )
        );
        config.setAuctionDurationBounds(1 days, 2 hours);
    }

    function test_setTreasury() public {
        vm.expectEmit(address(config));
        emit ParameterChanged("treasury", uint160(address(timelock)), uint160(alice.addr));
        _asTimelock();
        config.setTreasury(alice.addr);
        assertEq(config.treasury(), alice.addr);
        _asTimelock();
        vm.expectRevert(abi.encodeWithSelector(IEconomyConfig.EconomyConfigZeroAddress.selector, bytes32("treasury")));
        config.setTreasury(address(0));
    }

    function test_setEmissionRate_releasesAtTheOldRateFirst() public {
        vm.warp(block.timestamp + 100);
        uint256 before = token.balanceOf(game);
        _asTimelock();
        config.setEmissionRate(5 ether);
        assertEq(token.balanceOf(game) - before, 100 ether, "100 s at the old 1 MRC/s released");
        vm.warp(block.timestamp + 10);
        assertEq(token.pendingEmission(), 50 ether, "new rate from the change on");
        _asTimelock();
        vm.expectRevert(
            abi.encodeWithSelector(
                IEconomyConfig.EconomyConfigOutOfBounds.selector, bytes32("emissionRate"), 101 ether, 0, 100 ether
            )
        );
        config.setEmissionRate(101 ether);
    }

    function test_setEmissionRecipient_releasesToTheOldRecipientFirst() public {
        vm.warp(block.timestamp + 10);
        uint256 before = token.balanceOf(game);
        _asTimelock();
        config.setEmissionRecipient(carol.addr);
        assertEq(token.balanceOf(game) - before, 10 ether);
        vm.warp(block.timestamp + 10);
        token.releaseEmission();
        assertEq(token.balanceOf(carol.addr), FUNDS + 10 ether);
        _asTimelock();
        vm.expectRevert(
            abi.encodeWithSelector(IEconomyConfig.EconomyConfigZeroAddress.selector, bytes32("emissionRecipient"))
        );
        config.setEmissionRecipient(address(0));
    }

    function test_everySetter_revertsForNonOwner() public {
        bytes[] memory calls = new bytes[](8);
        calls[0] = abi.encodeCall(EconomyConfig.setMarketFeeBps, (1));
        calls[1] = abi.encodeCall(EconomyConfig.setRoyaltyCapBps, (1));
        calls[2] = abi.encodeCall(EconomyConfig.setMinBidIncrementBps, (1));
        calls[3] = abi.encodeCall(EconomyConfig.setAntiSnipeBuffer, (1));
        calls[4] = abi.encodeCall(EconomyConfig.setAuctionDurationBounds, (120, 2 days));
        calls[5] = abi.encodeCall(EconomyConfig.setTreasury, (alice.addr));
        calls[6] = abi.encodeCall(EconomyConfig.setEmissionRate, (1));
        calls[7] = abi.encodeCall(EconomyConfig.setEmissionRecipient, (alice.addr));
        address[3] memory strangers = [alice.addr, game, address(governor)];
        for (uint256 i; i < calls.length; i++) {
            for (uint256 j; j < strangers.length; j++) {
                vm.prank(strangers[j]);
                (bool ok, bytes memory ret) = address(config).call(calls[i]);
                assertFalse(ok);
                assertEq(ret, abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, strangers[j]));
            }
        }
    }

    function test_constructor_checksBounds() public {
        IEconomyConfig.MarketParams memory p = settings.market;
        p.marketFeeBps = 2_000;
        vm.expectRevert(
            abi.encodeWithSelector(
                IEconomyConfig.EconomyConfigOutOfBounds.selector, bytes32("marketFeeBps"), 2_000, 0, 1_000
            )
        );
        new EconomyConfig(address(this), IEmissionSource(address(token)), game, p, IEconomyConfig.Emission(game, 1), 10);
        vm.expectRevert(abi.encodeWithSelector(IEconomyConfig.EconomyConfigZeroAddress.selector, bytes32("token")));
        new EconomyConfig(
            address(this), IEmissionSource(address(0)), game, settings.market, IEconomyConfig.Emission(game, 1), 10
        );
        vm.expectRevert(
            abi.encodeWithSelector(IEconomyConfig.EconomyConfigOutOfBounds.selector, bytes32("emissionRate"), 11, 0, 10)
        );
        new EconomyConfig(
            address(this), IEmissionSource(address(token)), game, settings.market, IEconomyConfig.Emission(game, 11), 10
        );
    }

    function testFuzz_marketFee_acceptedIffWithinBounds(uint16 bps) public {
        uint16 max = config.MAX_MARKET_FEE_BPS();
        _asTimelock();
        if (bps > max) {
            vm.expectRevert();
            config.setMarketFeeBps(bps);
            assertEq(config.marketFeeBps(), 250);
        } else {
            config.setMarketFeeBps(bps);
            assertEq(config.marketFeeBps(), bps);
        }
    }
}
