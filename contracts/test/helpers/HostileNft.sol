// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";

/// @notice An ERC-721 that can be switched into hostile behaviour after listing: transfers out of the house revert,
/// and royaltyInfo either reverts, burns all gas, returns garbage, or names the zero receiver.
contract HostileNft is ERC721 {
    enum Royalty {
        Reverts,
        BurnsGas,
        Garbage,
        ZeroReceiver,
        Huge
    }

    bool public blockTransfers;
    /// Transfers out of the house answer with 1 MiB of return data instead of moving the item.
    bool public returnBomb;
    /// Transfers out of the house report success without moving the item.
    bool public lie;
    Royalty public royaltyMode;
    address public house;

    constructor() ERC721("Hostile", "HST") {}

    function mint(address to, uint256 id) external {
        _mint(to, id);
    }

    function setHostile(address house_, bool blockTransfers_, Royalty mode) external {
        house = house_;
        blockTransfers = blockTransfers_;
        royaltyMode = mode;
    }

    address public blockedReceiver;

    function setBlockedReceiver(address who) external {
        blockedReceiver = who;
    }

    function setDeceit(bool returnBomb_, bool lie_) external {
        returnBomb = returnBomb_;
        lie = lie_;
    }

    function transferFrom(address from, address to, uint256 tokenId) public override {
        if (from == house && house != address(0)) {
            if (returnBomb) {
                assembly {
                    return(0, 1048576)
                }
            }
            if (lie) return;
        }
        super.transferFrom(from, to, tokenId);
    }

    function _update(address to, uint256 tokenId, address auth) internal override returns (address) {
        address from = _ownerOf(tokenId);
        require(!(blockTransfers && from == house && house != address(0)), "HostileNft: blocked");
        require(to != blockedReceiver || to == address(0), "HostileNft: receiver refused");
        return super._update(to, tokenId, auth);
    }

    function royaltyInfo(uint256, uint256 price) external view returns (address, uint256) {
        if (royaltyMode == Royalty.Reverts) revert("no royalty for you");
        if (royaltyMode == Royalty.BurnsGas) {
            uint256 x;
            while (gasleft() > 100) x++;
            return (address(1), x);
        }
        if (royaltyMode == Royalty.Garbage) {
            assembly {
                mstore(0, 0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff)
                mstore(32, 1)
                return(0, 64)
            }
        }
        if (royaltyMode == Royalty.ZeroReceiver) return (address(0), price / 2);
        return (house, price * 10); // Huge: more than the price
    }
}

/// @notice An "ERC-721" whose transferFrom succeeds without moving anything.
contract LyingNft {
    function transferFrom(address, address, uint256) external {}

    function ownerOf(uint256) external pure returns (address) {
        return address(0xdead);
    }
}
