//! End-to-end tests of Mercato; the tests live in `tests/` (one binary per area), this library is empty.
