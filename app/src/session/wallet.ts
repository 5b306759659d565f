import {
  createWalletClient,
  custom,
  getAddress,
  type Address,
  type EIP1193Provider,
  type WalletClient,
} from 'viem'

declare global {
  interface Window {
    ethereum?: EIP1193Provider
  }
}

/** The injected EIP-1193 wallet (MetaMask and friends), if the browser has one. */
export function injectedProvider(): EIP1193Provider | undefined {
  return typeof window === 'undefined' ? undefined : window.ethereum
}

export class WalletError extends Error {
  constructor(
    readonly reason: 'no_wallet' | 'wrong_chain' | 'rejected' | 'no_account',
    message: string,
  ) {
    super(message)
    this.name = 'WalletError'
  }
}

/** Wraps a wallet's own error (EIP-1193 code 4001 = the person said no). */
export function walletFailure(error: unknown): Error {
  const code = (error as { code?: number; cause?: { code?: number } })?.code ??
    (error as { cause?: { code?: number } })?.cause?.code
  if (code === 4001) return new WalletError('rejected', 'You declined the request in your wallet.')
  return error instanceof Error ? error : new Error(String(error))
}

/**
 * Asks the wallet for an account and makes sure it is on the deployment's chain (the forward request's EIP-712
 * domain names the chain; wallets refuse to sign for another one).
 */
export async function connectWallet(
  provider: EIP1193Provider,
  chainId: number,
): Promise<{ address: Address; client: WalletClient }> {
  const client = createWalletClient({ transport: custom(provider) })
  let addresses: Address[]
  try {
    addresses = await client.requestAddresses()
  } catch (error) {
    throw walletFailure(error)
  }
  if (addresses.length === 0) throw new WalletError('no_account', 'Your wallet shared no account.')
  const current = await client.getChainId()
  if (current !== chainId) {
    try {
      await client.switchChain({ id: chainId })
    } catch {
      throw new WalletError(
        'wrong_chain',
        `Your wallet is on chain ${current}; switch it to chain ${chainId} (this deployment) and connect again.`,
      )
    }
  }
  return { address: getAddress(addresses[0]), client }
}
