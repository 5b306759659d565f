-- Daily gas budgets as counters, reserved atomically when a request is accepted (the gas limit) and settled to the
-- gas used when it is final. Principal '*' is the relayer-wide budget.
CREATE TABLE gas_budgets (
    principal TEXT NOT NULL,
    day       DATE NOT NULL,
    reserved  BIGINT NOT NULL,
    PRIMARY KEY (principal, day)
);
