// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ERC20Votes} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Votes.sol";
import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {ERC2771Context} from "@openzeppelin/contracts/metatx/ERC2771Context.sol";
import {Context} from "@openzeppelin/contracts/utils/Context.sol";

/// @notice Plain OpenZeppelin ERC20Votes (with permit, timestamp clock like ours), the benchmark's baseline.
contract OzVotesToken is ERC20, ERC20Permit, ERC20Votes {
    constructor(address holder, uint256 supply) ERC20("OZ Votes", "OZV") ERC20Permit("OZ Votes") {
        _mint(holder, supply);
    }

    function clock() public view override returns (uint48) {
        return uint48(block.timestamp);
    }

    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() public pure override returns (string memory) {
        return "mode=timestamp";
    }

    function _update(address from, address to, uint256 value) internal override(ERC20, ERC20Votes) {
        super._update(from, to, value);
    }

    function nonces(address owner) public view override(ERC20Permit, Nonces) returns (uint256) {
        return super.nonces(owner);
    }
}

/// @notice Plain OpenZeppelin ERC721 with an open sequential mint, the benchmark's baseline.
contract OzItems is ERC721 {
    uint256 public next = 1;

    constructor() ERC721("OZ Items", "OZI") {}

    function mint(address to) external returns (uint256 id) {
        id = next++;
        _mint(to, id);
    }
}

/// @notice The same baseline plus ERC2771Context, to show what trusting a forwarder costs on every call.
contract OzVotesToken2771 is OzVotesToken, ERC2771Context {
    constructor(address holder, uint256 supply, address forwarder)
        OzVotesToken(holder, supply)
        ERC2771Context(forwarder)
    {}

    function _msgSender() internal view override(Context, ERC2771Context) returns (address) {
        return ERC2771Context._msgSender();
    }

    function _msgData() internal view override(Context, ERC2771Context) returns (bytes calldata) {
        return ERC2771Context._msgData();
    }

    function _contextSuffixLength() internal view override(Context, ERC2771Context) returns (uint256) {
        return ERC2771Context._contextSuffixLength();
    }
}
