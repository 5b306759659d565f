-- Faster rollback (indexer/README.md, Benchmarks: a depth-10 reorg of 3,170 undo records took p50 67-71 ms with
-- 0010; the target is < 50 ms).
--
-- 1. The undo triggers fire only when they record something: `WHEN` skips the call (and the queued after-trigger
--    event) while `mercato.rollback = on` — a rollback's own deletes and inserts, and the commit's group past the
--    undo window, used to queue one plpgsql call per row that returned at once.
-- 2. `rollback_state` restores each state table in one statement: per key, the prior content of its oldest record
--    above the ancestor is computed once, then rows created above the ancestor are deleted, rows that still exist
--    are updated in place (a HOT update when no indexed column changes) and rows deleted above it are inserted back.
--    Same result as 0010 (and as replaying the records newest first). The oldest record per key is found by
--    hashing the keys (min(id) per key), not by sorting them.
-- 3. `rollback_to` is the whole EVM rollback in one call (one round trip): state tables, append-only tables, raw
--    events, blocks and the checkpoint.

DROP TRIGGER accounts_undo ON accounts;
CREATE TRIGGER accounts_undo AFTER INSERT OR UPDATE OR DELETE ON accounts FOR EACH ROW
    WHEN (current_setting('mercato.rollback', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION record_undo('chain', 'address');
DROP TRIGGER items_undo ON items;
CREATE TRIGGER items_undo AFTER INSERT OR UPDATE OR DELETE ON items FOR EACH ROW
    WHEN (current_setting('mercato.rollback', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION record_undo('chain', 'collection', 'token_id');
DROP TRIGGER listings_undo ON listings;
CREATE TRIGGER listings_undo AFTER INSERT OR UPDATE OR DELETE ON listings FOR EACH ROW
    WHEN (current_setting('mercato.rollback', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION record_undo('chain', 'house', 'listing_id');
DROP TRIGGER proposals_undo ON proposals;
CREATE TRIGGER proposals_undo AFTER INSERT OR UPDATE OR DELETE ON proposals FOR EACH ROW
    WHEN (current_setting('mercato.rollback', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION record_undo('chain', 'governor', 'proposal_id');
DROP TRIGGER solana_token_accounts_undo ON solana_token_accounts;
CREATE TRIGGER solana_token_accounts_undo AFTER INSERT OR UPDATE OR DELETE ON solana_token_accounts FOR EACH ROW
    WHEN (current_setting('mercato.rollback', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION record_undo('chain', 'account');

CREATE OR REPLACE FUNCTION rollback_state(p_chain TEXT, p_block BIGINT) RETURNS BIGINT LANGUAGE plpgsql AS $$
DECLARE
    t RECORD;
    t_keys TEXT[];
    d_keys TEXT;
    r_keys TEXT;
    k_keys TEXT;
    cols TEXT;
    r_cols TEXT;
    replayed BIGINT := 0;
    sort_setting TEXT;
BEGIN
    PERFORM set_config('mercato.rollback', 'on', true);
    -- The records above the ancestor are few next to the table's statistics, which estimate a handful: without
    -- this the planner groups them by sorting JSONB keys (the slowest step); hashing is several times faster.
    sort_setting := current_setting('enable_sort');
    PERFORM set_config('enable_sort', 'off', true);
    FOR t IN SELECT u.table_name, count(*) AS records FROM undo_log u
             WHERE u.chain = p_chain AND u.block_number > p_block GROUP BY u.table_name LOOP
        replayed := replayed + t.records;
        SELECT u.key_columns INTO t_keys FROM undo_log u
         WHERE u.chain = p_chain AND u.block_number > p_block AND u.table_name = t.table_name LIMIT 1;
        SELECT string_agg(format('d.%I', c), ', '), string_agg(format('r.%I', c), ', '),
               string_agg(format('k.%I', c), ', ')
          INTO d_keys, r_keys, k_keys FROM unnest(t_keys) AS c;
        SELECT string_agg(format('%I', a.attname), ', ' ORDER BY a.attnum),
               string_agg(format('r.%I', a.attname), ', ' ORDER BY a.attnum)
          INTO cols, r_cols
          FROM pg_attribute a
         WHERE a.attrelid = t.table_name::regclass AND a.attnum > 0 AND NOT a.attisdropped;
        EXECUTE format(
            'WITH f AS MATERIALIZED (
                 SELECT u.key, u.prior FROM undo_log u WHERE u.id IN (
                     SELECT min(o.id) FROM undo_log o
                     WHERE o.chain = $1 AND o.block_number > $2 AND o.table_name = %1$L GROUP BY o.key)),
             gone AS (DELETE FROM %1$I AS d USING f CROSS JOIN LATERAL jsonb_populate_record(NULL::%1$I, f.key) AS k
                      WHERE f.prior IS NULL AND (%2$s) = (%4$s)),
             back AS (UPDATE %1$I AS d SET (%5$s) = ROW(%6$s)
                      FROM f CROSS JOIN LATERAL jsonb_populate_record(NULL::%1$I, f.prior) AS r
                      WHERE f.prior IS NOT NULL AND (%2$s) = (%3$s) RETURNING f.key)
             INSERT INTO %1$I SELECT r.* FROM f CROSS JOIN LATERAL jsonb_populate_record(NULL::%1$I, f.prior) AS r
             WHERE f.prior IS NOT NULL AND f.key NOT IN (SELECT b.key FROM back b)',
            t.table_name, d_keys, r_keys, k_keys, cols, r_cols) USING p_chain, p_block;
    END LOOP;
    DELETE FROM undo_log WHERE chain = p_chain AND block_number > p_block;
    PERFORM set_config('enable_sort', sort_setting, true);
    PERFORM set_config('mercato.rollback', 'off', true);
    RETURN replayed;
END $$;

CREATE FUNCTION rollback_to(p_chain TEXT, p_block BIGINT, p_hash BYTEA) RETURNS BIGINT LANGUAGE plpgsql AS $$
DECLARE
    replayed BIGINT;
BEGIN
    replayed := rollback_state(p_chain, p_block);
    DELETE FROM transfers WHERE chain = p_chain AND block_number > p_block;
    DELETE FROM bids WHERE chain = p_chain AND block_number > p_block;
    DELETE FROM sales WHERE chain = p_chain AND block_number > p_block;
    DELETE FROM votes WHERE chain = p_chain AND block_number > p_block;
    DELETE FROM parameter_changes WHERE chain = p_chain AND block_number > p_block;
    DELETE FROM wash_trades WHERE chain = p_chain AND block_number > p_block;
    DELETE FROM raw_events WHERE chain = p_chain AND block_number > p_block;
    DELETE FROM blocks WHERE chain = p_chain AND number > p_block;
    UPDATE checkpoints SET block_number = p_block, block_hash = p_hash, updated_at = now() WHERE chain = p_chain;
    RETURN replayed;
END $$;
