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
      const { data, rest } = takeSseData(buffer + value)
      buffer = rest
      for (const text of data) {
        last = JSON.parse(text) as RequestView
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

/**
 * Takes the complete events out of server-sent-events text: the `data` of each (multi-line data joined with "\n";
 * comments such as keep-alives and events without data are skipped) and the incomplete rest, to be continued by the
 * next chunk.
 */
export function takeSseData(text: string): { data: string[]; rest: string } {
  // A lone CR at the very end may be the first half of a CRLF split across chunks: it stays in the rest.
  const normalized = text.replace(/\r\n|\r(?!$)/g, '\n')
  const blocks = normalized.split('\n\n')
  const rest = blocks.pop() ?? ''
  const data = blocks
    .map((block) =>
      block
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).replace(/^ /, ''))
        .join('\n'),
    )
    .filter((d) => d !== '')
  return { data, rest }
}
