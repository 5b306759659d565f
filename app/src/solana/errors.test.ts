import { describe, expect, it } from 'vitest'
import { RelayerError } from '../relayer/errors'
import { decodeSolanaError, explainSolana } from './errors'

const LOW_BID =
  'the transaction would fail: Error processing Instruction 1: custom program error: 0x1773; Program log: AnchorError ' +
  'thrown in programs/mercato-auction/src/instructions/bid.rs:61. Error Code: BidTooLow. Error Number: 6003. Error ' +
  'Message: bid too low. | Program AuCtn consumed 9000 of 200000 compute units | Program AuCtn failed: custom program error: 0x1773'

describe('Solana errors in words', () => {
  it('words a known Anchor error of the Mercato programs', () => {
    expect(decodeSolanaError(LOW_BID)).toMatch(/^Your bid is too low/)
  })
  it("shows any other Anchor error with the program's own message", () => {
    const text = 'Error Code: HasBids. Error Number: 6008. Error Message: the auction has a bid and cannot be cancelled. | x'
    expect(decodeSolanaError(text)).toBe('The program refused: the auction has a bid and cannot be cancelled.')
  })
  it('recognizes a second vote (the vote record already exists)', () => {
    expect(decodeSolanaError('Allocate: account Address { address: 9x } already in use')).toMatch(/already done/)
  })
  it("tells SOL from MRC: the fee payer's lack of SOL is not a token account's lack of MRC", () => {
    expect(decodeSolanaError('Transaction simulation failed: Insufficient funds for fee')).toMatch(/too little SOL/)
    expect(decodeSolanaError('Attempt to debit an account but found no record of a prior credit.')).toMatch(/too little SOL/)
    expect(decodeSolanaError('Transfer: insufficient lamports 900000, need 1500000')).toMatch(/too little SOL/)
    expect(decodeSolanaError('Program log: Error: insufficient funds | Program Tokenkeg failed')).toBe('Not enough MRC for this.')
  })
  it('leaves unknown failures alone', () => {
    expect(decodeSolanaError('blockhash not found')).toBeUndefined()
  })
  it('puts the decoded error after the refusal in the title, keeping reason and message', () => {
    const error = new RelayerError(422, 'simulation_failed', LOW_BID)
    const explained = explainSolana(error)
    expect(explained.reason).toBe('simulation_failed')
    expect(explained.title).toMatch(/nothing was sent\. Your bid is too low/)
    expect(explained.detail).toBe(LOW_BID)
  })
})
