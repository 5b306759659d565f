// A real Solana wallet for the browser tests: a Wallet Standard wallet registered in the page (the protocol Phantom,
// Solflare and Backpack use: the `wallet-standard:register-wallet` / `wallet-standard:app-ready` events), backed by
// a localnet key held by the test process. It implements `standard:connect`, `standard:disconnect`,
// `standard:events` and `solana:signTransaction`, and signs for real (ed25519 over the transaction's message, with
// @solana/kit): the relayer checks the signature, co-signs as fee payer and the chain verifies both.
import {
  getCompiledTransactionMessageDecoder,
  getTransactionDecoder,
  getTransactionEncoder,
  partiallySignTransaction,
} from '@solana/kit'
import { signerFromSeed } from './solana.mjs'

/**
 * Installs the wallet into `page` (before any of its scripts run). Returns its address, what it signed (fee payer
 * and signers of each transaction, for assertions), and a switch to decline the next request as a person would.
 */
export async function installSolanaWallet(page, { seed, name = 'Mercato Test Wallet' }) {
  const signer = await signerFromSeed(seed)
  const publicKey = Buffer.from(new Uint8Array(await crypto.subtle.exportKey('raw', signer.keyPair.publicKey)))
  const signed = []
  let declineNext = false

  await page.exposeBinding('__mercatoSolanaWallet', async (_source, method, payload) => {
    try {
      if (method === 'signTransaction') {
        if (declineNext) {
          declineNext = false
          return { error: { code: 4001, message: 'User rejected the request.' } }
        }
        const transaction = getTransactionDecoder().decode(Buffer.from(payload, 'base64'))
        const message = getCompiledTransactionMessageDecoder().decode(transaction.messageBytes)
        if (!(signer.address in transaction.signatures)) {
          return { error: { code: -32602, message: `this transaction needs no signature of ${signer.address}` } }
        }
        const result = await partiallySignTransaction([signer.keyPair], transaction)
        signed.push({
          feePayer: message.staticAccounts[0],
          signers: Object.keys(transaction.signatures),
          programs: [...new Set(message.instructions.map((i) => message.staticAccounts[i.programAddressIndex]))],
        })
        return { result: Buffer.from(getTransactionEncoder().encode(result)).toString('base64') }
      }
      return { error: { code: -32601, message: `unknown method ${method}` } }
    } catch (error) {
      return { error: { code: -32603, message: String(error?.message ?? error) } }
    }
  })

  await page.addInitScript(
    ({ address, publicKey, name }) => {
      const fromBase64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0))
      const toBase64 = (bytes) => btoa(String.fromCharCode(...bytes))
      const chains = ['solana:localnet', 'solana:devnet', 'solana:mainnet']
      const features = ['solana:signTransaction']
      const account = Object.freeze({ address, publicKey: fromBase64(publicKey), chains, features, label: name })
      const listeners = new Set()
      let accounts = []
      const wallet = {
        version: '1.0.0',
        name,
        icon: 'data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHdpZHRoPSIxIiBoZWlnaHQ9IjEiLz4=',
        chains,
        get accounts() {
          return accounts
        },
        features: {
          'standard:connect': {
            version: '1.0.0',
            async connect() {
              accounts = [account]
              for (const l of listeners) l({ accounts })
              return { accounts }
            },
          },
          'standard:disconnect': {
            version: '1.0.0',
            async disconnect() {
              accounts = []
              for (const l of listeners) l({ accounts })
            },
          },
          'standard:events': {
            version: '1.0.0',
            on(event, listener) {
              if (event !== 'change') return () => undefined
              listeners.add(listener)
              return () => listeners.delete(listener)
            },
          },
          'solana:signTransaction': {
            version: '1.0.0',
            supportedTransactionVersions: ['legacy', 0],
            async signTransaction(...inputs) {
              const outputs = []
              for (const input of inputs) {
                if (input.account.address !== address) throw new Error(`this wallet does not hold ${input.account.address}`)
                const answer = await window.__mercatoSolanaWallet('signTransaction', toBase64(input.transaction))
                if (answer.error) throw Object.assign(new Error(answer.error.message), { code: answer.error.code })
                outputs.push({ signedTransaction: fromBase64(answer.result) })
              }
              return outputs
            },
          },
        },
      }
      const callback = ({ register }) => register(wallet)
      window.dispatchEvent(new CustomEvent('wallet-standard:register-wallet', { detail: callback }))
      window.addEventListener('wallet-standard:app-ready', (event) => callback(event.detail))
    },
    { address: signer.address, publicKey: publicKey.toString('base64'), name },
  )

  return {
    address: signer.address,
    signer,
    signed,
    declineNextSignature: () => {
      declineNext = true
    },
  }
}
