import { UnconfirmedTransaction } from '../gasless/explain'

// The Solana node through the app server's same-origin /solana-rpc proxy. The pages read Solana through the indexer
// and act through the relayer; only a wallet that pays its own fee sends here (sendTransaction) and follows its
// signature to confirmation (getSignatureStatuses), as the EVM path follows a receipt.

/** The same-origin path the app server proxies to the Solana node (vite.config.ts). */
export const SOLANA_RPC = '/solana-rpc'

/** The node could not be reached, or refused the request (e.g. a preflight simulation that failed). */
export class SolanaRpcError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'SolanaRpcError'
  }
}

/** The chain passed the transaction's last valid block height without it: it can no longer land. */
export class ExpiredTransaction extends Error {
  constructor(readonly signature: string) {
    super(`${signature} expired before it landed`)
    this.name = 'ExpiredTransaction'
  }
}

async function rpc<T>(method: string, params: unknown[]): Promise<T> {
  let response: Response
  try {
    response = await fetch(SOLANA_RPC, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    })
  } catch (error) {
    throw new SolanaRpcError(`the Solana node could not be reached: ${String(error)}`)
  }
  if (!response.ok) throw new SolanaRpcError(`the Solana node answered HTTP ${response.status}`)
  const body = (await response.json()) as { result?: T; error?: { message?: string; data?: { logs?: string[] } } }
  if (body.error) {
    const logs = body.error.data?.logs?.slice(-3).join(' | ')
    throw new SolanaRpcError([body.error.message ?? JSON.stringify(body.error), logs].filter(Boolean).join(' | '))
  }
  return body.result as T
}

/** Sends a signed transaction (base64 wire format) after the node's own preflight; answers its signature. */
export function sendTransaction(transaction: string): Promise<string> {
  return rpc<string>('sendTransaction', [transaction, { encoding: 'base64', preflightCommitment: 'confirmed' }])
}

interface SignatureStatus {
  slot: number
  err: unknown
  confirmationStatus: 'processed' | 'confirmed' | 'finalized' | null
}

async function status(signature: string): Promise<SignatureStatus | null> {
  const { value } = await rpc<{ value: (SignatureStatus | null)[] }>('getSignatureStatuses', [[signature]])
  return value[0] ?? null
}

/**
 * Waits until `signature` is confirmed or failed (answers its slot and error, `null` when it succeeded), polling
 * every `pollMs`; throws `ExpiredTransaction` once the chain is past `lastValidBlockHeight` without it. The
 * transaction is already sent: a poll that fails (the node or the proxy briefly unreachable) is retried, and after
 * `giveUpMs` of failed polls it throws `UnconfirmedTransaction` (it may still land: never reported as refused).
 */
export async function confirmSignature(
  signature: string,
  lastValidBlockHeight: number,
  { pollMs = 500, giveUpMs = 60_000 } = {},
): Promise<{ slot: number; error: unknown }> {
  let failingSince: number | null = null
  for (;;) {
    try {
      const seen = await status(signature)
      if (seen && (seen.err || seen.confirmationStatus === 'confirmed' || seen.confirmationStatus === 'finalized')) {
        return { slot: seen.slot, error: seen.err ?? null }
      }
      const height = await rpc<number>('getBlockHeight', [{ commitment: 'confirmed' }])
      // One last look: it may have landed between the two reads (then it is followed to confirmation).
      if (height > lastValidBlockHeight && !(await status(signature))) throw new ExpiredTransaction(signature)
      failingSince = null
    } catch (error) {
      if (!(error instanceof SolanaRpcError)) throw error
      failingSince ??= Date.now()
      if (Date.now() - failingSince > giveUpMs) throw new UnconfirmedTransaction(signature)
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs))
  }
}
