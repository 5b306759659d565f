import { decodeErrorResult, type Abi, type Hex } from 'viem'
import { auctionHouseAbi, governorAbi, itemsAbi, tokenAbi } from '../generated/abis'
import { formatMrc } from '../chain/format'
import { RelayerError, plainReason } from '../relayer/errors'
import { WalletError } from '../session/wallet'

/** A wallet user's own transaction would revert: refused before the wallet is asked (no gas spent). */
/** A transaction the user's wallet sent whose confirmation was not seen in time: it may still confirm. */
export class UnconfirmedTransaction extends Error {
  constructor(readonly hash: string) {
    super(`no receipt for ${hash} yet`)
    this.name = 'UnconfirmedTransaction'
  }
}

export class DirectRevert extends Error {
  constructor(readonly reason: string) {
    super(reason)
    this.name = 'DirectRevert'
  }
}

/** Every custom error the Mercato contracts can revert with (from the generated ABIs). */
const ERRORS = [...auctionHouseAbi, ...governorAbi, ...tokenAbi, ...itemsAbi].filter(
  (item) => item.type === 'error',
) as Abi

const GOVERNOR_STATES = ['pending', 'active', 'canceled', 'defeated', 'succeeded', 'queued', 'expired', 'executed']

/** A decoded contract error in plain language, when we know it; its name and arguments otherwise. */
function describeRevert(errorName: string, args: readonly unknown[]): string {
  const a = args as bigint[]
  switch (errorName) {
    case 'AuctionHouseBidTooLow':
      return `Your bid of ${formatMrc(a[1])} is below the minimum bid of ${formatMrc(a[0])}.`
    case 'AuctionHouseAuctionEnded':
      return 'This auction has already ended.'
    case 'AuctionHouseListingNotFound':
      return 'This listing is no longer open.'
    case 'AuctionHouseSellerCannotBuy':
      return 'You are the seller of this listing.'
    case 'AuctionHousePriceAboveMax':
      return `The price is now ${formatMrc(a[0])}, above the ${formatMrc(a[1])} you accepted.`
    case 'ERC20InsufficientBalance':
      return `Not enough MRC: you have ${formatMrc(a[1])} and this needs ${formatMrc(a[2])}.`
    case 'ERC20InsufficientAllowance':
      return `The auction house may spend only ${formatMrc(a[1])} of your MRC; this needs ${formatMrc(a[2])}.`
    case 'GovernorAlreadyCastVote':
      return 'You have already voted on this proposal.'
    case 'GovernorUnexpectedProposalState':
      return `The proposal is ${GOVERNOR_STATES[Number(a[1])] ?? 'not open'}, so it takes no votes now.`
    default:
      return `The contract refused: ${errorName}(${args.map(String).join(', ')}).`
  }
}

/** Finds revert data in the relayer's simulation message and decodes it against the Mercato ABIs. */
export function decodeRevert(text: string): string | undefined {
  for (const match of text.matchAll(/0x[0-9a-fA-F]{8,}/g)) {
    try {
      const { errorName, args } = decodeErrorResult({ abi: ERRORS, data: match[0] as Hex })
      return describeRevert(errorName, args ?? [])
    } catch {
      // not revert data (an address, a hash): try the next one
    }
  }
  const reverted = /reverted(?: with reason string)?:? ['"]?([^'",]+)/.exec(text)
  return reverted ? `The contract refused: ${reverted[1].trim()}.` : undefined
}

/** What to show for an error: a sentence for people, and the machine-readable reason and detail for the curious. */
export interface Explained {
  title: string
  reason?: string
  detail?: string
}

export function explain(error: unknown): Explained {
  if (error instanceof RelayerError) {
    // The relayer's revert_data field when present; else whatever revert data its message carries.
    const revert =
      error.reason === 'simulation_failed' ? decodeRevert(error.revertData ?? error.message) : undefined
    const plain = plainReason(error.reason)
    const title = [plain, revert].filter(Boolean).join(' ') || error.message
    const retry = error.retryAfter ? ` Retry after ${error.retryAfter} s.` : ''
    return { title: title + retry, reason: error.reason, detail: error.message }
  }
  if (error instanceof WalletError) return { title: error.message, reason: error.reason }
  if (error instanceof DirectRevert) return { title: `${error.reason} Nothing was sent.`, reason: 'would_revert' }
  if (error instanceof UnconfirmedTransaction) {
    return {
      title: `Sent as ${error.hash}, but no confirmation was seen yet. It may still confirm: check your wallet's activity before trying again.`,
      reason: 'unconfirmed',
    }
  }
  const message = error instanceof Error ? error.message : String(error)
  return { title: 'Something went wrong.', detail: message }
}

/** Why a request that was sent failed on chain, in plain language. */
export function explainFailure(error: string | null): string {
  if (!error) return 'The transaction failed.'
  return decodeRevert(error) ?? `The transaction failed: ${error}`
}
