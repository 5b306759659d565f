// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {ERC721} from "solady/tokens/ERC721.sol";
import {LibString} from "solady/utils/LibString.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ERC2771Context} from "@openzeppelin/contracts/metatx/ERC2771Context.sol";
import {Context} from "@openzeppelin/contracts/utils/Context.sol";
import {IERC2981} from "@openzeppelin/contracts/interfaces/IERC2981.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {IEconomyConfig} from "../config/IEconomyConfig.sol";

/// @title MercatoItems
/// @notice Game items as ERC-721 tokens with on-chain attributes (class, rarity, power), a collection-wide ERC-2981
/// royalty capped by governance, minting by MINTER_ROLE (the game server or a rewards contract), burning by the
/// owner or an approved operator, and `tokenURI` = base URI + id.
/// @dev Attributes are packed into the 96 spare bits of each token's ownership slot (Solady ERC721 "extra data"), so
/// a mint writes two slots (owner+attributes, balance) instead of three. Solady's public entry points use msg.sender;
/// they are overridden here to use {_msgSender} so approvals and transfers work through the ERC-2771 forwarder.
/// One difference remains: a `safeTransferFrom` sent through the forwarder calls `onERC721Received` with the
/// forwarder as `operator` (Solady passes msg.sender); `from` is the user as usual.
contract MercatoItems is ERC721, AccessControl, ERC2771Context, IERC2981 {
    /// @notice May mint items.
    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");
    /// @notice Highest rarity tier (0 common .. 4 legendary).
    uint8 public constant MAX_RARITY = 4;
    uint16 private constant BPS = 10_000;

    /// @notice On-chain game attributes of an item.
    struct Attributes {
        uint16 class; // game-defined item class (sword, shield, …); prices are aggregated per class
        uint8 rarity; // 0..MAX_RARITY
        uint32 power; // game-defined strength
    }

    /// @notice Collection-wide royalty, one slot.
    struct Royalty {
        address receiver;
        uint16 bps;
    }

    /// @notice Source of the royalty cap.
    IEconomyConfig public immutable config;
    /// @notice Id the next mint receives (ids start at 1).
    uint256 public nextTokenId = 1;
    Royalty private _royalty;
    string private _baseTokenURI;

    /// @notice Item `id` was minted to `to` with the given attributes.
    event ItemMinted(uint256 indexed id, address indexed to, uint16 class, uint8 rarity, uint32 power);
    /// @notice The collection royalty changed.
    event RoyaltyChanged(address indexed receiver, uint16 bps);
    /// @notice The base URI changed.
    event BaseURIChanged(string baseURI);

    /// @notice `rarity` is above {MAX_RARITY}.
    error MercatoItemsInvalidRarity(uint8 rarity);
    /// @notice `bps` is above the governance royalty cap `cap`.
    error MercatoItemsRoyaltyAboveCap(uint16 bps, uint16 cap);
    /// @notice A royalty with a non-zero rate needs a receiver.
    error MercatoItemsZeroRoyaltyReceiver();
    /// @notice The ERC-721 entry points are payable in the standard, but this collection takes no ether.
    error MercatoItemsNoEther();

    /// @param admin holder of DEFAULT_ADMIN_ROLE (the governance timelock)
    /// @param minter initial MINTER_ROLE holder (the game server); zero for none
    constructor(
        IEconomyConfig config_,
        address forwarder,
        address admin,
        address minter,
        address royaltyReceiver,
        uint16 royaltyBps,
        string memory baseURI_
    ) ERC2771Context(forwarder) {
        config = config_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        if (minter != address(0)) _grantRole(MINTER_ROLE, minter);
        _setRoyalty(royaltyReceiver, royaltyBps);
        _baseTokenURI = baseURI_;
    }

    // ---------------------------------------------------------------- metadata

    /// @notice Collection name.
    function name() public pure override returns (string memory) {
        return "Mercato Items";
    }

    /// @notice Collection symbol.
    function symbol() public pure override returns (string memory) {
        return "MITEM";
    }

    /// @notice Base URI + decimal id. Requirements: `id` exists.
    function tokenURI(uint256 id) public view override returns (string memory) {
        if (!_exists(id)) revert TokenDoesNotExist();
        return string.concat(_baseTokenURI, LibString.toString(id));
    }

    /// @notice The attributes of item `id`. Requirements: `id` exists.
    function attributes(uint256 id) public view returns (Attributes memory) {
        if (!_exists(id)) revert TokenDoesNotExist();
        return _unpack(_getExtraData(id));
    }

    // ---------------------------------------------------------------- mint / burn

    /// @notice Mints a new item to `to`. Does not call `onERC721Received`: mint to accounts that can hold items.
    /// Requirements: caller has MINTER_ROLE; `to` non-zero; `attrs.rarity` <= {MAX_RARITY}.
    /// Emits {Transfer} and {ItemMinted}.
    /// @return id the new item's id
    function mint(address to, Attributes calldata attrs) external onlyRole(MINTER_ROLE) returns (uint256 id) {
        if (attrs.rarity > MAX_RARITY) revert MercatoItemsInvalidRarity(attrs.rarity);
        id = nextTokenId;
        // Ids are sequential from 1; 2^256 mints cannot happen.
        unchecked {
            nextTokenId = id + 1;
        }
        _mintAndSetExtraDataUnchecked(to, id, _pack(attrs));
        emit ItemMinted(id, to, attrs.class, attrs.rarity, attrs.power);
    }

    /// @notice Destroys item `id` (a sink for crafting, upgrades, …).
    /// Requirements: caller owns `id` or is approved for it. Emits {Transfer} to the zero address.
    function burn(uint256 id) external {
        _burn(_msgSender(), id);
    }

    // ---------------------------------------------------------------- royalties

    /// @notice ERC-2981: the collection royalty, limited to the governance cap in force at the time of the query.
    function royaltyInfo(uint256, uint256 salePrice) external view returns (address receiver, uint256 amount) {
        Royalty memory r = _royalty;
        uint16 cap = config.royaltyCapBps();
        uint16 bps = r.bps < cap ? r.bps : cap;
        return (r.receiver, salePrice * bps / BPS);
    }

    /// @notice The configured royalty (before the live cap is applied).
    function royalty() external view returns (Royalty memory) {
        return _royalty;
    }

    /// @notice Sets the collection royalty.
    /// Requirements: caller has DEFAULT_ADMIN_ROLE; `bps` <= the config's royalty cap; receiver non-zero if bps > 0.
    /// Emits {RoyaltyChanged}.
    function setRoyalty(address receiver, uint16 bps) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setRoyalty(receiver, bps);
    }

    /// @notice Sets the base of every token URI. Requirements: DEFAULT_ADMIN_ROLE. Emits {BaseURIChanged}.
    function setBaseURI(string calldata baseURI_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _baseTokenURI = baseURI_;
        emit BaseURIChanged(baseURI_);
    }

    function _setRoyalty(address receiver, uint16 bps) private {
        uint16 cap = config.royaltyCapBps();
        if (bps > cap) revert MercatoItemsRoyaltyAboveCap(bps, cap);
        if (bps > 0 && receiver == address(0)) revert MercatoItemsZeroRoyaltyReceiver();
        _royalty = Royalty(receiver, bps);
        emit RoyaltyChanged(receiver, bps);
    }

    // ---------------------------------------------------------------- ERC-721 entry points via _msgSender

    /// @inheritdoc ERC721
    function approve(address account, uint256 id) public payable override {
        _refuseEther();
        _approve(_msgSender(), account, id);
    }

    /// @inheritdoc ERC721
    function setApprovalForAll(address operator, bool isApproved) public override {
        _setApprovalForAll(_msgSender(), operator, isApproved);
    }

    /// @inheritdoc ERC721
    function transferFrom(address from, address to, uint256 id) public payable override {
        _refuseEther();
        _transfer(_msgSender(), from, to, id);
    }

    /// @inheritdoc ERC721
    function safeTransferFrom(address from, address to, uint256 id) public payable override {
        _refuseEther();
        _safeTransfer(_msgSender(), from, to, id, "");
    }

    /// @inheritdoc ERC721
    function safeTransferFrom(address from, address to, uint256 id, bytes calldata data) public payable override {
        _refuseEther();
        _safeTransfer(_msgSender(), from, to, id, data);
    }

    /// @notice ERC-165: ERC-721, ERC-721 Metadata, ERC-2981, AccessControl.
    function supportsInterface(bytes4 interfaceId) public view override(ERC721, AccessControl, IERC165) returns (bool) {
        return interfaceId == type(IERC2981).interfaceId || ERC721.supportsInterface(interfaceId)
            || AccessControl.supportsInterface(interfaceId);
    }

    // ---------------------------------------------------------------- packing and plumbing

    function _refuseEther() private view {
        if (msg.value != 0) revert MercatoItemsNoEther();
    }

    function _pack(Attributes calldata a) private pure returns (uint96) {
        return (uint96(a.class) << 40) | (uint96(a.rarity) << 32) | uint96(a.power);
    }

    function _unpack(uint96 packed) private pure returns (Attributes memory) {
        // Truncation is the point: each cast takes exactly the bit field {_pack} wrote (16 | 8 | 32 bits).
        // forge-lint: disable-next-line(unsafe-typecast)
        return Attributes(uint16(packed >> 40), uint8(packed >> 32), uint32(packed));
    }

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
