// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {MercatoFixture} from "../helpers/MercatoFixture.sol";
import {MercatoToken} from "../../src/token/MercatoToken.sol";
import {EconomyConfig} from "../../src/config/EconomyConfig.sol";
import {IEconomyConfig, IEmissionSource} from "../../src/config/IEconomyConfig.sol";

contract MercatoTokenTest is MercatoFixture {
    event EmissionReleased(address indexed recipient, uint256 amount, uint64 fromTime, uint64 toTime);

    function test_metadataAndGenesis() public view {
        assertEq(token.name(), "Mercato");
        assertEq(token.symbol(), "MRC");
        assertEq(token.decimals(), 18);
        assertEq(token.cap(), 1_000_000_000 ether);
        assertEq(token.totalSupply(), 100_000_000 ether);
        assertEq(token.balanceOf(game), 100_000_000 ether - 3 * FUNDS);
        assertEq(token.CLOCK_MODE(), "mode=timestamp");
        assertEq(token.clock(), block.timestamp);
    }

    function test_constructor_rejectsBadCap() public {
        vm.expectRevert(abi.encodeWithSelector(MercatoToken.MercatoTokenInvalidCap.selector, 0, 0));
        new MercatoToken(config, address(forwarder), game, 0, 0);
        vm.expectRevert(abi.encodeWithSelector(MercatoToken.MercatoTokenInvalidCap.selector, 10, 11));
        new MercatoToken(config, address(forwarder), game, 11, 10);
    }

    // ---------------------------------------------------------------- auto-delegation

    function test_firstReceipt_selfDelegatesAnEoa() public {
        address fresh = makeAddr("fresh");
        assertEq(token.delegates(fresh), address(0));
        vm.prank(alice.addr);
        token.transfer(fresh, 10 ether);
        assertEq(token.delegates(fresh), fresh);
        assertEq(token.getVotes(fresh), 10 ether);
        assertEq(token.getVotes(alice.addr), FUNDS - 10 ether);
    }

    function test_genesisHolderVotesWithoutDelegating() public view {
        assertEq(token.getVotes(game), token.balanceOf(game));
        assertEq(token.getVotes(alice.addr), FUNDS);
    }

    function test_contractsAreNotAutoDelegated() public {
        vm.prank(alice.addr);
        token.transfer(address(house), 5 ether);
        assertEq(token.delegates(address(house)), address(0));
        assertEq(token.getVotes(address(house)), 0);
    }

    function test_explicitDelegationIsKeptOnLaterReceipts() public {
        address fresh = makeAddr("fresh");
        vm.prank(fresh);
        token.delegate(bob.addr);
        vm.prank(alice.addr);
        token.transfer(fresh, 10 ether);
        assertEq(token.delegates(fresh), bob.addr);
        assertEq(token.getVotes(bob.addr), FUNDS + 10 ether);
        assertEq(token.getVotes(fresh), 0);
    }

    function test_delegateToZero_reverts() public {
        vm.prank(alice.addr);
        vm.expectRevert(MercatoToken.MercatoTokenZeroDelegatee.selector);
        token.delegate(address(0));
    }

    function test_votesFollowTransfersAndHistory() public {
        uint256 t0 = block.timestamp;
        vm.warp(t0 + 1);
        vm.prank(alice.addr);
        token.transfer(bob.addr, 100 ether);
        vm.warp(t0 + 2);
        assertEq(token.getPastVotes(alice.addr, t0), FUNDS);
        assertEq(token.getPastVotes(alice.addr, t0 + 1), FUNDS - 100 ether);
        assertEq(token.getPastVotes(bob.addr, t0 + 1), FUNDS + 100 ether);
        assertEq(token.getPastTotalSupply(t0 + 1), token.totalSupply());
    }

    // ---------------------------------------------------------------- emission

    function test_emissionAccruesAndAnyoneReleasesIt() public {
        uint64 t0 = token.lastEmissionTime();
        vm.warp(block.timestamp + 3_600);
        assertEq(token.pendingEmission(), 3_600 ether);
        uint256 before = token.balanceOf(game);
        vm.expectEmit(address(token));
        emit EmissionReleased(game, 3_600 ether, t0, uint64(block.timestamp));
        vm.prank(carol.addr);
        assertEq(token.releaseEmission(), 3_600 ether);
        assertEq(token.balanceOf(game) - before, 3_600 ether);
        assertEq(token.pendingEmission(), 0);
        assertEq(token.releaseEmission(), 0, "nothing accrues within the same second");
    }

    function test_emissionStopsAtTheCap() public {
        // Raise the rate to the maximum and wait long enough to pass the cap many times over.
        vm.prank(address(timelock));
        config.setEmissionRate(100 ether);
        vm.warp(block.timestamp + 365 days);
        uint256 room = token.cap() - token.totalSupply();
        assertEq(token.pendingEmission(), room);
        token.releaseEmission();
        assertEq(token.totalSupply(), token.cap());
        vm.warp(block.timestamp + 1 days);
        assertEq(token.releaseEmission(), 0);
        assertEq(token.totalSupply(), token.cap());
    }

    function test_zeroRate_mintsNothing() public {
        vm.prank(address(timelock));
        config.setEmissionRate(0);
        vm.warp(block.timestamp + 1 days);
        assertEq(token.releaseEmission(), 0);
    }

    function test_tokenMintedToItsCap_emitsNothing() public {
        // Genesis supply == cap: emission is clamped to the room left under the cap, which is zero.
        address predicted = vm.computeCreateAddress(address(this), vm.getNonce(address(this)) + 1);
        EconomyConfig cfg = new EconomyConfig(
            address(this), IEmissionSource(predicted), game, settings.market, IEconomyConfig.Emission(game, 1), 10
        );
        MercatoToken capped = new MercatoToken(cfg, address(forwarder), game, 100, 100);
        vm.warp(block.timestamp + 10);
        assertEq(capped.pendingEmission(), 0);
        assertEq(capped.releaseEmission(), 0);
        assertEq(capped.totalSupply(), 100);
    }

    // ---------------------------------------------------------------- burn (sinks)

    function test_burnReducesSupplyAndVotes() public {
        uint256 supply = token.totalSupply();
        vm.prank(alice.addr);
        token.burn(1_000 ether);
        assertEq(token.totalSupply(), supply - 1_000 ether);
        assertEq(token.getVotes(alice.addr), FUNDS - 1_000 ether);
    }

    function test_burnFrom_needsAllowance() public {
        vm.prank(bob.addr);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, bob.addr, 0, 1 ether));
        token.burnFrom(alice.addr, 1 ether);
        vm.prank(alice.addr);
        token.approve(bob.addr, 1 ether);
        vm.prank(bob.addr);
        token.burnFrom(alice.addr, 1 ether);
        assertEq(token.balanceOf(alice.addr), FUNDS - 1 ether);
    }

    function test_burnMoreThanBalance_reverts() public {
        vm.prank(alice.addr);
        vm.expectRevert(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, alice.addr, FUNDS, FUNDS + 1)
        );
        token.burn(FUNDS + 1);
    }

    // ---------------------------------------------------------------- permit and forwarder

    function test_permit() public {
        (uint8 v, bytes32 r, bytes32 s) = _permit(alice, 5 ether, block.timestamp + 1 hours);
        token.permit(alice.addr, address(house), 5 ether, block.timestamp + 1 hours, v, r, s);
        assertEq(token.allowance(alice.addr, address(house)), 5 ether);
        assertEq(token.nonces(alice.addr), 1);
        vm.expectRevert(); // replay: the nonce moved on
        token.permit(alice.addr, address(house), 5 ether, block.timestamp + 1 hours, v, r, s);
    }

    function test_trustsTheForwarder() public view {
        assertTrue(token.isTrustedForwarder(address(forwarder)));
        assertFalse(token.isTrustedForwarder(alice.addr));
    }

    // ---------------------------------------------------------------- fuzz

    function testFuzz_transferKeepsVotesEqualToBalances(uint256 amount, uint256 seed) public {
        amount = bound(amount, 0, FUNDS);
        address to = address(uint160(uint256(keccak256(abi.encode(seed))) | 1 << 150));
        vm.assume(to.code.length == 0);
        vm.prank(alice.addr);
        token.transfer(to, amount);
        assertEq(token.getVotes(alice.addr), token.balanceOf(alice.addr));
        if (amount > 0) assertEq(token.getVotes(to), token.balanceOf(to));
    }

    function testFuzz_emissionNeverExceedsCap(uint96 rate, uint32 elapsed) public {
        rate = uint96(bound(rate, 0, 100 ether));
        vm.prank(address(timelock));
        config.setEmissionRate(rate);
        vm.warp(block.timestamp + elapsed);
        token.releaseEmission();
        assertLe(token.totalSupply(), token.cap());
    }
}
