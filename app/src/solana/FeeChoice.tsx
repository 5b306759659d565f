import { useId } from 'react'
import { formatUnits } from 'viem'
import { useChainData } from '../chain/useChainData'
import { relayer } from '../relayer/client'
import { useGasPayer } from '../session/gasChoice'
import { useSolana } from './SolanaContext'

/** Lamports as SOL text: "0.9951 SOL" (4 decimals, cut). */
export function formatSol(lamports: number | bigint): string {
  const [whole, fraction = ''] = formatUnits(BigInt(lamports), 9).split('.')
  const cut = fraction.slice(0, 4).replace(/0+$/, '')
  return `${cut ? `${whole}.${cut}` : whole} SOL`
}

/**
 * The signed-in Solana user's SOL and auction credits, read from the chain by the relayer, refreshed every
 * `refreshMs` (the relayer limits these reads per client address together with action builds).
 */
export function useSolanaAccountState(address: string | undefined, refreshMs = 5_000) {
  return useChainData(() => (address ? relayer.solanaAccount(address) : Promise.resolve(undefined)), [address], refreshMs)
}

/**
 * For Solana wallet users: who pays the network fee of their actions — Mercato (the wallet signs, the relayer
 * co-signs as fee payer) or they themselves (the wallet's transaction pays the fee and any rent in SOL). Remembered
 * across reloads, apart from the EVM choice. Shows nothing for custodial users (always gasless).
 */
export function SolanaFeeChoice() {
  const { actor } = useSolana()
  const [payer, setPayer] = useGasPayer('solana')
  const name = useId()
  const wallet = actor?.kind === 'wallet' ? actor.address : undefined
  const state = useSolanaAccountState(wallet, 15_000)
  if (!wallet) return null
  return (
    <fieldset className="segmented gas-choice" data-testid="sol-fee-choice">
      <legend>Who pays the network fee</legend>
      <label className="check">
        <input type="radio" name={name} value="relayer" checked={payer === 'relayer'} onChange={() => setPayer('relayer')} />
        Mercato (you only sign)
      </label>
      <label className="check">
        <input type="radio" name={name} value="self" checked={payer === 'self'} onChange={() => setPayer('self')} />
        I pay the fee myself{state.data ? ` (you have ${formatSol(state.data.lamports)})` : ''}
      </label>
    </fieldset>
  )
}
