// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

/// @notice Bench-only (never deployed by the deploy script): emits MercatoToken's `Transfer` and
/// `DelegateVotesChanged` in bulk. The indexer's backfill benchmark (indexer/examples/backfill_bench.rs) puts this
/// runtime code at the suite token's address with `anvil_setCode`, so the indexer reads these logs exactly as the
/// token's.
contract BenchEmitter {
    /// @dev Same signature as MercatoToken's (ERC-20).
    event Transfer(address indexed from, address indexed to, uint256 value);
    /// @dev Same signature as MercatoToken's (ERC20Votes).
    event DelegateVotesChanged(address indexed delegate, uint256 previousVotes, uint256 newVotes);

    /// @notice Emits `count` transfers numbered from `start` between `accounts` synthetic accounts, and a
    /// `DelegateVotesChanged` for every 8th.
    function emitBulk(uint256 start, uint256 count, uint256 accounts) external {
        uint256 end = start + count;
        for (uint256 i = start; i < end; ++i) {
            address from = address(uint160(0x10000 + (i % accounts)));
            address to = address(uint160(0x10000 + ((i * 7 + 1) % accounts)));
            emit Transfer(from, to, i + 1);
            if (i % 8 == 0) emit DelegateVotesChanged(to, i, i + 1);
        }
    }
}
