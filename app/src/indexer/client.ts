// The indexer's REST API (indexer/README.md), reached through the app server's same-origin /indexer path.
// Amounts and ids are decimal strings, addresses lowercase hex, times chain seconds.

/** A refusal or failure of the indexer, with its stable `reason` code (or one made here when it gave none). */
export class IndexerError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
  ) {
    super(message)
  }
}

export const INDEXER_BASE = '/indexer'

/** GET `path` (with `query`, empty values left out) and parse the JSON; throws IndexerError. */
export async function indexerGet<T>(path: string, query: Record<string, string | undefined> = {}): Promise<T> {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(key, value)
  const url = `${INDEXER_BASE}${path}${params.size ? `?${params}` : ''}`
  let response: Response
  try {
    response = await fetch(url, { headers: { Accept: 'application/json' } })
  } catch (error) {
    throw new IndexerError(0, 'indexer_unreachable', `the indexer could not be reached: ${String(error)}`)
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: { reason?: string; message?: string } } | null
    if (body?.error?.reason) throw new IndexerError(response.status, body.error.reason, body.error.message ?? '')
    if (response.status === 404) {
      throw new IndexerError(404, 'not_found', `this indexer does not serve ${path} (HTTP 404 without a body: the route is not there yet)`)
    }
    if (response.status === 502 || response.status === 504) {
      throw new IndexerError(response.status, 'indexer_unreachable', `the app server could not reach the indexer (HTTP ${response.status})`)
    }
    throw new IndexerError(response.status, 'indexer_error', `the indexer answered HTTP ${response.status}`)
  }
  return (await response.json()) as T
}

export interface Page<T> {
  items: T[]
  next_cursor: string | null
}

export interface IndexedItem {
  collection: string
  token_id: string
  owner: string
  class: number | null
  rarity: number | null
  power: number | null
  minted_block: number
}

export interface ItemEvent {
  kind: string
  block_number: number
  log_index: number
  tx_hash: string
  block_time: number
  from: string
  to: string
  price: string | null
}

export interface IndexedListing {
  listing_id: string
  kind: 'english' | 'dutch' | 'fixed'
  status: 'open' | 'sold' | 'cancelled' | 'unsold' | 'failed'
  seller: string
  nft: string
  token_id: string
  start_price: string
  floor_price: string
  start_time: number
  end_time: number
  high_bidder: string | null
  high_bid: string | null
  bid_count: number
  created_block: number
  closed_block: number | null
  current_price: string | null
  price_time: number
}

export interface IndexedBid {
  listing_id: string
  bidder: string
  amount: string
  previous_bidder: string
  previous_amount: string
  /** The auction's end after this bid (later than before when the bid came inside the anti-snipe buffer). */
  end_time: number
  block_number: number
  log_index: number
  tx_hash: string
  block_time: number
}

export interface ParameterChange {
  name: string
  old_value: string
  new_value: string
  block_number: number
  log_index: number
  tx_hash: string
  block_time: number
}

export const indexer = {
  accountItems: (address: string) => indexerGet<Page<IndexedItem>>(`/v1/accounts/${address.toLowerCase()}/items`, { limit: '500' }),
  itemHistory: (id: string) => indexerGet<Page<ItemEvent>>(`/v1/items/${id}/history`, { limit: '100' }),
  listings: (filter: { status?: string; kind?: string; seller?: string; cursor?: string }) =>
    indexerGet<Page<IndexedListing>>('/v1/listings', { ...filter, limit: '50' }),
  listing: (id: string) => indexerGet<IndexedListing>(`/v1/listings/${id}`),
  bids: (listing: string) => indexerGet<Page<IndexedBid>>('/v1/bids', { listing, limit: '500' }),
  parameterHistory: (name?: string) => indexerGet<Page<ParameterChange>>('/v1/parameters/history', { name, limit: '500' }),
}

/** An indexer error for people (the ErrorNotice shape): what failed, the indexer's reason code and its message. */
export function explainIndexer(error: Error, what = 'The indexer could not answer') {
  return error instanceof IndexerError
    ? { title: `${what}.`, reason: error.reason, detail: error.message }
    : { title: `${what}.`, reason: 'error', detail: error.message }
}
