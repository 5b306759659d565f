// The Solana pages: market (listings from the indexer's /solana/v1 API), one listing with its bids and the bid / buy
// / settle form, governance (proposals, deposit for voting power, propose, vote, execute) and the account (SOL,
// auction credits). Every action is built by the relayer (`sendSolana`): gasless for custodial users; wallet users
// choose whether Mercato or they pay the fee (`SolanaFeeChoice`).
import { useState, type FormEvent } from 'react'
import { ErrorNotice } from '../components/ErrorNotice'
import { TxProgress } from '../components/TxProgress'
import { formatUtc, relativeTime, shortAddress } from '../chain/format'
import { useChainData } from '../chain/useChainData'
import { explainIndexer, type IndexedListing } from '../indexer/client'
import { RARITIES } from '../chain/reads'
import { routeParam } from '../routes'
import { formatSolMrc, NO_PUBKEY, parseSolMrc, solMrcInput } from './format'
import { solanaIndexer, type SolanaItem, type SolanaProposal } from './indexer'
import { useSolana, type SolanaActor } from './SolanaContext'
import { useSolanaAction } from './useSolanaAction'
import { explainSolana } from './errors'
import { formatSol, SolanaFeeChoice, useSolanaAccountState } from './FeeChoice'
import { SolanaExecute, SolanaParameterHistory, SolanaProposeForm } from './governance'
import { SolanaListForm, type ListHandler } from './ListForm'
import { useGasPayer } from '../session/gasChoice'

const KINDS = { english: 'English auction', dutch: 'Dutch auction', fixed: 'Fixed price' } as const
const STATUSES = ['open', 'sold', 'cancelled', 'unsold', 'failed'] as const

function who(address: string | null, actor: SolanaActor | null): string {
  if (!address || address === NO_PUBKEY) return 'nobody'
  return actor?.address === address ? 'you' : shortAddress(address)
}

/** What a listing costs or stands at, in words. */
function priceText(l: IndexedListing): string {
  if (l.kind === 'english') {
    return l.high_bid && l.bid_count > 0
      ? `${formatSolMrc(l.high_bid)} high bid (${l.bid_count} ${l.bid_count === 1 ? 'bid' : 'bids'})`
      : `reserve ${formatSolMrc(l.start_price)}`
  }
  return formatSolMrc(l.current_price ?? l.start_price)
}

/** Says who acts on Solana, or how to become someone who can. */
function SolanaWho() {
  const { actor } = useSolana()
  const [payer] = useGasPayer('solana')
  if (!actor) {
    return (
      <p className="notice" data-testid="solana-signin-hint">
        <a href="#/signin">Sign in</a> with email or connect a Solana wallet to bid, buy and vote.
      </p>
    )
  }
  const how =
    actor.kind === 'custodial'
      ? '(your Mercato account: no SOL, no signatures)'
      : payer === 'self'
        ? '(your Solana wallet signs and pays the fee)'
        : '(your Solana wallet signs; Mercato pays the fee)'
  return (
    <>
      <p className="hint" data-testid="solana-actor">
        Acting as <code title={actor.address}>{shortAddress(actor.address)}</code> {how}
      </p>
      <SolanaFeeChoice />
    </>
  )
}

export function SolanaMarket() {
  const { actor } = useSolana()
  const [kind, setKind] = useState('')
  const [status, setStatus] = useState('open')
  const [mine, setMine] = useState(false)
  const seller = mine && actor ? actor.address : undefined
  const list = useChainData(
    () => solanaIndexer.listings({ kind: kind || undefined, status: status || undefined, seller }),
    [kind, status, seller],
    4_000,
  )
  return (
    <section className="page" aria-labelledby="sol-market-title" data-testid="solana-market">
      <h1 id="sol-market-title">Market on Solana</h1>
      <p className="hint">Listings of the Solana auction program, from the indexer. Pick one for its bids and to bid or buy.</p>
      <SolanaWho />
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filters">
        <label>
          Kind
          <select value={kind} onChange={(e) => setKind(e.target.value)}>
            <option value="">any</option>
            {Object.entries(KINDS).map(([k, label]) => (
              <option key={k} value={k}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Status
          <select value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">any</option>
            {STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        {actor && (
          <label className="check">
            <input type="checkbox" checked={mine} onChange={(e) => setMine(e.target.checked)} /> Only mine
          </label>
        )}
      </form>
      {list.error && <ErrorNotice error={explainIndexer(list.error, 'The Solana listings could not be loaded')} />}
      {list.data && list.data.items.length === 0 && <p data-testid="no-listings">No listings match.</p>}
      {list.data && list.data.items.length > 0 && (
        <table className="table" data-testid="solana-listings">
          <thead>
            <tr>
              <th scope="col">Listing</th>
              <th scope="col">Kind</th>
              <th scope="col">Status</th>
              <th scope="col">Price</th>
              <th scope="col">Seller</th>
              <th scope="col">Ends</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((l) => (
              <tr key={l.listing_id} data-testid={`sol-listing-${l.listing_id}`} data-kind={l.kind}>
                <td>
                  <a href={`#/listing/${l.listing_id}`}>
                    #{l.listing_id}: item #{l.token_id}
                  </a>
                </td>
                <td>{KINDS[l.kind]}</td>
                <td>
                  <span className={`tag state-${l.status}`}>{l.status}</span>
                </td>
                <td>{priceText(l)}</td>
                <td>{who(l.seller, actor)}</td>
                <td>{l.kind === 'fixed' ? '—' : formatUtc(l.end_time)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {!list.data && !list.error && <p aria-busy="true">Loading listings…</p>}
    </section>
  )
}

export function SolanaListing() {
  const id = routeParam()
  const { actor } = useSolana()
  const listing = useChainData(() => solanaIndexer.listing(id), [id], 3_000)
  const l = listing.data
  const item = useChainData(() => (l ? solanaIndexer.item(l.token_id) : Promise.resolve(undefined)), [l?.token_id])
  const bids = useChainData(() => solanaIndexer.bids(id), [id], 3_000)
  if (listing.error) {
    return (
      <section className="page">
        <h1>Listing #{id} on Solana</h1>
        <ErrorNotice error={explainIndexer(listing.error, 'This listing could not be loaded')} />
        <p>
          <a href="#/listings">All Solana listings</a>
        </p>
      </section>
    )
  }
  if (!l) return <p aria-busy="true">Loading listing #{id}…</p>
  const now = BigInt(l.price_time)
  const end = BigInt(l.end_time)
  const ended = l.kind === 'english' && now >= end
  const mint = item.data?.mint ?? null
  const hasBid = l.bid_count > 0 && l.high_bid !== null
  return (
    <section className="page" aria-labelledby="sol-listing-title" data-testid="solana-listing">
      <h1 id="sol-listing-title">
        Listing #{l.listing_id}: item #{l.token_id} <span className="tag">{KINDS[l.kind]}</span>{' '}
        <span className={`tag state-${l.status}`} data-testid="listing-status">
          {l.status}
        </span>
      </h1>
      <SolanaWho />
      {item.data && (
        <p className="hint">
          class {item.data.class ?? '?'} · rarity {item.data.rarity ?? '?'} · power {item.data.power ?? '?'} · mint{' '}
          <code title={mint ?? ''}>{mint ? shortAddress(mint) : '?'}</code>
        </p>
      )}
      <dl className="facts">
        <dt>Seller</dt>
        <dd>{who(l.seller, actor)}</dd>
        {l.kind === 'english' && (
          <>
            <dt>High bid</dt>
            <dd data-testid="high-bid">
              {hasBid ? `${formatSolMrc(l.high_bid!)} by ${who(l.high_bidder, actor)}` : `none yet (reserve ${formatSolMrc(l.start_price)})`}
            </dd>
            <dt>{ended ? 'Ended' : 'Ends'}</dt>
            <dd>
              {formatUtc(l.end_time)} ({relativeTime(end, now)})
            </dd>
          </>
        )}
        {l.kind !== 'english' && (
          <>
            <dt>Price now</dt>
            <dd data-testid="price-now">{formatSolMrc(l.current_price ?? l.start_price)}</dd>
          </>
        )}
        {l.kind === 'dutch' && (
          <>
            <dt>Floor</dt>
            <dd>
              {formatSolMrc(l.floor_price)} at {formatUtc(l.end_time)}
            </dd>
          </>
        )}
      </dl>
      {actor && mint && (
        <ListingAction listing={l} mint={mint} ended={ended} hasBid={hasBid} onDone={() => (listing.reload(), bids.reload())} />
      )}
      {l.status === 'open' && !actor && <p className="notice">Sign in or connect a Solana wallet to bid or buy.</p>}
      <h2>Bids</h2>
      {bids.error && <ErrorNotice error={explainIndexer(bids.error, 'The bids could not be loaded')} />}
      {bids.data && bids.data.items.length === 0 && <p>No bids yet.</p>}
      {bids.data && bids.data.items.length > 0 && (
        <ol className="bid-history" data-testid="bid-history">
          {bids.data.items.map((b) => (
            <li key={`${b.tx_hash}-${b.log_index}`}>
              {formatSolMrc(b.amount)} by {who(b.bidder, actor)} · {formatUtc(b.block_time)}
            </li>
          ))}
        </ol>
      )}
      <p>
        <a href="#/listings">All Solana listings</a>
      </p>
    </section>
  )
}

function ListingAction({
  listing: l,
  mint,
  ended,
  hasBid,
  onDone,
}: {
  listing: IndexedListing
  mint: string
  ended: boolean
  hasBid: boolean
  onDone: () => void
}) {
  const { steps, busy, run } = useSolanaAction()
  const { actor } = useSolana()
  // A suggestion only (5% above the high bid, or the reserve): the program enforces the market's increment.
  const suggested = hasBid ? BigInt(l.high_bid!) + (BigInt(l.high_bid!) * 5n + 99n) / 100n : BigInt(l.start_price)
  const [typed, setTyped] = useState<string>()
  const amount = typed ?? solMrcInput(suggested)
  const value = parseSolMrc(amount)
  const invalid = typed !== undefined && value === null

  const bid = async (event: FormEvent) => {
    event.preventDefault()
    if (value === null) return setTyped(amount)
    const done = await run(`Bid ${formatSolMrc(value)}`, { type: 'bid', item_mint: mint, amount: value.toString() })
    if (done) {
      setTyped(undefined)
      onDone()
    }
  }
  const price = BigInt(l.current_price ?? l.start_price)
  // Anyone may settle an ended English auction, its seller too.
  const settle = (
    <button
      type="button"
      className="primary"
      disabled={busy}
      onClick={() => void run('Settle the auction', { type: 'settle', item_mint: mint }).then((ok) => ok && onDone())}
    >
      Settle
    </button>
  )
  if (l.status !== 'open') {
    // Closed (bought, settled, cancelled): only the progress of what was just done here stays on screen.
    return steps.length > 0 ? (
      <div className="card" data-testid="solana-action">
        <TxProgress steps={steps} />
      </div>
    ) : null
  }
  if (actor?.address === l.seller) {
    // The seller's own listing: no bid or buy, but a cancel while no bid stands (the program refuses it after one).
    return (
      <div className="card" data-testid="solana-action">
        {hasBid ? (
          <p className="hint">Your listing has a bid: it can no longer be cancelled{l.kind === 'english' ? '; settle it once it ends' : ''}.</p>
        ) : (
          <button
            type="button"
            disabled={busy}
            onClick={() => void run('Cancel the listing', { type: 'cancel', item_mint: mint }).then((ok) => ok && onDone())}
          >
            Cancel the listing
          </button>
        )}
        {hasBid && ended && settle}
        <TxProgress steps={steps} />
      </div>
    )
  }
  return (
    <div className="card" data-testid="solana-action">
      {l.kind === 'english' && !ended && (
        <form className="action" onSubmit={bid}>
          <label htmlFor="sol-bid">Your bid (MRC)</label>
          <div className="inline">
            <input
              id="sol-bid"
              inputMode="decimal"
              value={amount}
              onChange={(e) => setTyped(e.target.value)}
              aria-invalid={invalid}
            />
            <button type="submit" className="primary" disabled={busy}>
              {busy ? 'Bidding…' : 'Place bid'}
            </button>
          </div>
          {invalid && <p className="field-error">Enter an amount of MRC with at most 9 decimals, like 25 or 12.5.</p>}
        </form>
      )}
      {l.kind === 'english' && ended && settle}
      {l.kind !== 'english' && (
        <button
          type="button"
          className="primary"
          disabled={busy}
          onClick={() =>
            // Dutch prices only fall: the price shown now is the most the buyer accepts.
            void run(`Buy for ${formatSolMrc(price)}`, { type: 'buy', item_mint: mint, max_price: price.toString() }).then(
              (ok) => ok && onDone(),
            )
          }
        >
          Buy for {formatSolMrc(price)}
        </button>
      )}
      <TxProgress steps={steps} />
    </div>
  )
}

const SIDES = [
  { side: 'for', label: 'For' },
  { side: 'against', label: 'Against' },
  { side: 'abstain', label: 'Abstain' },
] as const

export function SolanaDao() {
  const { actor } = useSolana()
  const proposals = useChainData(() => solanaIndexer.proposals(), [], 4_000)
  const account = useChainData(
    () => (actor ? solanaIndexer.account(actor.address) : Promise.resolve(undefined)),
    [actor?.address],
    4_000,
  )
  return (
    <section className="page" aria-labelledby="sol-dao-title" data-testid="solana-dao">
      <h1 id="sol-dao-title">Governance on Solana</h1>
      <p className="hint">
        Voting power on Solana is what you deposit into the governance program; a vote counts your whole deposit and
        keeps it locked until voting ends.
      </p>
      <SolanaWho />
      {actor && account.data && (
        <dl className="facts">
          <dt>Your MRC</dt>
          <dd data-testid="sol-balance">{formatSolMrc(account.data.balance)}</dd>
          <dt>Your voting power</dt>
          <dd data-testid="sol-voting-power">{formatSolMrc(account.data.voting_power)}</dd>
        </dl>
      )}
      {actor && <DepositForm />}
      {actor && <SolanaProposeForm onProposed={() => proposals.reload()} />}
      {proposals.error && <ErrorNotice error={explainIndexer(proposals.error, 'The proposals could not be loaded')} />}
      {proposals.data && proposals.data.items.length === 0 && <p>No proposals yet.</p>}
      <ul className="listings">
        {proposals.data?.items.map((p) => (
          <ProposalCard key={p.proposal_id} proposal={p} voter={actor?.address} />
        ))}
      </ul>
      <SolanaParameterHistory />
    </section>
  )
}

function DepositForm() {
  const { steps, busy, run } = useSolanaAction()
  const [amount, setAmount] = useState('')
  const value = parseSolMrc(amount)
  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (value === null) return
    if (await run(`Deposit ${formatSolMrc(value)} for voting power`, { type: 'deposit', amount: value.toString() })) {
      setAmount('')
    }
  }
  return (
    <form className="card action" onSubmit={submit} aria-label="Deposit for voting power">
      <label htmlFor="sol-deposit">Deposit MRC for voting power</label>
      <div className="inline">
        <input id="sol-deposit" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} />
        <button type="submit" className="primary" disabled={busy || value === null}>
          Deposit
        </button>
      </div>
      <TxProgress steps={steps} />
    </form>
  )
}

const SIDE_NAMES = ['against', 'for', 'abstain'] // the indexer's `support`: 0 against, 1 for, 2 abstain

function ProposalCard({ proposal: p, voter }: { proposal: SolanaProposal; voter: string | undefined }) {
  const { steps, busy, run } = useSolanaAction()
  // The person's own vote (one per voter and proposal on chain): shown instead of the buttons once cast.
  const mine = useChainData(
    () => (voter ? solanaIndexer.votes(p.proposal_id, voter).then((page) => page.items[0] ?? null) : Promise.resolve(null)),
    [p.proposal_id, voter, p.voters],
  )
  const now = BigInt(Math.floor(Date.now() / 1000))
  const total = BigInt(p.votes_for) + BigInt(p.votes_against) + BigInt(p.votes_abstain)
  const quorum = p.quorum ? BigInt(p.quorum) : null
  return (
    <li className="card" data-testid={`sol-proposal-${p.proposal_id}`} aria-labelledby={`sol-proposal-${p.proposal_id}-title`}>
      <h2 id={`sol-proposal-${p.proposal_id}-title`}>
        Proposal #{p.proposal_id}: {p.description}{' '}
        <span className={`tag state-${p.state}`} data-testid="proposal-state">
          {p.state}
        </span>
      </h2>
      <dl className="facts">
        <dt>Voting ends</dt>
        <dd>
          {formatUtc(p.vote_end)} ({relativeTime(BigInt(p.vote_end), now)})
        </dd>
        <dt>For</dt>
        <dd data-testid="votes-for">{formatSolMrc(p.votes_for)}</dd>
        <dt>Against</dt>
        <dd data-testid="votes-against">{formatSolMrc(p.votes_against)}</dd>
        <dt>Abstain</dt>
        <dd data-testid="votes-abstain">{formatSolMrc(p.votes_abstain)}</dd>
        <dt>Turnout</dt>
        <dd>
          {formatSolMrc(total)}
          {quorum !== null && ` of ${formatSolMrc(quorum)} quorum`} · {p.voters} {p.voters === 1 ? 'voter' : 'voters'}
        </dd>
        {p.eta !== null && (
          <>
            <dt>Executable from</dt>
            <dd>
              {formatUtc(p.eta)} ({relativeTime(BigInt(p.eta), now)})
            </dd>
          </>
        )}
      </dl>
      {mine.data && (
        <p className="notice" data-testid="my-vote">
          You voted {SIDE_NAMES[mine.data.support] ?? mine.data.support} with {formatSolMrc(mine.data.weight)}.
        </p>
      )}
      {voter && !mine.data && p.state === 'active' && (
        <div className="inline" role="group" aria-label={`Vote on proposal ${p.proposal_id}`}>
          {SIDES.map(({ side, label }) => (
            <button
              key={side}
              type="button"
              disabled={busy}
              onClick={() => void run(`Vote ${label.toLowerCase()}`, { type: 'vote', proposal_id: Number(p.proposal_id), side })}
            >
              Vote {label.toLowerCase()}
            </button>
          ))}
        </div>
      )}
      {voter && <SolanaExecute proposal={p} now={now} />}
      <TxProgress steps={steps} />
    </li>
  )
}

export function SolanaAccount() {
  const { actor } = useSolana()
  const account = useChainData(
    () => (actor ? solanaIndexer.account(actor.address) : Promise.resolve(undefined)),
    [actor?.address],
    4_000,
  )
  const items = useChainData(
    () => (actor ? solanaIndexer.accountItems(actor.address) : Promise.resolve(undefined)),
    [actor?.address],
    6_000,
  )
  const chain = useSolanaAccountState(actor?.address)
  const { steps, busy, run } = useSolanaAction()
  if (!actor) {
    return (
      <section className="page">
        <h1>Your account on Solana</h1>
        <SolanaWho />
      </section>
    )
  }
  return (
    <section className="page" aria-labelledby="sol-account-title" data-testid="solana-account">
      <h1 id="sol-account-title">Your account on Solana</h1>
      <dl className="facts">
        <dt>Solana address</dt>
        <dd>
          <code data-testid="sol-address">{actor.address}</code>
        </dd>
        <dt>Signs with</dt>
        <dd>{actor.kind === 'custodial' ? 'Mercato (custodial: no SOL, no signatures)' : 'your Solana wallet'}</dd>
        <dt>SOL</dt>
        <dd data-testid="sol-lamports">
          {chain.data ? formatSol(chain.data.lamports) : '…'}{' '}
          <span className="hint">{actor.kind === 'wallet' ? '(needed only when you pay the fee yourself)' : '(not needed: Mercato pays the fee)'}</span>
        </dd>
        <dt>Auction credits (refunds of outbid bids, proceeds)</dt>
        <dd>
          <span data-testid="sol-credits">{chain.data ? formatSolMrc(chain.data.credits) : '…'}</span>
          {chain.data && BigInt(chain.data.credits) > 0n && (
            <button
              type="button"
              disabled={busy}
              onClick={() =>
                void run(`Withdraw ${formatSolMrc(chain.data!.credits)} of credits`, { type: 'withdraw_credits', amount: chain.data!.credits }).then(() =>
                  chain.reload(),
                )
              }
            >
              Withdraw credits to your balance
            </button>
          )}
        </dd>
        <dt>MRC</dt>
        <dd data-testid="sol-balance">{account.data ? formatSolMrc(account.data.balance) : '…'}</dd>
        <dt>Voting power (deposited)</dt>
        <dd data-testid="sol-voting-power">{account.data ? formatSolMrc(account.data.voting_power) : '…'}</dd>
      </dl>
      {account.error && <ErrorNotice error={explainIndexer(account.error, 'The account could not be loaded')} />}
      {chain.error && <ErrorNotice error={explainSolana(chain.error)} />}
      <SolanaFeeChoice />
      <h2>Items</h2>
      {items.data && items.data.items.length === 0 && <p>No items on Solana.</p>}
      <ul className="listings">
        {items.data?.items.map((item) => (
          <li key={item.token_id} className="card">
            Item #{item.token_id} · class {item.class ?? '?'} · rarity {item.rarity ?? '?'} · power {item.power ?? '?'}
            {item.mint && (
              <SolanaListForm mint={item.mint} busy={busy} onList={(label, action) => void run(label, action)} />
            )}
          </li>
        ))}
      </ul>
      <TxProgress steps={steps} />
    </section>
  )
}

/** The items the signed-in Solana user holds (from the indexer's /solana/v1), each with its history and a form to list it. */
export function SolanaInventory() {
  const { actor } = useSolana()
  const items = useChainData(
    () => (actor ? solanaIndexer.accountItems(actor.address) : Promise.resolve(undefined)),
    [actor?.address],
    5_000,
  )
  const { steps, busy, run } = useSolanaAction()
  if (!actor) {
    return (
      <section className="page">
        <h1>Inventory on Solana</h1>
        <SolanaWho />
      </section>
    )
  }
  return (
    <section className="page" aria-labelledby="sol-inventory-title" data-testid="solana-inventory">
      <h1 id="sol-inventory-title">Inventory on Solana</h1>
      <p className="hint">Your items as the indexer has them (a slot or two behind the chain), with every transfer and sale.</p>
      <SolanaWho />
      {items.error && <ErrorNotice error={explainIndexer(items.error, 'Your items could not be loaded')} />}
      {items.data && items.data.items.length === 0 && <p data-testid="no-inventory">You hold no items on Solana yet.</p>}
      {items.data && items.data.items.length > 0 && (
        <ul className="listings" data-testid="inventory">
          {items.data.items.map((item) => (
            <SolanaItemCard key={item.token_id} item={item} busy={busy} onList={(label, action) => void run(label, action).then(() => items.reload())} />
          ))}
        </ul>
      )}
      {!items.data && !items.error && <p aria-busy="true">Loading…</p>}
      <TxProgress steps={steps} />
    </section>
  )
}

function SolanaItemCard({ item, busy, onList }: { item: SolanaItem; busy: boolean; onList: ListHandler }) {
  const [open, setOpen] = useState(false)
  const history = useChainData(() => (open ? solanaIndexer.itemHistory(item.token_id) : Promise.resolve(undefined)), [open, item.token_id])
  return (
    <li className="card" data-testid={`inventory-item-${item.token_id}`}>
      <h2>Item #{item.token_id}</h2>
      <p className="hint" data-testid="item-attributes">
        class {item.class ?? '?'} · {item.rarity !== null ? (RARITIES[item.rarity] ?? item.rarity) : '?'} · power {item.power ?? '?'}
        {item.mint && (
          <>
            {' '}
            · mint <code title={item.mint}>{shortAddress(item.mint)}</code>
          </>
        )}
      </p>
      <button type="button" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? 'Hide history' : 'History'}
      </button>
      {open && history.error && <ErrorNotice error={explainIndexer(history.error, 'The history could not be loaded')} />}
      {open && history.data && (
        <ol className="bids" data-testid="item-history">
          {history.data.items.map((e) => (
            <li key={`${e.block_number}-${e.log_index}`}>
              {e.kind} {e.price ? `for ${formatSolMrc(e.price)} ` : ''}
              {e.from === NO_PUBKEY ? '' : `from ${shortAddress(e.from)} `}to {shortAddress(e.to)} · {formatUtc(e.block_time)}
            </li>
          ))}
        </ol>
      )}
      {item.mint && <SolanaListForm mint={item.mint} busy={busy} onList={onList} />}
    </li>
  )
}

/** Pages that have no Solana version yet say so instead of showing EVM data under a Solana switch. */
export function EvmOnly({ page }: { page: string }) {
  const { setChain } = useSolana()
  return (
    <section className="page" data-testid="evm-only">
      <h1>{page}</h1>
      <p className="notice">
        The {page} page is EVM-only for now: its Solana version is not built yet.{' '}
        <button type="button" onClick={() => setChain('evm')}>
          Switch to EVM
        </button>
      </p>
    </section>
  )
}
