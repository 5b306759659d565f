import { useEffect, useState } from 'react'
import { GasChoice } from '../components/GasChoice'
import { ErrorNotice } from '../components/ErrorNotice'
import { TxProgress } from '../components/TxProgress'
import { formatMrc, formatUtc, relativeTime, shortAddress } from '../chain/format'
import { readListing } from '../chain/listing'
import { RARITIES } from '../chain/reads'
import { useChainClock } from '../chain/useChainClock'
import { useChainData } from '../chain/useChainData'
import { explain } from '../gasless/explain'
import { useGasless } from '../gasless/useGasless'
import { explainIndexer, indexer, type IndexedBid } from '../indexer/client'
import { routeParam } from '../routes'
import { actorAddress } from '../session/actor'
import { useApp } from '../session/AppContext'
import { BidForm, BuyAction, SettleAction } from './Market'
import { priceText } from './Browse'

function useParam(): string {
  const [param, setParam] = useState(routeParam)
  useEffect(() => {
    const onChange = () => setParam(routeParam())
    window.addEventListener('hashchange', onChange)
    return () => window.removeEventListener('hashchange', onChange)
  }, [])
  return param
}

/** One listing: live state and countdown from the chain, its bids (with anti-snipe extensions) from the indexer. */
export function ListingPage() {
  const id = useParam()
  const valid = /^\d+$/.test(id)
  const { client, deployment, actor } = useApp()
  const chain = useChainData(() => (valid ? readListing(client, deployment.evm, BigInt(id)) : Promise.reject(new Error(`"${id}" is not a listing number`))), [id], 3_000)
  const indexed = useChainData(() => indexer.listing(id), [id], 3_000)
  const bids = useChainData(() => indexer.bids(id), [id], 3_000)
  const now = useChainClock(chain.data?.now)
  const gasless = useGasless()
  const me = actor ? actorAddress(actor).toLowerCase() : undefined
  const l = chain.data?.listing
  const ended = l?.kind === 'English' && now !== undefined && now >= l.endTime
  const extendedBy = l && chain.data?.originalEnd !== undefined && l.kind === 'English' ? l.endTime - chain.data.originalEnd : 0n

  return (
    <section className="page" aria-labelledby="listing-title">
      <p>
        <a href="#/listings">← All listings</a>
      </p>
      <h1 id="listing-title">
        Listing #{id} {indexed.data && <span className={`tag state-${indexed.data.status}`} data-testid="listing-status">{indexed.data.status}</span>}
      </h1>
      {chain.error && <ErrorNotice error={explain(chain.error)} />}
      {indexed.error && <ErrorNotice error={explainIndexer(indexed.error, 'The indexer has no record of this listing yet')} />}
      <div className="columns">
        <div className="card" data-testid="listing-live">
          <h2>{l ? `Item #${l.tokenId} · ${l.kind === 'Fixed' ? 'fixed price' : `${l.kind} auction`}` : 'Now'}</h2>
          {l?.attributes && (
            <p className="hint">
              class {l.attributes.class} · {RARITIES[l.attributes.rarity] ?? l.attributes.rarity} · power {l.attributes.power}
            </p>
          )}
          {chain.data && !l && <p className="notice">This listing is closed on the chain{indexed.data ? ` (${indexed.data.status})` : ''}.</p>}
          {l && now !== undefined && (
            <dl className="facts">
              <dt>Seller</dt>
              <dd>{l.seller.toLowerCase() === me ? 'you' : shortAddress(l.seller)}</dd>
              {l.kind === 'English' && (
                <>
                  <dt>High bid</dt>
                  <dd data-testid="high-bid">
                    {l.highBid > 0n ? `${formatMrc(l.highBid)} by ${l.highBidder.toLowerCase() === me ? 'you' : shortAddress(l.highBidder)}` : `none yet (reserve ${formatMrc(l.startPrice)})`}
                  </dd>
                  <dt>Minimum bid</dt>
                  <dd data-testid="minimum-bid">{formatMrc(l.price)}</dd>
                  <dt>{ended ? 'Ended' : 'Ends'}</dt>
                  <dd>
                    {formatUtc(l.endTime)}{' '}
                    <strong data-testid="countdown" aria-live="off">
                      ({relativeTime(l.endTime, now)})
                    </strong>
                  </dd>
                  {extendedBy > 0n && (
                    <>
                      <dt>Extended</dt>
                      <dd data-testid="extended">
                        by {relativeTime(extendedBy, 0n).replace(/^in /, '')}: late bids push the end (anti-snipe)
                      </dd>
                    </>
                  )}
                </>
              )}
              {l.kind !== 'English' && (
                <>
                  <dt>{l.kind === 'Dutch' ? 'Price now' : 'Price'}</dt>
                  <dd data-testid="price">{formatMrc(l.price)}</dd>
                </>
              )}
              {l.kind === 'Dutch' && (
                <>
                  <dt>Falls to</dt>
                  <dd>
                    {formatMrc(l.floorPrice)} at {formatUtc(l.endTime)} ({relativeTime(l.endTime, now)})
                  </dd>
                </>
              )}
            </dl>
          )}
          {l && actor && l.seller.toLowerCase() !== me && <GasChoice />}
          {l && actor && l.seller.toLowerCase() !== me && (l.kind !== 'English' ? <BuyAction listing={l} gasless={gasless} /> : ended ? <SettleAction listing={l} gasless={gasless} /> : <BidForm listing={l} gasless={gasless} />)}
          {l && !actor && (
            <p className="notice">
              <a href="#/signin">Sign in</a> to {l.kind === 'English' ? 'bid' : 'buy'}.
            </p>
          )}
          <TxProgress steps={gasless.steps} />
        </div>
        <div className="card">
          <h2>Indexed</h2>
          {indexed.data && (
            <dl className="facts" data-testid="listing-indexed">
              <dt>Status</dt>
              <dd>{indexed.data.status}</dd>
              <dt>Price</dt>
              <dd data-testid="indexed-price">{priceText(indexed.data)}</dd>
              <dt>Listed in block</dt>
              <dd>{indexed.data.created_block}</dd>
              {indexed.data.closed_block !== null && (
                <>
                  <dt>Closed in block</dt>
                  <dd>{indexed.data.closed_block}</dd>
                </>
              )}
            </dl>
          )}
        </div>
      </div>
      <div className="card">
        <h2>Bid history</h2>
        {bids.error && <ErrorNotice error={explainIndexer(bids.error, 'The bids could not be loaded')} />}
        {bids.data && <BidHistory bids={bids.data.items} me={me} originalEnd={chain.data?.originalEnd} />}
      </div>
    </section>
  )
}

function BidHistory({ bids, me, originalEnd }: { bids: IndexedBid[]; me: string | undefined; originalEnd: bigint | undefined }) {
  if (bids.length === 0) return <p data-testid="no-bids">No bids yet.</p>
  // Oldest first to see each bid's effect on the end time, shown newest first.
  const chronological = [...bids].reverse()
  const rows = chronological.map((b, i) => {
    const before = i === 0 ? originalEnd : BigInt(chronological[i - 1].end_time)
    const extended = before !== undefined && BigInt(b.end_time) > before ? BigInt(b.end_time) - before : 0n
    return { b, extended }
  })
  return (
    <ol className="bids" data-testid="bid-history" reversed>
      {rows.reverse().map(({ b, extended }) => (
        <li key={`${b.block_number}-${b.log_index}`} data-testid="bid">
          <strong>{formatMrc(BigInt(b.amount))}</strong> by {b.bidder === me ? 'you' : shortAddress(b.bidder)} · {formatUtc(b.block_time)}
          {extended > 0n && (
            <span className="tag" data-testid="bid-extended">
              end +{extended.toString()} s
            </span>
          )}
        </li>
      ))}
    </ol>
  )
}
