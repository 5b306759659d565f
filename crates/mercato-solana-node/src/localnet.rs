//! Well-known localnet keypairs, like anvil's test accounts: derived from fixed, public seeds, so every tool on the
//! machine (the stack, the relayer, the tests) can sign as these roles without passing key files around.
//!
//! They hold nothing of value and must never be used on a real cluster: anybody can derive them.

use solana_keypair::Keypair;

/// Sends the initialization transactions and pays for the accounts.
pub fn deployer() -> Keypair {
    Keypair::new_from_array(*b"mercato localnet deployer key 01")
}

/// The game server: grants rewards and mints items.
pub fn game_server() -> Keypair {
    Keypair::new_from_array(*b"mercato localnet game server 001")
}

/// Holds the genesis supply and receives royalties (the studio's wallet).
pub fn genesis_holder() -> Keypair {
    Keypair::new_from_array(*b"mercato localnet genesis holder1")
}

/// Demo trader `n` (0..=9) of the local stack's demo economy: a wallet user with SOL and currency.
pub fn demo_trader(n: u8) -> Keypair {
    let mut seed = *b"mercato localnet demo trader 000";
    seed[31] = b'0' + n % 10;
    Keypair::new_from_array(seed)
}
