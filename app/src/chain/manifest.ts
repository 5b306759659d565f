import type { Address } from 'viem'

/** The EVM section of the deployment manifest (deployments/<network>.json), as the app server serves it. */
export interface EvmDeployment {
  chainId: number
  /** Same-origin JSON-RPC path (the app server proxies it to the node). */
  rpcUrl: string
  deployBlock: number
  deployer: Address
  contracts: {
    forwarder: Address
    timelock: Address
    economyConfig: Address
    token: Address
    items: Address
    auctionHouse: Address
    governor: Address
  }
}

export interface Deployment {
  network: string
  evm: EvmDeployment
  // A `solana` section joins here with the Solana slice.
}

export async function loadDeployment(): Promise<Deployment> {
  const response = await fetch('/config/manifest.json', { cache: 'no-store' })
  const body = await response.json().catch(() => null)
  if (!response.ok) {
    throw new Error(body?.error?.message ?? `the deployment manifest could not be loaded (HTTP ${response.status})`)
  }
  return body as Deployment
}
