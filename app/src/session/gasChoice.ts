import { useCallback, useEffect, useState } from 'react'

/**
 * Who pays the network fee of a wallet user's actions, per chain: the relayer (EVM: the wallet signs a gasless
 * ForwardRequest; Solana: the wallet signs a transaction the relayer co-signs as fee payer) or the user (the wallet's
 * transaction pays in ETH or SOL). Kept in localStorage per chain, so the choice survives reloads and new tabs;
 * custodial users always go through the relayer.
 */
export type GasPayer = 'relayer' | 'self'

/** The chains a choice is kept for. */
export type FeeChain = 'evm' | 'solana'

const key = (chain: FeeChain) => `mercato.${chain}.gasPayer`
const EVENT = 'mercato:gas-payer'

export function gasPayer(chain: FeeChain = 'evm'): GasPayer {
  try {
    return localStorage.getItem(key(chain)) === 'self' ? 'self' : 'relayer'
  } catch {
    return 'relayer' // storage disabled: the default
  }
}

export function setGasPayer(payer: GasPayer, chain: FeeChain = 'evm'): void {
  try {
    localStorage.setItem(key(chain), payer)
  } catch {
    // storage disabled: the choice lasts for this page only
  }
  window.dispatchEvent(new CustomEvent(EVENT, { detail: { chain, payer } }))
}

/** The current choice on `chain`, updated when it changes here, in another component or in another tab. */
export function useGasPayer(chain: FeeChain = 'evm'): [GasPayer, (payer: GasPayer) => void] {
  const [payer, setPayer] = useState<GasPayer>(() => gasPayer(chain))
  useEffect(() => {
    const onChange = () => setPayer(gasPayer(chain))
    onChange()
    window.addEventListener(EVENT, onChange)
    window.addEventListener('storage', onChange)
    return () => {
      window.removeEventListener(EVENT, onChange)
      window.removeEventListener('storage', onChange)
    }
  }, [chain])
  const set = useCallback((next: GasPayer) => setGasPayer(next, chain), [chain])
  return [payer, set]
}
