// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

import {Vm} from "forge-std/Vm.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {EconomyConfig} from "../src/config/EconomyConfig.sol";
import {IEconomyConfig, IEmissionSource} from "../src/config/IEconomyConfig.sol";
import {MercatoToken} from "../src/token/MercatoToken.sol";
import {MercatoItems} from "../src/items/MercatoItems.sol";
import {AuctionHouse} from "../src/market/AuctionHouse.sol";
import {MercatoGovernor} from "../src/governance/MercatoGovernor.sol";
import {MercatoForwarder} from "../src/metatx/MercatoForwarder.sol";

/// @title MercatoDeployment
/// @notice Deploys and wires the whole EVM suite; shared by script/Deploy.s.sol and the tests so both run the exact
/// same wiring. After {deploy}: the timelock owns the config and administers the items, the governor is the
/// timelock's only proposer and canceller, anyone may execute a ready operation, and the deployer holds no role.
/// Tokens are not roles: the genesis holder has 10% of the cap (all of the initial supply) and so decides votes
/// until it distributes them; give the genesis supply to a distribution or vesting contract or a multisig on a
/// real network (contracts are not auto-delegated, so their balance carries no votes).
library MercatoDeployment {
    Vm private constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    /// @notice Everything a deployment can be tuned with (amounts in base units, times in seconds).
    struct Settings {
        address genesisHolder;
        uint256 genesisSupply;
        uint256 cap;
        address emissionRecipient;
        uint96 emissionRate;
        uint96 maxEmissionRate;
        IEconomyConfig.MarketParams market;
        address minter;
        address royaltyReceiver;
        uint16 royaltyBps;
        string baseURI;
        uint256 timelockDelay;
        MercatoGovernor.Params governor;
    }

    /// @notice The deployed contracts.
    struct Deployment {
        MercatoForwarder forwarder;
        TimelockController timelock;
        EconomyConfig config;
        MercatoToken token;
        MercatoItems items;
        AuctionHouse house;
        MercatoGovernor governor;
    }

    /// @notice Sensible production-shaped defaults; `holder` gets the genesis supply, mints and royalties.
    function defaults(address holder) internal pure returns (Settings memory s) {
        s.genesisHolder = holder;
        s.genesisSupply = 100_000_000 ether; // 10% of the cap
        s.cap = 1_000_000_000 ether;
        s.emissionRecipient = holder;
        s.emissionRate = 1 ether; // 1 MRC per second, ~31.5M per year
        s.maxEmissionRate = 100 ether;
        s.market = IEconomyConfig.MarketParams({
            marketFeeBps: 250,
            royaltyCapBps: 1_000,
            minBidIncrementBps: 500,
            antiSnipeBuffer: 5 minutes,
            minAuctionDuration: 10 minutes,
            maxAuctionDuration: 30 days
        });
        s.minter = holder;
        s.royaltyReceiver = holder;
        s.royaltyBps = 500;
        s.baseURI = "https://items.mercato.example/";
        s.timelockDelay = 2 days;
        s.governor = MercatoGovernor.Params({
            votingDelay: 1 days,
            votingPeriod: 5 days,
            proposalThreshold: 100_000 ether,
            quorumPercent: 4,
            lateQuorumExtension: 1 days
        });
    }

    /// @notice Deploys the suite from `deployer` (the account whose nonce the CREATEs use: the broadcaster in a
    /// script, the test contract in a test).
    function deploy(Settings memory s, address deployer) internal returns (Deployment memory d) {
        d.forwarder = new MercatoForwarder();
        d.timelock = new TimelockController(s.timelockDelay, new address[](0), _anyone(), deployer);
        // The config and the token reference each other; the config is created first with the token's address,
        // which is the next CREATE address after the config's.
        address predictedToken = vm.computeCreateAddress(deployer, vm.getNonce(deployer) + 1);
        d.config = new EconomyConfig(
            address(d.timelock),
            IEmissionSource(predictedToken),
            address(d.timelock),
            s.market,
            IEconomyConfig.Emission({recipient: s.emissionRecipient, ratePerSecond: s.emissionRate}),
            s.maxEmissionRate
        );
        d.token = new MercatoToken(d.config, address(d.forwarder), s.genesisHolder, s.genesisSupply, s.cap);
        require(address(d.token) == predictedToken, "MercatoDeployment: token address prediction failed");
        d.items = new MercatoItems(
            d.config, address(d.forwarder), address(d.timelock), s.minter, s.royaltyReceiver, s.royaltyBps, s.baseURI
        );
        d.house = new AuctionHouse(d.token, d.config, address(d.forwarder));
        d.governor = new MercatoGovernor(IVotes(address(d.token)), d.timelock, address(d.forwarder), s.governor);

        d.timelock.grantRole(d.timelock.PROPOSER_ROLE(), address(d.governor));
        d.timelock.grantRole(d.timelock.CANCELLER_ROLE(), address(d.governor));
        d.timelock.renounceRole(d.timelock.DEFAULT_ADMIN_ROLE(), deployer);
    }

    function _anyone() private pure returns (address[] memory executors) {
        executors = new address[](1); // address(0): anyone may execute an operation once it is ready
    }
}
