-- Derived tables. State tables (changed in place, undone through undo_log) have a record_undo trigger;
-- append-only tables are keyed by the event that produced them and carry block_number (indexed) for rollback.

-- ---------------------------------------------------------------- state tables

-- Currency balance and delegation of every account that ever held or delegated.
CREATE TABLE accounts (
    chain        TEXT NOT NULL,
    address      BYTEA NOT NULL,
    balance      NUMERIC(78, 0) NOT NULL DEFAULT 0,
    delegate     BYTEA,                             -- whom this account delegates to
    votes        NUMERIC(78, 0) NOT NULL DEFAULT 0, -- voting power delegated to this account
    PRIMARY KEY (chain, address)
);
CREATE TRIGGER accounts_undo AFTER INSERT OR UPDATE OR DELETE ON accounts
    FOR EACH ROW EXECUTE FUNCTION record_undo('chain', 'address');

-- Items with their on-chain attributes and current owner.
CREATE TABLE items (
    chain        TEXT NOT NULL,
    collection   BYTEA NOT NULL,
    token_id     NUMERIC(78, 0) NOT NULL,
    owner        BYTEA NOT NULL,
    class        INT,                               -- NULL until the ItemMinted event (same transaction as the mint)
    rarity       INT,
    power        BIGINT,
    minted_block BIGINT NOT NULL,
    PRIMARY KEY (chain, collection, token_id)
);
CREATE INDEX items_owner ON items (chain, owner, token_id);
CREATE INDEX items_class ON items (chain, class);
CREATE TRIGGER items_undo AFTER INSERT OR UPDATE OR DELETE ON items
    FOR EACH ROW EXECUTE FUNCTION record_undo('chain', 'collection', 'token_id');

-- Market listings of every kind; status moves from 'open' to 'sold', 'cancelled', 'unsold' or 'failed'.
CREATE TABLE listings (
    chain         TEXT NOT NULL,
    house         BYTEA NOT NULL,
    listing_id    NUMERIC(78, 0) NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('english', 'dutch', 'fixed')),
    seller        BYTEA NOT NULL,
    nft           BYTEA NOT NULL,
    token_id      NUMERIC(78, 0) NOT NULL,
    start_price   NUMERIC(78, 0) NOT NULL,          -- English: reserve; Dutch: start; fixed: the price
    floor_price   NUMERIC(78, 0) NOT NULL,
    start_time    BIGINT NOT NULL,
    end_time      BIGINT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'sold', 'cancelled', 'unsold', 'failed')),
    high_bidder   BYTEA,
    high_bid      NUMERIC(78, 0),
    bid_count     INT NOT NULL DEFAULT 0,
    created_block BIGINT NOT NULL,
    created_log   BIGINT NOT NULL,
    closed_block  BIGINT,
    PRIMARY KEY (chain, house, listing_id)
);
CREATE INDEX listings_status ON listings (chain, status, kind, listing_id);
CREATE INDEX listings_seller ON listings (chain, seller);
CREATE INDEX listings_item ON listings (chain, nft, token_id);
CREATE TRIGGER listings_undo AFTER INSERT OR UPDATE OR DELETE ON listings
    FOR EACH ROW EXECUTE FUNCTION record_undo('chain', 'house', 'listing_id');

-- Governance proposals with their tallies.
CREATE TABLE proposals (
    chain         TEXT NOT NULL,
    governor      BYTEA NOT NULL,
    proposal_id   NUMERIC(78, 0) NOT NULL,
    proposer      BYTEA NOT NULL,
    description   TEXT NOT NULL,
    targets       BYTEA[] NOT NULL,
    calldatas     BYTEA[] NOT NULL,
    vote_start    BIGINT NOT NULL,                  -- governor clock (timestamps for Mercato)
    vote_end      BIGINT NOT NULL,
    votes_for     NUMERIC(78, 0) NOT NULL DEFAULT 0,
    votes_against NUMERIC(78, 0) NOT NULL DEFAULT 0,
    votes_abstain NUMERIC(78, 0) NOT NULL DEFAULT 0,
    voters        INT NOT NULL DEFAULT 0,
    outcome       TEXT CHECK (outcome IN ('queued', 'executed', 'canceled')),
    eta           BIGINT,
    created_block BIGINT NOT NULL,
    created_log   BIGINT NOT NULL,
    PRIMARY KEY (chain, governor, proposal_id)
);
CREATE INDEX proposals_created ON proposals (chain, created_block, created_log);
CREATE TRIGGER proposals_undo AFTER INSERT OR UPDATE OR DELETE ON proposals
    FOR EACH ROW EXECUTE FUNCTION record_undo('chain', 'governor', 'proposal_id');

-- ---------------------------------------------------------------- append-only tables

-- Currency and item transfers (mints from and burns to the zero address included).
CREATE TABLE transfers (
    chain        TEXT NOT NULL,
    block_number BIGINT NOT NULL,
    log_index    BIGINT NOT NULL,
    tx_hash      BYTEA NOT NULL,
    block_time   BIGINT NOT NULL,
    asset        TEXT NOT NULL CHECK (asset IN ('currency', 'item')),
    contract     BYTEA NOT NULL,
    from_address BYTEA NOT NULL,
    to_address   BYTEA NOT NULL,
    amount       NUMERIC(78, 0),                    -- currency
    token_id     NUMERIC(78, 0),                    -- item
    PRIMARY KEY (chain, block_number, log_index)
);
CREATE INDEX transfers_item ON transfers (chain, contract, token_id, block_number, log_index) WHERE asset = 'item';
CREATE INDEX transfers_from ON transfers (chain, from_address, block_number);
CREATE INDEX transfers_to ON transfers (chain, to_address, block_number);

-- Bids on English auctions.
CREATE TABLE bids (
    chain           TEXT NOT NULL,
    block_number    BIGINT NOT NULL,
    log_index       BIGINT NOT NULL,
    tx_hash         BYTEA NOT NULL,
    block_time      BIGINT NOT NULL,
    house           BYTEA NOT NULL,
    listing_id      NUMERIC(78, 0) NOT NULL,
    bidder          BYTEA NOT NULL,
    amount          NUMERIC(78, 0) NOT NULL,
    previous_bidder BYTEA NOT NULL,
    previous_amount NUMERIC(78, 0) NOT NULL,
    end_time        BIGINT NOT NULL,
    PRIMARY KEY (chain, block_number, log_index)
);
CREATE INDEX bids_listing ON bids (chain, listing_id, block_number, log_index);
CREATE INDEX bids_bidder ON bids (chain, bidder, block_number);

-- Sales, with what later slices need for prices and wash-trade rules: currency, block time, buyer, seller, class.
CREATE TABLE sales (
    chain            TEXT NOT NULL,
    block_number     BIGINT NOT NULL,
    log_index        BIGINT NOT NULL,
    tx_hash          BYTEA NOT NULL,
    block_time       BIGINT NOT NULL,
    house            BYTEA NOT NULL,
    listing_id       NUMERIC(78, 0) NOT NULL,
    kind             TEXT NOT NULL,
    seller           BYTEA NOT NULL,
    buyer            BYTEA NOT NULL,
    nft              BYTEA NOT NULL,
    token_id         NUMERIC(78, 0) NOT NULL,
    item_class       INT,                           -- the item's class at sale time (NULL for foreign NFTs)
    currency         BYTEA NOT NULL,
    price            NUMERIC(78, 0) NOT NULL,
    fee              NUMERIC(78, 0) NOT NULL,
    royalty          NUMERIC(78, 0) NOT NULL,
    royalty_receiver BYTEA NOT NULL,
    PRIMARY KEY (chain, block_number, log_index)
);
CREATE INDEX sales_item ON sales (chain, nft, token_id, block_number);
CREATE INDEX sales_class_time ON sales (chain, item_class, block_time);
CREATE INDEX sales_time ON sales (chain, block_time);

-- Votes cast.
CREATE TABLE votes (
    chain        TEXT NOT NULL,
    block_number BIGINT NOT NULL,
    log_index    BIGINT NOT NULL,
    tx_hash      BYTEA NOT NULL,
    block_time   BIGINT NOT NULL,
    governor     BYTEA NOT NULL,
    proposal_id  NUMERIC(78, 0) NOT NULL,
    voter        BYTEA NOT NULL,
    support      INT NOT NULL,                      -- 0 against, 1 for, 2 abstain
    weight       NUMERIC(78, 0) NOT NULL,
    reason       TEXT NOT NULL,
    PRIMARY KEY (chain, block_number, log_index)
);
CREATE INDEX votes_proposal ON votes (chain, proposal_id, block_number, log_index);

-- Every change of an economy parameter (EconomyConfig.ParameterChanged; addresses as their uint160 value).
CREATE TABLE parameter_changes (
    chain        TEXT NOT NULL,
    block_number BIGINT NOT NULL,
    log_index    BIGINT NOT NULL,
    tx_hash      BYTEA NOT NULL,
    block_time   BIGINT NOT NULL,
    name         TEXT NOT NULL,
    old_value    NUMERIC(78, 0) NOT NULL,
    new_value    NUMERIC(78, 0) NOT NULL,
    PRIMARY KEY (chain, block_number, log_index)
);
CREATE INDEX parameter_changes_name ON parameter_changes (chain, name, block_number, log_index);

-- Rollback deletes append-only rows above a block: (chain, block_number) leads every primary key above and the
-- blocks and raw_events keys, so those deletes are index range scans.
