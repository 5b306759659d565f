import { useCallback, useEffect, useState } from 'react'
import { useApp } from '../session/AppContext'

export interface ChainData<T> {
  data: T | undefined
  error: Error | undefined
  loading: boolean
  reload: () => void
}

/**
 * Reads from the chain (or the relayer) and reads again when `deps` change, after every confirmed action, and on
 * `reload()`, and every `refreshMs` if given (other people act too) while the page is visible. The previous data
 * stays on screen while a new read runs.
 */
export function useChainData<T>(read: () => Promise<T>, deps: unknown[], refreshMs?: number): ChainData<T> {
  const { chainVersion } = useApp()
  const [data, setData] = useState<T>()
  const [error, setError] = useState<Error>()
  const [loading, setLoading] = useState(true)
  const [nonce, setNonce] = useState(0)
  const reload = useCallback(() => setNonce((n) => n + 1), [])

  useEffect(() => {
    let live = true
    setLoading(true)
    read()
      .then((value) => {
        if (!live) return
        setData(value)
        setError(undefined)
      })
      .catch((e: unknown) => live && setError(e instanceof Error ? e : new Error(String(e))))
      .finally(() => live && setLoading(false))
    return () => {
      live = false
    }
    // `read` is a new closure every render: the caller's `deps` say when it reads something else.
  }, [...deps, chainVersion, nonce])

  // A page in a background tab does not poll; it reads once when it is shown again.
  useEffect(() => {
    if (!refreshMs) return
    const timer = setInterval(() => document.visibilityState !== 'hidden' && reload(), refreshMs)
    const onVisible = () => document.visibilityState === 'visible' && reload()
    document.addEventListener('visibilitychange', onVisible)
    return () => {
      clearInterval(timer)
      document.removeEventListener('visibilitychange', onVisible)
    }
  }, [refreshMs, reload])

  return { data, error, loading, reload }
}
