import { useId, useState, type FormEvent } from 'react'
import type { SolanaAction } from '../relayer/types'
import { formatSolMrc, parseSolMrc } from './format'

type Kind = 'fixed' | 'english' | 'dutch'
const KIND_NAMES: Record<Kind, string> = { fixed: 'Fixed price', english: 'English', dutch: 'Dutch' }

/** Where a listing form sends its action (a `useSolanaAction` run, with the step shown by the page). */
export type ListHandler = (label: string, action: Extract<SolanaAction, { type: 'list' }>) => void

/**
 * Lists an item on Solana: at a fixed price, as an English auction (reserve and duration) or as a Dutch auction
 * (start price falling to a floor over the duration). The auction program takes the item into escrow; the amounts
 * are checked here first (the program checks them again, with the market's duration bounds).
 */
export function SolanaListForm({ mint, busy, onList }: { mint: string; busy: boolean; onList: ListHandler }) {
  const [kind, setKind] = useState<Kind>('fixed')
  const [price, setPrice] = useState('')
  const [floor, setFloor] = useState('')
  const [minutes, setMinutes] = useState('60')
  const [invalid, setInvalid] = useState<string>()
  const id = useId()
  const submit = (event: FormEvent) => {
    event.preventDefault()
    const amount = parseSolMrc(price)
    const floorAmount = kind === 'dutch' ? parseSolMrc(floor) : 0n
    const duration = kind === 'fixed' ? 0 : Number(minutes) * 60
    if (amount === null) return setInvalid('Enter a price in MRC, like 25 or 12.5.')
    if (floorAmount === null || (kind === 'dutch' && floorAmount >= amount)) return setInvalid('The floor must be an amount below the start price.')
    if (kind !== 'fixed' && (!Number.isInteger(duration) || duration <= 0)) return setInvalid('Enter the duration in whole minutes.')
    setInvalid(undefined)
    const what = kind === 'fixed' ? `for ${formatSolMrc(amount)}` : kind === 'english' ? `as an English auction, reserve ${formatSolMrc(amount)}` : `as a Dutch auction, ${formatSolMrc(amount)} falling to ${formatSolMrc(floorAmount)}`
    onList(`List ${what}`, {
      type: 'list',
      item_mint: mint,
      kind,
      start_price: amount.toString(),
      floor_price: floorAmount.toString(),
      duration,
    })
  }
  return (
    <details className="list-form">
      <summary>List this item</summary>
      <form onSubmit={submit} aria-label="List this item" aria-describedby={invalid ? `${id}-invalid` : undefined}>
        <fieldset className="segmented" aria-label="Kind of listing">
          {(Object.keys(KIND_NAMES) as Kind[]).map((k) => (
            <button key={k} type="button" aria-pressed={kind === k} onClick={() => setKind(k)}>
              {KIND_NAMES[k]}
            </button>
          ))}
        </fieldset>
        <label>
          {kind === 'english' ? 'Reserve (MRC)' : kind === 'dutch' ? 'Start price (MRC)' : 'Price (MRC)'}
          <input inputMode="decimal" value={price} onChange={(e) => setPrice(e.target.value)} />
        </label>
        {kind === 'dutch' && (
          <label>
            Floor price (MRC)
            <input inputMode="decimal" value={floor} onChange={(e) => setFloor(e.target.value)} />
          </label>
        )}
        {kind !== 'fixed' && (
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
    </details>
  )
}
