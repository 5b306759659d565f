-- Solana ingest (chain = 'solana:<cluster>'): the four Anchor programs share the EVM tables where the meaning is the
-- same; what Solana has and EVM has not gets the columns and tables below. Pubkeys, signatures and blockhashes are
-- BYTEA (32, 64 and 32 bytes); `block_number` is the slot everywhere. See indexer/README.md, "Solana ingest".

-- ---------------------------------------------------------------- columns on shared tables

-- Solana items are keyed like EVM ones: `collection` is the collection mint, `token_id` the sequential id of
-- ItemMinted (the mint is the PDA ["item_mint", id], so id and mint name the same item); `mint` is that item mint.
ALTER TABLE items ADD COLUMN mint BYTEA;
CREATE UNIQUE INDEX items_mint ON items (chain, mint) WHERE mint IS NOT NULL;

-- The listed item's mint (Solana listings are keyed by item mint on chain; `nft` is the collection mint and
-- `token_id` the item's id, as on EVM).
ALTER TABLE listings ADD COLUMN item_mint BYTEA;

-- Votes needed for quorum, fixed when a Solana proposal is created (ProposalCreated.quorum_votes); NULL on EVM,
-- where the API computes the quorum from the supply and the quorum numerator at the snapshot.
ALTER TABLE proposals ADD COLUMN quorum_votes NUMERIC(78, 0);

-- ---------------------------------------------------------------- Solana ingest bookkeeping

-- Every successful transaction ingested, keyed by its position (slot, index in the block). Derived rows are written
-- only when this insert took, so a redelivered transaction (seen through two programs, a retried round, a restart)
-- is a no-op. raw_events holds its events: (chain, slot, tx index, event index), tx_hash = the signature.
CREATE TABLE solana_transactions (
    chain        TEXT NOT NULL,
    slot         BIGINT NOT NULL,
    tx_index     BIGINT NOT NULL,                  -- position in the block (getBlock's signature order)
    signature    BYTEA NOT NULL,
    block_time   BIGINT NOT NULL,
    events       INT NOT NULL,                     -- Mercato events it carried
    PRIMARY KEY (chain, slot, tx_index)
);
CREATE UNIQUE INDEX solana_transactions_signature ON solana_transactions (chain, signature);

-- One checkpoint per followed address (the four programs and the currency mint): every transaction of `address`
-- up to `slot` is in; `signature` is the newest one seen at or below it (the `until` of the next
-- getSignaturesForAddress). Moved in the same transaction as the chain's row in `checkpoints`, whose block_number
-- is the slot up to which every address is complete.
CREATE TABLE solana_checkpoints (
    chain        TEXT NOT NULL,
    address      BYTEA NOT NULL,
    slot         BIGINT NOT NULL,
    signature    BYTEA,
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (chain, address)
);

-- Slots up to `verified_slot` were re-checked against the finalized chain (see README, "Finality"); undo records at
-- or below it are pruned.
CREATE TABLE solana_finality (
    chain         TEXT PRIMARY KEY,
    verified_slot BIGINT NOT NULL
);

-- ---------------------------------------------------------------- state

-- The token accounts of the currency mint and of every Mercato item mint, as the transactions' post token balances
-- left them (a closed account keeps its row with amount 0). `accounts.balance` of a wallet is the sum of its
-- currency accounts; an item's owner is the owner of the account holding it (the listing PDA while in escrow).
CREATE TABLE solana_token_accounts (
    chain        TEXT NOT NULL,
    account      BYTEA NOT NULL,
    mint         BYTEA NOT NULL,
    owner        BYTEA NOT NULL,
    amount       NUMERIC(78, 0) NOT NULL,
    PRIMARY KEY (chain, account)
);
CREATE INDEX solana_token_accounts_owner ON solana_token_accounts (chain, owner, mint);
CREATE INDEX solana_token_accounts_mint ON solana_token_accounts (chain, mint);
CREATE TRIGGER solana_token_accounts_undo AFTER INSERT OR UPDATE OR DELETE ON solana_token_accounts
    FOR EACH ROW EXECUTE FUNCTION record_undo('chain', 'account');

-- ---------------------------------------------------------------- rendering

-- Base58 (Bitcoin alphabet, as Solana writes pubkeys and signatures).
CREATE FUNCTION base58(b BYTEA) RETURNS TEXT LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    alphabet CONSTANT TEXT := '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
    n NUMERIC := 0;
    result TEXT := '';
    i INT := 0;
BEGIN
    FOR i IN 0 .. length(b) - 1 LOOP
        n := n * 256 + get_byte(b, i);
    END LOOP;
    WHILE n > 0 LOOP
        result := substr(alphabet, mod(n, 58)::int + 1, 1) || result;
        n := div(n, 58);
    END LOOP;
    i := 0;
    WHILE i < length(b) AND get_byte(b, i) = 0 LOOP
        result := '1' || result;
        i := i + 1;
    END LOOP;
    RETURN result;
END $$;

-- The API renders every address and hash with hex0x(). A connection that sets mercato.address_format = 'base58'
-- (the indexer's Solana API pool does, at connect) gets base58 instead; everything else keeps '0x' hex. STABLE, not
-- IMMUTABLE any more: the answer depends on that setting.
CREATE OR REPLACE FUNCTION hex0x(b BYTEA) RETURNS TEXT LANGUAGE sql STABLE STRICT PARALLEL SAFE AS $$
    SELECT CASE WHEN current_setting('mercato.address_format', true) = 'base58' THEN base58(b)
                ELSE '0x' || encode(b, 'hex') END
$$;
