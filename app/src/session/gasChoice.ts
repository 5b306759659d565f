import { useEffect, useState } from 'react'

/**
 * Who pays the gas of an EVM wallet user's actions: the relayer (the wallet signs a gasless ForwardRequest) or the
 * user (the wallet sends the transaction itself and pays in ETH). Kept in localStorage, so the choice survives
 * reloads and new tabs; custodial users always go through the relayer.
 */
export type GasPayer = 'relayer' | 'self'

const KEY = 'mercato.evm.gasPayer'
const EVENT = 'mercato:gas-payer'

export function gasPayer(): GasPayer {
  try {
    return localStorage.getItem(KEY) === 'self' ? 'self' : 'relayer'
  } catch {
    return 'relayer' // storage disabled: the default
  }
}

export function setGasPayer(payer: GasPayer): void {
  try {
    localStorage.setItem(KEY, payer)
  } catch {
    // storage disabled: the choice lasts for this page only
  }
  window.dispatchEvent(new CustomEvent(EVENT, { detail: payer }))
}

/** The current choice, updated when it changes here, in another component or in another tab. */
export function useGasPayer(): [GasPayer, (payer: GasPayer) => void] {
  const [payer, setPayer] = useState<GasPayer>(gasPayer)
  useEffect(() => {
    const onChange = () => setPayer(gasPayer())
    window.addEventListener(EVENT, onChange)
    window.addEventListener('storage', onChange)
    return () => {
      window.removeEventListener(EVENT, onChange)
      window.removeEventListener('storage', onChange)
    }
  }, [])
  return [payer, setGasPayer]
}
