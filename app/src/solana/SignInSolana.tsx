import { useEffect, useState } from 'react'
import type { Wallet } from '@wallet-standard/base'
import { ErrorNotice } from '../components/ErrorNotice'
import { explain, type Explained } from '../gasless/explain'
import { navigate } from '../routes'
import { EmailForm } from '../pages/SignIn'
import { useApp } from '../session/AppContext'
import { shortAddress } from '../chain/format'
import { useSolana } from './SolanaContext'
import { solanaWallets } from './wallet'

/** The Solana wallets in the page (wallet-standard), each with a connect button. */
export function SolanaWalletConnect() {
  const { connect, wallet: connected, disconnect } = useSolana()
  const [wallets, setWallets] = useState<Wallet[]>(() => solanaWallets().list())
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<Explained>()
  useEffect(() => {
    const registry = solanaWallets()
    setWallets(registry.list())
    return registry.onChange(() => setWallets(registry.list()))
  }, [])

  const pick = async (wallet: Wallet) => {
    setBusy(true)
    setError(undefined)
    try {
      await connect(wallet)
      navigate('account')
    } catch (e) {
      setError(explain(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <div className="card" aria-labelledby="sol-wallet-title" data-testid="solana-wallets">
      <h2 id="sol-wallet-title">With a Solana wallet</h2>
      <p className="hint">
        Your wallet signs each transaction; Mercato co-signs as fee payer and sends it, so you need no SOL.
      </p>
      {connected && (
        <p className="notice">
          Connected: <code>{connected.address}</code>{' '}
          <button type="button" onClick={disconnect}>
            Disconnect
          </button>
        </p>
      )}
      {wallets.length === 0 ? (
        <p className="notice">No Solana wallet found. Install one (for example Phantom or Solflare) and reload, or sign in with email.</p>
      ) : (
        <ul className="wallets">
          {wallets.map((w) => (
            <li key={w.name}>
              <button type="button" className="primary" disabled={busy} onClick={() => void pick(w)}>
                {w.icon && <img src={w.icon} alt="" width={20} height={20} />} Connect {w.name}
              </button>
            </li>
          ))}
        </ul>
      )}
      {error && <ErrorNotice error={error} testId="solana-wallet-error" />}
    </div>
  )
}

/** The chain switch in the navigation: EVM or Solana, for every page. */
export function ChainSwitch() {
  const { chain, setChain } = useSolana()
  return (
    <div className="segmented chain-switch" role="group" aria-label="Chain" data-testid="chain-switch">
      <button type="button" aria-pressed={chain === 'evm'} onClick={() => setChain('evm')}>
        EVM
      </button>
      <button type="button" aria-pressed={chain === 'solana'} onClick={() => setChain('solana')}>
        Solana
      </button>
    </div>
  )
}

/** Sign in on Solana: email (custodial: the relayer made a Solana address for the account) or a Solana wallet. */
export function SolanaSignIn() {
  const { actor } = useApp()
  return (
    <section aria-labelledby="signin-title" className="page">
      <h1 id="signin-title">Sign in (Solana)</h1>
      {actor && <p className="notice">You are signed in. Signing in again replaces the current session.</p>}
      <div className="columns">
        <EmailForm />
        <SolanaWalletConnect />
      </div>
    </section>
  )
}

/** The navigation's "who" on Solana when a Solana wallet is connected. */
export function SolanaNavIdentity() {
  const { wallet, disconnect } = useSolana()
  if (!wallet) return null
  return (
    <>
      <span className="identity" title={wallet.address}>
        Solana wallet {shortAddress(wallet.address)}
      </span>
      <button type="button" onClick={disconnect}>
        Disconnect
      </button>
    </>
  )
}
