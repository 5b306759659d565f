-- Wash-trade flags (Dune nft.wash_trades rules), written at ingest in the same transaction as the batch.
-- A sale can carry several rules. `block_number` is the block of the sale that raised the flag (a later sale can
-- flag an earlier one: A→B then B→A flags both, with B→A's block), so a rollback above N deletes exactly the flags
-- whose cause is rolled back.
CREATE TABLE wash_trades (
    chain        TEXT NOT NULL,
    block_number BIGINT NOT NULL,                  -- block of the sale that raised the flag (rollback key)
    sale_block   BIGINT NOT NULL,                  -- the flagged sale: sales (chain, block_number, log_index)
    sale_log     BIGINT NOT NULL,
    rule         TEXT NOT NULL CHECK (rule IN ('self_trade', 'back_and_forth', 'repeat_buyer', 'common_funder')),
    PRIMARY KEY (chain, sale_block, sale_log, rule)
);
CREATE INDEX wash_trades_block ON wash_trades (chain, block_number);

-- Price queries by collection and time (by class and time exists: sales_class_time).
CREATE INDEX sales_nft_time ON sales (chain, nft, block_time);
-- The wash rules look up earlier sales of the same item by buyer, and first funding transfers by receiver.
CREATE INDEX sales_item_buyer ON sales (chain, nft, token_id, buyer, block_time);
CREATE INDEX transfers_currency_day ON transfers (chain, block_time) WHERE asset = 'currency';
