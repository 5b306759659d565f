import type { Progress } from '../gasless/send'
import { relayer } from '../relayer/client'
import { followRequest } from '../relayer/follow'
import type { RequestView, SolanaAction } from '../relayer/types'
import type { SolanaActor } from './SolanaContext'
import { base64ToBytes, bytesToBase64, signWithWallet } from './wallet'

/**
 * Does `action` on Solana as `actor` without the actor paying a fee, and resolves with the request's final state.
 * The relayer builds the instructions from the chain's state (`POST /v1/solana/actions`: the app encodes no Anchor
 * instruction). Custodial users: `POST /v1/solana/instructions` (the relayer signs with their key). Wallet users:
 * `POST /v1/solana/prepare` → the wallet signs the transaction (fee payer: the relayer) → `POST
 * /v1/solana/transactions` (the relayer checks, co-signs and sends it). Both are followed over
 * `/v1/requests/{id}/events`. Refusals reject with the relayer's RelayerError; a declined signature with a WalletError.
 */
export async function sendSolana(
  actor: SolanaActor,
  action: SolanaAction,
  onProgress: (progress: Progress) => void,
): Promise<RequestView> {
  // A fresh key per action (a retried POST after a lost answer would reuse it and get the first request back).
  const key = crypto.randomUUID()
  const { instructions } = await relayer.solanaActions(actor.address, action)
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
