// The app is served same-origin with everything it talks to, so no service needs CORS:
//   /api/*                      -> the relayer (MERCATO_RELAYER_URL)
//   /indexer/*                  -> the indexer's REST API (MERCATO_INDEXER_URL)
//   /rpc                        -> the EVM JSON-RPC node (MERCATO_EVM_RPC_URL)
//   /solana-rpc                 -> the Solana JSON-RPC node (MERCATO_SOLANA_RPC_URL, else the manifest's
//                                  solana.rpcUrl when the server starts), only the three methods a wallet that pays
//                                  its own fee needs: sendTransaction, getSignatureStatuses, getBlockHeight
//   /config/manifest.json       -> the deployment manifest (MERCATO_MANIFEST), read on every request so a restarted
//                                  stack needs no rebuild of the app
// The same proxy serves `vite` (development) and `vite preview` (the built app, used by the end-to-end tests).
import { readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { Connect, Plugin, ProxyOptions } from 'vite'
import { defineConfig } from 'vite'

const relayerUrl = process.env.MERCATO_RELAYER_URL ?? 'http://127.0.0.1:8787'
const rpcUrl = process.env.MERCATO_EVM_RPC_URL ?? 'http://127.0.0.1:8545'
const indexerUrl = process.env.MERCATO_INDEXER_URL ?? 'http://127.0.0.1:8788'
const manifestPath = resolve(process.env.MERCATO_MANIFEST ?? resolve(import.meta.dirname, '../deployments/localnet.json'))

/** The Solana node: the environment's, else the manifest's (if there is one yet), else the local default. */
function solanaRpcUrl(): string {
  if (process.env.MERCATO_SOLANA_RPC_URL) return process.env.MERCATO_SOLANA_RPC_URL
  try {
    return JSON.parse(readFileSync(manifestPath, 'utf8')).solana?.rpcUrl ?? 'http://127.0.0.1:8899'
  } catch {
    return 'http://127.0.0.1:8899'
  }
}

// xfwd: the relayer sees this server as the client; X-Forwarded-For carries the person's address (the relayer's
// per-IP sign-in limit does not read it yet: see the README).
const proxy: Record<string, ProxyOptions> = {
  '/api': { target: relayerUrl, changeOrigin: true, xfwd: true, rewrite: (path) => path.replace(/^\/api/, '') },
  '/indexer': { target: indexerUrl, changeOrigin: true, rewrite: (path) => path.replace(/^\/indexer/, '') },
  '/rpc': { target: rpcUrl, changeOrigin: true, rewrite: () => '/' },
}

/** Serves the manifest's EVM section, with the RPC URL replaced by the same-origin /rpc path, and the Solana addresses. */
const serveManifest: Connect.NextHandleFunction = (req, res, next) => {
  if (req.url?.split('?')[0] !== '/config/manifest.json') return next()
  readFile(manifestPath, 'utf8')
    .then((text) => {
      const manifest = JSON.parse(text)
      if (!manifest.evm) throw new Error(`${manifestPath} has no "evm" section`)
      // Of the Solana section only the public program and account addresses (the pages read Solana through the
      // indexer and the relayer; only a wallet paying its own fee sends to the node, through /solana-rpc).
      const solana = manifest.solana ? { programs: manifest.solana.programs, accounts: manifest.solana.accounts } : undefined
      const body = JSON.stringify({ network: manifest.network, evm: { ...manifest.evm, rpcUrl: '/rpc' }, solana })
      res.setHeader('Content-Type', 'application/json')
      res.setHeader('Cache-Control', 'no-store')
      res.end(body)
    })
    .catch((error: Error) => {
      res.statusCode = 503
      res.setHeader('Content-Type', 'application/json')
      const message = `the deployment manifest is not readable (${manifestPath}): ${error.message}. Start the stack (./mercato stack) or set MERCATO_MANIFEST.`
      res.end(JSON.stringify({ error: { reason: 'manifest_unavailable', message } }))
    })
}

/** The JSON-RPC methods `/solana-rpc` forwards (a public node URL's quota is not lent for anything else). */
const SOLANA_METHODS = ['sendTransaction', 'getSignatureStatuses', 'getBlockHeight']
const MAX_SOLANA_BODY = 64 * 1024

/** `/solana-rpc`: one JSON-RPC request (no batches) of `SOLANA_METHODS`, forwarded to the Solana node. */
function solanaRpcProxy(target: string): Connect.NextHandleFunction {
  return (req, res, next) => {
    if (req.url?.split('?')[0] !== '/solana-rpc') return next()
    const reply = (status: number, body: string) => {
      res.statusCode = status
      res.setHeader('Content-Type', 'application/json')
      res.end(body)
    }
    const refuse = (status: number, code: number, message: string, id: unknown = null) =>
      reply(status, JSON.stringify({ jsonrpc: '2.0', id, error: { code, message } }))
    if (req.method !== 'POST') return refuse(405, -32600, 'POST one JSON-RPC request')
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size <= MAX_SOLANA_BODY) chunks.push(chunk)
    })
    req.on('end', () => {
      if (size > MAX_SOLANA_BODY) return refuse(413, -32600, `the request is over ${MAX_SOLANA_BODY} bytes`)
      let body: { method?: unknown; id?: unknown }
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'))
      } catch {
        return refuse(400, -32700, 'the request is not JSON')
      }
      if (Array.isArray(body) || typeof body?.method !== 'string' || !SOLANA_METHODS.includes(body.method)) {
        return refuse(403, -32601, `only ${SOLANA_METHODS.join(', ')} are forwarded to the Solana node`, body?.id ?? null)
      }
      fetch(target, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
        .then(async (answer) => reply(answer.status, await answer.text()))
        .catch((error: Error) => refuse(502, -32603, `the Solana node is unreachable: ${error.message}`, body.id ?? null))
    })
  }
}

function mercatoConfig(): Plugin {
  const solanaRpc = solanaRpcProxy(solanaRpcUrl())
  return {
    name: 'mercato-config',
    configureServer(server) {
      server.middlewares.use(serveManifest)
      server.middlewares.use(solanaRpc)
    },
    configurePreviewServer(server) {
      server.middlewares.use(serveManifest)
      server.middlewares.use(solanaRpc)
    },
  }
}

export default defineConfig({
  plugins: [mercatoConfig()],
  oxc: { jsx: { runtime: 'automatic' } },
  server: { host: '127.0.0.1', proxy },
  preview: { host: '127.0.0.1', proxy },
  // One chunk of ~600 kB (175 kB gzipped): React, viem and the generated ABIs. Splitting comes with more pages.
  build: { target: 'es2022', sourcemap: true, chunkSizeWarningLimit: 800 },
})
