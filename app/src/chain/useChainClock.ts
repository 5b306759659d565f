import { useEffect, useState } from 'react'

/** The chain's time, ticking: `chainNow` (seconds, read from the latest block) plus the seconds since it was read. */
export function useChainClock(chainNow: bigint | undefined): bigint | undefined {
  const [base, setBase] = useState(() => ({ chain: chainNow, local: Date.now() }))
  const [, tick] = useState(0)
  useEffect(() => setBase({ chain: chainNow, local: Date.now() }), [chainNow])
  useEffect(() => {
    const timer = setInterval(() => tick((n) => n + 1), 1_000)
    return () => clearInterval(timer)
  }, [])
  if (base.chain === undefined) return undefined
  return base.chain + BigInt(Math.floor((Date.now() - base.local) / 1000))
}
