-- Solana sponsorship. A Solana request's `gas_limit` holds the lamports reserved for it (fee + rent top-up) and
-- its `gas_used` the lamports it cost the fee payer; `tx_hash` holds the 64-byte signature.

-- Every signed transaction, before it is sent: a crash after the commit resends the same bytes. A custodial
-- request gets a new attempt (new blockhash, new signature) only once the previous one's blockhash has expired
-- and the signature is unknown to the cluster, so two attempts of one request can never both land.
CREATE TABLE solana_attempts (
    signature               BYTEA PRIMARY KEY CHECK (length(signature) = 64),
    request_id              BIGINT NOT NULL REFERENCES requests (id),
    raw                     BYTEA NOT NULL,
    blockhash               BYTEA NOT NULL CHECK (length(blockhash) = 32),
    last_valid_block_height BIGINT,                  -- NULL for a wallet-signed transaction (the wallet chose the blockhash)
    sent_at                 TIMESTAMPTZ NOT NULL DEFAULT now(),
    created_at              TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX solana_attempts_request ON solana_attempts (request_id, created_at DESC);

-- Daily lamport budgets, like gas_budgets: reserved at acceptance, settled to what was spent.
CREATE TABLE lamport_budgets (
    principal TEXT NOT NULL,
    day       DATE NOT NULL,
    reserved  BIGINT NOT NULL,
    PRIMARY KEY (principal, day)
);
