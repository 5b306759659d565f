import { describe, expect, it } from 'vitest'
import { formatEth, formatMrc, parseMrc, relativeTime } from './format'

const MRC = 10n ** 18n

describe('formatMrc', () => {
  it('groups thousands and keeps up to four decimals', () => {
    expect(formatMrc(0n)).toBe('0 MRC')
    expect(formatMrc(1_234_567n * MRC + MRC / 2n)).toBe('1,234,567.5 MRC')
    expect(formatMrc((315n * MRC) / 10n)).toBe('31.5 MRC')
    expect(formatMrc(123_456_789n * 10n ** 10n)).toBe('1.2345 MRC')
  })

  it('never shows a non-zero amount as zero', () => {
    expect(formatMrc(1n)).toBe('< 0.0001 MRC')
  })
})

describe('parseMrc', () => {
  it('parses decimal amounts into base units exactly', () => {
    expect(parseMrc('12.5')).toBe(125n * 10n ** 17n)
    expect(parseMrc(' 3 ')).toBe(3n * MRC)
    expect(parseMrc('0.000000000000000001')).toBe(1n)
  })

  it('refuses what is not a positive amount', () => {
    for (const text of ['', '0', '0.0', '-1', 'abc', '1e3', '1,5', '0.0000000000000000001']) {
      expect(parseMrc(text), text).toBeNull()
    }
  })
})

describe('relativeTime', () => {
  it('says in how long, or how long ago', () => {
    expect(relativeTime(1_090n, 1_000n)).toBe('in 1 min 30 s')
    expect(relativeTime(1_000n, 1_005n)).toBe('5 s ago')
    expect(relativeTime(1_000n + 2n * 86_400n + 3_600n, 1_000n)).toBe('in 2 d 1 h')
  })
})

describe('formatEth', () => {
  it('six decimals at most, truncated and grouped; zero and dust in words', () => {
    expect(formatEth(9_999_999_131_310_755_514_293n)).toBe('9,999.999131 ETH')
    expect(formatEth(0n)).toBe('0 ETH')
    expect(formatEth(10n ** 18n)).toBe('1 ETH')
    expect(formatEth(117_358_000_821_506n)).toBe('0.000117 ETH')
    expect(formatEth(1n)).toBe('< 0.000001 ETH')
  })
})
