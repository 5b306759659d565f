// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {Script, console} from "forge-std/Script.sol";
import {MercatoDeployment} from "./MercatoDeployment.sol";

/// @title Deploy
/// @notice Deploys the Mercato EVM suite and writes the deployment manifest.
///
/// Environment:
///   PRIVATE_KEY            deployer key (required)
///   MERCATO_NETWORK        manifest name, default "localnet" -> <repo>/deployments/<network>.json
///   MERCATO_EVM_RPC_URL    RPC URL recorded in the manifest, default http://127.0.0.1:8545
///   MERCATO_GAME_SERVER    minter and royalty receiver (default: the deployer, on chain 31337 only)
///   MERCATO_GENESIS_HOLDER receives the 100M genesis supply (default: the deployer, on chain 31337 only)
///   MERCATO_EMISSION_RECIPIENT receives the emission (default: the genesis holder)
///   MERCATO_GOV_FAST=1     short governance timings for local development (delay 1 s, period 10 min,
///                          timelock 2 min, late-quorum extension 2 min, threshold 1 MRC)
///
/// The manifest's "deployBlock" is the chain's block number when the script started: the first deployment
/// transaction is in that block or a later one, so indexers may start scanning there.
contract Deploy is Script {
    function run() external returns (MercatoDeployment.Deployment memory d) {
        uint256 key = vm.envUint("PRIVATE_KEY");
        address deployer = vm.addr(key);
        string memory network = vm.envOr("MERCATO_NETWORK", string("localnet"));
        string memory rpcUrl = vm.envOr("MERCATO_EVM_RPC_URL", string("http://127.0.0.1:8545"));
        // Whoever holds the genesis supply controls governance until it is distributed, and the game server mints
        // items: outside a local chain these must be chosen on purpose, never defaulted to the deploying key.
        bool local = block.chainid == 31337;
        address gameServer = _role("MERCATO_GAME_SERVER", deployer, local);
        address genesisHolder = _role("MERCATO_GENESIS_HOLDER", deployer, local);

        MercatoDeployment.Settings memory s = MercatoDeployment.defaults(genesisHolder);
        s.emissionRecipient = vm.envOr("MERCATO_EMISSION_RECIPIENT", genesisHolder);
        s.minter = gameServer;
        s.royaltyReceiver = gameServer;
        if (vm.envOr("MERCATO_GOV_FAST", false)) {
            s.timelockDelay = 2 minutes;
            s.governor.votingDelay = 1;
            s.governor.votingPeriod = 10 minutes;
            s.governor.lateQuorumExtension = 2 minutes;
            s.governor.proposalThreshold = 1 ether;
        }

        uint256 deployBlock = block.number;
        vm.startBroadcast(key);
        d = MercatoDeployment.deploy(s, deployer);
        vm.stopBroadcast();

        _writeManifest(network, rpcUrl, deployBlock, deployer, d);
    }

    function _role(string memory name, address localDefault, bool local) private view returns (address) {
        if (local) return vm.envOr(name, localDefault);
        require(vm.envExists(name), string.concat("Deploy: set ", name, " (no default outside a local chain)"));
        return vm.envAddress(name);
    }

    function _writeManifest(
        string memory network,
        string memory rpcUrl,
        uint256 deployBlock,
        address deployer,
        MercatoDeployment.Deployment memory d
    ) private {
        string memory c = "contracts";
        vm.serializeAddress(c, "forwarder", address(d.forwarder));
        vm.serializeAddress(c, "timelock", address(d.timelock));
        vm.serializeAddress(c, "economyConfig", address(d.config));
        vm.serializeAddress(c, "token", address(d.token));
        vm.serializeAddress(c, "items", address(d.items));
        vm.serializeAddress(c, "auctionHouse", address(d.house));
        string memory contracts = vm.serializeAddress(c, "governor", address(d.governor));

        string memory e = "evm";
        vm.serializeUint(e, "chainId", block.chainid);
        vm.serializeString(e, "rpcUrl", rpcUrl);
        vm.serializeUint(e, "deployBlock", deployBlock);
        vm.serializeAddress(e, "deployer", deployer);
        string memory evm = vm.serializeString(e, "contracts", contracts);

        string memory m = "manifest";
        vm.serializeString(m, "network", network);
        string memory manifest = vm.serializeString(m, "evm", evm);

        string memory path = string.concat(vm.projectRoot(), "/../deployments/", network, ".json");
        vm.writeJson(manifest, path);
        console.log("manifest written to", path);
    }
}
