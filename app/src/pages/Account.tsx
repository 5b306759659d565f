import { encodeFunctionData } from 'viem'
import { GasChoice } from '../components/GasChoice'
import { ErrorNotice } from '../components/ErrorNotice'
import { TxProgress } from '../components/TxProgress'
import { formatEth, formatMrc } from '../chain/format'
import { RARITIES, readAccount, readOwnedItems } from '../chain/reads'
import { useChainData } from '../chain/useChainData'
import { auctionHouseAbi } from '../generated/abis'
import { explain } from '../gasless/explain'
import { useGasless } from '../gasless/useGasless'
import { actorAddress } from '../session/actor'
import { useApp } from '../session/AppContext'
import { SignInPrompt } from './SignInPrompt'

export function Account() {
  const { actor } = useApp()
  if (!actor) return <SignInPrompt what="see your account" />
  return <AccountDetails />
}

function AccountDetails() {
  const { actor, client, deployment } = useApp()
  const address = actorAddress(actor!)
  const account = useChainData(() => readAccount(client, deployment.evm, address), [address])
  const items = useChainData(() => readOwnedItems(client, deployment.evm, address), [address])

  return (
    <section className="page" aria-labelledby="account-title">
      <h1 id="account-title">Your account</h1>
      <div className="columns">
        <div className="card">
          <h2>Addresses</h2>
          <dl className="facts">
            <dt>{actor!.kind === 'custodial' ? 'EVM address (kept by Mercato)' : 'Wallet address'}</dt>
            <dd>
              <code data-testid="evm-address">{address}</code>
            </dd>
            {actor!.kind === 'custodial' && (
              <>
                <dt>Solana address (kept by Mercato)</dt>
                <dd>
                  <code data-testid="solana-address">{actor!.profile.solana_address}</code>
                </dd>
                <dt>Email</dt>
                <dd>{actor!.profile.email}</dd>
              </>
            )}
          </dl>
        </div>
        <div className="card">
          <h2>Balances</h2>
          {account.error && <ErrorNotice error={explain(account.error)} />}
          {account.data ? (
            <dl className="facts">
              <dt>MRC</dt>
              <dd data-testid="mrc-balance">{formatMrc(account.data.mrc)}</dd>
              <dt>Voting power</dt>
              <dd data-testid="voting-power">{formatMrc(account.data.votes)}</dd>
              <dt>Auction credits (refunds of outbid bids)</dt>
              <dd>
                <span data-testid="credits">{formatMrc(account.data.credits)}</span>
                <WithdrawCredits amount={account.data.credits} />
              </dd>
              <dt>ETH for gas</dt>
              <dd data-testid="eth-balance">
                {formatEth(account.data.eth)}{' '}
                <span className="hint">{actor!.kind === 'wallet' ? '(needed only when you pay the gas yourself)' : '(not needed: the relayer pays gas)'}</span>
              </dd>
            </dl>
          ) : (
            !account.error && <p aria-busy="true">Loading…</p>
          )}
          <GasChoice />
        </div>
      </div>
      <div className="card">
        <h2>Items</h2>
        {items.error && <ErrorNotice error={explain(items.error)} />}
        {items.data && items.data.length === 0 && <p data-testid="no-items">You hold no items yet.</p>}
        {items.data && items.data.length > 0 && (
          <ul className="items" data-testid="items">
            {items.data.map((item) => (
              <li key={item.id.toString()} className="item">
                <strong>Item #{item.id.toString()}</strong>
                <span>
                  class {item.attributes.class} · {RARITIES[item.attributes.rarity] ?? item.attributes.rarity} · power{' '}
                  {item.attributes.power}
                </span>
              </li>
            ))}
          </ul>
        )}
        {!items.data && !items.error && <p aria-busy="true">Loading…</p>}
      </div>
    </section>
  )
}

/**
 * Outbid bids come back as credits in the auction house (spent by the next bid); this sends them home. Stays mounted
 * when the credits reach zero, so the withdrawal's progress stays on screen.
 */
function WithdrawCredits({ amount }: { amount: bigint }) {
  const { deployment } = useApp()
  const { steps, busy, start } = useGasless()
  const withdraw = () =>
    start(async (run) => {
      await run(`Withdraw ${formatMrc(amount)} of credits`, {
        to: deployment.evm.contracts.auctionHouse,
        data: encodeFunctionData({ abi: auctionHouseAbi, functionName: 'withdrawCredits' }),
      })
    })
  return (
    <div className="action" data-testid="withdraw-credits">
      {(amount > 0n || busy) && (
        <button type="button" onClick={() => void withdraw()} disabled={busy}>
          {busy ? 'Withdrawing…' : 'Withdraw credits to your balance'}
        </button>
      )}
      <TxProgress steps={steps} />
    </div>
  )
}

