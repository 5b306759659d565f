//! The EVM suite deployed by the real deploy script onto a real anvil, read back through the manifest, checked for
//! its wiring, and used for a gasless sale: a buyer with zero ETH signs a permit and a forward request in Rust, a
//! relayer account submits them, and the sale's event and balances come out exact.

use alloy::{
    network::EthereumWallet,
    node_bindings::AnvilInstance,
    primitives::{B256, U256, aliases::U48},
    providers::{Provider, ProviderBuilder, ext::AnvilApi},
    signers::{SignerSync, local::PrivateKeySigner},
    sol_types::{SolEvent, SolStruct, eip712_domain},
};
use mercato_e2e::evm::deploy;
use mercato_evm_bindings::{
    AuctionHouse, ERC2771Forwarder, EconomyConfig, ForwardRequest, MercatoForwarder, MercatoGovernor, MercatoItems,
    MercatoToken, Permit, TimelockController,
};

const MRC: u128 = 1_000_000_000_000_000_000;

fn signer(anvil: &AnvilInstance, index: usize) -> PrivateKeySigner {
    PrivateKeySigner::from(anvil.keys()[index].clone())
}

#[tokio::test(flavor = "multi_thread")]
async fn deploy_script_wires_the_suite_and_a_zero_eth_user_buys_gaslessly() {
    let deployed = deploy(&[]);
    let anvil = &deployed.anvil;
    let evm = deployed.manifest.require_evm(&deployed.manifest_path).unwrap();
    let c = evm.contracts;
    let deployer = signer(anvil, 0);
    let seller = signer(anvil, 1);
    let buyer = signer(anvil, 2);
    let relayer = signer(anvil, 3);
    let url: alloy::transports::http::reqwest::Url = anvil.endpoint().parse().unwrap();
    let as_signer =
        |s: &PrivateKeySigner| ProviderBuilder::new().wallet(EthereumWallet::from(s.clone())).connect_http(url.clone());
    let provider = as_signer(&deployer);

    // ---- the manifest describes what is on chain
    assert_eq!(deployed.manifest.network, deployed.manifest_path.file_stem().unwrap().to_str().unwrap());
    assert_eq!(evm.chain_id, provider.get_chain_id().await.unwrap());
    assert_eq!(evm.deployer, deployer.address());
    assert_eq!(evm.rpc_url, anvil.endpoint());
    for (name, address) in c.named() {
        let code = provider.get_code_at(address).await.unwrap();
        assert!(!code.is_empty(), "{name} at {address} has no code");
    }

    // ---- wiring: the timelock governs, the deployer keeps no admin power
    let token = MercatoToken::new(c.token, &provider);
    let items = MercatoItems::new(c.items, &provider);
    let house = AuctionHouse::new(c.auction_house, &provider);
    let config = EconomyConfig::new(c.economy_config, &provider);
    let governor = MercatoGovernor::new(c.governor, &provider);
    let timelock = TimelockController::new(c.timelock, &provider);
    let admin_role = B256::ZERO;
    assert_eq!(config.owner().call().await.unwrap(), c.timelock);
    assert_eq!(config.token().call().await.unwrap(), c.token);
    assert_eq!(config.treasury().call().await.unwrap(), c.timelock);
    assert_eq!(token.config().call().await.unwrap(), c.economy_config);
    assert_eq!(token.cap().call().await.unwrap(), U256::from(1_000_000_000u128 * MRC));
    assert_eq!(governor.timelock().call().await.unwrap(), c.timelock);
    assert_eq!(governor.token().call().await.unwrap(), c.token);
    assert!(items.hasRole(admin_role, c.timelock).call().await.unwrap());
    assert!(!items.hasRole(admin_role, deployer.address()).call().await.unwrap());
    let minter_role = items.MINTER_ROLE().call().await.unwrap();
    assert!(items.hasRole(minter_role, deployer.address()).call().await.unwrap(), "game server defaults to deployer");
    let proposer_role = timelock.PROPOSER_ROLE().call().await.unwrap();
    assert!(timelock.hasRole(proposer_role, c.governor).call().await.unwrap());
    assert!(!timelock.hasRole(admin_role, deployer.address()).call().await.unwrap());
    assert!(token.isTrustedForwarder(c.forwarder).call().await.unwrap());
    assert!(items.isTrustedForwarder(c.forwarder).call().await.unwrap());
    assert!(house.isTrustedForwarder(c.forwarder).call().await.unwrap());
    assert!(governor.isTrustedForwarder(c.forwarder).call().await.unwrap());
    assert_eq!(governor.votingPeriod().call().await.unwrap(), U256::from(600), "MERCATO_GOV_FAST timings");

    // ---- a fixed-price listing by the seller
    let item_id = items.nextTokenId().call().await.unwrap();
    let attrs = MercatoItems::Attributes { class: 4, rarity: 3, power: 2_500 };
    items.mint(seller.address(), attrs).send().await.unwrap().get_receipt().await.unwrap();
    let seller_provider = as_signer(&seller);
    let seller_items = MercatoItems::new(c.items, &seller_provider);
    seller_items.setApprovalForAll(c.auction_house, true).send().await.unwrap().get_receipt().await.unwrap();
    let listing_id = house.nextListingId().call().await.unwrap();
    let price = 100 * MRC;
    let seller_house = AuctionHouse::new(c.auction_house, &seller_provider);
    seller_house
        .createFixed(c.items, item_id, alloy::primitives::Uint::from(price))
        .send()
        .await
        .unwrap()
        .get_receipt()
        .await
        .unwrap();
    assert_eq!(items.ownerOf(item_id).call().await.unwrap(), c.auction_house);

    // ---- the buyer holds MRC but no ETH, and signs a permit and a forward request
    token.transfer(buyer.address(), U256::from(1_000 * MRC)).send().await.unwrap().get_receipt().await.unwrap();
    provider.anvil_set_balance(buyer.address(), U256::ZERO).await.unwrap();
    let block = provider.get_block_number().await.unwrap();
    let now = provider.get_block_by_number(block.into()).await.unwrap().unwrap().header.timestamp;
    let deadline = U256::from(now + 3_600);
    let permit = Permit {
        owner: buyer.address(),
        spender: c.auction_house,
        value: U256::from(price),
        nonce: token.nonces(buyer.address()).call().await.unwrap(),
        deadline,
    };
    let token_domain =
        eip712_domain! { name: "Mercato", version: "1", chain_id: evm.chain_id, verifying_contract: c.token, };
    let permit_sig = buyer.sign_hash_sync(&permit.eip712_signing_hash(&token_domain)).unwrap();
    let buy_call = AuctionHouse::buyWithPermitCall {
        id: listing_id,
        maxPrice: alloy::primitives::Uint::from(price),
        permitValue: U256::from(price),
        deadline,
        v: 27 + permit_sig.v() as u8,
        r: permit_sig.r().into(),
        s: permit_sig.s().into(),
    };
    let data = alloy::sol_types::SolCall::abi_encode(&buy_call);
    let forwarder = MercatoForwarder::new(c.forwarder, &provider);
    let request = ForwardRequest {
        from: buyer.address(),
        to: c.auction_house,
        value: U256::ZERO,
        gas: U256::from(600_000),
        nonce: forwarder.nonces(buyer.address()).call().await.unwrap(),
        deadline: U48::from(now + 3_600),
        data: data.into(),
    };
    let forwarder_domain = eip712_domain! {
        name: "MercatoForwarder", version: "1", chain_id: evm.chain_id, verifying_contract: c.forwarder,
    };
    let request_sig = buyer.sign_hash_sync(&request.eip712_signing_hash(&forwarder_domain)).unwrap();
    let request_data = request.clone().with_signature(request_sig.as_bytes().to_vec());
    assert!(forwarder.verify(request_data.clone()).call().await.unwrap(), "the forwarder accepts the signature");

    // ---- the relayer submits and pays
    let relayer_provider = as_signer(&relayer);
    let relayer_forwarder = MercatoForwarder::new(c.forwarder, &relayer_provider);
    // Simulate first (as a relayer does), then send with room above the request's own gas: the forwarder refuses
    // to run a request with less gas than the user signed for.
    let simulated = relayer_forwarder.execute(request_data.clone()).call().await;
    assert!(simulated.is_ok(), "simulation of the forwarded purchase failed: {simulated:?}");
    let receipt =
        relayer_forwarder.execute(request_data).gas(1_000_000).send().await.unwrap().get_receipt().await.unwrap();
    assert!(receipt.status(), "forwarded purchase reverted");
    assert_eq!(receipt.from, relayer.address());

    let sale = receipt
        .inner
        .logs()
        .iter()
        .find_map(|log| AuctionHouse::Sale::decode_log(&log.inner).ok())
        .expect("a Sale event");
    assert_eq!(sale.id, listing_id);
    assert_eq!(sale.buyer, buyer.address());
    assert_eq!(sale.seller, seller.address());
    assert_eq!(sale.price, U256::from(price));
    assert_eq!(sale.fee, U256::from(price * 250 / 10_000));
    assert_eq!(sale.royalty, U256::from(price * 500 / 10_000));
    assert_eq!(sale.royaltyReceiver, deployer.address());
    assert_eq!(items.ownerOf(item_id).call().await.unwrap(), buyer.address());
    assert_eq!(token.balanceOf(seller.address()).call().await.unwrap(), sale.price - sale.fee - sale.royalty);
    assert_eq!(token.balanceOf(buyer.address()).call().await.unwrap(), U256::from(900 * MRC));
    assert_eq!(provider.get_balance(buyer.address()).await.unwrap(), U256::ZERO, "the buyer never needed ETH");
    let stored = items.attributes(item_id).call().await.unwrap();
    assert_eq!((stored.class, stored.rarity, stored.power), (4, 3, 2_500));

    // ---- the same request cannot be replayed
    let replay = ERC2771Forwarder::ForwardRequestData {
        from: request.from,
        to: request.to,
        value: request.value,
        gas: request.gas,
        deadline: request.deadline,
        data: request.data,
        signature: request_sig.as_bytes().to_vec().into(),
    };
    assert!(!forwarder.verify(replay).call().await.unwrap(), "a used request no longer verifies");
}
