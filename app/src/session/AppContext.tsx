import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react'
import { getAddress, type PublicClient } from 'viem'
import { publicClientFor } from '../chain/client'
import type { Deployment } from '../chain/manifest'
import { relayer } from '../relayer/client'
import type { Session } from '../relayer/types'
import type { Actor } from './actor'
import { injectedProvider } from './wallet'

/** The custodial session lives in sessionStorage (this tab only, gone when it closes); never in localStorage. */
const SESSION_KEY = 'mercato.session'

interface AppState {
  deployment: Deployment
  client: PublicClient
  actor: Actor | null
  /** Restoring a stored session on load. */
  restoring: boolean
  signInCustodial: (session: Session) => void
  signInWallet: (actor: Extract<Actor, { kind: 'wallet' }>) => void
  signOut: () => Promise<void>
  /** Bumped after every confirmed action, so pages read the chain again. */
  chainVersion: number
  chainChanged: () => void
}

const Context = createContext<AppState | null>(null)

export function AppProvider({ deployment, children }: { deployment: Deployment; children: ReactNode }) {
  const client = useMemo(() => publicClientFor(deployment.evm), [deployment])
  const [actor, setActor] = useState<Actor | null>(null)
  const [restoring, setRestoring] = useState(true)
  const [chainVersion, setChainVersion] = useState(0)

  useEffect(() => {
    const stored = sessionStorage.getItem(SESSION_KEY)
    if (!stored) return setRestoring(false)
    const { token } = JSON.parse(stored) as { token: string }
    relayer
      .me(token)
      .then((profile) => setActor({ kind: 'custodial', token, profile }))
      .catch(() => sessionStorage.removeItem(SESSION_KEY))
      .finally(() => setRestoring(false))
  }, [])

  // Signing in as someone else ends the previous custodial session on the relayer (it would otherwise stay valid
  // until it expires, with nobody holding it).
  const endPrevious = useCallback((next: string | null) => {
    if (actor?.kind === 'custodial' && actor.token !== next) void relayer.logOut(actor.token).catch(() => undefined)
  }, [actor])

  const signInCustodial = useCallback(
    (session: Session) => {
      endPrevious(session.token)
      sessionStorage.setItem(SESSION_KEY, JSON.stringify({ token: session.token }))
      setActor({ kind: 'custodial', token: session.token, profile: session.user })
    },
    [endPrevious],
  )

  const signInWallet = useCallback(
    (wallet: Extract<Actor, { kind: 'wallet' }>) => {
      endPrevious(null)
      sessionStorage.removeItem(SESSION_KEY)
      setActor(wallet)
    },
    [endPrevious],
  )

  const signOut = useCallback(async () => {
    const current = actor
    sessionStorage.removeItem(SESSION_KEY)
    setActor(null)
    // The session ends on the relayer too; a failure here (already expired) changes nothing for the person.
    if (current?.kind === 'custodial') await relayer.logOut(current.token).catch(() => undefined)
  }, [actor])

  const chainChanged = useCallback(() => setChainVersion((v) => v + 1), [])

  // A wallet user who switches account in the wallet continues as that account; one who disconnects it, or moves
  // it to another chain (its signatures would be for that chain), is signed out.
  useEffect(() => {
    if (actor?.kind !== 'wallet') return
    const provider = injectedProvider()
    if (!provider?.on) return
    const onAccounts = (accounts: string[]) => {
      if (accounts.length === 0) setActor(null)
      else if (accounts[0].toLowerCase() !== actor.address.toLowerCase()) {
        setActor({ ...actor, address: getAddress(accounts[0]) })
      }
    }
    const onChain = (chainId: string) => {
      if (Number(chainId) !== deployment.evm.chainId) setActor(null)
    }
    provider.on('accountsChanged', onAccounts)
    provider.on('chainChanged', onChain)
    return () => {
      provider.removeListener?.('accountsChanged', onAccounts)
      provider.removeListener?.('chainChanged', onChain)
    }
  }, [actor, deployment])

  const value = useMemo(
    () => ({ deployment, client, actor, restoring, signInCustodial, signInWallet, signOut, chainVersion, chainChanged }),
    [deployment, client, actor, restoring, signInCustodial, signInWallet, signOut, chainVersion, chainChanged],
  )
  return <Context.Provider value={value}>{children}</Context.Provider>
}

export function useApp(): AppState {
  const state = useContext(Context)
  if (!state) throw new Error('useApp outside <AppProvider>')
  return state
}
