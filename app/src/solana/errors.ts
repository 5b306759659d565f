import { explain, type Explained } from '../gasless/explain'
import { RelayerError, plainReason } from '../relayer/errors'
import { ExpiredTransaction, SolanaRpcError } from './rpc'

/**
 * The Mercato programs' Anchor errors (idl/*.json `errors`) the app words for people; any other Anchor error is shown
 * with the program's own message.
 */
const SENTENCES: Record<string, string> = {
  BidTooLow: 'Your bid is too low: it must be at least the reserve, or the high bid plus the market’s minimum increment.',
  AuctionEnded: 'This auction has already ended.',
  AuctionNotEnded: 'This auction has not ended yet.',
  SellerCannotBuy: 'You are the seller of this listing.',
  PriceAboveMax: 'The price is now above what you accepted.',
  InsufficientCredits: 'Your auction credits are lower than that.',
  VotingEnded: 'Voting on this proposal has ended.',
  NotActive: 'This proposal takes no votes now.',
  NoWeight: 'You have no voting power: deposit MRC for voting power first.',
  InsufficientDeposit: 'Your deposit is lower than that.',
  DepositLocked: 'Your deposit is locked until the proposals you voted on close.',
}

/** Reads a Solana failure text (simulation logs, a transaction error) for the Anchor error or a known cause. */
export function decodeSolanaError(text: string): string | undefined {
  const anchor = /Error Code: (\w+)\. Error Number: \d+\. Error Message: ([^|]+?)\.?(?:\s*\||$)/.exec(text)
  if (anchor) return SENTENCES[anchor[1]] ?? `The program refused: ${anchor[2].trim()}.`
  // A vote record (one per voter and proposal) that already exists: its creation fails in the system program.
  if (/already in use/.test(text)) return 'You have already done this (for a vote: one per proposal).'
  // The fee payer short of SOL (its account missing, or too little for the fee or an account's rent).
  if (/Insufficient funds for fee|no record of a prior credit|insufficient lamports|InsufficientFundsForRent/i.test(text)) {
    return 'Your wallet has too little SOL for the network fee and rent of this action.'
  }
  // SPL Token's "Error: insufficient funds": the currency account holds less than the amount.
  if (/insufficient funds/i.test(text)) return 'Not enough MRC for this.'
  return undefined
}

/** `explain` for Solana actions: the relayer's refusal with the program's error in words. */
export function explainSolana(error: unknown): Explained {
  if (error instanceof ExpiredTransaction) {
    return {
      title: `Sent as ${error.signature}, but it expired before it landed: nothing was charged. Try again.`,
      reason: 'expired',
    }
  }
  if (error instanceof SolanaRpcError) {
    const decoded = decodeSolanaError(error.message)
    return { title: decoded ? `The Solana node refused the transaction. ${decoded}` : 'The Solana node refused the transaction.', reason: 'node_refused', detail: error.message }
  }
  const base = explain(error)
  if (error instanceof RelayerError && error.reason === 'simulation_failed') {
    const decoded = decodeSolanaError(error.message)
    if (decoded) return { ...base, title: `${plainReason(error.reason)} ${decoded}` }
  }
  return base
}

/** Why a sent Solana request failed, in words. */
export function explainSolanaFailure(error: string | null): string {
  if (!error) return 'The transaction failed.'
  return decodeSolanaError(error) ?? `The transaction failed: ${error}`
}
