import { describe, expect, it } from 'vitest'
import { formatSolMrc, parseSolMrc, pubkeyFromInteger, solMrcInput } from './format'

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

describe('keys stored as integers', () => {
  it('writes them in base58, leading zero bytes as 1s', () => {
    // The SPL Token program's id: its 32 bytes, big-endian, as one integer.
    const token = [6, 221, 246, 225, 215, 101, 161, 147, 217, 203, 225, 70, 206, 235, 121, 172, 28, 180, 133, 237, 95, 91, 55, 145, 58, 140, 245, 133, 126, 255, 0, 169]
    const value = token.reduce((n, b) => (n << 8n) | BigInt(b), 0n)
    expect(pubkeyFromInteger(value.toString())).toBe('TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA')
    expect(pubkeyFromInteger(0n)).toBe('11111111111111111111111111111111')
  })
})
