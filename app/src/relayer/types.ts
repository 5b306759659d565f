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

/** One Solana instruction as the relayer's JSON takes and gives it (relayer/src/solana `SolanaInstruction`). */
export interface SolanaInstruction {
  program_id: string
  accounts: { pubkey: string; is_signer: boolean; is_writable: boolean }[]
  data: string
}

/** POST /v1/solana/actions: a common action; amounts in base units as decimal strings. */
export type SolanaAction =
  | { type: 'bid'; item_mint: string; amount: string }
  | { type: 'buy'; item_mint: string; max_price: string }
  | { type: 'settle'; item_mint: string }
  | { type: 'list'; item_mint: string; kind: 'english' | 'dutch' | 'fixed'; start_price: string; floor_price?: string; duration?: number }
  | { type: 'cancel'; item_mint: string }
  | { type: 'withdraw_credits'; amount: string }
  | { type: 'deposit'; amount: string }
  | { type: 'withdraw'; amount: string }
  | { type: 'vote'; proposal_id: number; side: 'for' | 'against' | 'abstain' }
  | { type: 'propose'; change: ProposedChange }
  | { type: 'execute'; proposal_id: number }

/** A change of one Solana economy parameter (the relayer's `propose` action). */
export type ProposedChange =
  | { parameter: 'market_fee_bps' | 'royalty_cap_bps' | 'min_bid_increment_bps'; value: number }
  | { parameter: 'anti_snipe_buffer'; value: number }
  | { parameter: 'emission_rate' | 'daily_reward_cap'; value: string }

/** POST /v1/solana/prepare: the transaction for the wallet to sign (base64, legacy wire format). */
export interface PreparedSolanaTransaction {
  transaction: string
  fee_payer: string
  fee: number
  top_up: number
  compute_units: number
  priority_fee: number
  last_valid_block_height: number
}
