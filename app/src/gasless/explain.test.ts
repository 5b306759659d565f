import { encodeErrorResult } from 'viem'
import { describe, expect, it } from 'vitest'
import { auctionHouseAbi, governorAbi } from '../generated/abis'
import { RelayerError } from '../relayer/errors'
import { WalletError } from '../session/wallet'
import { decodeRevert, DirectRevert, explain, UnconfirmedTransaction } from './explain'

const MRC = 10n ** 18n
const bidTooLow = encodeErrorResult({
  abi: auctionHouseAbi,
  errorName: 'AuctionHouseBidTooLow',
  args: [(315n * MRC) / 10n, MRC],
})

/** The shape of the relayer's simulation refusal (an alloy transport error in the message). */
const simulationMessage = (data: string) =>
  `the call would fail: server returned an error response: error code 3: execution reverted: custom error ${data.slice(0, 10)}, data: "${data}"`

describe('explain', () => {
  it('says a sent transaction without a receipt may still confirm, with its hash, and a refused one was not sent', () => {
    const unconfirmed = explain(new UnconfirmedTransaction('0xabc123'))
    expect(unconfirmed.reason).toBe('unconfirmed')
    expect(unconfirmed.title).toContain('0xabc123')
    expect(unconfirmed.title).toContain('may still confirm')
    expect(explain(new DirectRevert('Your bid is too low.')).title).toBe('Your bid is too low. Nothing was sent.')
  })

  it('uses the relayer\'s revert_data field', () => {
    const error = new RelayerError(422, 'simulation_failed', 'the call would fail', null, bidTooLow)
    expect(explain(error).title).toContain('Your bid of 1 MRC is below the minimum bid of 31.5 MRC.')
  })
})

describe('decodeRevert', () => {
  it('decodes a Mercato custom error found in the relayer message, in words', () => {
    expect(decodeRevert(simulationMessage(bidTooLow))).toBe(
      'Your bid of 1 MRC is below the minimum bid of 31.5 MRC.',
    )
  })

  it('skips hex that is not revert data (addresses, hashes) before the data', () => {
    const voted = encodeErrorResult({
      abi: governorAbi,
      errorName: 'GovernorAlreadyCastVote',
      args: ['0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc'],
    })
    const text = `from 0x5FbDB2315678afecb367f032d93F642f64180aa3: ${simulationMessage(voted)}`
    expect(decodeRevert(text)).toBe('You have already voted on this proposal.')
  })

  it('falls back to a reason string, and to nothing', () => {
    expect(decodeRevert('execution reverted: Pausable: paused')).toBe('The contract refused: Pausable: paused.')
    expect(decodeRevert('connection reset')).toBeUndefined()
  })
})

describe('explain', () => {
  it('puts the plain sentence first and keeps the reason and message', () => {
    const error = new RelayerError(422, 'simulation_failed', simulationMessage(bidTooLow))
    expect(explain(error)).toEqual({
      title:
        'The relayer tried this action first and it would fail, so nothing was sent. Your bid of 1 MRC is below the minimum bid of 31.5 MRC.',
      reason: 'simulation_failed',
      detail: error.message,
    })
  })

  it('says when to retry a rate-limited request', () => {
    expect(explain(new RelayerError(429, 'rate_limited', 'slow down', 12)).title).toBe(
      'Too many attempts. Wait a minute and try again. Retry after 12 s.',
    )
  })

  it('shows an unknown reason with the relayer message', () => {
    expect(explain(new RelayerError(400, 'brand_new_reason', 'what happened'))).toEqual({
      title: 'what happened',
      reason: 'brand_new_reason',
      detail: 'what happened',
    })
  })

  it('explains a declined wallet signature', () => {
    expect(explain(new WalletError('rejected', 'You declined the request in your wallet.'))).toEqual({
      title: 'You declined the request in your wallet.',
      reason: 'rejected',
    })
  })
})

describe('RelayerError.from', () => {
  it('reads the relayer error body and Retry-After', async () => {
    const response = new Response(JSON.stringify({ error: { reason: 'rate_limited', message: 'later' } }), {
      status: 429,
      headers: { 'Retry-After': '3' },
    })
    const error = await RelayerError.from(response)
    expect([error.status, error.reason, error.message, error.retryAfter]).toEqual([429, 'rate_limited', 'later', 3])
  })

  it('names an unreachable relayer behind the app server', async () => {
    const error = await RelayerError.from(new Response('', { status: 502 }))
    expect(error.reason).toBe('relayer_unreachable')
  })
})
