// The Solana path of the app in real headless Chromium against the real local stack with the Solana node
// (e2e/stack.mjs `{ solana: true }`: the programs' SBF builds on the local node, the demo economy seeded with
// `mercato-solana-node --demo`, the relayer sponsoring Solana, the indexer following both chains). A custodial user
// with zero SOL bids on the demo English auction; a wallet user (a Wallet Standard wallet in the page, backed by demo
// trader 1's key) outbids, deposits and votes on the open proposal. Every outcome is checked on the chain (account
// reads from the node), in the indexer's /solana/v1 API and in the page.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { eventually, finishedSteps, launchChromium, newPage, screenshot } from './helpers.mjs'
import {
  GENESIS_HOLDER_SEED,
  currencyAccount,
  demoTraderSeed,
  lamports,
  payMrc,
  readDeposit,
  readListing,
  lastTransaction,
  readCredits,
  readProposal,
  readVote,
  signerFromSeed,
  solanaRpc,
  tokenBalance,
} from './solana.mjs'
import { installSolanaWallet } from './solana-wallet.mjs'
import { startStack } from './stack.mjs'

const MRC = 1_000_000_000n // 9 decimals on Solana (mercato_solana_client::defaults::MRC)
const EMAIL = 'sol@example.com'
const PASSWORD = "sol's long password"

let stack, browser, sol, demo
let englishId // the demo English auction's listing id (indexer)
let custodial // the custodial user's Solana address

/** Base units as the app writes Solana MRC (app/src/solana/format.ts): grouped, at most 4 decimals, cut not rounded. */
function solMrcText(amount) {
  const whole = (amount / MRC).toLocaleString('en-US')
  const fraction = (amount % MRC).toString().padStart(9, '0').slice(0, 4).replace(/0+$/, '')
  return `${fraction ? `${whole}.${fraction}` : whole} MRC`
}

function phases(name) {
  const start = Date.now()
  return (what) => process.stderr.write(`[${name} +${((Date.now() - start) / 1000).toFixed(1)} s] ${what}\n`)
}

async function indexer(path) {
  const response = await fetch(`${stack.indexerUrl}/solana/v1${path}`)
  assert.equal(response.status, 200, `${path}: HTTP ${response.status} ${await response.clone().text()}`)
  return response.json()
}

before(async () => {
  stack = await startStack({ solana: true })
  sol = stack.manifest.solana
  demo = stack.solanaDemo
  browser = await launchChromium()
  // The indexer has mirrored the demo: its English auction with the buyer's 120 MRC bid.
  const english = await eventually(
    () => indexer('/listings?kind=english&status=open').then((page) => page.items[0]),
    (l) => l?.bid_count === 1,
    { timeout: 60_000, what: 'the indexer mirrors the demo English auction' },
  )
  englishId = english.listing_id
})

after(async () => {
  await browser?.close()
  await stack?.stop()
})

test('a custodial user with zero SOL bids on a Solana English auction; the indexer agrees with the chain', { timeout: 240_000 }, async () => {
  const step = phases('sol-custodial')
  const page = await newPage(browser)
  const relayerCalls = []
  page.on('request', (request) => {
    const url = new URL(request.url())
    // The actions (the Account page's reads of SOL and credits, GET, are left out).
    if (url.pathname.startsWith('/api/v1/solana/') && request.method() === 'POST') relayerCalls.push(`${request.method()} ${url.pathname}`)
  })
  step('sign up on the Solana side')
  await page.goto(`${stack.appUrl}/?chain=solana#/signin`)
  await page.getByLabel('Email', { exact: true }).fill(EMAIL)
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
  await page.getByRole('button', { name: 'Create account' }).click()
  custodial = (await page.getByTestId('sol-address').textContent({ timeout: 30_000 })).trim()
  assert.match(custodial, /^[1-9A-HJ-NP-Za-km-z]{32,44}$/)
  assert.equal(new URL(page.url()).searchParams.get('chain'), 'solana', 'the chain choice is in the URL')

  step('funding: the genesis holder pays her 500 MRC; she has no SOL')
  const holder = await signerFromSeed(GENESIS_HOLDER_SEED)
  await payMrc(stack.solanaRpcUrl, holder, custodial, sol.accounts.currencyMint, 500n * MRC)
  assert.equal(await lamports(stack.solanaRpcUrl, custodial), 0n, 'a custodial user holds no SOL')
  await eventually(() => page.getByTestId('sol-balance').textContent(), (t) => t === '500 MRC', { what: 'balance shown' })
  await screenshot(page, stack.artifacts, 'solana-account-custodial')

  step('the market lists the demo listings; open the English auction')
  await page.getByRole('link', { name: 'Market' }).click()
  const row = page.getByTestId(`sol-listing-${englishId}`)
  await row.waitFor({ timeout: 30_000 })
  assert.match(await row.textContent(), /English auction[\s\S]*120 MRC high bid \(1 bid\)/)
  assert.equal(await page.locator('[data-testid^=sol-listing-][data-kind=dutch]').count(), 1)
  assert.equal(await page.locator('[data-testid^=sol-listing-][data-kind=fixed]').count(), 1)
  await screenshot(page, stack.artifacts, 'solana-market')
  await row.getByRole('link').click()
  const highBid = page.getByTestId('high-bid')
  assert.match(await highBid.textContent({ timeout: 30_000 }), /^120 MRC by /)

  step('a bid of 1 MRC is refused with the reason (the relayer simulated it; nothing was sent)')
  await page.getByLabel('Your bid (MRC)').fill('1')
  await page.getByRole('button', { name: 'Place bid' }).click()
  const low = await finishedSteps(page.getByTestId('solana-action'), 1)
  assert.deepEqual(low.statuses, ['failed'])
  assert.match(low.texts[0], /nothing was sent\. Your bid is too low/)
  assert.equal(await page.getByTestId('solana-action').getByTestId('error-reason').textContent(), 'simulation_failed')

  step('bid 130 MRC')
  await page.getByLabel('Your bid (MRC)').fill('130')
  await page.getByRole('button', { name: 'Place bid' }).click()
  await page.getByTestId('solana-action').locator('[data-status=failed]').waitFor({ state: 'detached' })
  const bid = await finishedSteps(page.getByTestId('solana-action'), 1)
  assert.deepEqual(bid.statuses, ['confirmed'], bid.texts.join('\n'))
  assert.match(bid.texts[0], /Bid 130 MRC[\s\S]*Confirmed in slot \d+/)

  step('the chain, the indexer and the page agree')
  const onChain = await readListing(stack.solanaRpcUrl, sol.programs.auction, demo.english)
  assert.equal(onChain.highBidder, custodial)
  assert.equal(onChain.highBid, 130n * MRC)
  const indexed = await eventually(() => indexer(`/listings/${englishId}`), (l) => l.bid_count === 2, {
    what: 'the indexer has the bid',
  })
  step('indexed')
  assert.equal(indexed.high_bidder, onChain.highBidder)
  assert.equal(indexed.high_bid, onChain.highBid.toString())
  const bids = await indexer(`/bids?listing=${englishId}`)
  assert.deepEqual(bids.items.map((b) => [b.bidder, b.amount]).sort(), [[custodial, (130n * MRC).toString()], [demo.traders.buyer, (120n * MRC).toString()]].sort())
  await eventually(() => highBid.textContent(), (t) => t === '130 MRC by you', { what: 'the page shows her bid' })
  await screenshot(page, stack.artifacts, 'solana-listing-custodial')
  step('page agrees')
  // Gasless: still no SOL of her own, and the page asked the relayer to build the bid, then to send it as hers.
  assert.equal(await lamports(stack.solanaRpcUrl, custodial), 0n, 'still no SOL')
  // The refused bid and the bid: each built by the relayer, then sent as hers.
  const oneAction = ['POST /api/v1/solana/actions', 'POST /api/v1/solana/instructions']
  assert.deepEqual(relayerCalls, [...oneAction, ...oneAction])

  step('buy the fixed-price item (250 MRC)')
  const fixed = (await indexer('/listings?kind=fixed&status=open')).items[0]
  await page.evaluate((id) => (window.location.hash = `#/listing/${id}`), fixed.listing_id)
  await page.getByRole('button', { name: 'Buy for 250 MRC' }).click()
  const buy = await finishedSteps(page.getByTestId('solana-action'), 1)
  assert.deepEqual(buy.statuses, ['confirmed'], buy.texts.join('\n'))
  assert.equal(await readListing(stack.solanaRpcUrl, sol.programs.auction, demo.fixed), null, 'the listing account is closed')
  const item = await eventually(() => indexer(`/items/${fixed.token_id}`), (i) => i.owner === custodial, { what: 'the indexer has her as owner' })
  assert.equal(item.mint, demo.fixed)
  assert.equal((await indexer(`/listings/${fixed.listing_id}`)).status, 'sold')
  await eventually(() => page.getByTestId('listing-status').textContent(), (t) => t === 'sold', { what: 'the page shows sold' })
  assert.equal(await tokenBalance(stack.solanaRpcUrl, await currencyAccount(custodial, sol.accounts.currencyMint)), 120n * MRC, '500 - 130 - 250')
  assert.equal(await lamports(stack.solanaRpcUrl, custodial), 0n, 'still no SOL')
  await page.context().close()
})

test('a Solana wallet user outbids, deposits and votes on the open proposal; the tally shows the vote', { timeout: 240_000 }, async () => {
  const step = phases('sol-wallet')
  const page = await newPage(browser, { viewport: { width: 390, height: 844 } })
  const wallet = await installSolanaWallet(page, { seed: demoTraderSeed(1) })
  assert.equal(wallet.address, demo.traders.buyer, 'the test wallet holds demo trader 1 (the demo buyer)')

  step('connect the wallet (wallet-standard)')
  await page.goto(`${stack.appUrl}/?chain=solana#/signin`)
  await page.getByRole('button', { name: 'Connect Mercato Test Wallet' }).click()
  assert.equal((await page.getByTestId('sol-address').textContent({ timeout: 30_000 })).trim(), wallet.address)

  step('outbid with 140 MRC (after a reload: the wallet reconnects silently); the wallet signs the prepared transaction')
  await page.goto(`${stack.appUrl}/?chain=solana#/listing/${englishId}`)
  await eventually(() => page.getByTestId('high-bid').textContent(), (t) => /^130 MRC by /.test(t ?? ''), { what: 'high bid shown' })
  // First the person declines in the wallet: the page says so, nothing is signed or sent.
  wallet.declineNextSignature()
  await page.getByLabel('Your bid (MRC)').fill('140')
  await page.getByRole('button', { name: 'Place bid' }).click()
  const declined = await finishedSteps(page.getByTestId('solana-action'), 1)
  assert.deepEqual(declined.statuses, ['failed'])
  assert.match(declined.texts[0], /You declined the request in your wallet/)
  assert.equal(wallet.signed.length, 0)
  assert.equal((await readListing(stack.solanaRpcUrl, sol.programs.auction, demo.english)).highBid, 130n * MRC)
  await page.getByRole('button', { name: 'Place bid' }).click()
  await page.getByTestId('solana-action').locator('[data-status=failed]').waitFor({ state: 'detached' })
  const bid = await finishedSteps(page.getByTestId('solana-action'), 1)
  assert.deepEqual(bid.statuses, ['confirmed'], bid.texts.join('\n'))
  assert.equal(wallet.signed.length, 1, 'one transaction signed')
  assert.notEqual(wallet.signed[0].feePayer, wallet.address, 'the relayer pays the fee')
  assert.ok(wallet.signed[0].signers.includes(wallet.address))
  assert.ok(wallet.signed[0].programs.includes(sol.programs.auction), 'the transaction calls the auction program')
  const onChain = await readListing(stack.solanaRpcUrl, sol.programs.auction, demo.english)
  assert.equal(onChain.highBidder, wallet.address)
  assert.equal(onChain.highBid, 140n * MRC)
  const indexed = await eventually(() => indexer(`/listings/${englishId}`), (l) => l.bid_count === 3, { what: 'indexed' })
  assert.equal(indexed.high_bidder, wallet.address)
  assert.equal(indexed.high_bid, (140n * MRC).toString())
  await eventually(() => page.getByTestId('high-bid').textContent(), (t) => t === '140 MRC by you', { what: 'page' })
  await screenshot(page, stack.artifacts, 'solana-listing-wallet-phone')

  step('deposit 100 MRC for voting power, then vote for the open proposal')
  await page.getByRole('link', { name: 'DAO' }).click()
  const card = page.getByTestId(`sol-proposal-${demo.proposal}`)
  await card.waitFor({ timeout: 30_000 })
  assert.equal(await card.getByTestId('proposal-state').textContent(), 'active')
  assert.equal(await card.getByTestId('votes-for').textContent(), '0 MRC')
  await page.getByLabel('Deposit MRC for voting power').fill('100')
  await page.getByRole('button', { name: 'Deposit', exact: true }).click()
  const deposit = await finishedSteps(page.getByRole('form', { name: 'Deposit for voting power' }), 1)
  assert.deepEqual(deposit.statuses, ['confirmed'], deposit.texts.join('\n'))
  assert.equal(await readDeposit(stack.solanaRpcUrl, sol.programs.governance, wallet.address), 100n * MRC)
  await eventually(() => page.getByTestId('sol-voting-power').textContent(), (t) => t === '100 MRC', { what: 'voting power shown' })

  await card.getByRole('button', { name: 'Vote for' }).click()
  const vote = await finishedSteps(card, 1)
  assert.deepEqual(vote.statuses, ['confirmed'], vote.texts.join('\n'))
  assert.equal(wallet.signed.length, 3, 'bid, deposit and vote: three transactions signed')
  await eventually(() => card.getByTestId('my-vote').textContent(), (t) => t === 'You voted for with 100 MRC.', { what: 'own vote' })
  assert.equal(await card.getByRole('button', { name: 'Vote for' }).count(), 0, 'no second vote offered')
  const proposal = await readProposal(stack.solanaRpcUrl, sol.programs.governance, demo.proposal)
  assert.deepEqual(await readVote(stack.solanaRpcUrl, sol.programs.governance, proposal.account, wallet.address), { side: 0, weight: 100n * MRC })
  assert.equal(proposal.votesFor, 100n * MRC)
  const indexedProposal = await eventually(() => indexer(`/proposals/${demo.proposal}`), (p) => p.voters === 1, { what: 'vote indexed' })
  assert.equal(indexedProposal.votes_for, proposal.votesFor.toString())
  assert.equal(indexedProposal.votes_against, proposal.votesAgainst.toString())
  await eventually(() => card.getByTestId('votes-for').textContent(), (t) => t === '100 MRC', { what: 'the tally shows the vote' })
  await screenshot(page, stack.artifacts, 'solana-dao-wallet-phone')
  await page.context().close()
})

test('the chain switch: kept across reloads, in the URL; every page has its Solana version', { timeout: 60_000 }, async () => {
  const page = await newPage(browser)
  await page.goto(`${stack.appUrl}/#/market`)
  const sw = page.getByTestId('chain-switch')
  await sw.getByRole('button', { name: 'Solana' }).click()
  await page.getByTestId('solana-market').waitFor()
  assert.equal(new URL(page.url()).searchParams.get('chain'), 'solana')
  await page.goto(`${stack.appUrl}/#/inventory`) // no ?chain: the stored choice
  const solanaTitle = page.getByRole('heading', { name: 'Inventory on Solana' })
  await solanaTitle.waitFor()
  assert.equal(await page.getByTestId('evm-only').count(), 0)
  await sw.getByRole('button', { name: 'EVM' }).click()
  await solanaTitle.waitFor({ state: 'detached' })
  assert.equal(new URL(page.url()).searchParams.get('chain'), 'evm')
  assert.equal(await sw.getByRole('button', { name: 'EVM' }).getAttribute('aria-pressed'), 'true')
  await page.context().close()
})

test('Prices on Solana: last sale and sale count as the indexer\'s /solana/v1/prices answer (the demo sale and the test\'s buy)', { timeout: 90_000 }, async () => {
  const page = await newPage(browser)
  // The demo's one Solana sale: "Leather Cap" (class 2) sold at a fixed 40 MRC, in the manifest's Solana collection.
  const sold = await indexer('/listings?status=sold')
  const sale = sold.items.find((l) => l.start_price === String(40n * MRC))
  assert.ok(sale, `the demo's 40 MRC sale is indexed: ${JSON.stringify(sold.items)}`)
  assert.equal(sale.nft, sol.accounts.collection, 'the indexer prices the manifest\'s Solana collection')
  const item = await indexer(`/items/${sale.token_id}`)
  assert.equal(item.class, 2)

  await page.goto(`${stack.appUrl}/?chain=solana#/prices`)
  await page.getByRole('heading', { name: 'Prices on Solana' }).waitFor({ timeout: 30_000 })
  await page.getByLabel('Item class').selectOption('2')
  for (const [testId, path] of [
    ['price-class', '/prices/classes/2'],
    ['price-collection', `/prices/collections/${sol.accounts.collection}`],
  ]) {
    const card = page.getByTestId(testId)
    const shown = async () => ({
      last: await card.getByTestId('last-sale').textContent(),
      trades: await card.getByTestId('week-trades').textContent(),
    })
    // The page polls; the answer is read again on every try, so a sale indexed meanwhile cannot make it flaky.
    const expectedNow = async () => {
      const answer = await indexer(path)
      assert.ok(answer.last_sale_price !== null && answer.trades_7d >= 1, `${path}: the demo sale is priced: ${JSON.stringify(answer)}`)
      return { last: solMrcText(BigInt(answer.last_sale_price)), trades: answer.trades_7d === 1 ? '1 sale' : `${answer.trades_7d} sales` }
    }
    await eventually(
      async () => [await shown(), await expectedNow()],
      ([got, want]) => got.last === want.last && got.trades === want.trades,
      { what: `${testId} shows the indexer's last sale and count` },
    )
  }
  await page.getByRole('combobox', { name: 'Candles' }).selectOption('1d')
  await eventually(
    async () => {
      const { items } = await indexer('/prices/classes/2/candles?interval=1d')
      return [await page.getByTestId('candle-last').textContent(), `close ${solMrcText(BigInt(items.at(-1).close))} `]
    },
    ([text, close]) => (text ?? '').includes(close),
    { what: 'the latest day candle closes where the indexer says' },
  )
  await screenshot(page, stack.artifacts, 'solana-prices')
  await page.context().close()
})

test('Economy on Solana: the supply shown is the MRC mint\'s supply on the chain (getTokenSupply)', { timeout: 90_000 }, async () => {
  const page = await newPage(browser)
  const chainSupply = async () => {
    const { value } = await solanaRpc(stack.solanaRpcUrl).getTokenSupply(sol.accounts.currencyMint, { commitment: 'confirmed' }).send()
    assert.equal(value.decimals, 9)
    return BigInt(value.amount)
  }
  const supply = await chainSupply()
  assert.ok(supply > 0n, 'the genesis mint made a supply')
  await page.goto(`${stack.appUrl}/?chain=solana#/economy`)
  await page.getByRole('heading', { name: 'Economy on Solana' }).waitFor({ timeout: 30_000 })
  const value = page.getByTestId('metric-supply-value')
  await eventually(
    async () => [await value.textContent(), solMrcText(await chainSupply())],
    ([shown, expected]) => shown === expected,
    { what: `the supply shown equals the mint's supply (${solMrcText(supply)})` },
  )
  await screenshot(page, stack.artifacts, 'solana-economy')
  await page.context().close()
})

test('Inventory on Solana: the demo buyer (a wallet user) sees the Leather Cap with the indexer\'s attributes and its sale', { timeout: 90_000 }, async () => {
  const page = await newPage(browser)
  const wallet = await installSolanaWallet(page, { seed: demoTraderSeed(1) })
  assert.equal(wallet.address, demo.traders.buyer)
  const owned = await indexer(`/accounts/${wallet.address}/items`)
  const cap = owned.items.find((i) => i.mint === demo.sold)
  assert.ok(cap, `the buyer holds the item the demo sold: ${JSON.stringify(owned.items)}`)
  assert.equal(cap.class, 2)

  await page.goto(`${stack.appUrl}/?chain=solana#/signin`)
  await page.getByRole('button', { name: 'Connect Mercato Test Wallet' }).click()
  assert.equal((await page.getByTestId('sol-address').textContent({ timeout: 30_000 })).trim(), wallet.address)
  await page.goto(`${stack.appUrl}/?chain=solana#/inventory`)
  const card = page.getByTestId(`inventory-item-${cap.token_id}`)
  await card.waitFor({ timeout: 30_000 })
  assert.equal(await page.locator('[data-testid^=inventory-item-]').count(), owned.items.length)
  const rarities = ['Common', 'Uncommon', 'Rare', 'Epic', 'Legendary']
  assert.equal(await card.getByTestId('item-attributes').textContent(), `class ${cap.class} · ${rarities[cap.rarity]} · power ${cap.power} · mint ${cap.mint.slice(0, 6)}…${cap.mint.slice(-4)}`)
  await card.getByRole('button', { name: 'History' }).click()
  const history = await indexer(`/items/${cap.token_id}/history`)
  const sale = history.items.find((e) => e.kind === 'sale')
  assert.equal(sale?.price, String(40n * MRC))
  await eventually(() => card.getByTestId('item-history').locator('li').allTextContents(), (rows) => rows.length === history.items.length, { what: 'one row per event' })
  assert.match((await card.getByTestId('item-history').textContent()) ?? '', /sale for 40 MRC from /)
  await screenshot(page, stack.artifacts, 'solana-inventory')
  await page.context().close()
})

// Runs last: it lists the demo buyer's Leather Cap (the inventory test above reads it in the buyer's hands).
test('a Solana wallet user pays the fee itself: lists a Dutch auction, cancels it and proposes a market fee; a custodial user withdraws her credits', { timeout: 240_000 }, async () => {
  const step = phases('sol-self-paid')
  const page = await newPage(browser)
  const wallet = await installSolanaWallet(page, { seed: demoTraderSeed(1) })
  // Any request that would make the relayer pay: a sponsored prepare, a co-signed transaction, custodial instructions.
  const sponsored = []
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname
    const selfPaid = (request.postData() ?? '').includes('"pay_fee":"signer"')
    if (/^\/api\/v1\/solana\/(transactions|instructions)$/.test(path) || (path === '/api/v1/solana/prepare' && !selfPaid)) {
      sponsored.push(path)
    }
  })

  step('connect the wallet; choose to pay the fee')
  await page.goto(`${stack.appUrl}/?chain=solana#/signin`)
  await page.getByRole('button', { name: 'Connect Mercato Test Wallet' }).click()
  assert.equal((await page.getByTestId('sol-address').textContent({ timeout: 30_000 })).trim(), wallet.address)
  const owned = await indexer(`/accounts/${wallet.address}/items`)
  const cap = owned.items.find((i) => i.mint === demo.sold)
  assert.ok(cap, 'the buyer holds the Leather Cap')
  await page.goto(`${stack.appUrl}/?chain=solana#/inventory`)
  const card = page.getByTestId(`inventory-item-${cap.token_id}`)
  await card.waitFor({ timeout: 30_000 })
  const solBefore = await lamports(stack.solanaRpcUrl, wallet.address)
  const choice = page.getByTestId('sol-fee-choice')
  const solText = `${solBefore / 1_000_000_000n}.${(solBefore % 1_000_000_000n).toString().padStart(9, '0').slice(0, 4)}`.replace(/\.?0+$/, '')
  await eventually(() => choice.textContent(), (t) => t.includes(`you have ${solText} SOL`), { what: 'the SOL balance shown' })
  await choice.getByLabel(/I pay the fee myself/).check()
  assert.match(await page.getByTestId('solana-actor').textContent(), /your Solana wallet signs and pays the fee/)

  step('list the Leather Cap as a Dutch auction: 50 MRC falling to 10 over 60 minutes')
  await card.getByText('List this item').click()
  await card.getByRole('button', { name: 'Dutch' }).click()
  await card.getByLabel('Start price (MRC)').fill('50')
  await card.getByLabel('Floor price (MRC)').fill('10')
  // A floor above the start is refused before anything is built or signed.
  await card.getByLabel('Floor price (MRC)').fill('60')
  await card.getByRole('button', { name: 'List it' }).click()
  assert.equal(await card.locator('.field-error').textContent(), 'The floor must be an amount below the start price.')
  await card.getByLabel('Floor price (MRC)').fill('10')
  await card.getByRole('button', { name: 'List it' }).click()
  const listed = await finishedSteps(page.getByTestId('solana-inventory'), 1)
  assert.deepEqual(listed.statuses, ['confirmed'], listed.texts.join('\n'))
  assert.equal(await page.getByTestId('solana-inventory').getByTestId('tx-step').getAttribute('data-paid-by'), 'you')
  assert.match(listed.texts[0], /List as a Dutch auction, 50 MRC falling to 10 MRC[\s\S]*Confirmed in slot \d+/)
  const signedList = wallet.signed.at(-1)
  assert.equal(signedList.feePayer, wallet.address, 'the wallet is the fee payer')
  assert.deepEqual(signedList.signers, [wallet.address], 'and the only signer')
  const listing = await readListing(stack.solanaRpcUrl, sol.programs.auction, cap.mint)
  assert.deepEqual([listing.kind, listing.seller, listing.startPrice], [1, wallet.address, 50n * MRC], 'a Dutch listing on chain')
  // The wallet paid exactly the transaction's fee and the rent of the accounts it created (listing, escrow).
  const listTx = await lastTransaction(stack.solanaRpcUrl, wallet.address)
  assert.equal(listTx.feePayer, wallet.address)
  assert.ok(listTx.created.length >= 2, `the listing and its escrow were created: ${listTx.created}`)
  const afterList = await lamports(stack.solanaRpcUrl, wallet.address)
  assert.equal(solBefore - afterList, listTx.fee + listTx.rent, 'SOL spent = fee + rent')
  const indexedDutch = await eventually(
    () => indexer(`/listings?kind=dutch&status=open&seller=${wallet.address}`).then((p) => p.items[0]),
    (l) => l !== undefined,
    { what: 'the indexer has the Dutch listing' },
  )
  assert.equal(indexedDutch.start_price, (50n * MRC).toString())
  assert.equal(indexedDutch.floor_price, (10n * MRC).toString())

  step('the seller sees no buy button on its own listing, only a cancel: it cancels, and the cap comes back')
  await page.goto(`${stack.appUrl}/?chain=solana#/listing/${indexedDutch.listing_id}`)
  const own = page.getByTestId('solana-action')
  await own.getByRole('button', { name: 'Cancel the listing' }).waitFor({ timeout: 30_000 })
  assert.equal(await own.getByRole('button', { name: /^Buy for/ }).count(), 0)
  await own.getByRole('button', { name: 'Cancel the listing' }).click()
  const cancelled = await finishedSteps(own, 1)
  assert.deepEqual(cancelled.statuses, ['confirmed'], cancelled.texts.join('\n'))
  assert.equal(await readListing(stack.solanaRpcUrl, sol.programs.auction, cap.mint), null, 'the listing account is closed')
  await eventually(() => indexer(`/items/${cap.token_id}`), (i) => i.owner === wallet.address, { what: 'the cap is the wallet\'s again' })
  await eventually(() => indexer(`/listings/${indexedDutch.listing_id}`), (l) => l.status === 'cancelled', { what: 'indexed as cancelled' })

  step('propose a 2.5% market fee (the wallet deposited 100 MRC in an earlier test; the threshold is 1 MRC)')
  await page.getByRole('link', { name: 'DAO' }).click()
  const propose = page.getByTestId('sol-propose')
  await propose.getByText('Propose a parameter change').click()
  await propose.getByLabel(/New value/).fill('250')
  await propose.getByRole('button', { name: 'Propose' }).click()
  const proposed = await finishedSteps(propose, 1)
  assert.deepEqual(proposed.statuses, ['confirmed'], proposed.texts.join('\n'))
  assert.match(proposed.texts[0], /Propose: market fee to 2\.5% \(250 bps\)/)
  assert.equal(wallet.signed.at(-1).feePayer, wallet.address, 'self-paid again')
  const indexedProposal = await eventually(
    () => indexer('/proposals').then((p) => p.items.find((x) => x.proposer === wallet.address)),
    (p) => p !== undefined,
    { what: 'the indexer has the proposal' },
  )
  const onChain = await readProposal(stack.solanaRpcUrl, sol.programs.governance, indexedProposal.proposal_id)
  assert.equal(onChain.author, wallet.address)
  assert.deepEqual(onChain.change, { variant: 0, value: 250 }, 'MarketFeeBps(250)')
  const proposalCard = page.getByTestId(`sol-proposal-${indexedProposal.proposal_id}`)
  await proposalCard.waitFor({ timeout: 30_000 })
  assert.equal(await proposalCard.getByTestId('proposal-state').textContent(), 'active')
  // The parameter history is the indexer's (no parameter has changed on this node yet: the proposals are open).
  const changes = await indexer('/parameters/history')
  const panel = page.getByTestId('sol-parameters')
  if (changes.items.length === 0) await panel.getByText('No parameter has changed since the deployment.').waitFor()
  else assert.equal(await panel.locator('[data-testid^=change-]').count(), changes.items.length)
  assert.deepEqual(sponsored, [], 'the relayer was asked to pay for nothing')
  await screenshot(page, stack.artifacts, 'solana-dao-propose-self-paid')
  await page.context().close()

  step('the custodial user, outbid in the wallet test, sees her 130 MRC of credits and withdraws them')
  const her = await newPage(browser)
  await her.goto(`${stack.appUrl}/?chain=solana#/signin`)
  await her.getByRole('button', { name: 'I have an account' }).click()
  await her.getByLabel('Email', { exact: true }).fill(EMAIL)
  await her.getByLabel('Password', { exact: true }).fill(PASSWORD)
  await her.getByRole('button', { name: 'Log in' }).click()
  assert.equal((await her.getByTestId('sol-address').textContent({ timeout: 30_000 })).trim(), custodial)
  const credits = await readCredits(stack.solanaRpcUrl, sol.programs.auction, custodial)
  assert.equal(credits, 130n * MRC, 'her outbid 130 MRC bid is credited back')
  await eventually(() => her.getByTestId('sol-credits').textContent(), (t) => t === '130 MRC', { what: 'credits shown' })
  const currency = await currencyAccount(custodial, sol.accounts.currencyMint)
  const balance = await tokenBalance(stack.solanaRpcUrl, currency)
  await her.getByRole('button', { name: 'Withdraw credits to your balance' }).click()
  const withdrawn = await finishedSteps(her.getByTestId('solana-account'), 1)
  assert.deepEqual(withdrawn.statuses, ['confirmed'], withdrawn.texts.join('\n'))
  assert.equal(await readCredits(stack.solanaRpcUrl, sol.programs.auction, custodial), 0n)
  assert.equal(await tokenBalance(stack.solanaRpcUrl, currency), balance + credits, 'the credits reached her balance')
  await eventually(() => her.getByTestId('sol-credits').textContent(), (t) => t === '0 MRC', { what: 'credits gone' })
  // The indexer-backed balance catches up with the chain's.
  await eventually(() => her.getByTestId('sol-balance').textContent(), (t) => t === solMrcText(balance + credits), { what: 'balance shown' })
  assert.equal(await lamports(stack.solanaRpcUrl, custodial), 0n, 'still no SOL')
  await screenshot(her, stack.artifacts, 'solana-account-credits')
  await her.context().close()
})
