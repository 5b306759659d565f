import { useEffect, useRef } from 'react'
import { Nav } from './components/Nav'
import { useRoute } from './routes'
import { Account } from './pages/Account'
import { Dao } from './pages/Dao'
import { Market } from './pages/Market'
import { SignIn } from './pages/SignIn'
import { Browse } from './pages/Browse'
import { Economy } from './pages/Economy'
import { Inventory } from './pages/Inventory'
import { ListingPage } from './pages/ListingPage'
import { Prices } from './pages/Prices'
import { InFlight } from './components/InFlight'
import { useApp } from './session/AppContext'
import { useSolana } from './solana/SolanaContext'
import { SolanaSignIn } from './solana/SignInSolana'
import { analyticsFor, SOLANA_ANALYTICS } from './indexer/analytics'
import { SolanaAccount, SolanaDao, SolanaInventory, SolanaListing, SolanaMarket } from './solana/pages'

const solanaAnalytics = analyticsFor(SOLANA_ANALYTICS)

export function App() {
  const route = useRoute()
  const { restoring } = useApp()
  const { chain } = useSolana()
  const main = useRef<HTMLElement>(null)
  const first = useRef(true)
  // After a page change, keyboard and screen-reader users start at the new page's content, not at the old link.
  useEffect(() => {
    if (first.current) {
      first.current = false
      return
    }
    main.current?.focus()
  }, [route])
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <Nav current={route} />
      <main id="main" tabIndex={-1} ref={main}>
        <InFlight />
        {restoring ? (
          <p aria-busy="true">Restoring your session…</p>
        ) : chain === 'solana' ? (
          {
            market: <SolanaMarket />,
            listings: <SolanaMarket />,
            listing: <SolanaListing />,
            inventory: <SolanaInventory />,
            prices: <Prices key="solana" analytics={solanaAnalytics} />,
            economy: <Economy key="solana" analytics={solanaAnalytics} />,
            dao: <SolanaDao />,
            account: <SolanaAccount />,
            signin: <SolanaSignIn />,
          }[route]
        ) : (
          {
            market: <Market />,
            listings: <Browse />,
            listing: <ListingPage />,
            inventory: <Inventory />,
            prices: <Prices />,
            economy: <Economy />,
            dao: <Dao />,
            account: <Account />,
            signin: <SignIn />,
          }[route]
        )}
      </main>
    </>
  )
}
