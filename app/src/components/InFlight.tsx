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
    if (!token) return setPending([])
    let live = true
    let seen = new Set<number>()
    const poll = async () => {
      const page = await relayer.requests(token).catch(() => undefined)
      if (!live || !page) return
      const open = page.requests.filter((r) => !isFinal(r))
      const finished = page.requests.filter((r) => isFinal(r) && seen.has(r.id))
      if (finished.length) {
        setDone(finished)
        chainChanged()
      }
      seen = new Set(open.map((r) => r.id))
      setPending(open)
    }
    void poll()
    const timer = setInterval(() => void poll(), 3_000)
    return () => {
      live = false
      clearInterval(timer)
    }
  }, [token, chainChanged])
  if (pending.length === 0 && done.length === 0) return null
  return (
    <div className="notice" role="status" data-testid="in-flight">
      {pending.length > 0 && <p>Your requests on their way: {pending.map((r) => `#${r.id} ${r.status}`).join(', ')}.</p>}
      {done.map((r) => (
        <p key={r.id}>
          Request #{r.id} {r.status === 'confirmed' ? `confirmed in block ${r.block}` : `failed: ${r.error ?? ''}`}.
        </p>
      ))}
    </div>
  )
}
