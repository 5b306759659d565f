-- Rollback in a few set-based statements per state table instead of two statements per undo record (measured:
-- a depth-10 reorg of 3,170 undo records took 635 ms replayed record by record; see indexer/README.md, Benchmarks).
-- Same result as replaying the records newest first: a row with records above `p_block` ends as the prior content
-- of its oldest such record (absent when that is NULL); rows without records are untouched.
CREATE OR REPLACE FUNCTION rollback_state(p_chain TEXT, p_block BIGINT) RETURNS BIGINT LANGUAGE plpgsql AS $$
DECLARE
    t RECORD;
    pick TEXT;
    d_keys TEXT;
    k_keys TEXT;
    replayed BIGINT;
BEGIN
    PERFORM set_config('mercato.rollback', 'on', true);
    SELECT count(*) INTO replayed FROM undo_log WHERE chain = p_chain AND block_number > p_block;
    FOR t IN SELECT table_name, min(key_columns) AS key_columns FROM undo_log
             WHERE chain = p_chain AND block_number > p_block GROUP BY table_name LOOP
        SELECT string_agg(format('r.%I', c), ', '), string_agg(format('d.%I', c), ', '),
               string_agg(format('k.%I', c), ', ')
          INTO pick, d_keys, k_keys FROM unnest(t.key_columns) AS c;
        -- Every row with a record above p_block goes ...
        EXECUTE format(
            'DELETE FROM %1$I AS d USING (SELECT DISTINCT %2$s FROM undo_log u
                 CROSS JOIN LATERAL jsonb_populate_record(NULL::%1$I, u.key) AS r
                 WHERE u.chain = $1 AND u.block_number > $2 AND u.table_name = %3$L) AS k
             WHERE (%4$s) = (%5$s)',
            t.table_name, pick, t.table_name, d_keys, k_keys) USING p_chain, p_block;
        -- ... and comes back as it was before the oldest of them.
        EXECUTE format(
            'INSERT INTO %1$I SELECT r.* FROM
                 (SELECT DISTINCT ON (u.key) u.prior FROM undo_log u
                  WHERE u.chain = $1 AND u.block_number > $2 AND u.table_name = %2$L ORDER BY u.key, u.id) AS f
                 CROSS JOIN LATERAL jsonb_populate_record(NULL::%1$I, f.prior) AS r
             WHERE f.prior IS NOT NULL',
            t.table_name, t.table_name) USING p_chain, p_block;
    END LOOP;
    DELETE FROM undo_log WHERE chain = p_chain AND block_number > p_block;
    PERFORM set_config('mercato.rollback', 'off', true);
    RETURN replayed;
END $$;
