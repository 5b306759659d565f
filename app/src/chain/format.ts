import { formatEther, formatUnits, parseUnits } from 'viem'

/** MRC has 18 decimals; amounts stay bigint end to end and are only turned into text here. */
export const MRC_DECIMALS = 18

export function formatMrc(amount: bigint): string {
  const text = formatUnits(amount, MRC_DECIMALS)
  const [whole, fraction = ''] = text.split('.')
  const grouped = BigInt(whole).toLocaleString('en-US')
  const trimmed = fraction.slice(0, 4).replace(/0+$/, '')
  // Never show a non-zero amount as "0": dust below the fourth decimal reads "< 0.0001 MRC".
  if (amount > 0n && whole === '0' && !trimmed) return '< 0.0001 MRC'
  return `${trimmed ? `${grouped}.${trimmed}` : grouped} MRC`
}

/** ETH to six decimals, grouped (a wallet's full 18 decimals would overflow the card); dust is "< 0.000001 ETH". */
export function formatEth(wei: bigint): string {
  const [whole, fraction = ''] = formatEther(wei).split('.')
  const shown = fraction.slice(0, 6).replace(/0+$/, '')
  if (wei > 0n && whole === '0' && !shown) return '< 0.000001 ETH'
  return `${BigInt(whole).toLocaleString('en-US')}${shown ? `.${shown}` : ''} ETH`
}

/** Parses what a person typed ("12.5") into base units; null when it is not a positive amount. */
export function parseMrc(text: string): bigint | null {
  const clean = text.trim()
  if (!/^\d+(\.\d{1,18})?$/.test(clean)) return null
  const value = parseUnits(clean, MRC_DECIMALS)
  return value > 0n ? value : null
}

/** The amount as a plain decimal for an input field ("12.5"). */
export function mrcInput(amount: bigint): string {
  return formatUnits(amount, MRC_DECIMALS)
}

export function shortAddress(address: string): string {
  return `${address.slice(0, 6)}…${address.slice(-4)}`
}

/** A chain timestamp (seconds) as UTC text. */
export function formatUtc(seconds: bigint | number): string {
  return new Date(Number(seconds) * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC')
}

/** "in 9 min 12 s" / "ended 3 min ago", relative to the chain's clock. */
export function relativeTime(target: bigint, now: bigint): string {
  const delta = Number(target - now)
  const span = (s: number) => {
    const a = Math.abs(s)
    if (a >= 86_400) return `${Math.floor(a / 86_400)} d ${Math.floor((a % 86_400) / 3600)} h`
    if (a >= 3600) return `${Math.floor(a / 3600)} h ${Math.floor((a % 3600) / 60)} min`
    if (a >= 60) return `${Math.floor(a / 60)} min ${a % 60} s`
    return `${a} s`
  }
  return delta >= 0 ? `in ${span(delta)}` : `${span(delta)} ago`
}
