// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {Test} from "forge-std/Test.sol";
import {ERC2771Forwarder} from "@openzeppelin/contracts/metatx/ERC2771Forwarder.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {MercatoDeployment} from "../../script/MercatoDeployment.sol";
import {EconomyConfig} from "../../src/config/EconomyConfig.sol";
import {MercatoToken} from "../../src/token/MercatoToken.sol";
import {MercatoItems} from "../../src/items/MercatoItems.sol";
import {AuctionHouse} from "../../src/market/AuctionHouse.sol";
import {IAuctionHouse} from "../../src/market/IAuctionHouse.sol";
import {MercatoGovernor} from "../../src/governance/MercatoGovernor.sol";
import {MercatoForwarder} from "../../src/metatx/MercatoForwarder.sol";

/// @notice The deployed suite (through the same library the deploy script uses) plus funded test accounts.
abstract contract MercatoFixture is Test {
    uint256 internal constant START = 1_750_000_000;
    uint256 internal constant FUNDS = 1_000_000 ether;

    MercatoDeployment.Settings internal settings;
    MercatoForwarder internal forwarder;
    TimelockController internal timelock;
    EconomyConfig internal config;
    MercatoToken internal token;
    MercatoItems internal items;
    AuctionHouse internal house;
    MercatoGovernor internal governor;

    /// @dev Genesis holder, minter, royalty receiver and emission recipient.
    address internal game = makeAddr("game");
    Account internal alice = makeAccount("alice");
    Account internal bob = makeAccount("bob");
    Account internal carol = makeAccount("carol");

    function setUp() public virtual {
        vm.warp(START);
        vm.roll(100);
        settings = MercatoDeployment.defaults(game);
        MercatoDeployment.Deployment memory d = MercatoDeployment.deploy(settings, address(this));
        forwarder = d.forwarder;
        timelock = d.timelock;
        config = d.config;
        token = d.token;
        items = d.items;
        house = d.house;
        governor = d.governor;
        _fund(alice.addr, FUNDS);
        _fund(bob.addr, FUNDS);
        _fund(carol.addr, FUNDS);
    }

    function _fund(address to, uint256 amount) internal {
        vm.prank(game);
        token.transfer(to, amount);
    }

    function _mintItem(address to) internal returns (uint256 id) {
        return _mintItem(to, 7, 2, 1_000);
    }

    function _mintItem(address to, uint16 class, uint8 rarity, uint32 power) internal returns (uint256 id) {
        vm.prank(game);
        id = items.mint(to, MercatoItems.Attributes(class, rarity, power));
    }

    /// @dev Approves the house for every item and an unlimited currency amount.
    function _approveHouse(address who) internal {
        vm.startPrank(who);
        items.setApprovalForAll(address(house), true);
        token.approve(address(house), type(uint256).max);
        vm.stopPrank();
    }

    function _listEnglish(address seller, uint96 reserve, uint32 duration)
        internal
        returns (uint256 listingId, uint256 itemId)
    {
        itemId = _mintItem(seller);
        _approveHouse(seller);
        vm.prank(seller);
        listingId = house.createEnglish(address(items), itemId, reserve, duration);
    }

    function _listFixed(address seller, uint96 price) internal returns (uint256 listingId, uint256 itemId) {
        itemId = _mintItem(seller);
        _approveHouse(seller);
        vm.prank(seller);
        listingId = house.createFixed(address(items), itemId, price);
    }

    function _listDutch(address seller, uint96 startPrice, uint96 floorPrice, uint32 duration)
        internal
        returns (uint256 listingId, uint256 itemId)
    {
        itemId = _mintItem(seller);
        _approveHouse(seller);
        vm.prank(seller);
        listingId = house.createDutch(address(items), itemId, startPrice, floorPrice, duration);
    }

    function _bid(address bidder, uint256 listingId, uint96 amount) internal {
        vm.prank(bidder);
        house.bid(listingId, amount);
    }

    /// @dev Signs an EIP-2612 permit of the currency for the house.
    function _permit(Account memory owner, uint256 value, uint256 deadline)
        internal
        view
        returns (uint8 v, bytes32 r, bytes32 s)
    {
        bytes32 typehash =
            keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)");
        bytes32 structHash =
            keccak256(abi.encode(typehash, owner.addr, address(house), value, token.nonces(owner.addr), deadline));
        bytes32 digest = keccak256(abi.encodePacked("\x19\x01", token.DOMAIN_SEPARATOR(), structHash));
        return vm.sign(owner.key, digest);
    }

    /// @dev EIP-712 domain separator of a contract that implements ERC-5267 (`eip712Domain()`).
    function _domainOf(address target) internal view returns (bytes32) {
        (, string memory name, string memory version, uint256 chainId, address verifying,,) =
            ERC2771Forwarder(target).eip712Domain();
        return keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256(bytes(name)),
                keccak256(bytes(version)),
                chainId,
                verifying
            )
        );
    }

    /// @dev A ForwardRequest signed by `signer` for the forwarder, with the signer's current forwarder nonce.
    function _forwardRequest(Account memory signer, address to, bytes memory data, uint256 gas, uint48 deadline)
        internal
        view
        returns (ERC2771Forwarder.ForwardRequestData memory req)
    {
        bytes32 structHash = keccak256(
            abi.encode(
                keccak256(
                    "ForwardRequest(address from,address to,uint256 value,uint256 gas,uint256 nonce,uint48 deadline,bytes data)"
                ),
                signer.addr,
                to,
                0,
                gas,
                forwarder.nonces(signer.addr),
                deadline,
                keccak256(data)
            )
        );
        bytes32 digest = keccak256(abi.encodePacked("\x19\x01", _domainOf(address(forwarder)), structHash));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(signer.key, digest);
        req = ERC2771Forwarder.ForwardRequestData(signer.addr, to, 0, gas, deadline, data, abi.encodePacked(r, s, v));
    }

    function _listing(uint256 id) internal view returns (IAuctionHouse.Listing memory) {
        return house.listing(id);
    }
}
