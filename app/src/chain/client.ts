import { createPublicClient, defineChain, http, type PublicClient } from 'viem'
import type { EvmDeployment } from './manifest'

/** A read-only client for the chain of the deployment, through the app server's same-origin /rpc proxy. */
export function publicClientFor(evm: EvmDeployment): PublicClient {
  const url = new URL(evm.rpcUrl, window.location.origin).toString()
  const chain = defineChain({
    id: evm.chainId,
    name: evm.chainId === 31337 ? 'Local (anvil)' : `Chain ${evm.chainId}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [url] } },
  })
  return createPublicClient({ chain, transport: http(url, { batch: true }), pollingInterval: 1_000 })
}
