-- Sponsored requests: a durable queue. A request is accepted only once its row is committed; workers claim rows
-- with FOR UPDATE SKIP LOCKED. Each EVM sender key is one nonce lane.

CREATE TABLE evm_senders (
    lane       INT PRIMARY KEY,
    address    BYTEA NOT NULL UNIQUE CHECK (length(address) = 20),
    next_nonce BIGINT NOT NULL                       -- the next nonce this lane assigns
);

CREATE TABLE requests (
    id              BIGSERIAL PRIMARY KEY,
    principal       TEXT NOT NULL,                   -- who is charged: 'user:<id>' or 'evm:<address>'
    user_id         BIGINT REFERENCES users (id),
    idempotency_key TEXT NOT NULL,
    body_hash       BYTEA NOT NULL,                  -- SHA-256 of the request body: a reused key with another body is refused
    chain           TEXT NOT NULL CHECK (chain IN ('evm', 'solana')),
    lane            INT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'submitted', 'confirmed', 'failed')),
    payload         JSONB NOT NULL,                  -- what to send (see the engine)
    gas_limit       BIGINT NOT NULL,
    sender          BYTEA,
    nonce           BIGINT,
    tx_hash         BYTEA,                           -- the attempt that was mined, else the latest
    mined_block     BIGINT,
    gas_used        BIGINT,
    error           TEXT,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (principal, idempotency_key),
    UNIQUE (lane, nonce)
);
CREATE INDEX requests_queued ON requests (lane, id) WHERE status = 'queued';
CREATE INDEX requests_submitted ON requests (lane, nonce) WHERE status = 'submitted';
CREATE INDEX requests_principal_day ON requests (principal, created_at);

-- Every signed transaction, before it is broadcast: a crash after the commit rebroadcasts the same bytes.
CREATE TABLE evm_attempts (
    tx_hash         BYTEA PRIMARY KEY,
    request_id      BIGINT REFERENCES requests (id),  -- NULL for a no-op that fills a nonce gap
    lane            INT NOT NULL,
    nonce           BIGINT NOT NULL,
    max_fee         NUMERIC(78) NOT NULL,
    priority_fee    NUMERIC(78) NOT NULL,
    raw             BYTEA NOT NULL,
    sent_block      BIGINT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX evm_attempts_request ON evm_attempts (request_id);
CREATE INDEX evm_attempts_lane_nonce ON evm_attempts (lane, nonce);

-- Status history, for GET /v1/requests/{id} and its event stream.
CREATE TABLE request_events (
    id         BIGSERIAL PRIMARY KEY,
    request_id BIGINT NOT NULL REFERENCES requests (id),
    status     TEXT NOT NULL,
    detail     TEXT,
    at         TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX request_events_request ON request_events (request_id, id);
