// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {ERC2771Forwarder} from "@openzeppelin/contracts/metatx/ERC2771Forwarder.sol";
import {MercatoFixture} from "../helpers/MercatoFixture.sol";
import {AuctionHouse} from "../../src/market/AuctionHouse.sol";
import {MercatoItems} from "../../src/items/MercatoItems.sol";
import {MercatoToken} from "../../src/token/MercatoToken.sol";
import {IAuctionHouse} from "../../src/market/IAuctionHouse.sol";

/// @notice Users with zero ETH act through the ERC-2771 forwarder; a relayer account submits and pays.
contract GaslessTest is MercatoFixture {
    address internal relayer = makeAddr("relayer");
    Account internal user = makeAccount("gasless-user");

    function setUp() public override {
        super.setUp();
        vm.deal(relayer, 10 ether);
        _fund(user.addr, 1_000 ether);
        assertEq(user.addr.balance, 0);
    }

    function _request(Account memory signer, address to, bytes memory data, uint48 deadline)
        internal
        view
        returns (ERC2771Forwarder.ForwardRequestData memory)
    {
        return _forwardRequest(signer, to, data, 500_000, deadline);
    }

    function _relay(ERC2771Forwarder.ForwardRequestData memory req) internal {
        vm.prank(relayer);
        forwarder.execute(req);
    }

    function test_zeroEthUserBidsWithAPermit() public {
        address seller = makeAddr("seller");
        (uint256 id,) = _listEnglish(seller, 100 ether, 1 days);
        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _permit(user, 100 ether, deadline);
        bytes memory call = abi.encodeCall(AuctionHouse.bidWithPermit, (id, 100 ether, 100 ether, deadline, v, r, s));
        _relay(_request(user, address(house), call, uint48(deadline)));

        IAuctionHouse.Listing memory l = house.listing(id);
        assertEq(l.highBidder, user.addr, "the bid is the user's, not the relayer's");
        assertEq(token.balanceOf(user.addr), 900 ether);
        assertEq(user.addr.balance, 0);
        assertEq(forwarder.nonces(user.addr), 1, "the request went through the forwarder");
    }

    function test_zeroEthUserListsAndSells() public {
        uint256 itemId = _mintItem(user.addr);
        uint48 deadline = uint48(block.timestamp + 1 hours);
        _relay(
            _request(
                user, address(items), abi.encodeCall(MercatoItems.setApprovalForAll, (address(house), true)), deadline
            )
        );
        assertTrue(items.isApprovedForAll(user.addr, address(house)));
        _relay(
            _request(
                user,
                address(house),
                abi.encodeCall(AuctionHouse.createFixed, (address(items), itemId, 50 ether)),
                deadline
            )
        );
        IAuctionHouse.Listing memory l = house.listing(1);
        assertEq(l.seller, user.addr);
        assertEq(items.ownerOf(itemId), address(house));
        _approveHouse(bob.addr);
        vm.prank(bob.addr);
        house.buy(1, 50 ether);
        assertGt(token.balanceOf(user.addr), 1_000 ether);
    }

    function test_zeroEthUserTransfersAndVotes() public {
        uint48 deadline = uint48(block.timestamp + 1 hours);
        _relay(_request(user, address(token), abi.encodeCall(token.transfer, (carol.addr, 1 ether)), deadline));
        assertEq(token.balanceOf(carol.addr), FUNDS + 1 ether);
        _relay(_request(user, address(token), abi.encodeCall(token.delegate, (alice.addr)), deadline));
        assertEq(token.delegates(user.addr), alice.addr);
    }

    function test_replayIsRejected() public {
        uint48 deadline = uint48(block.timestamp + 1 hours);
        ERC2771Forwarder.ForwardRequestData memory req =
            _request(user, address(token), abi.encodeCall(token.transfer, (carol.addr, 1 ether)), deadline);
        _relay(req);
        vm.prank(relayer);
        vm.expectRevert(); // the signature now recovers against a stale nonce
        forwarder.execute(req);
        assertEq(token.balanceOf(carol.addr), FUNDS + 1 ether);
    }

    function test_expiredRequestIsRejected() public {
        uint48 deadline = uint48(block.timestamp + 1 hours);
        ERC2771Forwarder.ForwardRequestData memory req =
            _request(user, address(token), abi.encodeCall(token.transfer, (carol.addr, 1 ether)), deadline);
        vm.warp(deadline + 1);
        vm.prank(relayer);
        vm.expectRevert(abi.encodeWithSelector(ERC2771Forwarder.ERC2771ForwarderExpiredRequest.selector, deadline));
        forwarder.execute(req);
    }

    function test_forgedSignerIsRejected() public {
        uint48 deadline = uint48(block.timestamp + 1 hours);
        ERC2771Forwarder.ForwardRequestData memory req =
            _request(carol, address(token), abi.encodeCall(token.transfer, (bob.addr, 1 ether)), deadline);
        req.from = user.addr; // claims to be the user, signed by carol
        vm.prank(relayer);
        // The recovered signer is neither carol nor the user: the signed struct named carol as `from`.
        vm.expectPartialRevert(ERC2771Forwarder.ERC2771ForwarderInvalidSigner.selector);
        forwarder.execute(req);
    }

    function test_untrustfulTargetIsRejected() public {
        MercatoToken other = new MercatoToken(config, address(0xdead), game, 1, 10);
        uint48 deadline = uint48(block.timestamp + 1 hours);
        ERC2771Forwarder.ForwardRequestData memory req =
            _request(user, address(other), abi.encodeCall(token.transfer, (bob.addr, 1)), deadline);
        vm.prank(relayer);
        vm.expectRevert(
            abi.encodeWithSelector(
                ERC2771Forwarder.ERC2771UntrustfulTarget.selector, address(other), address(forwarder)
            )
        );
        forwarder.execute(req);
    }

    function test_everyContractTrustsTheForwarder() public view {
        assertTrue(token.isTrustedForwarder(address(forwarder)));
        assertTrue(items.isTrustedForwarder(address(forwarder)));
        assertTrue(house.isTrustedForwarder(address(forwarder)));
        assertTrue(governor.isTrustedForwarder(address(forwarder)));
    }
}
