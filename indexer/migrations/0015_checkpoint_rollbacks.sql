-- How many times each chain's mirror was rolled back (EVM reorgs, Solana finality rollbacks), moved in the rollback's
-- own transaction. The API's answer cache serves an answer of the previous head while the new head's is being
-- computed only when the new head extends it: the same count of rollbacks and a block at least as high (a rolled-back
-- state is never served).
ALTER TABLE checkpoints ADD COLUMN rollbacks BIGINT NOT NULL DEFAULT 0;
