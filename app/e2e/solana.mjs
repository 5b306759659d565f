// Solana for the browser tests: the localnet's well-known keys (crates/mercato-solana-node/src/localnet.rs), reads of
// the programs' accounts straight from the node (to check the page and the indexer against the chain), and one
// plain SPL transfer to give a custodial user MRC. @solana/kit does the keys, PDAs and the transaction.
import {
  AccountRole,
  address,
  appendTransactionMessageInstructions,
  createKeyPairSignerFromPrivateKeyBytes,
  createSolanaRpc,
  createTransactionMessage,
  getAddressDecoder,
  getAddressEncoder,
  getBase64EncodedWireTransaction,
  getProgramDerivedAddress,
  getSignatureFromTransaction,
  pipe,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
  signTransactionMessageWithSigners,
} from '@solana/kit'

const TOKEN_PROGRAM = address('TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA')
const ATA_PROGRAM = address('ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL')
const SYSTEM_PROGRAM = address('11111111111111111111111111111111')
const text = (s) => new TextEncoder().encode(s)
const addressBytes = (a) => getAddressEncoder().encode(address(a))

/** Demo trader `n` of the local stack's Solana demo economy (`localnet::demo_trader(n)`). */
export function demoTraderSeed(n) {
  const seed = text('mercato localnet demo trader 000')
  seed[31] = 48 + (n % 10)
  return seed
}

export const GENESIS_HOLDER_SEED = text('mercato localnet genesis holder1')

export function signerFromSeed(seed) {
  return createKeyPairSignerFromPrivateKeyBytes(seed)
}

export function solanaRpc(url) {
  return createSolanaRpc(url)
}

async function pda(program, seeds) {
  const [found] = await getProgramDerivedAddress({ programAddress: address(program), seeds })
  return found
}

/** The owner's associated token account of `mint` (classic SPL Token: the currency mint). */
export function currencyAccount(owner, mint) {
  return pda(ATA_PROGRAM, [addressBytes(owner), addressBytes(TOKEN_PROGRAM), addressBytes(mint)])
}

/** Sends instructions paid and signed by `payer`; resolves with the signature once it is confirmed. */
async function send(rpc, payer, instructions) {
  const { value: blockhash } = await rpc.getLatestBlockhash({ commitment: 'confirmed' }).send()
  const message = pipe(
    createTransactionMessage({ version: 'legacy' }),
    (m) => setTransactionMessageFeePayerSigner(payer, m),
    (m) => setTransactionMessageLifetimeUsingBlockhash(blockhash, m),
    (m) => appendTransactionMessageInstructions(instructions, m),
  )
  const signed = await signTransactionMessageWithSigners(message)
  const signature = getSignatureFromTransaction(signed)
  await rpc.sendTransaction(getBase64EncodedWireTransaction(signed), { encoding: 'base64', preflightCommitment: 'confirmed' }).send()
  for (let i = 0; i < 200; i++) {
    const { value } = await rpc.getSignatureStatuses([signature]).send()
    const status = value[0]
    if (status?.err) throw new Error(`transaction ${signature} failed: ${JSON.stringify(status.err)}`)
    if (status && (status.confirmationStatus === 'confirmed' || status.confirmationStatus === 'finalized')) return signature
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`transaction ${signature} not confirmed`)
}

/** Pays `amount` currency base units from `payer` (a signer holding MRC and SOL) to `owner`, creating its account. */
export async function payMrc(rpcUrl, payer, owner, mint, amount) {
  const rpc = solanaRpc(rpcUrl)
  const from = await currencyAccount(payer.address, mint)
  const to = await currencyAccount(owner, mint)
  const createIdempotent = {
    programAddress: ATA_PROGRAM,
    accounts: [
      { address: payer.address, role: AccountRole.WRITABLE_SIGNER, signer: payer },
      { address: to, role: AccountRole.WRITABLE },
      { address: address(owner), role: AccountRole.READONLY },
      { address: address(mint), role: AccountRole.READONLY },
      { address: SYSTEM_PROGRAM, role: AccountRole.READONLY },
      { address: TOKEN_PROGRAM, role: AccountRole.READONLY },
    ],
    data: new Uint8Array([1]),
  }
  const data = new Uint8Array(9)
  data[0] = 3 // SPL Token `Transfer`
  new DataView(data.buffer).setBigUint64(1, BigInt(amount), true)
  const transfer = {
    programAddress: TOKEN_PROGRAM,
    accounts: [
      { address: from, role: AccountRole.WRITABLE },
      { address: to, role: AccountRole.WRITABLE },
      { address: payer.address, role: AccountRole.READONLY_SIGNER, signer: payer },
    ],
    data,
  }
  return send(rpc, payer, [createIdempotent, transfer])
}

async function accountData(rpcUrl, account) {
  const { value } = await solanaRpc(rpcUrl).getAccountInfo(account, { encoding: 'base64', commitment: 'confirmed' }).send()
  return value ? Buffer.from(value.data[0], 'base64') : null
}

/** Token amount of a token account (base units), 0 when it does not exist. */
export async function tokenBalance(rpcUrl, account) {
  const data = await accountData(rpcUrl, account)
  return data ? data.readBigUInt64LE(64) : 0n
}

/** Lamports of an account. */
export async function lamports(rpcUrl, account) {
  const { value } = await solanaRpc(rpcUrl).getBalance(address(account), { commitment: 'confirmed' }).send()
  return value
}

const pubkeyAt = (data, offset) => getAddressDecoder().decode(data.subarray(offset, offset + 32))

/** The auction program's `Listing` of an item (programs/mercato-auction/src/state.rs), or null once it closed. */
export async function readListing(rpcUrl, auctionProgram, itemMint) {
  const account = await pda(auctionProgram, [text('listing'), addressBytes(itemMint)])
  const d = await accountData(rpcUrl, account)
  if (!d) return null
  // 8 discriminator, version, bump, 2 escrow bumps, id u64, kind u8, seller, item_mint, start, floor, start_ts, end_ts,
  // high_bidder, high_bid.
  return {
    id: d.readBigUInt64LE(12),
    kind: d[20],
    seller: pubkeyAt(d, 21),
    itemMint: pubkeyAt(d, 53),
    startPrice: d.readBigUInt64LE(85),
    endTs: d.readBigInt64LE(109),
    highBidder: pubkeyAt(d, 117),
    highBid: d.readBigUInt64LE(149),
  }
}

/** ParamChange's Borsh sizes after the variant byte (programs/mercato-token/src/state.rs). */
const PARAM_CHANGE_SIZE = [2, 2, 2, 4, 8, 8, 8, 32]

/** The governance program's `Proposal` (tallies) by id. */
export async function readProposal(rpcUrl, governanceProgram, id) {
  const seed = new Uint8Array(8)
  new DataView(seed.buffer).setBigUint64(0, BigInt(id), true)
  const account = await pda(governanceProgram, [text('proposal'), seed])
  const d = await accountData(rpcUrl, account)
  if (!d) return null
  // 8 discriminator, bump, id, author, change (enum), created, voting_ends, executable, supply, quorum, approval u16,
  // for, against, abstain, status.
  let o = 8 + 1 + 8 + 32
  const variant = d[o]
  o += 1 + PARAM_CHANGE_SIZE[variant]
  o += 8 * 3 + 8 + 8 + 2
  const changeAt = 8 + 1 + 8 + 32
  return {
    account,
    author: pubkeyAt(d, 8 + 1 + 8),
    // The change: its ParamChange variant (0 market fee, 1 royalty cap, …) and value (read for the u16 variants 0-2).
    change: { variant, value: variant <= 2 ? d.readUInt16LE(changeAt + 1) : null },
    votingEndsTs: d.readBigInt64LE(8 + 1 + 8 + 32 + 1 + PARAM_CHANGE_SIZE[variant] + 8),
    votesFor: d.readBigUInt64LE(o),
    votesAgainst: d.readBigUInt64LE(o + 8),
    votesAbstain: d.readBigUInt64LE(o + 16),
  }
}

/** A voter's `VoteRecord` on a proposal: side (0 for, 1 against, 2 abstain) and weight; null if they did not vote. */
export async function readVote(rpcUrl, governanceProgram, proposalAccount, voter) {
  const account = await pda(governanceProgram, [text('vote'), addressBytes(proposalAccount), addressBytes(voter)])
  const d = await accountData(rpcUrl, account)
  if (!d) return null
  return { side: d[9], weight: d.readBigUInt64LE(10) }
}

/** The voter's governance deposit (`VoterRecord.deposited`), 0 without a record. */
export async function readDeposit(rpcUrl, governanceProgram, voter) {
  const account = await pda(governanceProgram, [text('voter'), addressBytes(voter)])
  const d = await accountData(rpcUrl, account)
  if (!d) return 0n
  // 8 discriminator, bump u8, owner, deposited u64
  return d.readBigUInt64LE(8 + 1 + 32)
}

/** A user's auction credits (refunds, proceeds): the currency in their credit account `["credit", owner]`, 0 without one. */
export async function readCredits(rpcUrl, auctionProgram, owner) {
  return tokenBalance(rpcUrl, await pda(auctionProgram, [text('credit'), addressBytes(owner)]))
}

/** The newest transaction `account` signed or appears in: its fee payer, fee and the rent of the accounts it created. */
export async function lastTransaction(rpcUrl, account) {
  const rpc = solanaRpc(rpcUrl)
  const [latest] = await rpc.getSignaturesForAddress(address(account), { limit: 1, commitment: 'confirmed' }).send()
  const tx = await rpc
    .getTransaction(latest.signature, { commitment: 'confirmed', encoding: 'json', maxSupportedTransactionVersion: 0 })
    .send()
  const keys = tx.transaction.message.accountKeys
  const { fee, preBalances, postBalances } = tx.meta
  const created = keys.filter((_, i) => preBalances[i] === 0n && postBalances[i] > 0n)
  const rent = keys.reduce((sum, _, i) => (preBalances[i] === 0n ? sum + postBalances[i] : sum), 0n)
  return { signature: latest.signature, feePayer: keys[0], keys, fee, rent, created, error: tx.meta.err }
}
