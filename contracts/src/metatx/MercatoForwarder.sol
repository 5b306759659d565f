// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {ERC2771Forwarder} from "@openzeppelin/contracts/metatx/ERC2771Forwarder.sol";

/// @title MercatoForwarder
/// @notice The ERC-2771 forwarder trusted by the Mercato token, items, auction house and governor. A relayer submits
/// a user's EIP-712 signed `ForwardRequest` (domain name "MercatoForwarder", version "1") and pays the gas; the
/// target sees the user as `_msgSender()`. Requests carry a nonce and a deadline; see OpenZeppelin's ERC2771Forwarder.
contract MercatoForwarder is ERC2771Forwarder {
    constructor() ERC2771Forwarder("MercatoForwarder") {}
}
