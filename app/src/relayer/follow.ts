import { RELAYER_BASE, relayer } from './client'
import { RelayerError } from './errors'
import { isFinal, type RequestView } from './types'

/**
 * Follows a sponsored request until it is final: GET /v1/requests/{id}/events (server-sent events: the state now,
 * then each change). Read with fetch rather than EventSource, because a custodial user's stream needs the session's
 * Authorization header, which EventSource cannot send. If the stream breaks before the end, the status is polled.
 */
export async function followRequest(
  id: number,
  token: string | undefined,
  onUpdate: (view: RequestView) => void,
  signal?: AbortSignal,
): Promise<RequestView> {
  let last: RequestView | null = null
  try {
    const response = await fetch(`${RELAYER_BASE}/v1/requests/${id}/events`, {
      headers: { Accept: 'text/event-stream', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      signal,
    })
    if (!response.ok) throw await RelayerError.from(response)
    if (!response.body) throw new Error('no event stream body')
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader()
    let buffer = ''
    for (;;) {
      const { value, done } = await reader.read()
      if (done) break
      buffer += value.replace(/\r\n/g, '\n')
      let end: number
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end)
        buffer = buffer.slice(end + 2)
        const data = block
          .split('\n')
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).replace(/^ /, ''))
          .join('\n')
        if (!data) continue // keep-alive comments
        last = JSON.parse(data) as RequestView
        onUpdate(last)
        if (isFinal(last)) {
          await reader.cancel().catch(() => undefined)
          return last
        }
      }
    }
  } catch (error) {
    if (signal?.aborted || error instanceof RelayerError) throw error
    // A broken stream (proxy timeout, network change): fall through to polling.
  }
  for (;;) {
    if (signal?.aborted) throw new DOMException('aborted', 'AbortError')
    const view = await relayer.request(id, token)
    if (!last || view.status !== last.status) onUpdate(view)
    last = view
    if (isFinal(view)) return view
    await new Promise((resolve) => setTimeout(resolve, 1_000))
  }
}
