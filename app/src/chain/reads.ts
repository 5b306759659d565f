// Everything the app shows, read straight from the chain with viem. A later slice moves the lists (listings,
// proposals, items, history) to the indexer's REST API; these functions are the seam it replaces.
import type { Address, PublicClient } from 'viem'
import { auctionHouseAbi, governorAbi, itemsAbi, tokenAbi } from '../generated/abis'
import type { EvmDeployment } from './manifest'

export interface AccountInfo {
  eth: bigint
  mrc: bigint
  votes: bigint
  delegate: Address
  credits: bigint
  allowance: bigint
}

export async function readAccount(client: PublicClient, evm: EvmDeployment, account: Address): Promise<AccountInfo> {
  const { token, auctionHouse } = evm.contracts
  const [eth, mrc, votes, delegate, credits, allowance] = await Promise.all([
    client.getBalance({ address: account }),
    client.readContract({ address: token, abi: tokenAbi, functionName: 'balanceOf', args: [account] }),
    client.readContract({ address: token, abi: tokenAbi, functionName: 'getVotes', args: [account] }),
    client.readContract({ address: token, abi: tokenAbi, functionName: 'delegates', args: [account] }),
    client.readContract({ address: auctionHouse, abi: auctionHouseAbi, functionName: 'credits', args: [account] }),
    client.readContract({ address: token, abi: tokenAbi, functionName: 'allowance', args: [account, auctionHouse] }),
  ])
  return { eth, mrc, votes, delegate, credits, allowance }
}

export interface Attributes {
  class: number
  rarity: number
  power: number
}

export const RARITIES = ['Common', 'Uncommon', 'Rare', 'Epic', 'Legendary']

export interface OwnedItem {
  id: bigint
  attributes: Attributes
}

/** Items `account` holds now: ids it ever received (Transfer logs since the deployment), still owned. */
export async function readOwnedItems(client: PublicClient, evm: EvmDeployment, account: Address): Promise<OwnedItem[]> {
  const items = evm.contracts.items
  const received = await client.getContractEvents({
    address: items,
    abi: itemsAbi,
    eventName: 'Transfer',
    args: { to: account },
    fromBlock: BigInt(evm.deployBlock),
  })
  const ids = [...new Set(received.map((log) => log.args.id).filter((id): id is bigint => id !== undefined))]
  const owned = await Promise.all(
    ids.map(async (id) => {
      const owner = await client.readContract({ address: items, abi: itemsAbi, functionName: 'ownerOf', args: [id] })
      return owner.toLowerCase() === account.toLowerCase() ? id : null
    }),
  )
  const mine = owned.filter((id): id is bigint => id !== null).sort((a, b) => (a < b ? -1 : 1))
  return Promise.all(
    mine.map(async (id) => ({
      id,
      attributes: await client.readContract({ address: items, abi: itemsAbi, functionName: 'attributes', args: [id] }),
    })),
  )
}

export const LISTING_KINDS = ['None', 'English', 'Dutch', 'Fixed'] as const
export type ListingKind = Exclude<(typeof LISTING_KINDS)[number], 'None'>

export interface Listing {
  id: bigint
  kind: ListingKind
  seller: Address
  nft: Address
  tokenId: bigint
  attributes?: Attributes
  startTime: bigint
  /** English: bids accepted before it; Dutch: the price reaches the floor at it; Fixed: 0. */
  endTime: bigint
  startPrice: bigint
  floorPrice: bigint
  highBidder: Address
  highBid: bigint
  /** English: the smallest bid accepted now; Dutch / Fixed: the price now. */
  price: bigint
}

export interface Market {
  listings: Listing[]
  /** The chain's clock at the block read (countdowns are relative to it, not to this computer's clock). */
  now: bigint
}

/** Open listings of the auction house (ids 1 .. nextListingId-1; closed ones read back as kind None). */
export async function readMarket(client: PublicClient, evm: EvmDeployment): Promise<Market> {
  const house = evm.contracts.auctionHouse
  const block = await client.getBlock()
  const blockNumber = block.number
  const next = await client.readContract({
    address: house,
    abi: auctionHouseAbi,
    functionName: 'nextListingId',
    blockNumber,
  })
  const ids = Array.from({ length: Number(next - 1n) }, (_, i) => BigInt(i + 1))
  const raw = await Promise.all(
    ids.map((id) =>
      client.readContract({ address: house, abi: auctionHouseAbi, functionName: 'listing', args: [id], blockNumber }),
    ),
  )
  const open = ids.map((id, i) => ({ id, l: raw[i] })).filter(({ l }) => l.kind !== 0)
  const listings = await Promise.all(
    open.map(async ({ id, l }): Promise<Listing> => {
      const kind = LISTING_KINDS[l.kind] as ListingKind
      const [price, attributes] = await Promise.all([
        client.readContract({
          address: house,
          abi: auctionHouseAbi,
          functionName: kind === 'English' ? 'minimumBid' : 'currentPrice',
          args: [id],
          blockNumber,
        }),
        l.nft.toLowerCase() === evm.contracts.items.toLowerCase()
          ? client.readContract({ address: l.nft, abi: itemsAbi, functionName: 'attributes', args: [l.tokenId] })
          : Promise.resolve(undefined),
      ])
      return {
        id,
        kind,
        seller: l.seller,
        nft: l.nft,
        tokenId: l.tokenId,
        attributes,
        startTime: BigInt(l.startTime),
        endTime: BigInt(l.endTime),
        startPrice: l.startPrice,
        floorPrice: l.floorPrice,
        highBidder: l.highBidder,
        highBid: l.highBid,
        price,
      }
    }),
  )
  return { listings, now: block.timestamp }
}

export const PROPOSAL_STATES = [
  'Pending',
  'Active',
  'Canceled',
  'Defeated',
  'Succeeded',
  'Queued',
  'Expired',
  'Executed',
] as const

export interface Proposal {
  id: bigint
  proposer: Address
  description: string
  state: (typeof PROPOSAL_STATES)[number]
  snapshot: bigint
  deadline: bigint
  against: bigint
  for: bigint
  abstain: bigint
  quorum: bigint
  /** Whether the signed-in account voted (undefined when nobody is signed in). */
  hasVoted?: boolean
  /** The calls it makes when executed (queue and execute need them again). */
  actions: { targets: readonly Address[]; values: readonly bigint[]; calldatas: readonly `0x${string}`[] }
}

export interface Governance {
  proposals: Proposal[]
  now: bigint
}

/** Proposals from the governor's ProposalCreated events since the deployment, newest first. */
export async function readGovernance(
  client: PublicClient,
  evm: EvmDeployment,
  account: Address | undefined,
): Promise<Governance> {
  const governor = evm.contracts.governor
  const block = await client.getBlock()
  const created = await client.getContractEvents({
    address: governor,
    abi: governorAbi,
    eventName: 'ProposalCreated',
    fromBlock: BigInt(evm.deployBlock),
    toBlock: block.number,
  })
  const proposals = await Promise.all(
    created.map(async (log): Promise<Proposal> => {
      const id = log.args.proposalId!
      const at = { address: governor, abi: governorAbi, args: [id], blockNumber: block.number } as const
      const [state, snapshot, deadline, votes, hasVoted] = await Promise.all([
        client.readContract({ ...at, functionName: 'state' }),
        client.readContract({ ...at, functionName: 'proposalSnapshot' }),
        client.readContract({ ...at, functionName: 'proposalDeadline' }),
        client.readContract({ ...at, functionName: 'proposalVotes' }),
        account
          ? client.readContract({ address: governor, abi: governorAbi, functionName: 'hasVoted', args: [id, account] })
          : Promise.resolve(undefined),
      ])
      // The quorum is defined at the snapshot, which must be in the past to be read.
      const quorum =
        snapshot < block.timestamp
          ? await client.readContract({ address: governor, abi: governorAbi, functionName: 'quorum', args: [snapshot] })
          : 0n
      const [against, inFavour, abstain] = votes
      return {
        id,
        proposer: log.args.proposer!,
        description: log.args.description ?? '',
        state: PROPOSAL_STATES[state],
        snapshot,
        deadline,
        against,
        for: inFavour,
        abstain,
        quorum,
        hasVoted,
        actions: { targets: log.args.targets ?? [], values: log.args.values ?? [], calldatas: log.args.calldatas ?? [] },
      }
    }),
  )
  return { proposals: proposals.reverse(), now: block.timestamp }
}
