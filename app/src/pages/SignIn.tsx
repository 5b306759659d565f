import { useState, type FormEvent } from 'react'
import { ErrorNotice } from '../components/ErrorNotice'
import { explain, type Explained } from '../gasless/explain'
import { relayer } from '../relayer/client'
import { navigate } from '../routes'
import { useApp } from '../session/AppContext'
import { connectWallet, injectedProvider } from '../session/wallet'

type Mode = 'signup' | 'login'

export function SignIn() {
  const { actor } = useApp()
  return (
    <section aria-labelledby="signin-title" className="page">
      <h1 id="signin-title">Sign in</h1>
      {actor && <p className="notice">You are signed in. Signing in again replaces the current session.</p>}
      <div className="columns">
        <EmailForm />
        <WalletConnect />
      </div>
    </section>
  )
}

export function EmailForm() {
  const { signInCustodial } = useApp()
  const [mode, setMode] = useState<Mode>('signup')
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<Explained>()

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setBusy(true)
    setError(undefined)
    try {
      const session = mode === 'signup' ? await relayer.signUp(email, password) : await relayer.logIn(email, password)
      signInCustodial(session)
      navigate('account')
    } catch (e) {
      setError(explain(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <form className="card" onSubmit={submit} aria-labelledby="email-title">
      <h2 id="email-title">With email</h2>
      <p className="hint">No wallet, no gas, no signatures: Mercato keeps your keys and pays your fees.</p>
      <div className="segmented" role="group" aria-label="Account">
        <button type="button" aria-pressed={mode === 'signup'} onClick={() => setMode('signup')}>
          New account
        </button>
        <button type="button" aria-pressed={mode === 'login'} onClick={() => setMode('login')}>
          I have an account
        </button>
      </div>
      <label>
        Email
        <input type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
      </label>
      <label>
        Password
        <input
          type="password"
          autoComplete={mode === 'signup' ? 'new-password' : 'current-password'}
          required
          minLength={mode === 'signup' ? 8 : undefined}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </label>
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Please wait…' : mode === 'signup' ? 'Create account' : 'Log in'}
      </button>
      {error && <ErrorNotice error={error} testId="signin-error" />}
    </form>
  )
}

function WalletConnect() {
  const { deployment, signInWallet } = useApp()
  const provider = injectedProvider()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<Explained>()

  const connect = async () => {
    if (!provider) return
    setBusy(true)
    setError(undefined)
    try {
      const { address, client } = await connectWallet(provider, deployment.evm.chainId)
      signInWallet({ kind: 'wallet', address, client })
      navigate('account')
    } catch (e) {
      setError(explain(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <div className="card" aria-labelledby="wallet-title">
      <h2 id="wallet-title">With a wallet</h2>
      <p className="hint">
        Your wallet signs each action (no transaction, no gas): the relayer submits it and pays the fee.
      </p>
      {provider ? (
        <button type="button" className="primary" onClick={() => void connect()} disabled={busy}>
          {busy ? 'Waiting for your wallet…' : 'Connect wallet'}
        </button>
      ) : (
        <p className="notice">
          No browser wallet found. Install one (for example MetaMask) and reload, or sign in with email.
        </p>
      )}
      {error && <ErrorNotice error={error} testId="wallet-error" />}
    </div>
  )
}
