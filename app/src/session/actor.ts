import type { Address, WalletClient } from 'viem'
import type { Profile } from '../relayer/types'

/**
 * Who is using the app. A custodial user signed in with email and password: the relayer holds their keys and
 * pays their gas. A wallet user signs forward requests in their own wallet; the relayer pays the gas.
 * (A Solana wallet user joins with the Solana slice.)
 */
export type Actor =
  | { kind: 'custodial'; token: string; profile: Profile }
  | { kind: 'wallet'; address: Address; client: WalletClient }

export function actorAddress(actor: Actor): Address {
  return actor.kind === 'custodial' ? actor.profile.evm_address : actor.address
}
