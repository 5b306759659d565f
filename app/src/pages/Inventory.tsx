import { useMemo, useRef, useState, type FormEvent } from 'react'
import { GasChoice } from '../components/GasChoice'
import { encodeFunctionData } from 'viem'
import { ErrorNotice } from '../components/ErrorNotice'
import { TxProgress } from '../components/TxProgress'
import { formatMrc, formatUtc, parseMrc, shortAddress } from '../chain/format'
import { RARITIES } from '../chain/reads'
import { useChainData } from '../chain/useChainData'
import { auctionHouseAbi, itemsAbi } from '../generated/abis'
import { useGasless } from '../gasless/useGasless'
import { explainIndexer, indexer, type IndexedItem } from '../indexer/client'
import { actorAddress } from '../session/actor'
import { useApp } from '../session/AppContext'
import { SignInPrompt } from './SignInPrompt'

/** The items the signed-in person holds (from the indexer), each with its history and a form to list it. */
export function Inventory() {
  const { actor } = useApp()
  if (!actor) return <SignInPrompt what="see your inventory" />
  return <InventoryOf address={actorAddress(actor)} />
}

function InventoryOf({ address }: { address: string }) {
  const items = useChainData(() => indexer.accountItems(address), [address], 5_000)
  // Items that left while the page was open (just listed, say) keep their card, marked, so the progress of what
  // the person just did stays on screen.
  const seen = useRef(new Map<string, IndexedItem>())
  const shown = useMemo(() => {
    const held = items.data?.items ?? []
    const heldIds = new Set(held.map((i) => i.token_id))
    for (const i of held) seen.current.set(i.token_id, i)
    return [...seen.current.values()]
      .map((item) => ({ item, gone: !heldIds.has(item.token_id) }))
      .sort((a, b) => Number(BigInt(a.item.token_id) - BigInt(b.item.token_id)))
  }, [items.data])
  return (
    <section className="page" aria-labelledby="inventory-title">
      <h1 id="inventory-title">Inventory</h1>
      <p className="hint">Your items as the indexer has them (a block or two behind the chain), with every transfer and sale.</p>
      <GasChoice />
      {items.error && <ErrorNotice error={explainIndexer(items.error, 'Your items could not be loaded')} />}
      {items.data && shown.length === 0 && <p data-testid="no-inventory">You hold no items yet.</p>}
      {shown.length > 0 && (
        <ul className="listings" data-testid="inventory">
          {shown.map(({ item, gone }) => (
            <ItemCard key={item.token_id} item={item} gone={gone} />
          ))}
        </ul>
      )}
      {!items.data && !items.error && <p aria-busy="true">Loading…</p>}
    </section>
  )
}

function ItemCard({ item, gone }: { item: IndexedItem; gone: boolean }) {
  const [open, setOpen] = useState(false)
  const history = useChainData(() => (open ? indexer.itemHistory(item.token_id) : Promise.resolve(undefined)), [open, item.token_id])
  return (
    <li className="card" data-testid={`inventory-item-${item.token_id}`}>
      <h2>
        Item #{item.token_id}{' '}
        {gone && (
          <span className="tag state-closed" data-testid="gone">
            no longer yours (listed or sold)
          </span>
        )}
      </h2>
      <p className="hint">
        class {item.class ?? '?'} · {item.rarity !== null ? (RARITIES[item.rarity] ?? item.rarity) : '?'} · power {item.power ?? '?'}
      </p>
      <button type="button" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? 'Hide history' : 'History'}
      </button>
      {open && history.error && <ErrorNotice error={explainIndexer(history.error, 'The history could not be loaded')} />}
      {open && history.data && (
        <ol className="bids" data-testid="item-history">
          {history.data.items.map((e) => (
            <li key={`${e.block_number}-${e.log_index}`}>
              {e.kind} {e.price ? `for ${formatMrc(BigInt(e.price))} ` : ''}
              {/^0x0+$/.test(e.from) ? '' : `from ${shortAddress(e.from)} `}to {shortAddress(e.to)} · {formatUtc(e.block_time)}
            </li>
          ))}
        </ol>
      )}
      <ListForm tokenId={BigInt(item.token_id)} gone={gone} />
    </li>
  )
}

type Kind = 'English' | 'Dutch' | 'Fixed'

/** Lists the item: approval of the auction house first when it has none, then the listing; gasless either way. */
function ListForm({ tokenId, gone }: { tokenId: bigint; gone: boolean }) {
  const { actor, client, deployment } = useApp()
  const { steps, busy, start } = useGasless()
  const [kind, setKind] = useState<Kind>('Fixed')
  const [price, setPrice] = useState('')
  const [floor, setFloor] = useState('')
  const [minutes, setMinutes] = useState('60')
  const [invalid, setInvalid] = useState<string>()
  const { items, auctionHouse } = deployment.evm.contracts
  const id = `list-${tokenId}`

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    const amount = parseMrc(price)
    const floorAmount = kind === 'Dutch' ? parseMrc(floor) : 0n
    const duration = Number(minutes) * 60
    if (amount === null) return setInvalid('Enter a price in MRC, like 25 or 12.5.')
    if (floorAmount === null || (kind === 'Dutch' && floorAmount >= amount)) return setInvalid('The floor must be an amount below the start price.')
    if (kind !== 'Fixed' && (!Number.isInteger(duration) || duration <= 0)) return setInvalid('Enter the duration in whole minutes (at least 10).')
    setInvalid(undefined)
    await start(async (run) => {
      const owner = actorAddress(actor!)
      const approved = await client.readContract({ address: items, abi: itemsAbi, functionName: 'isApprovedForAll', args: [owner, auctionHouse] })
      if (!approved) {
        await run('Allow the auction house to hold your items while they are listed', {
          to: items,
          data: encodeFunctionData({ abi: itemsAbi, functionName: 'setApprovalForAll', args: [auctionHouse, true] }),
        })
      }
      const data =
        kind === 'English'
          ? encodeFunctionData({ abi: auctionHouseAbi, functionName: 'createEnglish', args: [items, tokenId, amount, duration] })
          : kind === 'Dutch'
            ? encodeFunctionData({ abi: auctionHouseAbi, functionName: 'createDutch', args: [items, tokenId, amount, floorAmount, duration] })
            : encodeFunctionData({ abi: auctionHouseAbi, functionName: 'createFixed', args: [items, tokenId, amount] })
      await run(`List item #${tokenId} (${kind === 'Fixed' ? 'fixed price' : `${kind} auction`}, ${formatMrc(amount)})`, { to: auctionHouse, data })
    })
  }

  if (gone && steps.length === 0) return null
  return (
    <details className="list-form" open={gone || undefined}>
      <summary>List this item</summary>
      <form onSubmit={submit} aria-describedby={invalid ? `${id}-invalid` : undefined}>
        <fieldset className="segmented" aria-label="Kind of listing">
          {(['Fixed', 'English', 'Dutch'] as const).map((k) => (
            <button key={k} type="button" aria-pressed={kind === k} onClick={() => setKind(k)}>
              {k === 'Fixed' ? 'Fixed price' : k}
            </button>
          ))}
        </fieldset>
        <label>
          {kind === 'English' ? 'Reserve (MRC)' : kind === 'Dutch' ? 'Start price (MRC)' : 'Price (MRC)'}
          <input inputMode="decimal" value={price} onChange={(e) => setPrice(e.target.value)} />
        </label>
        {kind === 'Dutch' && (
          <label>
            Floor price (MRC)
            <input inputMode="decimal" value={floor} onChange={(e) => setFloor(e.target.value)} />
          </label>
        )}
        {kind !== 'Fixed' && (
          <label>
            Duration (minutes)
            <input inputMode="numeric" value={minutes} onChange={(e) => setMinutes(e.target.value)} />
          </label>
        )}
        {invalid && (
          <p id={`${id}-invalid`} className="field-error">
            {invalid}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Listing…' : 'List it'}
        </button>
      </form>
      <TxProgress steps={steps} />
    </details>
  )
}
