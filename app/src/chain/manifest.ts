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
  /** The Solana deployment's public addresses (base58), when the manifest has a Solana section. */
  solana?: SolanaDeployment
}

/** The public addresses of the manifest's `solana` section (the app server leaves out its RPC URLs). */
export interface SolanaDeployment {
  programs: { token: string; items: string; auction: string; governance: string }
  /** `collection` is the items collection the indexer prices (`nft` of Solana listings); `currencyMint` the MRC mint. */
  accounts: { economyConfig: string; currencyMint: string; treasury: string; itemsConfig: string; collection: string; auctionHouse: string; governance: string }
}

export async function loadDeployment(): Promise<Deployment> {
  const response = await fetch('/config/manifest.json', { cache: 'no-store' })
  const body = await response.json().catch(() => null)
  if (!response.ok) {
    throw new Error(body?.error?.message ?? `the deployment manifest could not be loaded (HTTP ${response.status})`)
  }
  return body as Deployment
}
