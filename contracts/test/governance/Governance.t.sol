// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {MercatoFixture} from "../helpers/MercatoFixture.sol";
import {EconomyConfig} from "../../src/config/EconomyConfig.sol";

/// @notice The whole governance path on the deployed wiring: delegate -> propose -> vote -> queue -> execute.
contract GovernanceTest is MercatoFixture {
    address[] internal targets;
    uint256[] internal values;
    bytes[] internal calldatas;
    string internal constant DESCRIPTION = "Raise the market fee to 5%";

    function setUp() public override {
        super.setUp();
        targets.push(address(config));
        values.push(0);
        calldatas.push(abi.encodeCall(EconomyConfig.setMarketFeeBps, (500)));
        vm.warp(block.timestamp + 1); // votes are read at a past timepoint
    }

    function _propose(address proposer) internal returns (uint256 id) {
        vm.prank(proposer);
        id = governor.propose(targets, values, calldatas, DESCRIPTION);
    }

    function _ballotDigest(uint256 proposalId, uint8 support, address voter) internal view returns (bytes32) {
        bytes32 structHash =
            keccak256(abi.encode(governor.BALLOT_TYPEHASH(), proposalId, support, voter, governor.nonces(voter)));
        bytes32 domain = _domainOf(address(governor));
        return keccak256(abi.encodePacked("\x19\x01", domain, structHash));
    }

    function test_settingsAndWiring() public view {
        assertEq(governor.votingDelay(), 1 days);
        assertEq(governor.votingPeriod(), 5 days);
        assertEq(governor.proposalThreshold(), 100_000 ether);
        assertEq(governor.quorumNumerator(), 4);
        assertEq(governor.lateQuorumVoteExtension(), 1 days);
        assertEq(governor.timelock(), address(timelock));
        assertEq(address(governor.token()), address(token));
        assertTrue(timelock.hasRole(timelock.PROPOSER_ROLE(), address(governor)));
        assertTrue(timelock.hasRole(timelock.CANCELLER_ROLE(), address(governor)));
        assertTrue(timelock.hasRole(timelock.EXECUTOR_ROLE(), address(0)));
        assertFalse(timelock.hasRole(timelock.DEFAULT_ADMIN_ROLE(), address(this)), "deployer kept no admin power");
        assertTrue(timelock.hasRole(timelock.DEFAULT_ADMIN_ROLE(), address(timelock)));
        assertEq(timelock.getMinDelay(), 2 days);
        assertEq(governor.CLOCK_MODE(), "mode=timestamp");
    }

    function test_lifecycle_feeChangeReachesTheNextSale() public {
        // delegate: a wallet that delegated elsewhere by signature (gasless) moves its votes
        uint256 key = 0xD15C;
        address delegator = vm.addr(key);
        _fund(delegator, 50_000 ether);
        bytes32 delegationHash = keccak256(
            abi.encode(
                keccak256("Delegation(address delegatee,uint256 nonce,uint256 expiry)"),
                alice.addr,
                token.nonces(delegator),
                block.timestamp + 1 hours
            )
        );
        (uint8 dv, bytes32 dr, bytes32 ds) =
            vm.sign(key, keccak256(abi.encodePacked("\x19\x01", token.DOMAIN_SEPARATOR(), delegationHash)));
        token.delegateBySig(alice.addr, token.nonces(delegator), block.timestamp + 1 hours, dv, dr, ds);
        assertEq(token.delegates(delegator), alice.addr);
        assertEq(token.getVotes(alice.addr), FUNDS + 50_000 ether);
        vm.warp(block.timestamp + 1);

        // propose
        uint256 id = _propose(alice.addr);
        assertEq(uint8(governor.state(id)), uint8(IGovernor.ProposalState.Pending));
        vm.warp(block.timestamp + governor.votingDelay() + 1);
        assertEq(uint8(governor.state(id)), uint8(IGovernor.ProposalState.Active));

        // vote: the game treasury directly, bob by signature (submitted by anyone), carol against
        vm.prank(game);
        governor.castVote(id, 1);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(bob.key, _ballotDigest(id, 1, bob.addr));
        governor.castVoteBySig(id, 1, bob.addr, abi.encodePacked(r, s, v));
        vm.prank(carol.addr);
        governor.castVote(id, 0);
        (uint256 against, uint256 forVotes,) = governor.proposalVotes(id);
        assertEq(forVotes, token.getVotes(game) + FUNDS);
        assertEq(against, FUNDS);
        assertTrue(governor.hasVoted(id, bob.addr));

        // queue
        vm.warp(governor.proposalDeadline(id) + 1);
        assertEq(uint8(governor.state(id)), uint8(IGovernor.ProposalState.Succeeded));
        governor.queue(targets, values, calldatas, keccak256(bytes(DESCRIPTION)));
        assertEq(uint8(governor.state(id)), uint8(IGovernor.ProposalState.Queued));

        // execute: not before the timelock delay
        vm.expectRevert();
        governor.execute(targets, values, calldatas, keccak256(bytes(DESCRIPTION)));
        vm.warp(block.timestamp + timelock.getMinDelay());
        governor.execute(targets, values, calldatas, keccak256(bytes(DESCRIPTION)));
        assertEq(uint8(governor.state(id)), uint8(IGovernor.ProposalState.Executed));
        assertEq(config.marketFeeBps(), 500);

        // the next sale pays the new fee
        address seller = makeAddr("seller");
        (uint256 listingId,) = _listFixed(seller, 100 ether);
        _approveHouse(carol.addr);
        uint256 treasuryBefore = token.balanceOf(address(timelock));
        vm.prank(carol.addr);
        house.buy(listingId, 100 ether);
        assertEq(token.balanceOf(address(timelock)) - treasuryBefore, 5 ether);
        assertEq(token.balanceOf(seller), 100 ether - 5 ether - 5 ether);
    }

    function test_defeatedWithoutQuorum() public {
        uint256 id = _propose(alice.addr);
        vm.warp(block.timestamp + governor.votingDelay() + 1);
        vm.prank(alice.addr);
        governor.castVote(id, 1); // 1M of the 4M quorum
        vm.warp(governor.proposalDeadline(id) + 1);
        assertEq(uint8(governor.state(id)), uint8(IGovernor.ProposalState.Defeated));
        vm.expectRevert();
        governor.queue(targets, values, calldatas, keccak256(bytes(DESCRIPTION)));
    }

    function test_proposerBelowThreshold_reverts() public {
        address small = makeAddr("small");
        _fund(small, 99_999 ether);
        vm.warp(block.timestamp + 1);
        vm.prank(small);
        vm.expectRevert(
            abi.encodeWithSelector(
                IGovernor.GovernorInsufficientProposerVotes.selector, small, 99_999 ether, 100_000 ether
            )
        );
        governor.propose(targets, values, calldatas, DESCRIPTION);
    }

    function test_lateQuorumExtendsTheDeadline() public {
        uint256 id = _propose(alice.addr);
        uint256 deadline = governor.proposalDeadline(id);
        vm.warp(deadline - 10);
        vm.prank(game);
        governor.castVote(id, 1); // quorum reached 10 s before the end
        assertEq(governor.proposalDeadline(id), block.timestamp + 1 days);
        vm.warp(deadline + 1);
        assertEq(uint8(governor.state(id)), uint8(IGovernor.ProposalState.Active), "still open after the old deadline");
    }

    function test_onlyTheTimelockChangesParameters() public {
        vm.prank(address(governor));
        vm.expectRevert();
        config.setMarketFeeBps(1);
        // Nobody can schedule on the timelock directly: only the governor proposes.
        vm.prank(game);
        vm.expectRevert();
        timelock.schedule(address(config), 0, calldatas[0], bytes32(0), bytes32(0), 2 days);
    }

    function test_doubleVote_reverts() public {
        uint256 id = _propose(alice.addr);
        vm.warp(block.timestamp + governor.votingDelay() + 1);
        vm.startPrank(alice.addr);
        governor.castVote(id, 1);
        vm.expectRevert(abi.encodeWithSelector(IGovernor.GovernorAlreadyCastVote.selector, alice.addr));
        governor.castVote(id, 1);
        vm.stopPrank();
    }

    function test_votesBoughtAfterTheSnapshotDoNotCount() public {
        uint256 id = _propose(alice.addr);
        vm.warp(block.timestamp + governor.votingDelay() + 1);
        address late = makeAddr("late");
        _fund(late, 10_000_000 ether);
        vm.prank(late);
        governor.castVote(id, 1);
        (, uint256 forVotes,) = governor.proposalVotes(id);
        assertEq(forVotes, 0);
    }

    function test_proposerCancelsBeforeVoting() public {
        uint256 id = _propose(alice.addr);
        vm.prank(bob.addr);
        vm.expectRevert(); // only the proposer, and only while pending
        governor.cancel(targets, values, calldatas, keccak256(bytes(DESCRIPTION)));
        vm.prank(alice.addr);
        governor.cancel(targets, values, calldatas, keccak256(bytes(DESCRIPTION)));
        assertEq(uint8(governor.state(id)), uint8(IGovernor.ProposalState.Canceled));
    }

    function test_proposeAndVoteThroughTheForwarder() public {
        uint48 deadline = uint48(block.timestamp + 10 days);
        vm.prank(makeAddr("relayer"));
        forwarder.execute(
            _forwardRequest(
                alice,
                address(governor),
                abi.encodeCall(governor.propose, (targets, values, calldatas, DESCRIPTION)),
                1_000_000,
                deadline
            )
        );
        uint256 id = governor.hashProposal(targets, values, calldatas, keccak256(bytes(DESCRIPTION)));
        assertEq(governor.proposalProposer(id), alice.addr, "the signer, not the relayer, is the proposer");
        vm.warp(block.timestamp + governor.votingDelay() + 1);
        vm.prank(makeAddr("relayer"));
        forwarder.execute(
            _forwardRequest(bob, address(governor), abi.encodeCall(governor.castVote, (id, 1)), 500_000, deadline)
        );
        assertTrue(governor.hasVoted(id, bob.addr));
    }
}
