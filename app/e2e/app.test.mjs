// The app in real headless Chromium against the real local stack (e2e/stack.mjs): anvil, the deploy script, Postgres,
// the relayer and the built app. Custodial and wallet users bid, buy and vote with zero ETH; refusals show the
// relayer's reason. Every assertion is made on the chain (viem reads) and in the page.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { createPublicClient, createWalletClient, defineChain, encodeFunctionData, http, keccak256, parseEther, toBytes } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { eventually, finishedSteps, launchChromium, newPage, screenshot } from './helpers.mjs'
import { ANVIL_KEYS, APP, startStack } from './stack.mjs'
import { installWallet } from './wallet.mjs'

const { tokenAbi, itemsAbi, auctionHouseAbi, governorAbi, economyConfigAbi } = JSON.parse(
  readFileSync(join(APP, 'src', 'generated', 'abis.json'), 'utf8'),
)
const MRC = 10n ** 18n
const EMAIL = 'gina@example.com'
const PASSWORD = "gina's long password"

let stack, browser, chain, c
const listings = {} // kind -> listing id
const itemOf = {} // kind -> item id
let proposalId
let gina // the custodial user's address

/** Writes as `key` and waits for the receipt (explicit gas: an estimate can miss a new vote checkpoint). */
async function send(key, address, abi, functionName, args) {
  const wallet = createWalletClient({ account: privateKeyToAccount(key), chain: chain.definition, transport: http(stack.rpcUrl) })
  const hash = await wallet.writeContract({ address, abi, functionName, args, gas: 1_000_000n })
  const receipt = await chain.public.waitForTransactionReceipt({ hash, timeout: 30_000 })
  assert.equal(receipt.status, 'success', `${functionName} reverted`)
  return receipt
}

/** Progress lines on stderr with the seconds since the test started, to see where the time goes. */
function phases(name) {
  const start = Date.now()
  return (what) => process.stderr.write(`[${name} +${((Date.now() - start) / 1000).toFixed(1)} s] ${what}\n`)
}

const read = (address, abi, functionName, args = []) => chain.public.readContract({ address, abi, functionName, args })

before(async () => {
  stack = await startStack()
  const evm = stack.manifest.evm
  c = evm.contracts
  const definition = defineChain({
    id: evm.chainId,
    name: 'anvil',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [stack.rpcUrl] } },
  })
  chain = { definition, public: createPublicClient({ chain: definition, transport: http(stack.rpcUrl) }) }
  browser = await launchChromium()

  // The seller (anvil account 1) lists three items, one of each kind; the studio mints them (the deployer is the
  // game server on a local chain). The wallet user (account 5) gets 1,000 MRC and no ETH.
  const seller = privateKeyToAccount(ANVIL_KEYS[1]).address
  const wallet = privateKeyToAccount(ANVIL_KEYS[5]).address
  const first = await read(c.items, itemsAbi, 'nextTokenId')
  for (const [i, kind] of ['English', 'Dutch', 'Fixed'].entries()) {
    itemOf[kind] = first + BigInt(i)
    await send(ANVIL_KEYS[0], c.items, itemsAbi, 'mint', [seller, { class: 1 + i, rarity: i, power: 100 * (i + 1) }])
  }
  await send(ANVIL_KEYS[1], c.items, itemsAbi, 'setApprovalForAll', [c.auctionHouse, true])
  listings.English = await read(c.auctionHouse, auctionHouseAbi, 'nextListingId')
  await send(ANVIL_KEYS[1], c.auctionHouse, auctionHouseAbi, 'createEnglish', [c.items, itemOf.English, 10n * MRC, 600])
  listings.Dutch = listings.English + 1n
  await send(ANVIL_KEYS[1], c.auctionHouse, auctionHouseAbi, 'createDutch', [c.items, itemOf.Dutch, 50n * MRC, 5n * MRC, 600])
  listings.Fixed = listings.English + 2n
  await send(ANVIL_KEYS[1], c.auctionHouse, auctionHouseAbi, 'createFixed', [c.items, itemOf.Fixed, 5n * MRC])
  await send(ANVIL_KEYS[0], c.token, tokenAbi, 'transfer', [wallet, 1_000n * MRC])
  await chain.public.request({ method: 'anvil_setBalance', params: [wallet, '0x0'] })
})

after(async () => {
  await browser?.close()
  await stack?.stop()
})

test('a custodial user signs up, bids on an English auction and votes with zero ETH', { timeout: 240_000 }, async () => {
  const step = phases('custodial')
  const page = await newPage(browser)
  // What the page asks the relayer (through the app server's /api path).
  const relayerCalls = []
  page.on('request', (request) => {
    const url = new URL(request.url())
    if (url.pathname.startsWith('/api/')) {
      relayerCalls.push({ call: `${request.method()} ${url.pathname}`, key: request.headers()['idempotency-key'] })
    }
  })
  step('sign-up page')
  await page.goto(`${stack.appUrl}/#/signin`)
  await screenshot(page, stack.artifacts, 'signin')
  await page.getByLabel('Email', { exact: true }).fill(EMAIL)
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
  await page.getByRole('button', { name: 'Create account' }).click()

  // The account page shows the custodial addresses the relayer created.
  const addressText = await page.getByTestId('evm-address').textContent({ timeout: 30_000 })
  gina = addressText.trim()
  assert.match(gina, /^0x[0-9a-fA-F]{40}$/)
  assert.match(await page.getByTestId('solana-address').textContent(), /^[1-9A-HJ-NP-Za-km-z]{32,44}$/)
  assert.equal(await chain.public.getBalance({ address: gina }), 0n, 'a custodial user never holds ETH')

  // The studio pays her 1,000 MRC (auto-delegated: votes too); then a proposal opens, with her votes in its snapshot.
  step('funding')
  await send(ANVIL_KEYS[0], c.token, tokenAbi, 'transfer', [gina, 1_000n * MRC])
  const change = encodeFunctionData({ abi: economyConfigAbi, functionName: 'setMarketFeeBps', args: [300] })
  const description = 'Raise the market fee to 3%\nFees fund the treasury.'
  await send(ANVIL_KEYS[0], c.governor, governorAbi, 'propose', [[c.economyConfig], [0n], [change], description])
  proposalId = await read(c.governor, governorAbi, 'hashProposal', [[c.economyConfig], [0n], [change], keccak256(toBytes(description))])
  await eventually(() => read(c.governor, governorAbi, 'state', [proposalId]), (s) => s === 1, { what: 'the proposal is active' })

  // A reload keeps the session (sessionStorage) and reads the new balance.
  step('reload')
  await page.reload()
  await eventually(() => page.getByTestId('mrc-balance').textContent(), (t) => t === '1,000 MRC', { what: 'balance shown' })
  assert.equal(await page.getByTestId('voting-power').textContent(), '1,000 MRC')
  assert.match(await page.getByTestId('eth-balance').textContent(), /^0 ETH/)
  await screenshot(page, stack.artifacts, 'account-custodial')

  // Bid 20 MRC: the app approves the house first, then bids; both through the relayer, followed to "confirmed".
  step('bid')
  await page.getByRole('link', { name: 'Market' }).click()
  const card = page.getByTestId(`listing-${listings.English}`)
  await card.getByLabel('Your bid (MRC)').fill('20')
  await card.getByRole('button', { name: 'Place bid' }).click()
  const bid = await finishedSteps(card, 2)
  assert.deepEqual(bid.statuses, ['confirmed', 'confirmed'], bid.texts.join('\n---\n'))
  assert.match(bid.texts[0], /Allow the auction house to take 20 MRC/)
  assert.match(bid.texts[1], /Bid 20 MRC[\s\S]*Confirmed in block \d+/)
  const listing = await read(c.auctionHouse, auctionHouseAbi, 'listing', [listings.English])
  assert.equal(listing.highBidder, gina)
  assert.equal(listing.highBid, 20n * MRC)
  step('bid confirmed')
  await eventually(() => card.getByTestId('high-bid').textContent(), (t) => t === '20 MRC by you', { what: 'high bid shown' })
  // The bid field moves on to the new minimum (20 MRC + 5%).
  assert.equal(await card.getByTestId('minimum-bid').textContent(), '21 MRC')
  await eventually(() => card.getByLabel('Your bid (MRC)').inputValue(), (v) => v === '21', { what: 'bid field reset' })
  await screenshot(page, stack.artifacts, 'market-custodial-bid')

  // Vote for the proposal.
  step('vote')
  await page.getByRole('link', { name: 'DAO' }).click()
  const proposal = page.locator(`[data-proposal-id="${proposalId}"]`)
  assert.equal(await proposal.getByTestId('proposal-state').textContent({ timeout: 30_000 }), 'Active')
  await proposal.getByRole('button', { name: 'Vote For' }).click()
  const vote = await finishedSteps(proposal, 1)
  assert.deepEqual(vote.statuses, ['confirmed'], vote.texts.join('\n'))
  assert.equal(await read(c.governor, governorAbi, 'hasVoted', [proposalId, gina]), true)
  const [against, inFavour] = await read(c.governor, governorAbi, 'proposalVotes', [proposalId])
  assert.equal(inFavour, 1_000n * MRC)
  assert.equal(against, 0n)
  await proposal.getByTestId('voted').waitFor()
  assert.equal(await proposal.getByTestId('tally-for').textContent(), '1,000 MRC')
  await screenshot(page, stack.artifacts, 'dao-custodial-vote')
  assert.equal(await chain.public.getBalance({ address: gina }), 0n, 'still no ETH: the relayer paid')

  // Three sponsored calls (approve, bid, vote), each with its own Idempotency-Key, each followed over the event
  // stream to the end (no fallback to polling).
  const posts = relayerCalls.filter((r) => r.call === 'POST /api/v1/evm/calls')
  assert.equal(posts.length, 3, JSON.stringify(relayerCalls))
  assert.equal(new Set(posts.map((p) => p.key)).size, 3)
  for (const post of posts) assert.match(post.key, /^[0-9a-f-]{36}$/)
  const streams = relayerCalls.filter((r) => /^GET \/api\/v1\/requests\/\d+\/events$/.test(r.call))
  assert.equal(streams.length, 3, JSON.stringify(relayerCalls))
  assert.equal(relayerCalls.filter((r) => /^GET \/api\/v1\/requests\/\d+$/.test(r.call)).length, 0, 'no polling')

  // Log out ends the session on the relayer too.
  step('log out')
  const token = await page.evaluate(() => JSON.parse(sessionStorage.getItem('mercato.session')).token)
  await page.getByRole('button', { name: 'Log out' }).click()
  await page.getByTestId('who').getByRole('link', { name: 'Sign in' }).waitFor()
  assert.equal(await page.evaluate(() => sessionStorage.getItem('mercato.session')), null)
  step('logged out in the page')
  // The page signs out at once and ends the session on the relayer in the background: wait for that request.
  const status = await eventually(
    () => fetch(`${stack.relayerUrl}/v1/me`, { headers: { Authorization: `Bearer ${token}` } }).then((r) => r.status),
    (s) => s === 401,
    { timeout: 10_000, what: 'the old token refused' },
  )
  assert.equal(status, 401)
  step('session refused by the relayer')
  await page.context().close()
  step('closed')
})

test('a wallet user signs forward requests: outbids, buys at a fixed price and votes with zero ETH', { timeout: 240_000 }, async () => {
  const page = await newPage(browser, { viewport: { width: 390, height: 844 } }) // phone-sized
  const wallet = await installWallet(page, { privateKey: ANVIL_KEYS[5], rpcUrl: stack.rpcUrl, chainId: stack.manifest.evm.chainId })
  await page.goto(`${stack.appUrl}/#/signin`)
  await page.getByRole('button', { name: 'Connect wallet' }).click()
  assert.equal((await page.getByTestId('evm-address').textContent({ timeout: 30_000 })).trim(), wallet.address)
  await eventually(() => page.getByTestId('mrc-balance').textContent(), (t) => t === '1,000 MRC', { what: 'balance shown' })

  // Outbid the custodial user with 30 MRC.
  await page.getByRole('link', { name: 'Market' }).click()
  const english = page.getByTestId(`listing-${listings.English}`)
  await english.getByLabel('Your bid (MRC)').fill('30')
  await english.getByRole('button', { name: 'Place bid' }).click()
  const bid = await finishedSteps(english, 2)
  assert.deepEqual(bid.statuses, ['confirmed', 'confirmed'], bid.texts.join('\n---\n'))
  const listing = await read(c.auctionHouse, auctionHouseAbi, 'listing', [listings.English])
  assert.equal(listing.highBidder, wallet.address)
  assert.equal(listing.highBid, 30n * MRC)
  await eventually(() => english.getByTestId('high-bid').textContent(), (t) => t === '30 MRC by you', { what: 'high bid shown' })

  // What the wallet signed: ForwardRequests for the Mercato forwarder on this chain, from its own address.
  assert.equal(wallet.signed.length, 2)
  for (const typed of wallet.signed) {
    assert.equal(typed.primaryType, 'ForwardRequest')
    assert.deepEqual(
      { name: typed.domain.name, version: typed.domain.version, chainId: typed.domain.chainId },
      { name: 'MercatoForwarder', version: '1', chainId: stack.manifest.evm.chainId },
    )
    assert.equal(typed.domain.verifyingContract.toLowerCase(), c.forwarder.toLowerCase())
    assert.equal(typed.message.from.toLowerCase(), wallet.address.toLowerCase())
    assert.equal(typed.message.value, 0n)
  }
  assert.deepEqual(wallet.signed.map((t) => t.message.to.toLowerCase()), [c.token, c.auctionHouse].map((a) => a.toLowerCase()))

  // Buy the fixed-price item.
  const fixed = page.getByTestId(`listing-${listings.Fixed}`)
  await fixed.getByRole('button', { name: 'Buy for 5 MRC' }).click()
  const buy = await finishedSteps(fixed, 2)
  assert.deepEqual(buy.statuses, ['confirmed', 'confirmed'], buy.texts.join('\n---\n'))
  assert.equal(await read(c.items, itemsAbi, 'ownerOf', [itemOf.Fixed]), wallet.address)
  await screenshot(page, stack.artifacts, 'market-wallet-phone')

  // Vote against.
  await page.getByRole('link', { name: 'DAO' }).click()
  const proposal = page.locator(`[data-proposal-id="${proposalId}"]`)
  await proposal.getByRole('button', { name: 'Vote Against' }).click()
  const vote = await finishedSteps(proposal, 1)
  assert.deepEqual(vote.statuses, ['confirmed'], vote.texts.join('\n'))
  assert.equal(await read(c.governor, governorAbi, 'hasVoted', [proposalId, wallet.address]), true)
  const [against] = await read(c.governor, governorAbi, 'proposalVotes', [proposalId])
  assert.equal(against, 1_000n * MRC)
  await eventually(() => proposal.getByTestId('tally-against').textContent(), (t) => t === '1,000 MRC', { what: 'tally shown' })
  await screenshot(page, stack.artifacts, 'dao-wallet-phone')

  // The item is in the inventory; the wallet still has no ETH.
  await page.getByRole('link', { name: 'Account' }).click()
  await page.getByTestId('items').getByText(`Item #${itemOf.Fixed}`).waitFor({ timeout: 30_000 })
  await screenshot(page, stack.artifacts, 'account-wallet-phone')
  assert.equal(await chain.public.getBalance({ address: wallet.address }), 0n)
  await page.context().close()
})

test('refusals show the reason: expired session, wrong password, a bid below the minimum, a declined signature', { timeout: 180_000 }, async () => {
  const before = await read(c.auctionHouse, auctionHouseAbi, 'listing', [listings.English])

  // A stored session the relayer no longer knows (expired, or ended elsewhere) is dropped at load.
  const page = await newPage(browser)
  await page.goto(`${stack.appUrl}/#/account`)
  await page.evaluate(() => sessionStorage.setItem('mercato.session', JSON.stringify({ token: 'expired-token' })))
  await page.reload()
  await page.getByTestId('who').getByRole('link', { name: 'Sign in' }).waitFor()
  assert.equal(await page.evaluate(() => sessionStorage.getItem('mercato.session')), null)

  // Wrong password: the relayer's invalid_credentials, in words.
  await page.goto(`${stack.appUrl}/#/signin`)
  await page.getByRole('button', { name: 'I have an account' }).click()
  await page.getByLabel('Email', { exact: true }).fill(EMAIL)
  await page.getByLabel('Password', { exact: true }).fill('not the password at all')
  await page.getByRole('button', { name: 'Log in' }).click()
  const refused = page.getByTestId('signin-error')
  assert.equal(await refused.getByTestId('error-reason').textContent({ timeout: 30_000 }), 'invalid_credentials')
  assert.match(await refused.textContent(), /do not match an account/)

  // The right password; then a bid of 1 MRC where 31.5 is the minimum: refused by the relayer's simulation, and the
  // contract's AuctionHouseBidTooLow decoded from the revert data it returns.
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
  await page.getByRole('button', { name: 'Log in' }).click()
  await page.getByTestId('evm-address').waitFor({ timeout: 30_000 })
  await page.getByRole('link', { name: 'Market' }).click()
  const card = page.getByTestId(`listing-${listings.English}`)
  await card.getByLabel('Your bid (MRC)').fill('1')
  await card.getByRole('button', { name: 'Place bid' }).click()
  const result = await finishedSteps(card, 1)
  assert.equal(result.statuses.at(-1), 'failed', result.texts.join('\n'))
  const error = card.getByTestId('error')
  assert.equal(await error.getByTestId('error-reason').textContent(), 'simulation_failed')
  assert.match(await error.textContent(), /Your bid of 1 MRC is below the minimum bid of 31\.5 MRC/)
  await screenshot(page, stack.artifacts, 'market-refused-bid')
  await page.context().close()

  // A wallet user who declines the signature: nothing is sent, and the app says so.
  const walletPage = await newPage(browser)
  const wallet = await installWallet(walletPage, { privateKey: ANVIL_KEYS[5], rpcUrl: stack.rpcUrl, chainId: stack.manifest.evm.chainId })
  await walletPage.goto(`${stack.appUrl}/#/signin`)
  await walletPage.getByRole('button', { name: 'Connect wallet' }).click()
  await walletPage.getByTestId('evm-address').waitFor({ timeout: 30_000 })
  await walletPage.getByRole('link', { name: 'Market' }).click()
  const dutch = walletPage.getByTestId(`listing-${listings.Dutch}`)
  wallet.declineNextSignature()
  await dutch.getByRole('button', { name: /^Buy for/ }).click()
  const declined = await finishedSteps(dutch, 1)
  assert.equal(declined.statuses.at(-1), 'failed', declined.texts.join('\n'))
  assert.equal(await dutch.getByTestId('error-reason').textContent(), 'rejected')
  assert.match(await dutch.getByTestId('error').textContent(), /You declined the request in your wallet/)
  assert.equal(wallet.signed.length, 0)
  await walletPage.context().close()

  // Nothing changed on chain.
  assert.deepEqual(await read(c.auctionHouse, auctionHouseAbi, 'listing', [listings.English]), before)
  assert.equal(await read(c.items, itemsAbi, 'ownerOf', [itemOf.Dutch]), c.auctionHouse)
})

/**
 * Presses Tab until the focused element's accessible text matches `name` (a button's text, an input's label) and
 * checks that the page shows where the focus is; fails when `name` cannot be reached with the keyboard.
 */
async function tabTo(page, name) {
  for (let presses = 0; presses < 60; presses++) {
    await page.keyboard.press('Tab')
    const focused = await page.evaluate(() => {
      const el = document.activeElement
      const text = (el.labels?.[0] ?? el).textContent?.replace(/\s+/g, ' ').trim() ?? ''
      return { text, outline: getComputedStyle(el).outlineStyle }
    })
    if (focused.text.startsWith(name)) {
      assert.notEqual(focused.outline, 'none', `"${name}" shows a focus outline`)
      return
    }
  }
  assert.fail(`"${name}" cannot be reached with Tab`)
}

test('keyboard only: the outbid custodial user logs in and withdraws the refunded bid (credits) gaslessly', { timeout: 120_000 }, async () => {
  assert.equal(await read(c.auctionHouse, auctionHouseAbi, 'credits', [gina]), 20n * MRC, 'outbid: 20 MRC credited')
  const page = await newPage(browser)
  await page.goto(`${stack.appUrl}/#/signin`)
  await tabTo(page, 'I have an account')
  await page.keyboard.press('Enter')
  await tabTo(page, 'Email')
  await page.keyboard.type(EMAIL)
  await tabTo(page, 'Password')
  await page.keyboard.type(PASSWORD)
  await page.keyboard.press('Enter') // submits the form
  assert.equal(await page.getByTestId('credits').textContent({ timeout: 30_000 }), '20 MRC')
  assert.equal(await page.getByTestId('mrc-balance').textContent(), '980 MRC')
  const withdraw = page.getByTestId('withdraw-credits')
  await tabTo(page, 'Withdraw credits to your balance')
  await page.keyboard.press('Enter')
  const done = await finishedSteps(withdraw, 1)
  assert.deepEqual(done.statuses, ['confirmed'], done.texts.join('\n'))
  assert.equal(await read(c.auctionHouse, auctionHouseAbi, 'credits', [gina]), 0n)
  assert.equal(await read(c.token, tokenAbi, 'balanceOf', [gina]), 1_000n * MRC)
  await eventually(() => page.getByTestId('mrc-balance').textContent(), (t) => t === '1,000 MRC', { what: 'balance shown' })
  assert.equal(await page.getByTestId('credits').textContent(), '0 MRC')
  assert.equal(await chain.public.getBalance({ address: gina }), 0n)
  await page.context().close()
})
