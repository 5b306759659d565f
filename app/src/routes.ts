import { useEffect, useState } from 'react'

/** Pages, addressed by the URL hash (#/market) so any static server can host the build. */
export const ROUTES = ['market', 'listings', 'listing', 'inventory', 'prices', 'economy', 'dao', 'account', 'signin'] as const
export type Route = (typeof ROUTES)[number]

function parse(hash: string): Route {
  const name = hash.replace(/^#\/?/, '').split(/[/?]/)[0]
  return (ROUTES as readonly string[]).includes(name) ? (name as Route) : 'market'
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parse(window.location.hash))
  useEffect(() => {
    const onChange = () => setRoute(parse(window.location.hash))
    window.addEventListener('hashchange', onChange)
    return () => window.removeEventListener('hashchange', onChange)
  }, [])
  return route
}

export function navigate(route: Route) {
  window.location.hash = `#/${route}`
}

/** The part after the page name (#/listing/12 -> "12"), for pages about one thing. */
export function routeParam(): string {
  return window.location.hash.replace(/^#\/?/, '').split(/[?]/)[0].split('/')[1] ?? ''
}
