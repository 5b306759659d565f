// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IERC2981} from "@openzeppelin/contracts/interfaces/IERC2981.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {IERC721Metadata} from "@openzeppelin/contracts/token/ERC721/extensions/IERC721Metadata.sol";
import {ERC721} from "solady/tokens/ERC721.sol";
import {MercatoFixture} from "../helpers/MercatoFixture.sol";
import {MercatoItems} from "../../src/items/MercatoItems.sol";

contract MercatoItemsTest is MercatoFixture {
    event ItemMinted(uint256 indexed id, address indexed to, uint16 class, uint8 rarity, uint32 power);
    event RoyaltyChanged(address indexed receiver, uint16 bps);

    function test_mintStoresAttributes() public {
        vm.expectEmit(address(items));
        emit ItemMinted(1, alice.addr, 3, 4, 9_999);
        uint256 id = _mintItem(alice.addr, 3, 4, 9_999);
        assertEq(id, 1);
        assertEq(items.ownerOf(1), alice.addr);
        assertEq(items.balanceOf(alice.addr), 1);
        MercatoItems.Attributes memory a = items.attributes(1);
        assertEq(a.class, 3);
        assertEq(a.rarity, 4);
        assertEq(a.power, 9_999);
        assertEq(items.nextTokenId(), 2);
        assertEq(_mintItem(bob.addr), 2);
    }

    function test_mint_requiresMinterRole() public {
        bytes32 role = items.MINTER_ROLE();
        vm.prank(alice.addr);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, alice.addr, role)
        );
        items.mint(alice.addr, MercatoItems.Attributes(1, 1, 1));
    }

    function test_mint_rejectsInvalidRarity() public {
        vm.prank(game);
        vm.expectRevert(abi.encodeWithSelector(MercatoItems.MercatoItemsInvalidRarity.selector, 5));
        items.mint(alice.addr, MercatoItems.Attributes(1, 5, 1));
    }

    function test_mint_toZeroAddressReverts() public {
        vm.prank(game);
        vm.expectRevert(ERC721.TransferToZeroAddress.selector);
        items.mint(address(0), MercatoItems.Attributes(1, 1, 1));
    }

    function test_tokenURI() public {
        uint256 id = _mintItem(alice.addr);
        assertEq(items.tokenURI(id), "https://items.mercato.example/1");
        vm.prank(address(timelock));
        items.setBaseURI("ipfs://new/");
        assertEq(items.tokenURI(id), "ipfs://new/1");
        vm.expectRevert(ERC721.TokenDoesNotExist.selector);
        items.tokenURI(99);
        vm.expectRevert(ERC721.TokenDoesNotExist.selector);
        items.attributes(99);
    }

    function test_setBaseURI_requiresAdmin() public {
        vm.prank(game);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, game, bytes32(0))
        );
        items.setBaseURI("x");
    }

    function test_burnByOwnerAndByApproved() public {
        uint256 a = _mintItem(alice.addr);
        uint256 b = _mintItem(alice.addr);
        vm.prank(alice.addr);
        items.burn(a);
        vm.expectRevert(ERC721.TokenDoesNotExist.selector);
        items.ownerOf(a);
        vm.expectRevert(ERC721.TokenDoesNotExist.selector);
        items.attributes(a);
        vm.prank(alice.addr);
        items.approve(bob.addr, b);
        vm.prank(bob.addr);
        items.burn(b);
        assertEq(items.balanceOf(alice.addr), 0);
    }

    function test_burnByStranger_reverts() public {
        uint256 id = _mintItem(alice.addr);
        vm.prank(bob.addr);
        vm.expectRevert(ERC721.NotOwnerNorApproved.selector);
        items.burn(id);
    }

    function test_transfersAndApprovals() public {
        uint256 id = _mintItem(alice.addr);
        vm.prank(alice.addr);
        items.setApprovalForAll(bob.addr, true);
        assertTrue(items.isApprovedForAll(alice.addr, bob.addr));
        vm.prank(bob.addr);
        items.transferFrom(alice.addr, carol.addr, id);
        assertEq(items.ownerOf(id), carol.addr);
        vm.prank(carol.addr);
        items.safeTransferFrom(carol.addr, alice.addr, id);
        vm.prank(alice.addr);
        items.safeTransferFrom(alice.addr, bob.addr, id, "hello");
        assertEq(items.ownerOf(id), bob.addr);
        vm.prank(carol.addr);
        vm.expectRevert(ERC721.NotOwnerNorApproved.selector);
        items.transferFrom(bob.addr, carol.addr, id);
        // safe transfer to a contract that is not a receiver is refused
        vm.prank(bob.addr);
        vm.expectRevert(ERC721.TransferToNonERC721ReceiverImplementer.selector);
        items.safeTransferFrom(bob.addr, address(token), id);
    }

    function test_etherIsRefused() public {
        uint256 id = _mintItem(alice.addr);
        vm.deal(alice.addr, 1 ether);
        vm.startPrank(alice.addr);
        vm.expectRevert(MercatoItems.MercatoItemsNoEther.selector);
        items.approve{value: 1}(bob.addr, id);
        vm.expectRevert(MercatoItems.MercatoItemsNoEther.selector);
        items.transferFrom{value: 1}(alice.addr, bob.addr, id);
        vm.expectRevert(MercatoItems.MercatoItemsNoEther.selector);
        items.safeTransferFrom{value: 1}(alice.addr, bob.addr, id);
        vm.expectRevert(MercatoItems.MercatoItemsNoEther.selector);
        items.safeTransferFrom{value: 1}(alice.addr, bob.addr, id, "");
        vm.stopPrank();
    }

    function test_royaltyIsCappedByTheLiveConfig() public {
        (address receiver, uint256 amount) = items.royaltyInfo(1, 10_000 ether);
        assertEq(receiver, game);
        assertEq(amount, 500 ether); // 5%
        vm.prank(address(timelock));
        config.setRoyaltyCapBps(200);
        (, amount) = items.royaltyInfo(1, 10_000 ether);
        assertEq(amount, 200 ether, "governance lowered the cap: royalties follow at once");
        assertEq(items.royalty().bps, 500, "the configured royalty is unchanged");
    }

    function test_setRoyalty() public {
        vm.expectEmit(address(items));
        emit RoyaltyChanged(carol.addr, 1_000);
        vm.prank(address(timelock));
        items.setRoyalty(carol.addr, 1_000);
        (address receiver, uint256 amount) = items.royaltyInfo(1, 100);
        assertEq(receiver, carol.addr);
        assertEq(amount, 10);
    }

    function test_setRoyalty_rejectsAboveCapZeroReceiverAndStrangers() public {
        vm.prank(address(timelock));
        vm.expectRevert(abi.encodeWithSelector(MercatoItems.MercatoItemsRoyaltyAboveCap.selector, 1_001, 1_000));
        items.setRoyalty(carol.addr, 1_001);
        vm.prank(address(timelock));
        vm.expectRevert(MercatoItems.MercatoItemsZeroRoyaltyReceiver.selector);
        items.setRoyalty(address(0), 1);
        vm.prank(address(timelock));
        items.setRoyalty(address(0), 0); // no royalty at all is fine
        vm.prank(game);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, game, bytes32(0))
        );
        items.setRoyalty(game, 1);
    }

    function test_supportsInterface() public view {
        assertTrue(items.supportsInterface(type(IERC721).interfaceId));
        assertTrue(items.supportsInterface(type(IERC721Metadata).interfaceId));
        assertTrue(items.supportsInterface(type(IERC2981).interfaceId));
        assertTrue(items.supportsInterface(type(IAccessControl).interfaceId));
        assertTrue(items.supportsInterface(0x01ffc9a7)); // ERC-165
        assertFalse(items.supportsInterface(0xdeadbeef));
        assertEq(items.name(), "Mercato Items");
        assertEq(items.symbol(), "MITEM");
    }

    function testFuzz_attributesRoundTrip(uint16 class, uint8 rarity, uint32 power, address to) public {
        vm.assume(to != address(0));
        rarity = uint8(bound(rarity, 0, items.MAX_RARITY()));
        uint256 id = _mintItem(to, class, rarity, power);
        MercatoItems.Attributes memory a = items.attributes(id);
        assertEq(a.class, class);
        assertEq(a.rarity, rarity);
        assertEq(a.power, power);
        assertEq(items.ownerOf(id), to, "attributes never corrupt the owner bits");
    }

    function testFuzz_royaltyNeverAboveCap(uint256 price, uint16 cap) public {
        price = bound(price, 0, type(uint128).max);
        cap = uint16(bound(cap, 0, 2_500));
        vm.prank(address(timelock));
        config.setRoyaltyCapBps(cap);
        (, uint256 amount) = items.royaltyInfo(1, price);
        assertLe(amount, price * cap / 10_000);
        assertLe(amount, price * 500 / 10_000);
    }
}
