// The indexer's Solana API: the same routes and shapes as EVM under `/solana` (indexer/README.md "Solana ingest"),
// with base58 addresses and signatures. Amounts are currency base units (9 decimals on Solana).
import {
  indexerGet,
  type IndexedBid,
  type IndexedItem,
  type IndexedListing,
  type ItemEvent,
  type Page,
  type ParameterChange,
} from '../indexer/client'

/** GET /solana/v1/accounts/{pubkey}. */
export interface SolanaAccountView {
  address: string
  balance: string
  /** On Solana: the governance deposit. */
  voting_power: string
  delegate: string | null
  items_owned: number
}

/** A Solana item: the EVM item shape plus its mint (the PDA `["item_mint", id]`). */
export type SolanaItem = IndexedItem & { mint: string | null }

/** GET /solana/v1/proposals: tallies, quorum and state (as the indexer computes it at the latest mirrored time). */
export interface SolanaProposal {
  proposal_id: string
  proposer: string
  description: string
  state: string
  vote_start: number
  vote_end: number
  eta: number | null
  votes_for: string
  votes_against: string
  votes_abstain: string
  quorum: string | null
  voters: number
  created_block: number
}

export interface SolanaVote {
  proposal_id: string
  voter: string
  support: number
  weight: string
  reason: string
  block_number: number
  tx_hash: string
  block_time: number
}

const S = '/solana/v1'

export const solanaIndexer = {
  account: (address: string) => indexerGet<SolanaAccountView>(`${S}/accounts/${address}`),
  accountItems: (address: string) => indexerGet<Page<SolanaItem>>(`${S}/accounts/${address}/items`, { limit: '500' }),
  item: (id: string) => indexerGet<SolanaItem>(`${S}/items/${id}`),
  itemHistory: (id: string) => indexerGet<Page<ItemEvent>>(`${S}/items/${id}/history`, { limit: '100' }),
  listings: (filter: { status?: string; kind?: string; seller?: string }) =>
    indexerGet<Page<IndexedListing>>(`${S}/listings`, { ...filter, limit: '100' }),
  listing: (id: string) => indexerGet<IndexedListing>(`${S}/listings/${id}`),
  bids: (listing: string) => indexerGet<Page<IndexedBid>>(`${S}/bids`, { listing, limit: '500' }),
  proposals: () => indexerGet<Page<SolanaProposal>>(`${S}/proposals`, { limit: '50' }),
  parameterHistory: () => indexerGet<Page<ParameterChange>>(`${S}/parameters/history`, { limit: '500' }),
  votes: (proposal: string, voter?: string) =>
    indexerGet<Page<SolanaVote>>(`${S}/proposals/${proposal}/votes`, { voter, limit: '500' }),
}
