//! `emit_event!`: Anchor events that reach the transaction log on Solana *and* in native test runs.
//!
//! On Solana, Anchor's `emit!` writes the event with the `sol_log_data` syscall, which the runtime logs as
//! `Program data: <base64>`. Compiled for the host, anchor-lang 1.2 turns that call into a no-op, and
//! solana-program-test's host syscall stubs only forward plain `sol_log` messages to the transaction log. So off
//! Solana this macro logs the same base64 payload as the message `Program data: <base64>`, which the log shows as
//! `Program log: Program data: <base64>`; the native test backend strips the `Program log: ` prefix from exactly
//! those lines. On Solana the macro is exactly `emit!`.

pub use anchor_lang;

/// Emits an Anchor event (`#[event]` struct) into the transaction log, natively as on Solana.
#[macro_export]
macro_rules! emit_event {
    ($event:expr) => {{
        #[cfg(target_os = "solana")]
        {
            $crate::anchor_lang::prelude::emit!($event);
        }
        #[cfg(not(target_os = "solana"))]
        {
            $crate::log_event_natively(&$crate::anchor_lang::Event::data(&$event));
        }
    }};
}

/// Host-build half of [`emit_event!`]: writes `Program data: <base64 of data>` through the runtime's log stub.
#[cfg(not(target_os = "solana"))]
pub fn log_event_natively(data: &[u8]) {
    use base64::Engine;
    let encoded = base64::engine::general_purpose::STANDARD.encode(data);
    anchor_lang::compat::solana_sysvar::program_stubs::sol_log(&format!("Program data: {encoded}"));
}
