// The local stack for the browser tests, started the way `./mercato stack` starts it: anvil with interval mining
// (--block-time 1), the deploy script with MERCATO_GOV_FAST=1 (writes deployments/<network>.json), a throwaway
// Postgres cluster, the relayer binary with anvil's development accounts 6-9 as EVM senders, the indexer binary (its
// own database), and the app built and
// served by `vite preview` (same-origin /api, /rpc and /config/manifest.json, as in production).
//
// Prerequisites (the README's "Tests" section): ./mercato setup (Foundry from npm, Postgres), the relayer binary
// (cargo build -p mercato-relayer), Debian's chromium.
import { spawn, spawnSync } from 'node:child_process'
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { homedir, tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const APP = resolve(dirname(fileURLToPath(import.meta.url)), '..')
export const ROOT = resolve(APP, '..')
const CONTRACTS = join(ROOT, 'contracts')
const BIN = join(CONTRACTS, 'node_modules', '.bin')

/** anvil's well-known development keys (local chains only). 0 deploys, 1 sells, 5 is the wallet user, 6-9 relay. */
export const ANVIL_KEYS = [
  '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
  '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d',
  '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a',
  '0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6',
  '0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a',
  '0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba',
  '0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e',
  '0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356',
  '0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97',
  '0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6',
]
const MASTER_KEY = '4444444444444444444444444444444444444444444444444444444444444444'

const isRoot = process.getuid?.() === 0

function log(message) {
  process.stderr.write(`[stack] ${message}\n`)
}

function require(path, hint) {
  if (!existsSync(path)) throw new Error(`${path} is missing: ${hint}`)
  return path
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolvePort(port))
    })
  })
}

/** Runs a command to completion; throws with its output when it fails. */
function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options })
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`)
  }
  return result.stdout
}

async function until(what, seconds, check) {
  const deadline = Date.now() + seconds * 1000
  for (;;) {
    try {
      if (await check()) return
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`${what} within ${seconds} s`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

async function rpc(url, method, params = []) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  })
  const body = await response.json()
  if (body.error) throw new Error(`${method}: ${JSON.stringify(body.error)}`)
  return body.result
}

/** Starts a background process; its output goes to `logFile`; resolves once `ready(output)` holds. */
async function startProcess(name, command, args, { env, logFile, ready, seconds }) {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  let exited = null
  const collect = (chunk) => {
    output += chunk
    if (logFile) writeFileSync(logFile, output)
  }
  child.stdout.setEncoding('utf8').on('data', collect)
  child.stderr.setEncoding('utf8').on('data', collect)
  child.on('exit', (code, signal) => (exited = code ?? signal))
  try {
    await until(`${name} did not start`, seconds, async () => {
      if (exited !== null) throw Object.assign(new Error('exited'), { fatal: true })
      return ready(output)
    })
  } catch (error) {
    child.kill('SIGKILL')
    throw new Error(`${name} did not start (exit: ${exited}): ${error.message}\n${output.slice(-4000)}`)
  }
  return child
}

function stopProcess(child) {
  if (!child || child.exitCode !== null) return Promise.resolve()
  return new Promise((done) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
    child.once('exit', () => {
      clearTimeout(timer)
      done()
    })
    child.kill('SIGTERM')
  })
}

/**
 * Starts everything; returns the URLs, the manifest and `stop()`. Each piece is stopped again if a later one fails.
 * With `{ solana: true }` also the local Solana node (crates/mercato-solana-node: the programs' SBF builds from
 * target/deploy, the economy initialized with the localnet keys and the demo economy seeded with `--demo`), the
 * relayer with Solana sponsorship (a fresh fee payer with 100 SOL) and the indexer following both chains; then the
 * answer has `solanaRpcUrl` and `solanaDemo` (what the demo seed made: traders, item mints, the proposal).
 */
export async function startStack({ solana = false } = {}) {
  const anvil = require(join(BIN, 'anvil'), 'run ./mercato setup (installs Foundry from npm)')
  const forge = require(join(BIN, 'forge'), 'run ./mercato setup (installs Foundry from npm)')
  const targetDir = process.env.CARGO_TARGET_DIR ?? join(homedir(), '.cache', 'mercato', 'target')
  const relayerBin = require(
    process.env.MERCATO_RELAYER_BIN ?? join(targetDir, 'debug', 'mercato-relayer'),
    'build it with `cargo build -p mercato-relayer` or set MERCATO_RELAYER_BIN',
  )
  const indexerBin = require(
    process.env.MERCATO_INDEXER_BIN ?? join(targetDir, 'debug', 'mercato-indexer'),
    'build it with `cargo build -p mercato-indexer` or set MERCATO_INDEXER_BIN',
  )
  const solanaBin = solana
    ? require(
        process.env.MERCATO_SOLANA_NODE_BIN ?? join(targetDir, 'debug', 'mercato-solana-node'),
        'build it with `cargo build -p mercato-solana-node` or set MERCATO_SOLANA_NODE_BIN',
      )
    : null
  if (solana) require(join(ROOT, 'target', 'deploy', 'mercato_auction.so'), 'build the programs with ./mercato sbf')
  const pgBin = ['17', '16', '15'].map((v) => `/usr/lib/postgresql/${v}/bin`).find((d) => existsSync(join(d, 'initdb')))
  if (!pgBin) throw new Error('Postgres server binaries are missing: run ./mercato setup (apt-get install postgresql)')

  const work = mkdtempSync(join(tmpdir(), 'mercato-app-e2e-'))
  const artifacts = join(APP, 'test-artifacts')
  const network = `app-e2e-${process.pid}`
  const manifestPath = join(ROOT, 'deployments', `${network}.json`)
  const stops = []
  const stop = async () => {
    for (const step of stops.reverse()) await step().catch((e) => log(`stopping: ${e.message}`))
    stops.length = 0
  }
  stops.push(async () => rmSync(work, { recursive: true, force: true }))
  mkdirSync(artifacts, { recursive: true })
  try {
    // ---- anvil
    const evmPort = await freePort()
    const rpcUrl = `http://127.0.0.1:${evmPort}`
    log(`anvil on ${rpcUrl} (--block-time 1)`)
    const anvilChild = await startProcess(
      'anvil',
      anvil,
      ['--host', '127.0.0.1', '--port', String(evmPort), '--block-time', '1', '--silent'],
      { seconds: 20, ready: () => rpc(rpcUrl, 'eth_chainId').then(() => true) },
    )
    stops.push(() => stopProcess(anvilChild))

    // ---- the EVM suite, exactly as ./mercato deploys it
    log(`deploying the EVM suite (forge script, MERCATO_GOV_FAST=1) -> deployments/${network}.json`)
    run(forge, ['script', 'script/Deploy.s.sol:Deploy', '--rpc-url', rpcUrl, '--broadcast', '--slow', '-q'], {
      cwd: CONTRACTS,
      env: {
        ...process.env,
        FOUNDRY_PROFILE: 'deploy',
        MERCATO_NETWORK: network,
        MERCATO_EVM_RPC_URL: rpcUrl,
        MERCATO_GOV_FAST: '1',
        PRIVATE_KEY: ANVIL_KEYS[0],
      },
    })
    stops.push(async () => rmSync(manifestPath, { force: true }))

    // ---- the local Solana node: the programs deployed, the economy initialized (the manifest's `solana` section)
    // and the demo economy seeded (--demo), all before the relayer and the indexer read the manifest
    let solanaRpcUrl = null
    let solanaDemo = null
    if (solana) {
      const [solPort, solWs] = [await freePort(), await freePort()]
      solanaRpcUrl = `http://127.0.0.1:${solPort}`
      const demoPath = join(work, 'solana-demo.json')
      log(`Solana node on ${solanaRpcUrl} (${solanaBin}, --fast-governance --demo)`)
      const solanaChild = await startProcess(
        'the Solana node',
        solanaBin,
        ['--rpc-port', String(solPort), '--ws-port', String(solWs), '--programs', join(ROOT, 'target', 'deploy'),
          '--slot-ms', '100', '--manifest', manifestPath, '--fast-governance', '--demo', demoPath],
        {
          env: { RUST_LOG: process.env.RUST_LOG ?? 'warn' },
          logFile: join(artifacts, 'solana-node.log'),
          seconds: 180,
          ready: (output) => output.includes('solana node ready'),
        },
      )
      stops.push(() => stopProcess(solanaChild))
      solanaDemo = JSON.parse(readFileSync(demoPath, 'utf8'))
    }
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'))

    // ---- Postgres: a throwaway cluster (as the postgres user when we are root: Postgres refuses root)
    const pgPort = await freePort()
    const pgDir = join(work, 'pg')
    run('mkdir', ['-p', pgDir])
    const asPostgres = (args) => (isRoot ? ['runuser', ['-u', 'postgres', '--', ...args]] : [args[0], args.slice(1)])
    if (isRoot) {
      const ids = run('id', ['-u', 'postgres']).trim()
      const gid = run('id', ['-g', 'postgres']).trim()
      chownSync(work, Number(ids), Number(gid))
      chownSync(pgDir, Number(ids), Number(gid))
    }
    log(`Postgres on 127.0.0.1:${pgPort}`)
    run(...asPostgres([join(pgBin, 'initdb'), '-D', join(pgDir, 'data'), '--auth=trust', '--username=postgres', '-E', 'UTF8']))
    run(
      ...asPostgres([
        join(pgBin, 'pg_ctl'),
        '-D',
        join(pgDir, 'data'),
        '-l',
        join(pgDir, 'server.log'),
        '-w',
        '-o',
        `-p ${pgPort} -c listen_addresses=127.0.0.1 -k ${pgDir} -c fsync=off`,
        'start',
      ]),
    )
    stops.push(async () => {
      run(...asPostgres([join(pgBin, 'pg_ctl'), '-D', join(pgDir, 'data'), '-m', 'immediate', '-w', 'stop']))
    })
    run('psql', ['-q', `postgres://postgres@127.0.0.1:${pgPort}/postgres`, '-c', 'CREATE DATABASE relayer'])
    run('psql', ['-q', `postgres://postgres@127.0.0.1:${pgPort}/postgres`, '-c', 'CREATE DATABASE indexer'])

    // ---- the relayer (Solana too when the stack has the Solana node: a fresh fee payer with 100 SOL)
    const relayerPort = await freePort()
    const relayerUrl = `http://127.0.0.1:${relayerPort}`
    const senders = join(work, 'evm-senders')
    writeFileSync(senders, `# anvil development accounts 6-9\n${ANVIL_KEYS.slice(6, 10).join('\n')}\n`)
    const solanaArgs = []
    if (solana) {
      const feePayerFile = join(work, 'solana-fee-payer.json')
      const feePayer = run(relayerBin, ['gen-solana-keypair', feePayerFile]).trim()
      await rpc(solanaRpcUrl, 'requestAirdrop', [feePayer, 100 * 1e9])
      await until('the fee payer airdrop did not confirm', 30, async () => {
        const { value } = await rpc(solanaRpcUrl, 'getBalance', [feePayer, { commitment: 'confirmed' }])
        return value >= 100 * 1e9
      })
      solanaArgs.push('--solana-fee-payer-keypair', feePayerFile)
    }
    log(`relayer on ${relayerUrl} (${relayerBin})`)
    const relayerChild = await startProcess(
      'the relayer',
      relayerBin,
      ['serve', '--listen', `127.0.0.1:${relayerPort}`, '--manifest', manifestPath, '--evm-sender-keys-file', senders, ...solanaArgs],
      {
        env: {
          MERCATO_RELAYER_DATABASE_URL: `postgres://postgres@127.0.0.1:${pgPort}/relayer`,
          MERCATO_RELAYER_MASTER_KEY: MASTER_KEY,
          RUST_LOG: process.env.RUST_LOG ?? 'warn',
        },
        logFile: join(artifacts, 'relayer.log'),
        seconds: 60,
        ready: (output) => output.includes('listening on'),
      },
    )
    stops.push(() => stopProcess(relayerChild))

    // ---- the indexer (its own database), following anvil from the deploy block
    const indexerPort = await freePort()
    const indexerUrl = `http://127.0.0.1:${indexerPort}`
    log(`indexer on ${indexerUrl} (${indexerBin})`)
    const indexerChild = await startProcess(
      'the indexer',
      indexerBin,
      ['serve', '--listen', `127.0.0.1:${indexerPort}`, '--manifest', manifestPath, '--poll-ms', '200'],
      {
        env: {
          MERCATO_INDEXER_DATABASE_URL: `postgres://postgres@127.0.0.1:${pgPort}/indexer`,
          RUST_LOG: process.env.RUST_LOG ?? 'warn',
        },
        logFile: join(artifacts, 'indexer.log'),
        seconds: 60,
        ready: (output) => output.includes('listening on'),
      },
    )
    stops.push(() => stopProcess(indexerChild))

    // ---- the app: ABIs from the artifacts the deploy just compiled, type check, build, serve
    process.env.MERCATO_RELAYER_URL = relayerUrl
    process.env.MERCATO_EVM_RPC_URL = rpcUrl
    process.env.MERCATO_INDEXER_URL = indexerUrl
    process.env.MERCATO_MANIFEST = manifestPath
    if (solanaRpcUrl) process.env.MERCATO_SOLANA_RPC_URL = solanaRpcUrl
    run(process.execPath, [join(APP, 'scripts', 'gen-abis.mjs')], { cwd: APP })
    const { build, preview } = await import('vite')
    log('building the app (vite build)')
    // Each stack builds into its own folder: the test files may run at the same time.
    const outDir = join(work, 'dist')
    await build({ root: APP, logLevel: 'warn', build: { sourcemap: false, outDir, emptyOutDir: true } })
    const appPort = await freePort()
    const server = await preview({ root: APP, logLevel: 'warn', build: { outDir }, preview: { port: appPort, strictPort: true } })
    stops.push(() => new Promise((done) => server.httpServer.close(() => done())))
    const appUrl = `http://127.0.0.1:${appPort}`
    log(`app on ${appUrl}`)

    return { rpcUrl, relayerUrl, indexerUrl, appUrl, manifest, manifestPath, artifacts, work, stop, solanaRpcUrl, solanaDemo }
  } catch (error) {
    await stop()
    throw error
  }
}
