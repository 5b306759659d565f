// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {console} from "forge-std/console.sol";
import {ERC2771Forwarder} from "@openzeppelin/contracts/metatx/ERC2771Forwarder.sol";
import {MercatoFixture} from "../helpers/MercatoFixture.sol";
import {MercatoItems} from "../../src/items/MercatoItems.sol";
import {AuctionHouse} from "../../src/market/AuctionHouse.sol";
import {OzVotesToken, OzVotesToken2771, OzItems} from "./OzBaselines.sol";

/// @notice Gas of the everyday operations, Mercato beside plain OpenZeppelin, printed as one markdown table.
/// Run: `./mercato bench` (or `forge test --match-path 'test/bench/*' -vv` in contracts/).
///
/// Every operation runs as its own transaction (isolate mode: cold accounts and storage, as on a real chain) at a
/// fresh timestamp, so vote checkpoints are new slots as they would be in a new block. "tx" is what the transaction
/// costs (`vm.lastCallGas().gasTotalUsed` in isolate mode: 21,000 + calldata + execution, before refunds); "exec" is
/// tx − 21,000 − calldata gas (4 per zero byte, 16 per non-zero byte), the figure `forge test --gas-report` shows.
/// forge-config: default.isolate = true
contract GasBenchmark is MercatoFixture {
    OzVotesToken internal oz;
    OzVotesToken2771 internal oz2771;
    OzItems internal ozItems;

    uint256 internal constant ITEM_MINT_TARGET = 60_000;
    uint256 internal constant OUTBID_TARGET = 70_000;

    // Figures kept in storage: the test has more of them than the stack has slots.
    uint256 internal transferExisting;
    uint256 internal ozTransferExisting;
    uint256 internal mintNew;
    uint256 internal mintExisting;
    uint256 internal outbidPull;
    uint256 internal outbidCredits;
    uint256 internal itemId;

    function setUp() public override {
        super.setUp();
        oz = new OzVotesToken(game, 100_000_000 ether);
        oz2771 = new OzVotesToken2771(game, 100_000_000 ether, address(forwarder));
        ozItems = new OzItems();
        // The baselines get the voting state Mercato's auto-delegation gives: holders delegated to themselves.
        address[4] memory who = [alice.addr, bob.addr, carol.addr, game];
        for (uint256 i; i < who.length; i++) {
            vm.startPrank(game);
            if (who[i] != game) {
                oz.transfer(who[i], FUNDS);
                oz2771.transfer(who[i], FUNDS);
            }
            vm.stopPrank();
            vm.startPrank(who[i]);
            oz.delegate(who[i]);
            oz2771.delegate(who[i]);
            vm.stopPrank();
        }
        _approveHouse(alice.addr);
        _approveHouse(bob.addr);
        _approveHouse(carol.addr);
    }

    // ---------------------------------------------------------------- helpers

    function _tick() internal {
        vm.warp(block.timestamp + 13);
        vm.roll(block.number + 1);
    }

    function _calldataGas(bytes memory data) internal pure returns (uint256 g) {
        for (uint256 i; i < data.length; i++) {
            g += data[i] == 0 ? 4 : 16;
        }
    }

    /// @dev Calls `target` with `data` as `from` in its own transaction; returns the execution gas and logs a row.
    function _op(string memory name, address from, address target, bytes memory data) internal returns (uint256 exec) {
        vm.prank(from);
        (bool ok, bytes memory ret) = target.call(data);
        if (!ok) {
            assembly {
                revert(add(ret, 32), mload(ret))
            }
        }
        uint256 txGas = vm.lastCallGas().gasTotalUsed;
        exec = txGas - 21_000 - _calldataGas(data);
        console.log(string.concat("| ", name, " | ", vm.toString(txGas), " | ", vm.toString(exec), " |"));
    }

    // ---------------------------------------------------------------- the table

    function test_benchmark() public {
        console.log("| operation | tx gas | exec gas |");
        console.log("| --- | ---: | ---: |");
        _currency();
        _items();
        _english();
        _fixedAndGovernance();
        _forwarder();
        _targets();
    }

    function _currency() internal {
        _tick();
        bytes memory move = abi.encodeCall(oz.transfer, (bob.addr, 1 ether));
        transferExisting = _op("MRC transfer, existing holder (both delegated)", alice.addr, address(token), move);
        ozTransferExisting =
            _op("OZ ERC20Votes transfer, existing holder (both delegated)", alice.addr, address(oz), move);
        _op("OZ ERC20Votes + ERC2771Context transfer, existing holder", alice.addr, address(oz2771), move);

        _tick();
        bytes memory toNew = abi.encodeCall(oz.transfer, (makeAddr("new-holder"), 1 ether));
        _op("MRC transfer, new holder (auto-delegated on receipt)", alice.addr, address(token), toNew);
        _op("OZ ERC20Votes transfer, new holder (receiver has no votes)", alice.addr, address(oz), toNew);
        _tick();
        _op(
            "OZ ERC20Votes: receiver's delegate() to get those votes",
            makeAddr("new-holder"),
            address(oz),
            abi.encodeCall(oz.delegate, (makeAddr("new-holder")))
        );
    }

    function _items() internal {
        _tick();
        bytes memory mint = abi.encodeCall(MercatoItems.mint, (alice.addr, MercatoItems.Attributes(3, 2, 1_500)));
        mintNew = _op("item mint, holder's first item (attributes on-chain)", game, address(items), mint);
        _op(
            "OZ ERC721 mint, holder's first item (no attributes)",
            game,
            address(ozItems),
            abi.encodeCall(OzItems.mint, (alice.addr))
        );
        mintExisting = _op("item mint, holder has items (attributes on-chain)", game, address(items), mint);
        _op(
            "OZ ERC721 mint, holder has items (no attributes)",
            game,
            address(ozItems),
            abi.encodeCall(OzItems.mint, (alice.addr))
        );
        itemId = items.nextTokenId() - 2; // alice's first Mercato item
    }

    function _english() internal {
        _tick();
        uint256 id = house.nextListingId();
        _op(
            "list (English auction, item into escrow)",
            alice.addr,
            address(house),
            abi.encodeCall(AuctionHouse.createEnglish, (address(items), itemId, 100 ether, 1 days))
        );
        _tick();
        _op(
            "first bid (currency pulled from the wallet)",
            bob.addr,
            address(house),
            abi.encodeCall(AuctionHouse.bid, (id, 100 ether))
        );
        _tick();
        outbidPull = _op(
            "outbid, currency pulled from the wallet (previous bid credited)",
            carol.addr,
            address(house),
            abi.encodeCall(AuctionHouse.bid, (id, 110 ether))
        );
        _tick();
        _op(
            "deposit credits (once, before a bidding war)",
            bob.addr,
            address(house),
            abi.encodeCall(AuctionHouse.deposit, (500 ether))
        );
        _tick();
        outbidCredits = _op(
            "outbid paid from credits (previous bid credited)",
            bob.addr,
            address(house),
            abi.encodeCall(AuctionHouse.bid, (id, 121 ether))
        );
        vm.warp(block.timestamp + 1 days);
        _op(
            "settle (fee + royalty + proceeds, item to winner)",
            carol.addr,
            address(house),
            abi.encodeCall(AuctionHouse.settle, (id))
        );
    }

    function _fixedAndGovernance() internal {
        _tick();
        uint256 id = house.nextListingId();
        vm.prank(alice.addr);
        house.createFixed(address(items), itemId + 1, 50 ether);
        _tick();
        _op("buy now (fixed price)", carol.addr, address(house), abi.encodeCall(AuctionHouse.buy, (id, 50 ether)));

        address[] memory targets = new address[](1);
        targets[0] = address(config);
        bytes[] memory calldatas = new bytes[](1);
        calldatas[0] = abi.encodeWithSignature("setMarketFeeBps(uint16)", uint16(300));
        vm.prank(alice.addr);
        uint256 proposalId = governor.propose(targets, new uint256[](1), calldatas, "bench");
        vm.warp(block.timestamp + governor.votingDelay() + 1);
        _op("castVote", bob.addr, address(governor), abi.encodeCall(governor.castVote, (proposalId, 1)));
    }

    function _forwarder() internal {
        _tick();
        uint256 direct = _op(
            "MRC transfer, direct", carol.addr, address(token), abi.encodeCall(token.transfer, (bob.addr, 1 ether))
        );
        _tick();
        ERC2771Forwarder.ForwardRequestData memory req = _forwardRequest(
            carol,
            address(token),
            abi.encodeCall(token.transfer, (bob.addr, 1 ether)),
            200_000,
            uint48(block.timestamp + 1 hours)
        );
        uint256 forwarded = _op(
            "MRC transfer through the forwarder (signed request)",
            makeAddr("relayer"),
            address(forwarder),
            abi.encodeCall(forwarder.execute, (req))
        );
        console.log(
            string.concat(
                "forwarder overhead: ",
                vm.toString(forwarded - direct),
                " exec gas (plus the signed request's calldata)"
            )
        );
    }

    function _targets() internal view {
        console.log(
            string.concat(
                "target item mint <= 60000 exec: first item ",
                vm.toString(mintNew),
                mintNew <= ITEM_MINT_TARGET ? " met" : " NOT met",
                "; holder has items ",
                vm.toString(mintExisting),
                mintExisting <= ITEM_MINT_TARGET ? " met" : " NOT met"
            )
        );
        console.log(
            string.concat(
                "target transfer <= OZ ERC20Votes: ",
                vm.toString(transferExisting),
                " vs ",
                vm.toString(ozTransferExisting),
                transferExisting <= ozTransferExisting ? " met" : " NOT met"
            )
        );
        console.log(
            string.concat(
                "target outbid <= 70000 exec: from the wallet ",
                vm.toString(outbidPull),
                outbidPull <= OUTBID_TARGET ? " met" : " NOT met",
                "; from credits ",
                vm.toString(outbidCredits),
                outbidCredits <= OUTBID_TARGET ? " met" : " NOT met"
            )
        );
    }
}
