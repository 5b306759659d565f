import { BaseError, ContractFunctionRevertedError, type Hex, type PublicClient } from 'viem'
import type { RequestView } from '../relayer/types'
import type { Actor } from '../session/actor'
import { walletFailure } from '../session/wallet'
import { decodeRevert, DirectRevert, UnconfirmedTransaction } from './explain'
import type { GaslessCall, Progress } from './send'

/**
 * The revert data in a failed eth_call, as viem reports it (its cause chain carries the raw data); `null` when the
 * call failed for another reason (the node unreachable, a proxy error): that is no refusal by the contract.
 */
function revertData(error: unknown): string | null {
  if (error instanceof BaseError) {
    const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError) as ContractFunctionRevertedError | null
    if (reverted?.raw) return reverted.raw
    const withData = error.walk((e) => typeof (e as { data?: unknown }).data === 'string') as { data?: string } | null
    if (withData?.data) return withData.data
    if (reverted || /execution reverted/i.test(error.message)) return error.shortMessage
  }
  return null
}

/**
 * Makes `call` as an EVM wallet user who pays the gas: the call is first simulated from the user's address (a
 * revert is explained and nothing is sent), then the wallet sends the transaction (eth_sendTransaction through the
 * injected EIP-1193 provider: the wallet fills gas and fees, signs and broadcasts), then the receipt is awaited.
 * Progress is reported in the relayer's shape (signing → submitted → confirmed / failed) so the same UI shows it;
 * `direct: true` says the user paid.
 */
export async function sendDirect(
  actor: Extract<Actor, { kind: 'wallet' }>,
  client: PublicClient,
  call: GaslessCall,
  onProgress: (progress: Progress) => void,
): Promise<RequestView> {
  try {
    await client.call({ account: actor.address, to: call.to, data: call.data })
  } catch (error) {
    const data = revertData(error)
    if (data === null) throw error
    throw new DirectRevert(decodeRevert(data) ?? `The contract would refuse this call: ${data}`)
  }
  onProgress({ stage: 'signing', direct: true })
  let hash: Hex
  try {
    hash = await actor.client.sendTransaction({ account: actor.address, chain: client.chain, to: call.to, data: call.data })
  } catch (error) {
    throw walletFailure(error)
  }
  const view = (patch: Partial<RequestView>): RequestView => ({
    id: 0,
    chain: 'evm',
    status: 'submitted',
    tx_hash: hash,
    block: null,
    gas_used: null,
    lamports: null,
    error: null,
    events: [],
    ...patch,
  })
  onProgress({ stage: 'tracking', view: view({}), direct: true })
  let receipt
  try {
    receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 500, timeout: 300_000 })
  } catch {
    throw new UnconfirmedTransaction(hash)
  }
  const final = view({
    status: receipt.status === 'success' ? 'confirmed' : 'failed',
    block: Number(receipt.blockNumber),
    gas_used: Number(receipt.gasUsed),
    error: receipt.status === 'success' ? null : `the transaction reverted in block ${receipt.blockNumber}`,
  })
  onProgress({ stage: 'tracking', view: final, direct: true })
  return final
}
