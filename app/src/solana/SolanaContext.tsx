import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react'
import type { Wallet, WalletAccount } from '@wallet-standard/base'
import { StandardEvents, type StandardEventsFeature } from '@wallet-standard/features'
import { useApp } from '../session/AppContext'
import { connectSolanaWallet, solanaWallets } from './wallet'

/** Which chain the app shows and acts on. */
export type ChainKind = 'evm' | 'solana'

/** Kept across visits (a preference, not a secret) and readable from the URL (`?chain=solana`) for shared links. */
const CHAIN_KEY = 'mercato.chain'
/** The name of the Solana wallet last connected, to reconnect it silently after a reload (no prompt, no secret). */
const WALLET_KEY = 'mercato.solanaWallet'

/** Who acts on Solana: a Solana wallet (signs the relayer-prepared transaction) or the custodial user. */
export type SolanaActor =
  | { kind: 'custodial'; address: string; token: string }
  | { kind: 'wallet'; address: string; wallet: Wallet; account: WalletAccount }

interface SolanaState {
  chain: ChainKind
  setChain: (chain: ChainKind) => void
  /** The connected Solana wallet, if any. */
  wallet: Extract<SolanaActor, { kind: 'wallet' }> | null
  connect: (wallet: Wallet) => Promise<void>
  disconnect: () => void
  /** Who acts on Solana now: the Solana wallet when one is connected, else the custodial user, else nobody. */
  actor: SolanaActor | null
}

const Context = createContext<SolanaState | null>(null)

function initialChain(): ChainKind {
  const fromUrl = new URLSearchParams(window.location.search).get('chain')
  if (fromUrl === 'evm' || fromUrl === 'solana') return fromUrl
  return localStorage.getItem(CHAIN_KEY) === 'solana' ? 'solana' : 'evm'
}

export function SolanaProvider({ children }: { children: ReactNode }) {
  const { actor: appActor } = useApp()
  const [chain, setChainState] = useState<ChainKind>(initialChain)
  const [wallet, setWallet] = useState<SolanaState['wallet']>(null)

  // The choice is in the URL too (replaceState: switching adds no history entry), so a copied link opens on it. A
  // URL without `chain` on EVM (the default) is left as it is: changing its query would turn the next hash link
  // into a full reload.
  useEffect(() => {
    localStorage.setItem(CHAIN_KEY, chain)
    const url = new URL(window.location.href)
    const inUrl = url.searchParams.get('chain')
    if (inUrl !== chain && (inUrl !== null || chain !== 'evm')) {
      url.searchParams.set('chain', chain)
      window.history.replaceState(window.history.state, '', url)
    }
    document.documentElement.dataset.chain = chain
  }, [chain])

  const setChain = useCallback((next: ChainKind) => setChainState(next), [])

  const connect = useCallback(async (next: Wallet) => {
    const account = await connectSolanaWallet(next)
    localStorage.setItem(WALLET_KEY, next.name)
    setWallet({ kind: 'wallet', address: account.address, wallet: next, account })
  }, [])

  // After a reload: the wallet connected before is asked again with `silent` (wallets answer without a prompt when
  // the site is still authorized, and with no account otherwise).
  useEffect(() => {
    const name = localStorage.getItem(WALLET_KEY)
    if (!name) return
    const registry = solanaWallets()
    let done = false
    const attempt = () => {
      const found = registry.list().find((w) => w.name === name)
      if (!found || done) return
      done = true
      void connectSolanaWallet(found, { silent: true })
        .then((account) => setWallet((current) => current ?? { kind: 'wallet', address: account.address, wallet: found, account }))
        .catch(() => localStorage.removeItem(WALLET_KEY))
    }
    attempt()
    const off = registry.onChange(attempt)
    return off
  }, [])

  const disconnect = useCallback(() => {
    const current = wallet
    localStorage.removeItem(WALLET_KEY)
    setWallet(null)
    const feature = current?.wallet.features['standard:disconnect'] as { disconnect?: () => Promise<void> } | undefined
    void feature?.disconnect?.().catch(() => undefined)
  }, [wallet])

  // A wallet that drops the account (disconnected in the wallet) or switches to another one is followed.
  useEffect(() => {
    if (!wallet) return
    const events = (wallet.wallet.features as Partial<StandardEventsFeature>)[StandardEvents]
    if (!events) return
    return events.on('change', ({ accounts }) => {
      if (!accounts) return
      const account = accounts[0]
      if (!account) setWallet(null)
      else if (account.address !== wallet.address) setWallet({ ...wallet, address: account.address, account })
    })
  }, [wallet])

  const actor: SolanaActor | null = useMemo(() => {
    if (wallet) return wallet
    if (appActor?.kind === 'custodial') {
      return { kind: 'custodial', address: appActor.profile.solana_address, token: appActor.token }
    }
    return null
  }, [wallet, appActor])

  const value = useMemo(
    () => ({ chain, setChain, wallet, connect, disconnect, actor }),
    [chain, setChain, wallet, connect, disconnect, actor],
  )
  return <Context.Provider value={value}>{children}</Context.Provider>
}

export function useSolana(): SolanaState {
  const state = useContext(Context)
  if (!state) throw new Error('useSolana outside <SolanaProvider>')
  return state
}
