-- Ingest bookkeeping: blocks, raw events, one checkpoint per chain, and the undo log that lets a reorg roll derived
-- rows back. `chain` is 'evm:<chain id>' (later 'solana:<cluster>'), so both chains share every table.
-- Amounts are NUMERIC(78, 0); addresses and hashes are BYTEA.

-- Blocks the indexer has seen: every block it followed live, and the blocks with events during backfill.
CREATE TABLE blocks (
    chain        TEXT NOT NULL,
    number       BIGINT NOT NULL,
    hash         BYTEA NOT NULL,
    parent_hash  BYTEA NOT NULL,
    timestamp    BIGINT NOT NULL,                 -- chain time, seconds since the epoch (UTC)
    PRIMARY KEY (chain, number)
);

-- Every log of the suite's contracts, as delivered. The key makes a redelivered log a no-op.
CREATE TABLE raw_events (
    chain        TEXT NOT NULL,
    block_number BIGINT NOT NULL,
    tx_index     BIGINT NOT NULL,
    log_index    BIGINT NOT NULL,
    block_hash   BYTEA NOT NULL,
    tx_hash      BYTEA NOT NULL,
    address      BYTEA NOT NULL,
    name         TEXT,                            -- the decoded event's name; NULL for events the indexer ignores
    topics       BYTEA[] NOT NULL,
    data         BYTEA NOT NULL,
    PRIMARY KEY (chain, block_number, tx_index, log_index)
);
CREATE INDEX raw_events_name ON raw_events (chain, name, block_number);

-- How far each chain is ingested: every block up to `block_number` (whose hash is `block_hash`) is in.
CREATE TABLE checkpoints (
    chain        TEXT PRIMARY KEY,
    block_number BIGINT NOT NULL,
    block_hash   BYTEA NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- The undo log. Tables holding current state ("state tables": balances, items, listings, …) are changed in place;
-- a trigger records, for each changed row, its key and its prior content (NULL: the row did not exist), tagged with
-- the block being applied (the transaction-local setting mercato.block). A rollback to block N replays the records
-- of blocks > N newest first. Append-only tables (transfers, bids, sales, …) carry block_number and are simply
-- deleted above N. Records of blocks deep enough to be final are pruned.
CREATE TABLE undo_log (
    id           BIGSERIAL PRIMARY KEY,
    chain        TEXT NOT NULL,
    block_number BIGINT NOT NULL,
    table_name   TEXT NOT NULL,
    key_columns  TEXT[] NOT NULL,
    key          JSONB NOT NULL,
    prior        JSONB
);
CREATE INDEX undo_log_chain_block ON undo_log (chain, block_number, id);

-- Trigger function for state tables; TG_ARGV lists the primary-key columns. Writing a state table outside a block
-- (mercato.block unset) is a bug, except while a rollback replays the log (mercato.rollback = 'on').
CREATE FUNCTION record_undo() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    block TEXT := current_setting('mercato.block', true);
    source JSONB;
    key JSONB := '{}'::jsonb;
    col TEXT;
BEGIN
    IF current_setting('mercato.rollback', true) = 'on' THEN
        RETURN NULL;
    END IF;
    IF block IS NULL OR block = '' THEN
        RAISE EXCEPTION 'state table % written outside a block (set mercato.block)', TG_TABLE_NAME;
    END IF;
    IF TG_OP = 'INSERT' THEN source := to_jsonb(NEW); ELSE source := to_jsonb(OLD); END IF;
    FOREACH col IN ARRAY TG_ARGV LOOP
        key := key || jsonb_build_object(col, source -> col);
    END LOOP;
    IF TG_OP = 'UPDATE' AND to_jsonb(NEW) = to_jsonb(OLD) THEN
        RETURN NULL;
    END IF;
    INSERT INTO undo_log (chain, block_number, table_name, key_columns, key, prior)
    VALUES (source ->> 'chain', block::bigint, TG_TABLE_NAME, TG_ARGV,
            key, CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE to_jsonb(OLD) END);
    RETURN NULL;
END $$;

-- Undoes every change of `p_chain` above block `p_block` (state tables through the undo log; the caller deletes
-- the append-only rows). Returns how many undo records were replayed.
CREATE FUNCTION rollback_state(p_chain TEXT, p_block BIGINT) RETURNS BIGINT LANGUAGE plpgsql AS $$
DECLARE
    r RECORD;
    cols TEXT;
    replayed BIGINT := 0;
BEGIN
    PERFORM set_config('mercato.rollback', 'on', true);
    FOR r IN SELECT * FROM undo_log WHERE chain = p_chain AND block_number > p_block ORDER BY id DESC LOOP
        SELECT string_agg(format('%I', c), ', ') INTO cols FROM unnest(r.key_columns) AS c;
        EXECUTE format('DELETE FROM %I WHERE (%s) = (SELECT %s FROM jsonb_populate_record(NULL::%I, $1))',
                       r.table_name, cols, cols, r.table_name) USING r.key;
        IF r.prior IS NOT NULL THEN
            EXECUTE format('INSERT INTO %I SELECT * FROM jsonb_populate_record(NULL::%I, $1)',
                           r.table_name, r.table_name) USING r.prior;
        END IF;
        replayed := replayed + 1;
    END LOOP;
    DELETE FROM undo_log WHERE chain = p_chain AND block_number > p_block;
    PERFORM set_config('mercato.rollback', 'off', true);
    RETURN replayed;
END $$;

-- '0x'-prefixed lowercase hex, as the API shows addresses and hashes.
CREATE FUNCTION hex0x(b BYTEA) RETURNS TEXT LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT '0x' || encode(b, 'hex')
$$;
