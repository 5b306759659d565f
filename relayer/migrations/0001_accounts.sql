-- Custodial accounts: users, their keys (encrypted), sessions.

CREATE TABLE users (
    id             BIGSERIAL PRIMARY KEY,
    email          TEXT NOT NULL UNIQUE,            -- normalized: trimmed, lower case
    password_hash  TEXT NOT NULL,                   -- argon2id, PHC string
    evm_address    BYTEA NOT NULL UNIQUE CHECK (length(evm_address) = 20),
    solana_address BYTEA NOT NULL UNIQUE CHECK (length(solana_address) = 32),
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Envelope encryption: each user's secrets are encrypted (AES-256-GCM) under a random data key, which is stored
-- wrapped by the master key `master_key_id` names. Rotating the master key rewraps data keys only.
CREATE TABLE user_keys (
    user_id          BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    master_key_id    TEXT NOT NULL,
    wrapped_data_key BYTEA NOT NULL,                -- nonce || ciphertext || tag
    evm_secret       BYTEA NOT NULL,                -- nonce || ciphertext || tag, AAD binds it to the address
    solana_secret    BYTEA NOT NULL
);
CREATE INDEX user_keys_master_key ON user_keys (master_key_id);

-- Session tokens are stored hashed (SHA-256): a database leak does not leak live sessions.
CREATE TABLE sessions (
    token_hash BYTEA PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at TIMESTAMPTZ NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);
