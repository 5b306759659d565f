import { formatUnits, parseUnits } from 'viem'

/**
 * MRC on Solana has 9 decimals (the SPL mint; `mercato_solana_client::defaults::MRC`); amounts stay bigint and are
 * only turned into text here.
 */
export const SOL_MRC_DECIMALS = 9

export function formatSolMrc(amount: bigint | string): string {
  const value = BigInt(amount)
  const [whole, fraction = ''] = formatUnits(value, SOL_MRC_DECIMALS).split('.')
  const grouped = BigInt(whole).toLocaleString('en-US')
  const trimmed = fraction.slice(0, 4).replace(/0+$/, '')
  if (value > 0n && whole === '0' && !trimmed) return '< 0.0001 MRC'
  return `${trimmed ? `${grouped}.${trimmed}` : grouped} MRC`
}

/** What a person typed ("12.5") in base units; null when it is not a positive amount with at most 9 decimals. */
export function parseSolMrc(text: string): bigint | null {
  const clean = text.trim()
  if (!/^\d+(\.\d{1,9})?$/.test(clean)) return null
  const value = parseUnits(clean, SOL_MRC_DECIMALS)
  return value > 0n && value < 2n ** 64n ? value : null
}

export function solMrcInput(amount: bigint): string {
  return formatUnits(amount, SOL_MRC_DECIMALS)
}

/** The default pubkey (32 zero bytes) in base58: "no high bidder" on chain. */
export const NO_PUBKEY = '11111111111111111111111111111111'

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'

/** A 32-byte key given as its integer value (how the indexer's parameter history stores addresses), in base58. */
export function pubkeyFromInteger(value: string | bigint): string {
  const n = BigInt(value)
  let text = ''
  for (let x = n; x > 0n; x /= 58n) text = BASE58[Number(x % 58n)] + text
  // Each leading zero byte of the 32 is a '1'.
  const bytes = n.toString(16).padStart(64, '0')
  for (let i = 0; i < 64 && bytes.slice(i, i + 2) === '00'; i += 2) text = `1${text}`
  return text
}
