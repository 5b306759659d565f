-- Solana wash-trade rule `common_funder`: each buyer's and seller's first SOL funder, read once from the node when
-- the wallet first appears in a sale (see indexer/README.md, "Wash trades on Solana"). `funder` is NULL when it
-- could not be read (history longer than the indexer pages back, or no lamport inflow found): such a wallet
-- matches nobody. `slot` is the funding transaction's slot (for an unknown funder, the slot of the round that
-- looked it up), so a Solana rollback above it deletes the row and the next round reads it again.
CREATE TABLE solana_funders (
    chain        TEXT NOT NULL,
    wallet       BYTEA NOT NULL,
    funder       BYTEA,
    slot         BIGINT NOT NULL,
    signature    BYTEA,                            -- the funding transaction
    PRIMARY KEY (chain, wallet)
);
CREATE INDEX solana_funders_slot ON solana_funders (chain, slot);
CREATE INDEX solana_funders_funder ON solana_funders (chain, funder);
