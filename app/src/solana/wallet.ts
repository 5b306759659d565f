// Solana wallets through the Wallet Standard (@wallet-standard/app): every wallet that registers itself in the page
// (Phantom, Solflare, Backpack, … and the browser tests' wallet) and offers `standard:connect` and
// `solana:signTransaction`. The app only ever asks a wallet to sign the relayer-prepared transaction; the wallet
// never sends anything itself (the relayer co-signs as fee payer and sends it).
import { getWallets } from '@wallet-standard/app'
import type { Wallet, WalletAccount } from '@wallet-standard/base'
import { StandardConnect, type StandardConnectFeature } from '@wallet-standard/features'
import { SolanaSignTransaction, type SolanaSignTransactionFeature } from '@solana/wallet-standard-features'
import { WalletError } from '../session/wallet'

/** A wallet the app can use: it connects and signs Solana transactions. */
export function isSolanaWallet(wallet: Wallet): boolean {
  return StandardConnect in wallet.features && SolanaSignTransaction in wallet.features
}

/** The Solana wallets registered in the page now, and a way to hear about ones registered later. */
export function solanaWallets(): { list: () => Wallet[]; onChange: (listener: () => void) => () => void } {
  const registry = getWallets()
  return {
    list: () => registry.get().filter(isSolanaWallet),
    onChange: (listener) => {
      const offRegister = registry.on('register', listener)
      const offUnregister = registry.on('unregister', listener)
      return () => {
        offRegister()
        offUnregister()
      }
    },
  }
}

/** Wraps a wallet's refusal (wallets reject with an error; a person saying no is code 4001 or a "rejected" message). */
export function solanaWalletFailure(error: unknown): Error {
  const code = (error as { code?: number })?.code
  const message = error instanceof Error ? error.message : String(error)
  if (code === 4001 || /reject|declin|denied|cancel/i.test(message)) {
    return new WalletError('rejected', 'You declined the request in your wallet.')
  }
  return error instanceof Error ? error : new Error(message)
}

/**
 * Asks the wallet for its accounts; the first one that can sign Solana transactions is used. `silent`: only if the
 * wallet already trusts this site (no prompt), as after a reload.
 */
export async function connectSolanaWallet(wallet: Wallet, options: { silent?: boolean } = {}): Promise<WalletAccount> {
  const connect = (wallet.features as StandardConnectFeature)[StandardConnect].connect
  let accounts: readonly WalletAccount[]
  try {
    ;({ accounts } = await connect(options.silent ? { silent: true } : undefined))
  } catch (error) {
    throw solanaWalletFailure(error)
  }
  const account = accounts.find((a) => a.features.includes(SolanaSignTransaction)) ?? accounts[0]
  if (!account) throw new WalletError('no_account', 'Your wallet shared no account.')
  return account
}

/** Has the wallet sign a serialized (wire-format) transaction; answers the transaction with its signature added. */
export async function signWithWallet(wallet: Wallet, account: WalletAccount, transaction: Uint8Array): Promise<Uint8Array> {
  const feature = (wallet.features as SolanaSignTransactionFeature)[SolanaSignTransaction]
  try {
    const [output] = await feature.signTransaction({ account, transaction })
    if (!output) throw new Error('the wallet returned no signed transaction')
    return output.signedTransaction
  } catch (error) {
    throw solanaWalletFailure(error)
  }
}

export function base64ToBytes(text: string): Uint8Array {
  const binary = atob(text)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary)
}
