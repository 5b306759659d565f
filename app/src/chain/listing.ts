import type { PublicClient } from 'viem'
import { auctionHouseAbi, itemsAbi } from '../generated/abis'
import type { EvmDeployment } from './manifest'
import { LISTING_KINDS, type Listing, type ListingKind } from './reads'

/** One listing as the chain has it now (undefined once closed: the house forgets closed listings), and the chain time. */
export async function readListing(
  client: PublicClient,
  evm: EvmDeployment,
  id: bigint,
): Promise<{ listing: Listing | undefined; now: bigint; originalEnd: bigint | undefined }> {
  const house = evm.contracts.auctionHouse
  const block = await client.getBlock()
  const at = { address: house, abi: auctionHouseAbi, blockNumber: block.number } as const
  const [l, created] = await Promise.all([
    client.readContract({ ...at, functionName: 'listing', args: [id] }),
    client.getContractEvents({ address: house, abi: auctionHouseAbi, eventName: 'ListingCreated', args: { id }, fromBlock: BigInt(evm.deployBlock) }),
  ])
  const originalEnd = created[0]?.args.endTime !== undefined ? BigInt(created[0].args.endTime) : undefined
  if (l.kind === 0) return { listing: undefined, now: block.timestamp, originalEnd }
  const kind = LISTING_KINDS[l.kind] as ListingKind
  const [price, attributes] = await Promise.all([
    client.readContract({ ...at, functionName: kind === 'English' ? 'minimumBid' : 'currentPrice', args: [id] }),
    client.readContract({ address: l.nft, abi: itemsAbi, functionName: 'attributes', args: [l.tokenId] }).catch(() => undefined),
  ])
  return {
    listing: {
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
    },
    now: block.timestamp,
    originalEnd,
  }
}
