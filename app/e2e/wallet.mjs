// A real EIP-1193 wallet for the browser tests: window.ethereum in the page, backed by an anvil development key held
// by the test process. It signs eth_signTypedData_v4 for real (viem's local account), signs and broadcasts
// eth_sendTransaction (the user paying the gas), answers the account and chain methods, and passes every other
// method to the node. It is the user's wallet, not a stand-in for anything of ours:
// the app, the relayer and the forwarder all check what it signs.
import { createWalletClient, http } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'

/** Turns the JSON typed data a dapp sends into what viem signs (integers as bigint). */
function typedDataFromJson(json) {
  const { domain, types, primaryType, message } = JSON.parse(json)
  const { EIP712Domain: _domainType, ...rest } = types
  const convert = (type, value) => {
    if (/^u?int\d*$/.test(type)) return BigInt(value)
    if (rest[type]) return Object.fromEntries(rest[type].map((f) => [f.name, convert(f.type, value[f.name])]))
    if (type.endsWith('[]')) return value.map((v) => convert(type.slice(0, -2), v))
    return value
  }
  return {
    domain: { ...domain, chainId: domain.chainId === undefined ? undefined : Number(domain.chainId) },
    types: rest,
    primaryType,
    message: convert(primaryType, message),
  }
}

/**
 * Installs the wallet into `page` (before any of its scripts run). Returns what it signed, for assertions, and a
 * switch to make the next signature request declined as a person would (EIP-1193 error 4001).
 */
export async function installWallet(page, { privateKey, rpcUrl, chainId }) {
  const account = privateKeyToAccount(privateKey)
  const signed = []
  const sent = []
  let declineNext = false
  // Transactions the page asks the wallet to send are signed here with the key and broadcast (nonce, gas and fees
  // filled from the node, as a wallet does): the user pays the gas.
  const sender = createWalletClient({ account, transport: http(rpcUrl) })

  await page.exposeBinding('__mercatoTestWallet', async (_source, method, params) => {
    try {
      switch (method) {
        case 'eth_requestAccounts':
        case 'eth_accounts':
          return { result: [account.address] }
        case 'eth_chainId':
          return { result: `0x${chainId.toString(16)}` }
        case 'wallet_switchEthereumChain':
          if (Number(params[0].chainId) === chainId) return { result: null }
          return { error: { code: 4902, message: 'unknown chain' } }
        case 'eth_signTypedData_v4': {
          const [address, json] = params
          if (address.toLowerCase() !== account.address.toLowerCase()) {
            return { error: { code: 4100, message: `this wallet does not hold ${address}` } }
          }
          if (declineNext) {
            declineNext = false
            return { error: { code: 4001, message: 'User rejected the request.' } }
          }
          const typedData = typedDataFromJson(json)
          const signature = await account.signTypedData(typedData)
          signed.push(typedData)
          return { result: signature }
        }
        case 'eth_sendTransaction': {
          const [tx] = params
          if (tx.from && tx.from.toLowerCase() !== account.address.toLowerCase()) {
            return { error: { code: 4100, message: `this wallet does not hold ${tx.from}` } }
          }
          if (declineNext) {
            declineNext = false
            return { error: { code: 4001, message: 'User rejected the request.' } }
          }
          const hash = await sender.sendTransaction({
            chain: null,
            to: tx.to,
            data: tx.data ?? tx.input,
            value: tx.value === undefined ? 0n : BigInt(tx.value),
            gas: tx.gas === undefined ? undefined : BigInt(tx.gas),
          })
          sent.push({ to: tx.to, data: tx.data ?? tx.input, hash })
          return { result: hash }
        }
        default: {
          const response = await fetch(rpcUrl, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
          })
          const body = await response.json()
          return body.error ? { error: body.error } : { result: body.result }
        }
      }
    } catch (error) {
      return { error: { code: -32603, message: String(error?.message ?? error) } }
    }
  })

  await page.addInitScript(() => {
    const listeners = new Map()
    window.ethereum = {
      isMercatoTestWallet: true,
      async request({ method, params }) {
        const answer = await window.__mercatoTestWallet(method, params ?? [])
        if (answer.error) {
          const error = new Error(answer.error.message)
          error.code = answer.error.code
          throw error
        }
        return answer.result
      },
      on(event, listener) {
        listeners.set(listener, event)
      },
      removeListener(_event, listener) {
        listeners.delete(listener)
      },
    }
  })

  return {
    address: account.address,
    signed,
    sent,
    declineNextSignature: () => {
      declineNext = true
    },
  }
}
