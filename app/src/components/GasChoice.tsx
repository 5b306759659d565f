import { useId } from 'react'
import { useChainData } from '../chain/useChainData'
import { formatEth } from '../chain/format'
import { useApp } from '../session/AppContext'
import { useGasPayer } from '../session/gasChoice'

/**
 * For EVM wallet users: who pays the gas of their actions — the relayer (the wallet signs a gasless request) or
 * they themselves (the wallet sends the transaction and pays in ETH). Remembered across reloads. Shows nothing for
 * custodial users (always gasless).
 */
export function GasChoice() {
  const { actor, client } = useApp()
  const [payer, setPayer] = useGasPayer()
  const name = useId()
  const wallet = actor?.kind === 'wallet' ? actor.address : undefined
  const eth = useChainData(() => (wallet ? client.getBalance({ address: wallet }) : Promise.resolve(undefined)), [wallet], 10_000)
  if (!wallet) return null
  return (
    <fieldset className="segmented gas-choice" data-testid="gas-choice">
      <legend>Who pays the gas</legend>
      <label className="check">
        <input type="radio" name={name} value="relayer" checked={payer === 'relayer'} onChange={() => setPayer('relayer')} />
        Mercato (you sign a gasless request)
      </label>
      <label className="check">
        <input type="radio" name={name} value="self" checked={payer === 'self'} onChange={() => setPayer('self')} />
        I pay the gas myself{eth.data !== undefined ? ` (you have ${formatEth(eth.data)})` : ''}
      </label>
    </fieldset>
  )
}
