import type { Address, Hex } from 'viem'

/** GET /v1/me and the `user` of a session (relayer/src/accounts.rs `Profile`). */
export interface Profile {
  id: number
  email: string
  evm_address: Address
  solana_address: string
}

/** POST /v1/auth/signup and /v1/auth/login. */
export interface Session {
  token: string
  expires_in: number
  user: Profile
}

export type RequestStatus = 'queued' | 'submitted' | 'confirmed' | 'failed'

/** A sponsored request's state (relayer/src/requests.rs `RequestView`). */
export interface RequestView {
  id: number
  chain: 'evm' | 'solana'
  status: RequestStatus
  tx_hash: Hex | null
  block: number | null
  gas_used: number | null
  lamports: number | null
  error: string | null
  events: { status: RequestStatus; detail: string | null; at: string }[]
}

export function isFinal(view: RequestView): boolean {
  return view.status === 'confirmed' || view.status === 'failed'
}

/** POST /v1/evm/forward: a ForwardRequest the wallet signed (integers as JSON numbers or decimal strings). */
export interface SignedForwardRequest {
  from: Address
  to: Address
  value: '0'
  gas: number
  nonce: string
  deadline: number
  data: Hex
  signature: Hex
}
