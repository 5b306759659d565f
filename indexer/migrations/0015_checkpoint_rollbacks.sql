-- How many times each chain's mirror was rolled back (EVM reorgs, Solana finality rollbacks), moved in the rollback's
-- own transaction, so a reader of the checkpoint row can tell a rollback from a new block (for an answer cache that
-- would serve the previous head's answer while the new one is computed: only when no rollback came between, so a
-- rolled-back state is never served).
ALTER TABLE checkpoints ADD COLUMN rollbacks BIGINT NOT NULL DEFAULT 0;
