// The demo economy for a fresh local chain: a few users (wallet users = anvil development keys 2-4; custodial users
// signed up through the relayer), items with attributes, open auctions of every kind, completed sales, bids and an
// open proposal. Used by `./mercato stack` (after the deploy, once the relayer is up) and by the browser tests.
//
//   node scripts/seed.mjs --manifest ../deployments/localnet.json --relayer http://127.0.0.1:8787
//
// Runs only on a chain that has no listing yet (the auction house's nextListingId is 1): a second run on the same
// chain says so and changes nothing. Local chains only (chain id 31337): it spends anvil's well-known keys.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { createPublicClient, createWalletClient, defineChain, encodeFunctionData, http, keccak256, maxUint256, parseEther, toBytes } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'

const APP = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/**
 * anvil's development keys 0 (deployer, genesis holder, minter), 1 (the studio's second treasury account, which pays
 * carol) and 2-4 (the demo's wallet users).
 */
export const DEMO_KEYS = {
  deployer: '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
  studio: '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d',
  alice: '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a',
  bob: '0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6',
  carol: '0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a',
}
/** Custodial demo users (local stack only): they sign in with these in the app. */
export const DEMO_CUSTODIAL = [
  { name: 'dana', email: 'dana@mercato.local', password: 'dana demo password' },
  { name: 'eli', email: 'eli@mercato.local', password: 'eli demo password' },
]

function abis() {
  const file = join(APP, 'src', 'generated', 'abis.json')
  if (!existsSync(file)) execFileSync(process.execPath, [join(APP, 'scripts', 'gen-abis.mjs')], { cwd: APP, stdio: 'inherit' })
  return JSON.parse(readFileSync(file, 'utf8'))
}

async function signUp(relayerUrl, { email, password }) {
  const post = (path) =>
    fetch(`${relayerUrl}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email, password }),
    })
  let response = await post('/v1/auth/signup')
  if (response.status === 409) response = await post('/v1/auth/login') // made by an earlier seed on this relayer
  const body = await response.json()
  if (!response.ok) throw new Error(`sign-up of ${email}: ${response.status} ${JSON.stringify(body)}`)
  return { token: body.token, address: body.user.evm_address }
}

/**
 * Seeds the demo economy. `log` gets one line per phase. Resolves with who and what was made (the tests use it),
 * or with `{ skipped: true }` when the chain already has listings.
 */
export async function seed({ rpcUrl, manifest, relayerUrl, log = (line) => process.stderr.write(`${line}\n`) }) {
  const { tokenAbi, itemsAbi, auctionHouseAbi, governorAbi, economyConfigAbi } = abis()
  const evm = manifest.evm
  if (evm.chainId !== 31337) throw new Error(`the demo seed runs on local chains only (chain id ${evm.chainId})`)
  const c = evm.contracts
  const chain = defineChain({
    id: evm.chainId,
    name: 'anvil',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  })
  const client = createPublicClient({ chain, transport: http(rpcUrl), pollingInterval: 200 })
  const read = (address, abi, functionName, args = []) => client.readContract({ address, abi, functionName, args })
  if ((await read(c.auctionHouse, auctionHouseAbi, 'nextListingId')) !== 1n) {
    log('seed: this chain already has listings; the demo economy is not seeded again')
    return { skipped: true }
  }

  // One sender per key with its own nonce counter: a phase sends everything without waiting (explicit gas: an
  // estimate against the latest block would miss the phase's earlier transactions), then waits for all receipts.
  const senders = {}
  const sender = async (key) => {
    if (senders[key]) return senders[key]
    const account = privateKeyToAccount(key)
    const wallet = createWalletClient({ account, chain, transport: http(rpcUrl) })
    let nonce = await client.getTransactionCount({ address: account.address, blockTag: 'pending' })
    senders[key] = {
      address: account.address,
      send: (to, abi, functionName, args = []) =>
        wallet.sendTransaction({ to, data: encodeFunctionData({ abi, functionName, args }), gas: 1_500_000n, nonce: nonce++ }),
    }
    return senders[key]
  }
  const phase = async (name, build) => {
    const started = Date.now()
    const hashes = []
    await build(async (key, ...call) => hashes.push(await (await sender(key)).send(...call)))
    const receipts = await Promise.all(hashes.map((hash) => client.waitForTransactionReceipt({ hash, timeout: 60_000 })))
    const failed = receipts.filter((r) => r.status !== 'success')
    if (failed.length) throw new Error(`seed: ${name}: ${failed.length} transaction(s) reverted: ${failed.map((r) => r.transactionHash)}`)
    log(`seed: ${name} (${hashes.length} transactions, ${((Date.now() - started) / 1000).toFixed(1)} s)`)
  }

  const K = DEMO_KEYS
  const wallets = {}
  for (const name of ['alice', 'bob', 'carol']) wallets[name] = privateKeyToAccount(K[name]).address
  const custodial = []
  if (relayerUrl) {
    for (const user of DEMO_CUSTODIAL) custodial.push({ ...user, ...(await signUp(relayerUrl, user)) })
    log(`seed: custodial users signed up through the relayer: ${custodial.map((u) => u.email).join(', ')}`)
  }

  // Items: class (1 sword, 2 shield, 3 potion), rarity 0-4, power. Who gets which, in mint order.
  const firstItem = await read(c.items, itemsAbi, 'nextTokenId')
  const plan = [
    ['alice', 1, 2, 320], ['alice', 2, 1, 150], ['alice', 1, 3, 480], ['alice', 3, 0, 40],
    ['bob', 1, 4, 900], ['bob', 2, 2, 260], ['bob', 3, 1, 60],
    ['carol', 1, 0, 110], ['carol', 1, 1, 180], ['carol', 2, 0, 90],
    ...custodial.map((u, i) => [u.name, 2 + i, 1, 200 + 50 * i]),
  ]
  const items = {}
  plan.forEach(([owner], i) => (items[owner] ??= []).push(firstItem + BigInt(i)))
  const addressOf = (name) => wallets[name] ?? custodial.find((u) => u.name === name).address
  // Who first pays a user decides the indexer's `common_funder` wash rule: alice, bob and the custodial users are
  // paid by the deployer, carol by the studio's second account, so carol's sales to alice and bob are honest.
  const studio = privateKeyToAccount(K.studio).address
  await phase('MRC for every user, items minted', async (send) => {
    for (const name of ['alice', 'bob']) await send(K.deployer, c.token, tokenAbi, 'transfer', [wallets[name], parseEther('25000')])
    await send(K.deployer, c.token, tokenAbi, 'transfer', [studio, parseEther('25000')])
    for (const u of custodial) await send(K.deployer, c.token, tokenAbi, 'transfer', [u.address, parseEther('5000')])
    for (const [owner, klass, rarity, power] of plan) {
      await send(K.deployer, c.items, itemsAbi, 'mint', [addressOf(owner), { class: klass, rarity, power }])
    }
  })

  // Listings, in one sender's order per seller; their ids are read back from the chain afterwards.
  const listings = {}
  const firstListing = await read(c.auctionHouse, auctionHouseAbi, 'nextListingId')
  await phase('approvals and listings (English, Dutch, fixed price)', async (send) => {
    await send(K.studio, c.token, tokenAbi, 'transfer', [wallets.carol, parseEther('25000')])
    for (const name of Object.keys(wallets)) {
      await send(K[name], c.items, itemsAbi, 'setApprovalForAll', [c.auctionHouse, true])
      await send(K[name], c.token, tokenAbi, 'approve', [c.auctionHouse, maxUint256])
    }
    const [a, b, cr] = [items.alice, items.bob, items.carol]
    await send(K.alice, c.auctionHouse, auctionHouseAbi, 'createEnglish', [c.items, a[0], parseEther('10'), 3600])
    await send(K.alice, c.auctionHouse, auctionHouseAbi, 'createDutch', [c.items, a[1], parseEther('120'), parseEther('20'), 3600])
    await send(K.alice, c.auctionHouse, auctionHouseAbi, 'createFixed', [c.items, a[2], parseEther('30')])
    await send(K.bob, c.auctionHouse, auctionHouseAbi, 'createEnglish', [c.items, b[0], parseEther('50'), 7200])
    await send(K.bob, c.auctionHouse, auctionHouseAbi, 'createFixed', [c.items, b[1], parseEther('45')])
    for (const [i, price] of ['12', '18', '22'].entries()) {
      await send(K.carol, c.auctionHouse, auctionHouseAbi, 'createFixed', [c.items, cr[i], parseEther(price)])
    }
  })
  const next = await read(c.auctionHouse, auctionHouseAbi, 'nextListingId')
  for (let id = firstListing; id < next; id++) {
    const l = await read(c.auctionHouse, auctionHouseAbi, 'listing', [id])
    listings[l.tokenId.toString()] = id
  }
  const listingOf = (item) => listings[item.toString()]

  // Sales (Carol's three fixed-price items), bids on Alice's English auction, and a proposal by the genesis holder.
  const change = encodeFunctionData({ abi: economyConfigAbi, functionName: 'setMinBidIncrementBps', args: [400] })
  const description = 'Lower the minimum bid increment to 4%\nSmaller steps keep English auctions going longer.'
  await phase('sales, bids and an open proposal', async (send) => {
    await send(K.bob, c.auctionHouse, auctionHouseAbi, 'buy', [listingOf(items.carol[0]), parseEther('12')])
    await send(K.alice, c.auctionHouse, auctionHouseAbi, 'buy', [listingOf(items.carol[1]), parseEther('18')])
    await send(K.bob, c.auctionHouse, auctionHouseAbi, 'buy', [listingOf(items.carol[2]), parseEther('22')])
    await send(K.carol, c.auctionHouse, auctionHouseAbi, 'bid', [listingOf(items.alice[0]), parseEther('12')])
    await send(K.deployer, c.governor, governorAbi, 'propose', [[c.economyConfig], [0n], [change], description])
  })
  // A wash pattern for the price pages: bob lists the sword he bought from carol and carol buys it back (A→B then
  // B→A: the indexer flags both sales `back_and_forth` and leaves them out of prices unless asked).
  const washListing = await read(c.auctionHouse, auctionHouseAbi, 'nextListingId')
  await phase('an outbid; bob lists the sword he bought from carol', async (send) => {
    await send(K.bob, c.auctionHouse, auctionHouseAbi, 'bid', [listingOf(items.alice[0]), parseEther('15')])
    await send(K.bob, c.auctionHouse, auctionHouseAbi, 'createFixed', [c.items, items.carol[0], parseEther('14')])
  })
  const proposalId = await read(c.governor, governorAbi, 'hashProposal', [
    [c.economyConfig],
    [0n],
    [change],
    keccak256(toBytes(description)),
  ])
  for (let i = 0; (await read(c.governor, governorAbi, 'state', [proposalId])) !== 1; i++) {
    if (i > 100) throw new Error('seed: the proposal did not become active')
    await new Promise((r) => setTimeout(r, 200))
  }
  await phase('votes on the proposal; carol buys her sword back (a wash trade)', async (send) => {
    await send(K.alice, c.governor, governorAbi, 'castVote', [proposalId, 1])
    await send(K.carol, c.governor, governorAbi, 'castVote', [proposalId, 2])
    await send(K.carol, c.auctionHouse, auctionHouseAbi, 'buy', [washListing, parseEther('14')])
  })
  log(
    `seed: done: ${plan.length} items, ${Number(washListing + 1n - firstListing)} listings (4 sold, 2 of them a wash trade), 2 bids, proposal ${proposalId.toString().slice(0, 12)}…`,
  )
  return { skipped: false, wallets, custodial, items, listings, washListing, proposalId }
}

async function main() {
  const args = process.argv.slice(2)
  const flag = (name, fallback) => {
    const i = args.indexOf(`--${name}`)
    return i >= 0 ? args[i + 1] : fallback
  }
  const manifestPath = resolve(flag('manifest', process.env.MERCATO_MANIFEST ?? join(APP, '..', 'deployments', 'localnet.json')))
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'))
  const rpcUrl = flag('rpc', manifest.evm.rpcUrl)
  const relayerUrl = flag('relayer', process.env.MERCATO_RELAYER_URL)
  const result = await seed({ rpcUrl, manifest, relayerUrl, log: (line) => console.log(line) })
  if (result.skipped) return
  console.log('seed: wallet users (anvil keys 2-4): ' + Object.entries(result.wallets).map(([n, a]) => `${n} ${a}`).join(', '))
  for (const u of result.custodial) console.log(`seed: custodial user ${u.email} / password "${u.password}"`)
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error) => {
    console.error(error.message ?? error)
    process.exit(1)
  })
}
