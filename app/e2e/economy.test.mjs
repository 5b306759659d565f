// The second slice in real headless Chromium against the real stack (e2e/stack.mjs: anvil, deploy, Postgres, the
// relayer, the indexer, the built app), seeded with the demo economy (scripts/seed.mjs). An English auction won by
// a custodial user with zero ETH (outbid by a wallet user, anti-snipe extension, settlement); a wallet user lists
// an item at a fixed price and a custodial user buys it; a market-fee proposal made, voted, queued and executed
// from the app. Assertions on the chain (viem), in the page and against the indexer.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { createPublicClient, createWalletClient, defineChain, http, keccak256, toBytes } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { DEMO_CUSTODIAL, DEMO_KEYS, seed } from '../scripts/seed.mjs'
import { eventually, finishedSteps, launchChromium, newPage, screenshot } from './helpers.mjs'
import { APP, startStack } from './stack.mjs'
import { installWallet } from './wallet.mjs'

const { tokenAbi, itemsAbi, auctionHouseAbi, governorAbi, economyConfigAbi } = JSON.parse(
  readFileSync(join(APP, 'src', 'generated', 'abis.json'), 'utf8'),
)
const MRC = 10n ** 18n
const HUGO = { email: 'hugo@example.com', password: "hugo's long password" }

let stack, browser, chain, c, demo
let hugo // the custodial bidder's address

const read = (address, abi, functionName, args = []) => chain.public.readContract({ address, abi, functionName, args })

async function send(key, address, abi, functionName, args) {
  const wallet = createWalletClient({ account: privateKeyToAccount(key), chain: chain.definition, transport: http(stack.rpcUrl) })
  const hash = await wallet.writeContract({ address, abi, functionName, args, gas: 1_000_000n })
  const receipt = await chain.public.waitForTransactionReceipt({ hash, timeout: 30_000 })
  assert.equal(receipt.status, 'success', `${functionName} reverted`)
}

/** Moves anvil's clock forward and mines a block at the new time. */
async function advance(seconds) {
  await chain.public.request({ method: 'evm_increaseTime', params: [Number(seconds)] })
  await chain.public.request({ method: 'evm_mine', params: [] })
}

const chainNow = async () => (await chain.public.getBlock()).timestamp

async function indexerGet(path) {
  const response = await fetch(`${stack.indexerUrl}${path}`)
  assert.equal(response.status, 200, `${path}: ${response.status}`)
  return response.json()
}

async function signIn(page, { email, password }, create = false) {
  await page.goto(`${stack.appUrl}/#/signin`)
  if (!create) await page.getByRole('button', { name: 'I have an account' }).click()
  await page.getByLabel('Email', { exact: true }).fill(email)
  await page.getByLabel('Password', { exact: true }).fill(password)
  await page.getByRole('button', { name: create ? 'Create account' : 'Log in' }).click()
  return (await page.getByTestId('evm-address').textContent({ timeout: 30_000 })).trim()
}

async function connectWallet(page, key, viewport) {
  const wallet = await installWallet(page, { privateKey: key, rpcUrl: stack.rpcUrl, chainId: stack.manifest.evm.chainId })
  await page.goto(`${stack.appUrl}/#/signin`)
  await page.getByRole('button', { name: 'Connect wallet' }).click()
  assert.equal((await page.getByTestId('evm-address').textContent({ timeout: 30_000 })).trim(), wallet.address)
  return wallet
}

before(async () => {
  stack = await startStack()
  c = stack.manifest.evm.contracts
  const definition = defineChain({
    id: stack.manifest.evm.chainId,
    name: 'anvil',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [stack.rpcUrl] } },
  })
  chain = { definition, public: createPublicClient({ chain: definition, transport: http(stack.rpcUrl), pollingInterval: 200 }) }
  demo = await seed({ rpcUrl: stack.rpcUrl, manifest: stack.manifest, relayerUrl: stack.relayerUrl, log: (l) => process.stderr.write(`[seed] ${l}\n`) })
  assert.equal(demo.skipped, false)
  // Votes for the governance test: the wallet user alice gets 2M MRC (quorum is 4% of the 100M supply).
  await send(DEMO_KEYS.deployer, c.token, tokenAbi, 'transfer', [demo.wallets.alice, 2_000_000n * MRC])
  browser = await launchChromium()
})

after(async () => {
  await browser?.close()
  await stack?.stop()
})

test('seeded stack: the indexer mirrors the demo economy and the browse page lists it', { timeout: 60_000 }, async () => {
  const open = await eventually(
    () => indexerGet('/v1/listings?status=open').then((b) => b.items.length),
    (n) => n === 5,
    { what: 'five open listings in the indexer' },
  )
  assert.equal(open, 5)
  const sold = await indexerGet('/v1/listings?status=sold')
  assert.equal(sold.items.length, 4) // carol's three items, then her sword bought back from bob (the wash trade)
  const page = await newPage(browser)
  await page.goto(`${stack.appUrl}/#/listings`)
  await page.getByTestId('browse-table').waitFor({ timeout: 30_000 })
  await eventually(() => page.locator('tbody tr').count(), (n) => n === 5, { what: 'five open listings shown' })
  await page.getByLabel('Status').selectOption('sold')
  await eventually(() => page.locator('tbody tr').count(), (n) => n === 4, { what: 'four sold listings shown' })
  await page.getByLabel('Status').selectOption('open')
  await page.getByLabel('Kind').selectOption('english')
  await eventually(() => page.locator('tbody tr').count(), (n) => n === 2, { what: 'two open English auctions shown' })
  await screenshot(page, stack.artifacts, 'browse')
  await page.context().close()
})

test('a custodial user with zero ETH wins an English auction: outbid by a wallet user, bids again inside the anti-snipe buffer, settles', { timeout: 180_000 }, async () => {
  // A fresh 10-minute auction (the shortest allowed).
  const item = demo.items.bob[2]
  const id = await read(c.auctionHouse, auctionHouseAbi, 'nextListingId')
  await send(DEMO_KEYS.bob, c.auctionHouse, auctionHouseAbi, 'createEnglish', [c.items, item, 50n * MRC, 600])
  const page = await newPage(browser)
  hugo = await signIn(page, HUGO, true)
  await send(DEMO_KEYS.deployer, c.token, tokenAbi, 'transfer', [hugo, 3_000_000n * MRC])
  assert.equal(await chain.public.getBalance({ address: hugo }), 0n)

  await page.goto(`${stack.appUrl}/#/listing/${id}`)
  const live = page.getByTestId('listing-live')
  await live.getByLabel('Your bid (MRC)').fill('60')
  await live.getByRole('button', { name: 'Place bid' }).click()
  let steps = await finishedSteps(live, 2)
  assert.deepEqual(steps.statuses, ['confirmed', 'confirmed'], steps.texts.join('\n---\n'))
  assert.equal((await read(c.auctionHouse, auctionHouseAbi, 'listing', [id])).highBidder, hugo)
  await eventually(() => live.getByTestId('high-bid').textContent(), (t) => t === '60 MRC by you', { what: 'high bid shown' })

  // The wallet user (alice, phone-sized screen) outbids with 70 MRC: one signed ForwardRequest (she approved before).
  const phone = await newPage(browser, { viewport: { width: 390, height: 844 } })
  const alice = await connectWallet(phone, DEMO_KEYS.alice)
  await phone.goto(`${stack.appUrl}/#/listing/${id}`)
  const phoneLive = phone.getByTestId('listing-live')
  await phoneLive.getByLabel('Your bid (MRC)').fill('70')
  await phoneLive.getByRole('button', { name: 'Place bid' }).click()
  steps = await finishedSteps(phoneLive, 1)
  assert.deepEqual(steps.statuses, ['confirmed'], steps.texts.join('\n'))
  assert.equal(alice.signed.length, 1)
  assert.equal((await read(c.auctionHouse, auctionHouseAbi, 'listing', [id])).highBidder, alice.address)
  await eventually(() => phoneLive.getByTestId('high-bid').textContent(), (t) => t === '70 MRC by you', { what: 'high bid shown' })
  await screenshot(phone, stack.artifacts, 'listing-wallet-phone')
  // A phone-sized screen never scrolls sideways (every page the phone visits here).
  for (const hash of ['#/listing/' + id, '#/listings', '#/inventory', '#/dao']) {
    await phone.goto(`${stack.appUrl}/${hash}`)
    await phone.locator('h1').first().waitFor()
    await phone.waitForTimeout(500)
    const width = await phone.evaluate(() => document.documentElement.scrollWidth)
    assert.ok(width <= 390, `${hash} is ${width} px wide on a 390 px screen`)
  }
  await phone.context().close()

  // Inside the last minute: hugo's next bid pushes the end to now + the anti-snipe buffer (5 min).
  const before = await read(c.auctionHouse, auctionHouseAbi, 'listing', [id])
  await advance(BigInt(before.endTime) - (await chainNow()) - 60n)
  await eventually(() => live.getByTestId('high-bid').textContent(), (t) => t.startsWith('70 MRC'), { what: 'outbid shown' })
  await live.getByLabel('Your bid (MRC)').fill('80')
  await live.getByRole('button', { name: 'Place bid' }).click()
  steps = await finishedSteps(live, 2) // approve the 20 MRC the credits (60) do not cover, then bid
  assert.deepEqual(steps.statuses, ['confirmed', 'confirmed'], steps.texts.join('\n---\n'))
  const extended = await read(c.auctionHouse, auctionHouseAbi, 'listing', [id])
  assert.equal(extended.highBidder, hugo)
  assert.ok(extended.endTime > before.endTime, 'the late bid extended the auction')
  // The page shows the extension and the three bids the indexer has, equal to the chain's BidPlaced logs.
  await live.getByTestId('extended').waitFor({ timeout: 15_000 })
  const logs = await chain.public.getContractEvents({ address: c.auctionHouse, abi: auctionHouseAbi, eventName: 'BidPlaced', args: { id }, fromBlock: 0n })
  await eventually(() => page.getByTestId('bid').count(), (n) => n === logs.length, { what: 'bid history complete' })
  const shown = await page.getByTestId('bid').allInnerTexts()
  assert.deepEqual(
    shown.map((t) => t.split(' MRC')[0]),
    logs.map((l) => (l.args.amount / MRC).toString()).reverse(),
  )
  assert.equal(await page.getByTestId('bid-extended').count(), 1)
  await screenshot(page, stack.artifacts, 'listing-auction')

  // After the end, hugo settles: the item is his; the indexer and the inventory page say so.
  await advance(BigInt(extended.endTime) - (await chainNow()) + 5n)
  await live.getByRole('button', { name: 'Settle' }).click({ timeout: 15_000 })
  steps = await finishedSteps(live, 1)
  assert.deepEqual(steps.statuses, ['confirmed'], steps.texts.join('\n'))
  assert.equal(await read(c.items, itemsAbi, 'ownerOf', [item]), hugo)
  await eventually(() => page.getByTestId('listing-status').textContent(), (t) => t === 'sold', { what: 'indexed as sold' })
  const indexed = await indexerGet(`/v1/listings/${id}`)
  assert.equal(indexed.high_bid, (80n * MRC).toString())
  assert.equal(indexed.high_bidder, hugo.toLowerCase())
  await page.getByRole('link', { name: 'Inventory' }).click()
  const card = page.getByTestId(`inventory-item-${item}`)
  await card.waitFor({ timeout: 30_000 })
  await card.getByRole('button', { name: 'History' }).click()
  await eventually(() => card.getByTestId('item-history').innerText(), (t) => /sale for 80 MRC/i.test(t), { what: 'the sale in the history' })
  await screenshot(page, stack.artifacts, 'inventory')
  assert.equal(await chain.public.getBalance({ address: hugo }), 0n, 'still no ETH')
  await page.context().close()
})

test('a wallet user lists an item at a fixed price from the inventory and a custodial user buys it', { timeout: 120_000 }, async () => {
  const item = demo.items.alice[3]
  const page = await newPage(browser)
  const alice = await connectWallet(page, DEMO_KEYS.alice)
  await page.getByRole('link', { name: 'Inventory' }).click()
  const card = page.getByTestId(`inventory-item-${item}`)
  await card.getByText('List this item').click({ timeout: 30_000 })
  await card.getByLabel('Price (MRC)').fill('8')
  await card.getByRole('button', { name: 'List it' }).click()
  const steps = await finishedSteps(card, 1) // the seed approved the house already: no approval step
  assert.deepEqual(steps.statuses, ['confirmed'], steps.texts.join('\n'))
  const id = (await read(c.auctionHouse, auctionHouseAbi, 'nextListingId')) - 1n
  const listing = await read(c.auctionHouse, auctionHouseAbi, 'listing', [id])
  assert.deepEqual([listing.kind, listing.seller, listing.tokenId, listing.startPrice], [3, alice.address, item, 8n * MRC])
  assert.equal(alice.signed.at(-1).message.to.toLowerCase(), c.auctionHouse.toLowerCase())
  await page.context().close()

  const buyer = await newPage(browser)
  const dana = await signIn(buyer, DEMO_CUSTODIAL[0])
  await buyer.goto(`${stack.appUrl}/#/listing/${id}`)
  const live = buyer.getByTestId('listing-live')
  await live.getByRole('button', { name: 'Buy for 8 MRC' }).click({ timeout: 15_000 })
  const bought = await finishedSteps(live, 2)
  assert.deepEqual(bought.statuses, ['confirmed', 'confirmed'], bought.texts.join('\n---\n'))
  assert.equal(await read(c.items, itemsAbi, 'ownerOf', [item]), dana)
  assert.equal(await chain.public.getBalance({ address: dana }), 0n)
  await eventually(() => buyer.getByTestId('listing-status').textContent(), (t) => t === 'sold', { what: 'indexed as sold' })
  await buyer.context().close()
})

test('a wallet user who chooses to pay the gas bids from her own wallet: her ETH pays exactly the gas, the relayer gets no request', { timeout: 90_000 }, async () => {
  const id = demo.listings[demo.items.bob[0].toString()] // bob's seeded 2-hour English auction, no bids yet
  const page = await newPage(browser)
  const relayerPosts = []
  page.on('request', (r) => r.method() === 'POST' && r.url().includes('/api/') && relayerPosts.push(r.url()))
  const alice = await connectWallet(page, DEMO_KEYS.alice)
  await page.goto(`${stack.appUrl}/#/listing/${id}`)
  const live = page.getByTestId('listing-live')
  await live.getByTestId('gas-choice').getByLabel(/I pay the gas myself/).check()
  // The choice is kept: the Account page shows it, and it is stored for the next visit.
  await page.getByRole('link', { name: 'Account' }).click()
  assert.equal(await page.getByTestId('gas-choice').getByLabel(/I pay the gas myself/).isChecked({ timeout: 15_000 }), true)
  assert.equal(await page.evaluate(() => localStorage.getItem('mercato.evm.gasPayer')), 'self')
  await page.getByTestId('mrc-balance').waitFor({ timeout: 15_000 })
  await page.locator('.item').first().waitFor({ timeout: 15_000 })
  await screenshot(page, stack.artifacts, 'account-wallet')
  await page.goto(`${stack.appUrl}/#/listing/${id}`)

  const before = await chain.public.getBalance({ address: alice.address })
  assert.ok(before > 0n, 'alice has ETH')
  // A bid below the reserve is refused before the wallet is asked (simulated from her address, reason decoded).
  await live.getByLabel('Your bid (MRC)').fill('1')
  await live.getByRole('button', { name: 'Place bid' }).click()
  let steps = await finishedSteps(live, 1)
  assert.deepEqual(steps.statuses, ['failed'])
  assert.match(steps.texts[0], /Your bid of 1 MRC is below the minimum bid of 50 MRC\. Nothing was sent\./)
  // She declines in her wallet: nothing is sent, the page says so.
  alice.declineNextSignature()
  await live.getByLabel('Your bid (MRC)').fill('60')
  await live.getByRole('button', { name: 'Place bid' }).click()
  steps = await finishedSteps(live, 1)
  assert.deepEqual(steps.statuses, ['failed'])
  assert.match(steps.texts[0], /You declined the request in your wallet/)
  assert.equal(alice.sent.length, 0)
  assert.equal(await chain.public.getBalance({ address: alice.address }), before, 'no gas spent on refusals')
  await live.getByLabel('Your bid (MRC)').fill('60')
  await live.getByRole('button', { name: 'Place bid' }).click()
  steps = await finishedSteps(live, 1)
  assert.deepEqual(steps.statuses, ['confirmed'], steps.texts.join('\n'))
  const step = live.getByTestId('tx-step')
  assert.equal(await step.getAttribute('data-paid-by'), 'you')
  assert.deepEqual(await step.locator('.tx-stage.done').allTextContents(), ['signed', 'submitted', 'confirmed'])
  // Chain: she is the high bidder; the one transaction her wallet sent went straight to the house, from her.
  const listing = await read(c.auctionHouse, auctionHouseAbi, 'listing', [id])
  assert.deepEqual([listing.highBidder, listing.highBid], [alice.address, 60n * MRC])
  assert.equal(alice.sent.length, 1)
  assert.equal(alice.signed.length, 0, 'no ForwardRequest signed')
  const receipt = await chain.public.getTransactionReceipt({ hash: alice.sent[0].hash })
  assert.equal(receipt.status, 'success')
  assert.equal(receipt.from.toLowerCase(), alice.address.toLowerCase())
  assert.equal(receipt.to.toLowerCase(), c.auctionHouse.toLowerCase())
  assert.match(steps.texts[0], new RegExp(`Confirmed in block ${receipt.blockNumber}`))
  // Her ETH dropped by exactly the gas she paid; the relayer got no request from the page.
  const after = await chain.public.getBalance({ address: alice.address })
  assert.equal(before - after, receipt.gasUsed * receipt.effectiveGasPrice)
  assert.ok(before - after > 0n)
  assert.deepEqual(relayerPosts, [])
  await eventually(() => live.getByTestId('high-bid').textContent(), (t) => t === '60 MRC by you', { what: 'high bid shown' })
  await screenshot(page, stack.artifacts, 'listing-pay-gas')
  await page.context().close()
})

test('a market-fee proposal made in the app, voted by a custodial and a wallet holder, queued and executed', { timeout: 180_000 }, async () => {
  const page = await newPage(browser)
  await signIn(page, HUGO)
  await page.getByRole('link', { name: 'DAO' }).click()
  const propose = page.getByTestId('propose')
  await propose.getByText('Propose a parameter change').click()
  await propose.getByLabel('Parameter').selectOption('marketFeeBps')
  await propose.getByLabel(/New value/).fill('300')
  await propose.getByLabel('Why (optional)').fill('Fees fund the treasury.')
  await propose.getByRole('button', { name: 'Propose' }).click()
  let steps = await finishedSteps(propose, 1)
  assert.deepEqual(steps.statuses, ['confirmed'], steps.texts.join('\n'))
  const description = 'Set the market fee to 3% (300 bps)\nFees fund the treasury.'
  const call = (await import('viem')).encodeFunctionData({ abi: economyConfigAbi, functionName: 'setMarketFeeBps', args: [300] })
  const args = [[c.economyConfig], [0n], [call], keccak256(toBytes(description))]
  const proposalId = await read(c.governor, governorAbi, 'hashProposal', args)
  await eventually(() => read(c.governor, governorAbi, 'state', [proposalId]), (s) => s === 1, { what: 'the proposal is active' })

  const card = page.locator(`[data-proposal-id="${proposalId}"]`)
  await card.getByRole('button', { name: 'Vote For' }).click({ timeout: 30_000 })
  steps = await finishedSteps(card, 1)
  assert.deepEqual(steps.statuses, ['confirmed'], steps.texts.join('\n'))
  const phone = await newPage(browser, { viewport: { width: 390, height: 844 } })
  await connectWallet(phone, DEMO_KEYS.alice)
  await phone.getByRole('link', { name: 'DAO' }).click()
  const phoneCard = phone.locator(`[data-proposal-id="${proposalId}"]`)
  await phoneCard.getByRole('button', { name: 'Vote For' }).click({ timeout: 30_000 })
  steps = await finishedSteps(phoneCard, 1)
  assert.deepEqual(steps.statuses, ['confirmed'], steps.texts.join('\n'))
  await screenshot(phone, stack.artifacts, 'dao-wallet-phone')
  await phone.context().close()

  // After the voting period: succeeded; queue; after the timelock's delay: execute. All from the page.
  await advance((await read(c.governor, governorAbi, 'proposalDeadline', [proposalId])) - (await chainNow()) + 5n)
  await eventually(() => read(c.governor, governorAbi, 'state', [proposalId]), (s) => s === 4, { what: 'succeeded' })
  await card.getByRole('button', { name: 'Queue' }).click({ timeout: 15_000 })
  steps = await finishedSteps(card, 1)
  assert.deepEqual(steps.statuses, ['confirmed'], steps.texts.join('\n'))
  assert.equal(await read(c.governor, governorAbi, 'state', [proposalId]), 5)
  await advance((await read(c.governor, governorAbi, 'proposalEta', [proposalId])) - (await chainNow()) + 5n)
  await card.getByRole('button', { name: 'Execute' }).click({ timeout: 15_000 })
  steps = await finishedSteps(card, 1)
  assert.deepEqual(steps.statuses, ['confirmed'], steps.texts.join('\n'))
  assert.equal(await read(c.governor, governorAbi, 'state', [proposalId]), 7)
  assert.equal(await read(c.economyConfig, economyConfigAbi, 'marketFeeBps'), 300)

  // The DAO page shows the new fee (chain) and the change in the parameter history (indexer).
  await eventually(() => page.getByTestId('market-fee').textContent(), (t) => t === '3% (300 bps)', { what: 'new fee shown' })
  const change = page.getByTestId('change-marketFeeBps').first() // newest first; the deployment set it from 0 before
  await change.waitFor({ timeout: 30_000 })
  assert.match(await change.textContent(), /2\.5% \(250 bps\) → 3% \(300 bps\)/)
  await screenshot(page, stack.artifacts, 'dao')
  await page.context().close()
})

/** An amount as the app writes it (formatMrc: grouped whole MRC, up to four decimals, truncated). */
function mrcText(amount) {
  const fraction = (amount % MRC).toString().padStart(18, '0').slice(0, 4).replace(/0+$/, '')
  return `${(amount / MRC).toLocaleString('en-US')}${fraction ? `.${fraction}` : ''} MRC`
}
const salesText = (n) => (n === 1 ? '1 sale' : `${n} sales`)

test('Prices and Economy show the seeded sales: last sale and trades equal the chain and the indexer, the wash toggle changes them, candles are drawn, supply equals totalSupply', { timeout: 120_000 }, async () => {
  // The chain: every Sale of a class-1 item (the class the page opens on), in chain order.
  const logs = await chain.public.getContractEvents({ address: c.auctionHouse, abi: auctionHouseAbi, eventName: 'Sale', fromBlock: 0n })
  const classOf = new Map()
  const sales = []
  for (const l of logs) {
    if (l.args.nft.toLowerCase() !== c.items.toLowerCase()) continue
    if (!classOf.has(l.args.tokenId)) classOf.set(l.args.tokenId, (await read(c.items, itemsAbi, 'attributes', [l.args.tokenId])).class)
    if (classOf.get(l.args.tokenId) === 1) sales.push({ at: `${l.blockNumber}-${l.logIndex}`, ...l.args })
  }
  // The indexer agrees with the chain when wash trades are counted: every class-1 sale, the last one last.
  const all = await eventually(() => indexerGet('/v1/prices/classes/1?include_wash=true'), (b) => b.trades_7d === sales.length, {
    what: `the indexer's ${sales.length} class-1 sales`,
  })
  assert.equal(all.last_sale_price, sales.at(-1).price.toString())
  // The seed's wash pattern (carol's sword sold to bob, then bought back from him) is flagged on both sales; the
  // prices without wash trades are the other sales.
  const flags = new Map((await indexerGet('/v1/wash-trades?limit=500')).items.map((w) => [`${w.block_number}-${w.log_index}`, w.rules]))
  const sword = sales.filter((s) => s.tokenId === demo.items.carol[0])
  assert.equal(sword.length, 2)
  assert.deepEqual([sword[0].seller, sword[0].buyer], [sword[1].buyer, sword[1].seller], 'A→B then B→A')
  for (const s of sword) assert.ok(flags.get(s.at)?.includes('back_and_forth'), `sale ${s.at} flagged back_and_forth`)
  const honest = sales.filter((s) => !flags.has(s.at))
  assert.ok(honest.length > 0 && honest.length < sales.length, 'the class has honest and wash sales')
  assert.notEqual(honest.at(-1).price, sales.at(-1).price, 'the last sale differs with and without wash trades')
  const clean = await indexerGet('/v1/prices/classes/1')
  assert.equal(clean.trades_7d, honest.length)
  assert.equal(clean.last_sale_price, honest.at(-1).price.toString())

  const page = await newPage(browser)
  await page.goto(`${stack.appUrl}/#/prices`)
  const card = page.getByTestId('price-class')
  await eventually(() => card.getByTestId('last-sale').textContent(), (t) => t === mrcText(honest.at(-1).price), { what: 'the last honest sale shown' })
  assert.equal(await card.getAttribute('data-include-wash'), 'false')
  assert.equal(await card.getByTestId('week-trades').textContent(), salesText(honest.length))
  assert.equal(await card.getByTestId('week-volume').textContent(), mrcText(honest.reduce((a, s) => a + s.price, 0n)))
  assert.match(await card.getByTestId('explanation').textContent(), new RegExp(`: ${salesText(honest.length)};.*wash trades excluded\\.$`))
  // 1h candles (the default): as many as the indexer has, drawn on the chart's canvas.
  const hourly = (await indexerGet('/v1/prices/classes/1/candles?interval=1h')).items
  assert.ok(hourly.length >= 1)
  const chart = page.getByTestId('candle-chart')
  await eventually(() => chart.getAttribute('data-candles'), (n) => n === String(hourly.length), { what: 'the hourly candles drawn' })
  assert.ok((await chart.locator('canvas').count()) > 0, 'the chart drew on a canvas')
  await screenshot(page, stack.artifacts, 'prices')

  // With wash trades: the page moves to every sale the chain has; 1m candles equal the indexer's.
  await page.getByLabel('Include wash trades').check()
  await eventually(() => card.getByTestId('last-sale').textContent(), (t) => t === mrcText(sales.at(-1).price), { what: 'the last sale with wash trades' })
  assert.equal(await card.getAttribute('data-include-wash'), 'true')
  assert.equal(await card.getByTestId('week-trades').textContent(), salesText(sales.length))
  await page.getByRole('combobox', { name: /^Candles/ }).selectOption('1m')
  const minutes = (await indexerGet('/v1/prices/classes/1/candles?interval=1m&include_wash=true')).items
  await eventually(() => chart.getAttribute('data-candles'), (n) => n === String(minutes.length), { what: 'the 1m candles with wash trades' })
  assert.equal(await page.getByTestId('candle-last').textContent().then((t) => t.includes(`close ${mrcText(BigInt(minutes.at(-1).close))}`)), true)
  await screenshot(page, stack.artifacts, 'prices-wash')

  // Economy: the supply shown is the token's totalSupply on the chain; the latest day's fees are the indexer's.
  await page.getByRole('link', { name: 'Economy' }).click()
  const supply = await read(c.token, tokenAbi, 'totalSupply')
  await eventually(() => page.getByTestId('metric-supply-value').textContent(), (t) => t === mrcText(supply), { what: 'the supply shown' })
  const days = (await indexerGet('/v1/economy/daily?limit=500')).items
  assert.equal(await page.getByTestId('economy-day').textContent(), days.at(-1).day)
  assert.equal(BigInt(days.at(-1).supply), supply)
  assert.equal(await page.getByTestId('metric-fees-value').textContent(), mrcText(BigInt(days.at(-1).fees_to_treasury)))
  assert.equal(await page.getByTestId('metric-holders-value').textContent(), String(days.at(-1).holders))
  assert.ok(BigInt(days.at(-1).fees_to_treasury) > 0n, 'the seeded sales paid fees')
  // A chart for every metric with a value on some day (inflation has none on the genesis day: no prior supply).
  const fields = ['supply', 'minted', 'burned', 'fees_to_treasury', 'volume', 'net_inflation_rate', 'gini', 'velocity', 'holders', 'active_holders']
  const charted = fields.filter((f) => days.some((d) => d[f] !== null)).length
  assert.equal(await page.getByTestId('line-chart').count(), charted)
  await screenshot(page, stack.artifacts, 'economy')
  await page.context().close()
})
