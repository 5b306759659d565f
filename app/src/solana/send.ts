import type { Hex } from 'viem'
import type { Progress } from '../gasless/send'
import { relayer } from '../relayer/client'
import { followRequest } from '../relayer/follow'
import type { RequestView, SolanaAction, SolanaInstruction } from '../relayer/types'
import type { GasPayer } from '../session/gasChoice'
import { confirmSignature, sendTransaction } from './rpc'
import type { SolanaActor } from './SolanaContext'
import { base64ToBytes, bytesToBase64, signWithWallet } from './wallet'

/**
 * Does `action` on Solana as `actor` without the actor paying a fee, and resolves with the request's final state.
 * The relayer builds the instructions from the chain's state (`POST /v1/solana/actions`: the app encodes no Anchor
 * instruction). Custodial users: `POST /v1/solana/instructions` (the relayer signs with their key). Wallet users:
 * `POST /v1/solana/prepare` → the wallet signs the transaction (fee payer: the relayer) → `POST
 * /v1/solana/transactions` (the relayer checks, co-signs and sends it). Both are followed over
 * `/v1/requests/{id}/events`. Refusals reject with the relayer's RelayerError; a declined signature with a WalletError.
 * A wallet user who chose to pay the fee (`payer: 'self'`) signs a transaction with itself as fee payer, which the
 * app sends to the node (`sendSelfPaid`).
 */
export async function sendSolana(
  actor: SolanaActor,
  action: SolanaAction,
  onProgress: (progress: Progress) => void,
  payer: GasPayer = 'relayer',
): Promise<RequestView> {
  // A fresh key per action (a retried POST after a lost answer would reuse it and get the first request back).
  const key = crypto.randomUUID()
  const { instructions } = await relayer.solanaActions(actor.address, action)
  if (actor.kind === 'wallet' && payer === 'self') return sendSelfPaid(actor, instructions, onProgress)
  let accepted: RequestView
  if (actor.kind === 'custodial') {
    onProgress({ stage: 'sending' })
    accepted = await relayer.solanaInstructions(actor.token, key, instructions)
  } else {
    const prepared = await relayer.solanaPrepare(actor.address, instructions)
    onProgress({ stage: 'signing' })
    const signed = await signWithWallet(actor.wallet, actor.account, base64ToBytes(prepared.transaction))
    onProgress({ stage: 'sending' })
    accepted = await relayer.solanaTransaction(key, bytesToBase64(signed))
  }
  onProgress({ stage: 'tracking', view: accepted })
  const token = actor.kind === 'custodial' ? actor.token : undefined
  return followRequest(accepted.id, token, (view) => onProgress({ stage: 'tracking', view }))
}

/**
 * A wallet user paying the fee: the relayer prepares the transaction with the wallet as fee payer (simulated first:
 * a failing action or too little SOL is refused in words and nothing is signed), the wallet signs it, the app sends
 * it to the node through /solana-rpc and follows the signature to `confirmed`. No relayer request exists for it:
 * progress is reported in the relayer's shape with `direct: true` (signed → submitted → confirmed / failed).
 */
async function sendSelfPaid(
  actor: Extract<SolanaActor, { kind: 'wallet' }>,
  instructions: SolanaInstruction[],
  onProgress: (progress: Progress) => void,
): Promise<RequestView> {
  const prepared = await relayer.solanaPrepare(actor.address, instructions, 'signer')
  onProgress({ stage: 'signing', direct: true })
  const signed = await signWithWallet(actor.wallet, actor.account, base64ToBytes(prepared.transaction))
  const signature = await sendTransaction(bytesToBase64(signed))
  const view = (patch: Partial<RequestView>): RequestView => ({
    id: 0,
    chain: 'solana',
    status: 'submitted',
    tx_hash: signature as Hex, // a base58 signature, where the relayer's views of Solana requests have it too
    block: null,
    gas_used: null,
    lamports: prepared.fee,
    error: null,
    events: [],
    ...patch,
  })
  onProgress({ stage: 'tracking', view: view({}), direct: true })
  const outcome = await confirmSignature(signature, prepared.last_valid_block_height)
  const failed = outcome.error !== null
  const final = view({
    status: failed ? 'failed' : 'confirmed',
    block: outcome.slot,
    error: failed ? `the transaction failed in slot ${outcome.slot}: ${JSON.stringify(outcome.error)}` : null,
  })
  onProgress({ stage: 'tracking', view: final, direct: true })
  return final
}
