import { useMemo, useRef, useState, type FormEvent } from 'react'
import { GasChoice } from '../components/GasChoice'
import { encodeFunctionData } from 'viem'
import { ErrorNotice } from '../components/ErrorNotice'
import { TxProgress } from '../components/TxProgress'
import { formatMrc, formatUtc, mrcInput, parseMrc, relativeTime, shortAddress } from '../chain/format'
import { RARITIES, readAccount, readMarket, type Listing } from '../chain/reads'
import { useChainClock } from '../chain/useChainClock'
import { useChainData } from '../chain/useChainData'
import { auctionHouseAbi, tokenAbi } from '../generated/abis'
import { explain } from '../gasless/explain'
import { useGasless, type Run } from '../gasless/useGasless'
import { actorAddress } from '../session/actor'
import { useApp } from '../session/AppContext'

export function Market() {
  const { client, deployment } = useApp()
  const market = useChainData(() => readMarket(client, deployment.evm), [], 5_000)
  const now = useChainClock(market.data?.now)
  const shown = useWithClosed(market.data?.listings)

  return (
    <section className="page" aria-labelledby="market-title">
      <div className="page-head">
        <h1 id="market-title">Market</h1>
        <button type="button" onClick={market.reload} disabled={market.loading}>
          {market.loading ? 'Refreshing…' : 'Refresh'}
        </button>
      </div>
      <p className="hint">Listings read live from the auction house contract. Bids and purchases cost you no gas (wallet users may pay it themselves).</p>
      <GasChoice />
      {market.error && <ErrorNotice error={explain(market.error)} />}
      {market.data && shown.length === 0 && <p>No open listings right now.</p>}
      {market.data && now !== undefined && (
        <ul className="listings">
          {shown.map(({ listing, closed }) => (
            <ListingCard key={listing.id.toString()} listing={listing} closed={closed} now={now} />
          ))}
        </ul>
      )}
      {!market.data && !market.error && <p aria-busy="true">Loading listings…</p>}
    </section>
  )
}

/**
 * The open listings, plus those that closed while this page was open (bought, settled, cancelled): their cards
 * stay, marked closed, so whoever just bought or settled still sees how their action ended.
 */
function useWithClosed(open: Listing[] | undefined): { listing: Listing; closed: boolean }[] {
  const previous = useRef<Listing[]>([])
  const closed = useRef(new Map<bigint, Listing>())
  return useMemo(() => {
    if (!open) return []
    const openIds = new Set(open.map((l) => l.id))
    for (const l of previous.current) if (!openIds.has(l.id)) closed.current.set(l.id, l)
    previous.current = open
    const all = [
      ...open.map((listing) => ({ listing, closed: false })),
      ...[...closed.current.values()].map((listing) => ({ listing, closed: true })),
    ]
    return all.sort((a, b) => (a.listing.id < b.listing.id ? -1 : 1))
  }, [open])
}

const KIND_LABEL = { English: 'English auction', Dutch: 'Dutch auction', Fixed: 'Fixed price' }

function ListingCard({ listing, closed, now }: { listing: Listing; closed: boolean; now: bigint }) {
  const { actor } = useApp()
  // The card owns its action's progress, so the progress stays on screen when the listing closes.
  const gasless = useGasless()
  const me = actor ? actorAddress(actor).toLowerCase() : undefined
  const ended = listing.kind === 'English' && now >= listing.endTime
  const hasBid = listing.highBid > 0n
  const a = listing.attributes
  return (
    <li className="card listing" data-testid={`listing-${listing.id}`} aria-labelledby={`listing-${listing.id}-title`}>
      <h2 id={`listing-${listing.id}-title`}>
        Item #{listing.tokenId.toString()} <span className="tag">{KIND_LABEL[listing.kind]}</span>
        {closed && (
          <span className="tag state-closed" data-testid="closed">
            Closed
          </span>
        )}
      </h2>
      {a && (
        <p className="hint">
          class {a.class} · {RARITIES[a.rarity] ?? a.rarity} · power {a.power}
        </p>
      )}
      <dl className="facts">
        <dt>Seller</dt>
        <dd>{listing.seller.toLowerCase() === me ? 'you' : shortAddress(listing.seller)}</dd>
        {listing.kind === 'English' && (
          <>
            <dt>High bid</dt>
            <dd data-testid="high-bid">
              {hasBid
                ? `${formatMrc(listing.highBid)} by ${listing.highBidder.toLowerCase() === me ? 'you' : shortAddress(listing.highBidder)}`
                : `none yet (reserve ${formatMrc(listing.startPrice)})`}
            </dd>
            <dt>Minimum bid</dt>
            <dd data-testid="minimum-bid">{formatMrc(listing.price)}</dd>
            <dt>{ended ? 'Ended' : 'Ends'}</dt>
            <dd>
              <time dateTime={new Date(Number(listing.endTime) * 1000).toISOString()}>{formatUtc(listing.endTime)}</time>{' '}
              ({relativeTime(listing.endTime, now)})
            </dd>
          </>
        )}
        {listing.kind === 'Dutch' && (
          <>
            <dt>Price now</dt>
            <dd data-testid="price">{formatMrc(listing.price)}</dd>
            <dt>Falls to</dt>
            <dd>
              {formatMrc(listing.floorPrice)} at {formatUtc(listing.endTime)} ({relativeTime(listing.endTime, now)})
            </dd>
          </>
        )}
        {listing.kind === 'Fixed' && (
          <>
            <dt>Price</dt>
            <dd data-testid="price">{formatMrc(listing.price)}</dd>
          </>
        )}
      </dl>
      {closed ? (
        <p className="notice">This listing has closed (sold, settled or withdrawn).</p>
      ) : (
        <ListingAction listing={listing} ended={ended} gasless={gasless} />
      )}
      <TxProgress steps={gasless.steps} />
    </li>
  )
}

export type Gasless = ReturnType<typeof useGasless>

function ListingAction({ listing, ended, gasless }: { listing: Listing; ended: boolean; gasless: Gasless }) {
  const { actor } = useApp()
  if (!actor) {
    return (
      <p className="notice">
        <a href="#/signin">Sign in</a> to {listing.kind === 'English' ? 'bid' : 'buy'}.
      </p>
    )
  }
  if (actorAddress(actor).toLowerCase() === listing.seller.toLowerCase()) {
    return <p className="notice">This is your listing.</p>
  }
  if (listing.kind !== 'English') return <BuyAction listing={listing} gasless={gasless} />
  if (ended) return <SettleAction listing={listing} gasless={gasless} />
  return <BidForm listing={listing} gasless={gasless} />
}

/** Approves the auction house for `amount` first if the allowance (after credits) falls short. */
function useMarketSteps() {
  const { actor, client, deployment } = useApp()
  const house = deployment.evm.contracts.auctionHouse
  return async (run: Run, amount: bigint) => {
    const account = await readAccount(client, deployment.evm, actorAddress(actor!))
    const fromWallet = amount > account.credits ? amount - account.credits : 0n
    if (fromWallet > account.allowance) {
      await run(`Allow the auction house to take ${formatMrc(fromWallet)}`, {
        to: deployment.evm.contracts.token,
        data: encodeFunctionData({ abi: tokenAbi, functionName: 'approve', args: [house, fromWallet] }),
      })
    }
  }
}

export function BidForm({ listing, gasless }: { listing: Listing; gasless: Gasless }) {
  const { deployment } = useApp()
  // The field follows the minimum bid (others bid too) until the person types their own amount.
  const [typed, setTyped] = useState<string>()
  const amount = typed ?? mrcInput(listing.price)
  const setAmount = (text: string) => setTyped(text)
  const [invalid, setInvalid] = useState(false)
  const { busy, start } = gasless
  const approveIfNeeded = useMarketSteps()
  const inputId = `bid-${listing.id}`

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    const value = parseMrc(amount)
    setInvalid(value === null)
    if (value === null) return
    // The contract decides what is too low (and the relayer's simulation tells us why): the form only checks the
    // format, so a stale minimum on screen cannot block a valid bid.
    const placed = await start(async (run) => {
      await approveIfNeeded(run, value)
      await run(`Bid ${formatMrc(value)}`, {
        to: deployment.evm.contracts.auctionHouse,
        data: encodeFunctionData({ abi: auctionHouseAbi, functionName: 'bid', args: [listing.id, value] }),
      })
    })
    if (placed) setTyped(undefined) // back to following the (new) minimum bid
  }

  return (
    <form className="action" onSubmit={submit}>
      <label htmlFor={inputId}>Your bid (MRC)</label>
      <div className="inline">
        <input
          id={inputId}
          inputMode="decimal"
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
          aria-invalid={invalid}
          aria-describedby={invalid ? `${inputId}-invalid` : undefined}
        />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Bidding…' : 'Place bid'}
        </button>
      </div>
      {invalid && (
        <p id={`${inputId}-invalid`} className="field-error">
          Enter an amount of MRC, like 25 or 12.5.
        </p>
      )}
    </form>
  )
}

export function BuyAction({ listing, gasless }: { listing: Listing; gasless: Gasless }) {
  const { deployment } = useApp()
  const { busy, start } = gasless
  const approveIfNeeded = useMarketSteps()
  const buy = () =>
    start(async (run) => {
      await approveIfNeeded(run, listing.price)
      await run(`Buy for at most ${formatMrc(listing.price)}`, {
        to: deployment.evm.contracts.auctionHouse,
        data: encodeFunctionData({ abi: auctionHouseAbi, functionName: 'buy', args: [listing.id, listing.price] }),
      })
    })
  return (
    <div className="action">
      <button type="button" className="primary" onClick={() => void buy()} disabled={busy}>
        {busy ? 'Buying…' : `Buy for ${formatMrc(listing.price)}`}
      </button>
    </div>
  )
}

export function SettleAction({ listing, gasless }: { listing: Listing; gasless: Gasless }) {
  const { deployment } = useApp()
  const { busy, start } = gasless
  const settle = () =>
    start(async (run) => {
      await run('Settle the auction', {
        to: deployment.evm.contracts.auctionHouse,
        data: encodeFunctionData({ abi: auctionHouseAbi, functionName: 'settle', args: [listing.id] }),
      })
    })
  return (
    <div className="action">
      <p className="hint">The auction has ended. Anyone may settle it: the item goes to the winner, the MRC to the seller.</p>
      <button type="button" onClick={() => void settle()} disabled={busy}>
        {busy ? 'Settling…' : 'Settle'}
      </button>
    </div>
  )
}
