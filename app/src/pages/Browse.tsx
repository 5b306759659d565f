import { useState } from 'react'
import { ErrorNotice } from '../components/ErrorNotice'
import { formatMrc, formatUtc, shortAddress } from '../chain/format'
import { useChainData } from '../chain/useChainData'
import { explainIndexer, indexer, type IndexedListing } from '../indexer/client'
import { actorAddress } from '../session/actor'
import { useApp } from '../session/AppContext'

const KINDS = { english: 'English auction', dutch: 'Dutch auction', fixed: 'Fixed price' } as const
const STATUSES = ['open', 'sold', 'cancelled', 'unsold', 'failed'] as const

/** Every listing the indexer has mirrored, filtered by kind, status and seller; each opens its own page. */
export function Browse() {
  const { actor } = useApp()
  const me = actor ? actorAddress(actor).toLowerCase() : undefined
  const [kind, setKind] = useState('')
  const [status, setStatus] = useState('open')
  const [seller, setSeller] = useState('')
  const filter = { kind: kind || undefined, status: status || undefined, seller: seller.trim() || undefined }
  const list = useChainData(() => indexer.listings(filter), [kind, status, seller], 5_000)

  return (
    <section className="page" aria-labelledby="browse-title">
      <h1 id="browse-title">Browse listings</h1>
      <p className="hint">From the indexer: open and closed listings of every kind. Pick one for its bids and history.</p>
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filters">
        <label>
          Kind
          <select value={kind} onChange={(e) => setKind(e.target.value)}>
            <option value="">any</option>
            {Object.entries(KINDS).map(([k, label]) => (
              <option key={k} value={k}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Status
          <select value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">any</option>
            {STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Seller
          <input value={seller} onChange={(e) => setSeller(e.target.value)} placeholder="0x… address" spellCheck={false} />
        </label>
        {me && (
          <button type="button" onClick={() => setSeller(me)}>
            Only mine
          </button>
        )}
      </form>
      {list.error && <ErrorNotice error={explainIndexer(list.error, 'The listings could not be loaded')} />}
      {list.data && list.data.items.length === 0 && <p data-testid="no-listings">No listings match.</p>}
      {list.data && list.data.items.length > 0 && (
        <table className="table" data-testid="browse-table">
          <thead>
            <tr>
              <th scope="col">Listing</th>
              <th scope="col">Kind</th>
              <th scope="col">Status</th>
              <th scope="col">Price</th>
              <th scope="col">Seller</th>
              <th scope="col">Ends</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((l) => (
              <Row key={l.listing_id} listing={l} me={me} />
            ))}
          </tbody>
        </table>
      )}
      {!list.data && !list.error && <p aria-busy="true">Loading listings…</p>}
    </section>
  )
}

/** What a listing costs or stands at, in words. */
export function priceText(l: IndexedListing): string {
  if (l.kind === 'english') return l.high_bid && l.bid_count > 0 ? `${formatMrc(BigInt(l.high_bid))} high bid (${l.bid_count === 1 ? "1 bid" : `${l.bid_count} bids`})` : `reserve ${formatMrc(BigInt(l.start_price))}`
  return formatMrc(BigInt(l.current_price ?? l.start_price))
}

function Row({ listing: l, me }: { listing: IndexedListing; me: string | undefined }) {
  return (
    <tr data-testid={`browse-${l.listing_id}`}>
      <td>
        <a href={`#/listing/${l.listing_id}`}>
          #{l.listing_id}: item #{l.token_id}
        </a>
      </td>
      <td>{KINDS[l.kind]}</td>
      <td>
        <span className={`tag state-${l.status}`}>{l.status}</span>
      </td>
      <td>{priceText(l)}</td>
      <td>{l.seller === me ? 'you' : shortAddress(l.seller)}</td>
      <td>{l.kind === 'fixed' ? '—' : formatUtc(l.end_time)}</td>
    </tr>
  )
}
