import { concat, type Address, type Hex, type PublicClient } from 'viem'
import { forwarderAbi } from '../generated/abis'
import type { EvmDeployment } from '../chain/manifest'
import { relayer } from '../relayer/client'
import { followRequest } from '../relayer/follow'
import type { RequestView, SignedForwardRequest } from '../relayer/types'
import { walletFailure } from '../session/wallet'
import type { Actor } from '../session/actor'

/** One contract call to make gaslessly. */
export interface GaslessCall {
  to: Address
  data: Hex
}

/** Progress of one gasless call, for the UI. */
export type Progress =
  | { stage: 'signing'; direct?: boolean }
  | { stage: 'sending' }
  | { stage: 'tracking'; view: RequestView; direct?: boolean }

/** How long a wallet's signed request stays valid (the forwarder refuses it afterwards). */
const DEADLINE_SECONDS = 3_600n

/** The OpenZeppelin ERC2771Forwarder's EIP-712 type (contracts/src/metatx/MercatoForwarder.sol). */
const FORWARD_REQUEST_TYPES = {
  ForwardRequest: [
    { name: 'from', type: 'address' },
    { name: 'to', type: 'address' },
    { name: 'value', type: 'uint256' },
    { name: 'gas', type: 'uint256' },
    { name: 'nonce', type: 'uint256' },
    { name: 'deadline', type: 'uint48' },
    { name: 'data', type: 'bytes' },
  ],
} as const

/**
 * Makes `call` as `actor` without the actor paying gas, and resolves with the request's final state (confirmed or
 * failed). Custodial users: POST /v1/evm/calls (the relayer signs as them). Wallet users: the wallet signs an
 * EIP-712 ForwardRequest, then POST /v1/evm/forward. Both are then followed over /v1/requests/{id}/events.
 * Refusals reject with the relayer's RelayerError; a declined signature with a WalletError.
 */
export async function sendGasless(
  actor: Actor,
  evm: EvmDeployment,
  client: PublicClient,
  call: GaslessCall,
  onProgress: (progress: Progress) => void,
): Promise<RequestView> {
  // A fresh key per action: retrying the same POST after a lost answer would reuse it (the relayer then returns the
  // first request instead of making a second).
  const key = crypto.randomUUID()
  let accepted: RequestView
  if (actor.kind === 'custodial') {
    onProgress({ stage: 'sending' })
    accepted = await relayer.evmCall(actor.token, key, call.to, call.data)
  } else {
    const request = await signForwardRequest(actor, evm, client, call, onProgress)
    onProgress({ stage: 'sending' })
    accepted = await relayer.evmForward(key, request)
  }
  onProgress({ stage: 'tracking', view: accepted })
  const token = actor.kind === 'custodial' ? actor.token : undefined
  return followRequest(accepted.id, token, (view) => onProgress({ stage: 'tracking', view }))
}

async function signForwardRequest(
  actor: Extract<Actor, { kind: 'wallet' }>,
  evm: EvmDeployment,
  client: PublicClient,
  call: GaslessCall,
  onProgress: (progress: Progress) => void,
): Promise<SignedForwardRequest> {
  const forwarder = evm.contracts.forwarder
  const from = actor.address
  // The inner call as the forwarder makes it: from the forwarder, with the signer appended (ERC-2771); the same
  // estimate and margin the relayer uses for custodial calls.
  const estimate = await client.estimateGas({ account: forwarder, to: call.to, data: concat([call.data, from]) })
  const gas = estimate + estimate / 4n + 10_000n
  const [nonce, block] = await Promise.all([
    client.readContract({ address: forwarder, abi: forwarderAbi, functionName: 'nonces', args: [from] }),
    client.getBlock(),
  ])
  const deadline = block.timestamp + DEADLINE_SECONDS
  const message = { from, to: call.to, value: 0n, gas, nonce, deadline: Number(deadline), data: call.data }
  onProgress({ stage: 'signing' })
  let signature: Hex
  try {
    signature = await actor.client.signTypedData({
      account: from,
      domain: { name: 'MercatoForwarder', version: '1', chainId: evm.chainId, verifyingContract: forwarder },
      types: FORWARD_REQUEST_TYPES,
      primaryType: 'ForwardRequest',
      message,
    })
  } catch (error) {
    throw walletFailure(error)
  }
  return {
    from,
    to: call.to,
    value: '0',
    gas: Number(gas),
    nonce: nonce.toString(),
    deadline: Number(deadline),
    data: call.data,
    signature,
  }
}
