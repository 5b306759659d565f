import { describe, expect, it } from 'vitest'
import { formatSolMrc, parseSolMrc, solMrcInput } from './format'

describe('Solana MRC amounts (9 decimals)', () => {
  it('formats base units exactly', () => {
    expect(formatSolMrc(120_000_000_000n)).toBe('120 MRC')
    expect(formatSolMrc('1234567890000')).toBe('1,234.5678 MRC')
    expect(formatSolMrc(1n)).toBe('< 0.0001 MRC')
    expect(formatSolMrc(0n)).toBe('0 MRC')
  })
  it('parses what people type, refusing more than 9 decimals, zero and u64 overflow', () => {
    expect(parseSolMrc('12.5')).toBe(12_500_000_000n)
    expect(parseSolMrc(' 7 ')).toBe(7_000_000_000n)
    expect(parseSolMrc('0.0000000001')).toBeNull()
    expect(parseSolMrc('0')).toBeNull()
    expect(parseSolMrc('-1')).toBeNull()
    expect(parseSolMrc('18446744073.709551616')).toBeNull()
    expect(parseSolMrc('18446744073.709551615')).toBe(2n ** 64n - 1n)
  })
  it('round-trips through the input field', () => {
    expect(solMrcInput(126_000_000_000n)).toBe('126')
    expect(parseSolMrc(solMrcInput(1_000_000_001n))).toBe(1_000_000_001n)
  })
})
