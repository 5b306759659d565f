import { RelayerError } from './errors'
import type { PreparedSolanaTransaction, Profile, RequestView, Session, SignedForwardRequest, SolanaAction, SolanaInstruction } from './types'
import type { Address, Hex } from 'viem'

/** The relayer's HTTP API, reached through the app server's same-origin /api path (relayer/README.md). */
export const RELAYER_BASE = '/api'

async function call<T>(
  method: 'GET' | 'POST',
  path: string,
  options: { token?: string; body?: unknown; idempotencyKey?: string } = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' }
  if (options.body !== undefined) headers['Content-Type'] = 'application/json'
  if (options.token) headers.Authorization = `Bearer ${options.token}`
  if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey
  let response: Response
  try {
    response = await fetch(`${RELAYER_BASE}${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    })
  } catch (error) {
    throw new RelayerError(0, 'relayer_unreachable', `the relayer could not be reached: ${String(error)}`)
  }
  if (!response.ok) throw await RelayerError.from(response)
  if (response.status === 204) return undefined as T
  return (await response.json()) as T
}

export const relayer = {
  signUp: (email: string, password: string) => call<Session>('POST', '/v1/auth/signup', { body: { email, password } }),
  logIn: (email: string, password: string) => call<Session>('POST', '/v1/auth/login', { body: { email, password } }),
  logOut: (token: string) => call<void>('POST', '/v1/auth/logout', { token }),
  me: (token: string) => call<Profile>('GET', '/v1/me', { token }),
  /** A custodial call: the relayer signs the forward request with the user's key and pays the gas. */
  evmCall: (token: string, idempotencyKey: string, to: Address, data: Hex) =>
    call<RequestView>('POST', '/v1/evm/calls', { token, idempotencyKey, body: { to, data } }),
  /** A forward request the user's wallet signed. */
  evmForward: (idempotencyKey: string, request: SignedForwardRequest) =>
    call<RequestView>('POST', '/v1/evm/forward', { idempotencyKey, body: request }),
  /** The session's requests, newest first (GET /v1/requests). */
  requests: (token: string, limit = 20) =>
    call<{ requests: RequestView[]; next_before: number | null }>('GET', `/v1/requests?limit=${limit}`, { token }),
  request: (id: number, token?: string) => call<RequestView>('GET', `/v1/requests/${id}`, { token }),
  /** The instructions of a common Solana action (bid, buy, vote, …), built by the relayer from the chain's state. */
  solanaActions: (signer: string, action: SolanaAction) =>
    call<{ instructions: SolanaInstruction[] }>('POST', '/v1/solana/actions', { body: { signer, action } }),
  /** A custodial user's Solana instructions: the relayer signs with the user's key and pays the fee. */
  solanaInstructions: (token: string, idempotencyKey: string, instructions: SolanaInstruction[]) =>
    call<RequestView>('POST', '/v1/solana/instructions', { token, idempotencyKey, body: { instructions } }),
  /**
   * A transaction for a Solana wallet to sign: sponsored (the relayer's fee payer first), or with `payFee: 'signer'`
   * one the wallet pays for and sends itself (simulated first; nothing stored).
   */
  solanaPrepare: (signer: string, instructions: SolanaInstruction[], payFee: 'relayer' | 'signer' = 'relayer') =>
    call<PreparedSolanaTransaction>('POST', '/v1/solana/prepare', { body: { signer, instructions, pay_fee: payFee } }),
  /** A Solana address's SOL (lamports) and auction credits (base units), read from the chain by the relayer. */
  solanaAccount: (address: string) =>
    call<{ address: string; lamports: number; credits: string }>('GET', `/v1/solana/accounts/${encodeURIComponent(address)}`),
  /** The wallet-signed transaction (base64): the relayer checks it, co-signs as fee payer and sends it. */
  solanaTransaction: (idempotencyKey: string, transaction: string) =>
    call<RequestView>('POST', '/v1/solana/transactions', { idempotencyKey, body: { transaction } }),
}
