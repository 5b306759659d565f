import { shortAddress } from '../chain/format'
import { actorAddress } from '../session/actor'
import { useApp } from '../session/AppContext'
import type { Route } from '../routes'
import { ChainSwitch, SolanaNavIdentity } from '../solana/SignInSolana'
import { useSolana } from '../solana/SolanaContext'

const LINKS: { route: Route; label: string }[] = [
  { route: 'market', label: 'Market' },
  { route: 'listings', label: 'Browse' },
  { route: 'inventory', label: 'Inventory' },
  { route: 'prices', label: 'Prices' },
  { route: 'economy', label: 'Economy' },
  { route: 'dao', label: 'DAO' },
  { route: 'account', label: 'Account' },
]

export function Nav({ current }: { current: Route }) {
  const { actor, signOut, deployment, restoring } = useApp()
  const { chain, wallet: solanaWallet } = useSolana()
  return (
    <header className="nav">
      <a className="brand" href="#/market">
        Mercato
      </a>
      <nav aria-label="Main">
        <ul>
          {LINKS.map((link) => (
            <li key={link.route}>
              <a href={`#/${link.route}`} aria-current={current === link.route ? 'page' : undefined}>
                {link.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <div className="who" data-testid="who">
        <ChainSwitch />
        <span className="chain-badge" title="The chain this deployment runs on">
          {chain === 'solana' ? `${deployment.network} · Solana` : `${deployment.network} · chain ${deployment.evm.chainId}`}
        </span>
        {chain === 'solana' && solanaWallet ? (
          <SolanaNavIdentity />
        ) : restoring ? (
          <span className="hint" aria-busy="true">
            Restoring your session…
          </span>
        ) : actor ? (
          <>
            <span className="identity">
              {actor.kind === 'custodial' ? actor.profile.email : `Wallet ${shortAddress(actorAddress(actor))}`}
            </span>
            <button type="button" onClick={() => void signOut()}>
              {actor.kind === 'custodial' ? 'Log out' : 'Disconnect'}
            </button>
          </>
        ) : (
          <a className="button" href="#/signin">
            Sign in
          </a>
        )}
      </div>
    </header>
  )
}
