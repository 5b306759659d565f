import { useEffect, useState } from 'react'
import { relayer } from '../relayer/client'
import { isFinal, type RequestView } from '../relayer/types'
import { useApp } from '../session/AppContext'

/**
 * A custodial user's requests that are not final yet (say the page was reloaded while a bid was on its way), read
 * from the relayer's GET /v1/requests and shown until each is confirmed or failed.
 */
export function InFlight() {
  const { actor, chainChanged } = useApp()
  const token = actor?.kind === 'custodial' ? actor.token : undefined
  const [pending, setPending] = useState<RequestView[]>([])
  const [done, setDone] = useState<RequestView[]>([])
  useEffect(() => {
    setPending([])
    setDone([])
    if (!token) return
    let live = true
    // Only what was on its way when the page loaded (or the person signed in): actions started on this page show
    // their own progress where they were started.
    let tracked: Set<number> | undefined
    let timer: ReturnType<typeof setTimeout> | undefined
    const poll = async () => {
      const page = await relayer.requests(token).catch(() => undefined)
      if (!live) return
      if (page) {
        if (!tracked) tracked = new Set(page.requests.filter((r) => !isFinal(r)).map((r) => r.id))
        const mine = page.requests.filter((r) => tracked!.has(r.id))
        const finished = mine.filter(isFinal)
        if (finished.length) {
          setDone((d) => [...d, ...finished])
          for (const r of finished) tracked.delete(r.id)
          chainChanged()
        }
        setPending(mine.filter((r) => !isFinal(r)))
        if (tracked.size === 0) return
      }
      timer = setTimeout(() => void poll(), 2_000)
    }
    void poll()
    return () => {
      live = false
      clearTimeout(timer)
    }
  }, [token, chainChanged])
  if (pending.length === 0 && done.length === 0) return null
  return (
    <div className="notice" role="status" data-testid="in-flight">
      {pending.length > 0 && <p>Still on their way from before: {pending.map((r) => `#${r.id} ${r.status}`).join(', ')}.</p>}
      {done.map((r) => (
        <p key={r.id}>
          Request #{r.id} {r.status === 'confirmed' ? `confirmed in block ${r.block}` : `failed: ${r.error ?? ''}`}.
        </p>
      ))}
    </div>
  )
}
