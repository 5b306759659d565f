import { describe, expect, it } from 'vitest'
import { change, showValue } from './governance'

describe('Solana parameter changes', () => {
  it('checks the bounds the program checks only at execution', () => {
    expect(change('market_fee_bps', '250')).toEqual({ parameter: 'market_fee_bps', value: 250 })
    expect(change('market_fee_bps', '5000')).toBe('The market fee can be 0 to 1,000 basis points.')
    expect(change('min_bid_increment_bps', '0')).toBe('The minimum bid increment can be 1 to 5,000 basis points.')
    expect(change('anti_snipe_buffer', '3601')).toBe('The anti-snipe buffer can be 0 to 3,600 seconds.')
    expect(change('anti_snipe_buffer', 'ten')).toBe('Enter a whole number.')
    expect(change('emission_rate', '0.5')).toEqual({ parameter: 'emission_rate', value: '500000000' })
  })
  it('shows history values in their units', () => {
    expect(showValue('marketFeeBps', '300')).toBe('3% (300 bps)')
    expect(showValue('antiSnipeBuffer', '120')).toBe('120 s')
    expect(showValue('dailyRewardCap', '5000000000')).toBe('5 MRC')
    expect(showValue('gameServer', '0')).toBe('11111111111111111111111111111111')
    expect(showValue('somethingNew', '7')).toBe('7')
  })
})
