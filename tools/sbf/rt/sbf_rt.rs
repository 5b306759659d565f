//! sbf_rt: runtime support linked (as bitcode) into every program built by build-sbf.sh.
//!
//! * the `sys_*` functions that std's zkvm platform layer imports, mapped to Solana syscalls
//!   (log, abort) or to harmless constants (no args, no env, no stdin, no system allocator);
//! * memcpy/memmove/memset/memcmp/bcmp on top of Solana's sol_mem*_ syscalls;
//! * 128-bit integer helpers written with 64-bit operations only. They use plain u64 arguments, so
//!   their ABI is the same for rustc and for LLVM's own libcalls; `i128_abi.ll` turns them into
//!   `__multi3`, `__udivti3`, `__umodti3`, `__divti3`, `__modti3` with LLVM's by-value i128 convention.
//!
//! Compiled with Debian's prebuilt `core` for bpfel-unknown-none (package libstd-rust-dev-bpf).
//! Nothing here may panic: this crate's `core` is not the program's, so panic paths would be unresolved symbols
//! (build-sbf.sh checks that the compiled runtime has no undefined symbols besides the sys_* it defines).
#![no_std]
#![no_builtins]
#![allow(clippy::missing_safety_doc, non_snake_case)]

use core::mem::transmute;
use core::num::NonZeroU64;

/// u64 division and remainder without the divide-by-zero panic path (callers guarantee d != 0).
#[inline(always)]
fn div(n: u64, d: u64) -> u64 {
    n / unsafe { NonZeroU64::new_unchecked(d) }
}

#[inline(always)]
fn rem(n: u64, d: u64) -> u64 {
    n % unsafe { NonZeroU64::new_unchecked(d) }
}

// SBPF v3 static syscalls: `call imm` with imm = murmur3_32(name, seed 0).
const SOL_LOG: usize = 0x207559bd; // sol_log_(msg, len)
const ABORT: usize = 0xb6fc1a11; // abort()
const SOL_MEMCPY: usize = 0x717cc4a3; // sol_memcpy_(dst, src, n)
const SOL_MEMMOVE: usize = 0x434371f8; // sol_memmove_(dst, src, n)
const SOL_MEMSET: usize = 0x3770fb22; // sol_memset_(dst, c, n)
const SOL_MEMCMP: usize = 0x5fdcde31; // sol_memcmp_(a, b, n, *mut i32)

#[inline(always)]
fn sol_log(msg: *const u8, len: u64) {
    let f: extern "C" fn(*const u8, u64) = unsafe { transmute(SOL_LOG) };
    f(msg, len)
}

#[inline(always)]
fn sol_abort() -> ! {
    let f: extern "C" fn() -> ! = unsafe { transmute(ABORT) };
    f()
}

// ---------------------------------------------------------------------------------------------------------------
// std's zkvm platform layer (library/std/src/sys/pal/zkvm/abi.rs)

#[unsafe(no_mangle)]
pub extern "C" fn sys_halt() {
    sol_abort()
}

#[unsafe(no_mangle)]
pub extern "C" fn sys_output(_output_id: u32, _output_value: u32) {}

#[unsafe(no_mangle)]
pub extern "C" fn sys_sha_compress(_out: *mut u32, _in: *const u32, _b1: *const u32, _b2: *const u32) {
    sol_abort()
}

#[unsafe(no_mangle)]
pub extern "C" fn sys_sha_buffer(_out: *mut u32, _in: *const u32, _buf: *const u8, _count: u32) {
    sol_abort()
}

/// Deterministic "random" words: the SVM has no entropy source, and programs must be deterministic.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sys_rand(recv_buf: *mut u32, words: usize) {
    let mut x: u32 = 0x9e37_79b9;
    let mut i = 0;
    while i < words {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        unsafe { recv_buf.add(i).write_unaligned(x) };
        i += 1;
    }
}

#[unsafe(no_mangle)]
pub extern "C" fn sys_panic(msg_ptr: *const u8, len: usize) -> ! {
    sol_log(msg_ptr, len as u64);
    sol_abort()
}

#[unsafe(no_mangle)]
pub extern "C" fn sys_log(msg_ptr: *const u8, len: usize) {
    sol_log(msg_ptr, len as u64)
}

#[unsafe(no_mangle)]
pub extern "C" fn sys_cycle_count() -> usize {
    0
}

#[unsafe(no_mangle)]
pub extern "C" fn sys_read(_fd: u32, _recv_buf: *mut u8, _nrequested: usize) -> usize {
    0
}

/// stdout/stderr go to the program log.
#[unsafe(no_mangle)]
pub extern "C" fn sys_write(_fd: u32, write_buf: *const u8, nbytes: usize) {
    if nbytes != 0 {
        sol_log(write_buf, nbytes as u64)
    }
}

/// No environment: usize::MAX means "not set".
#[unsafe(no_mangle)]
pub extern "C" fn sys_getenv(_recv_buf: *mut u32, _words: usize, _varname: *const u8, _varname_len: usize) -> usize {
    usize::MAX
}

#[unsafe(no_mangle)]
pub extern "C" fn sys_argc() -> usize {
    0
}

#[unsafe(no_mangle)]
pub extern "C" fn sys_argv(_out_words: *mut u32, _out_nwords: usize, _arg_index: usize) -> usize {
    0
}

/// std's System allocator is not used (the entrypoint installs Solana's bump allocator); fail allocations.
#[unsafe(no_mangle)]
pub extern "C" fn sys_alloc_words(_nwords: usize) -> *mut u32 {
    core::ptr::null_mut()
}

#[unsafe(no_mangle)]
pub extern "C" fn sys_alloc_aligned(_nwords: usize, _align: usize) -> *mut u8 {
    core::ptr::null_mut()
}

// ---------------------------------------------------------------------------------------------------------------
// Memory functions on Solana's syscalls.

#[unsafe(no_mangle)]
pub unsafe extern "C" fn memcpy(dst: *mut u8, src: *const u8, n: usize) -> *mut u8 {
    // LLVM may emit memcpy(p, p, n); sol_memcpy_ rejects overlapping ranges.
    if n != 0 && dst as *const u8 != src {
        let f: extern "C" fn(*mut u8, *const u8, u64) = unsafe { transmute(SOL_MEMCPY) };
        f(dst, src, n as u64)
    }
    dst
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn memmove(dst: *mut u8, src: *const u8, n: usize) -> *mut u8 {
    if n != 0 && dst as *const u8 != src {
        let f: extern "C" fn(*mut u8, *const u8, u64) = unsafe { transmute(SOL_MEMMOVE) };
        f(dst, src, n as u64)
    }
    dst
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn memset(dst: *mut u8, c: i32, n: usize) -> *mut u8 {
    if n != 0 {
        let f: extern "C" fn(*mut u8, u8, u64) = unsafe { transmute(SOL_MEMSET) };
        f(dst, c as u8, n as u64)
    }
    dst
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn memcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
    let mut result: i32 = 0;
    if n != 0 {
        let f: extern "C" fn(*const u8, *const u8, u64, *mut i32) = unsafe { transmute(SOL_MEMCMP) };
        f(a, b, n as u64, &mut result)
    }
    result
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn bcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
    unsafe { memcmp(a, b, n) }
}

// ---------------------------------------------------------------------------------------------------------------
// 128-bit arithmetic with 64-bit operations. A 128-bit value is (lo, hi).

const M32: u64 = 0xffff_ffff;

/// Full 64x64 -> 128 product from 32-bit halves.
#[inline(always)]
fn mul_wide(x: u64, y: u64) -> (u64, u64) {
    let (x0, x1, y0, y1) = (x & M32, x >> 32, y & M32, y >> 32);
    let p00 = x0 * y0;
    let p01 = x0 * y1;
    let p10 = x1 * y0;
    let p11 = x1 * y1;
    let mid = (p00 >> 32) + (p01 & M32) + (p10 & M32);
    let lo = (p00 & M32) | (mid << 32);
    let hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
    (lo, hi)
}

/// (u1:u0) / v for u1 < v: returns (quotient, remainder). Long division in base 2^32 after normalizing v.
#[inline(always)]
fn div_128_by_64(u1: u64, u0: u64, v: u64) -> (u64, u64) {
    const B: u64 = 1 << 32;
    let s = v.leading_zeros();
    let v = v << s;
    let (vn1, vn0) = (v >> 32, v & M32);
    let un32 = if s == 0 { u1 } else { (u1 << s) | (u0 >> (64 - s)) };
    let un10 = u0 << s;
    let (un1, un0) = (un10 >> 32, un10 & M32);

    let mut q1 = div(un32, vn1);
    let mut rhat = un32 - q1 * vn1;
    while q1 >= B || q1 * vn0 > (rhat << 32) + un1 {
        q1 -= 1;
        rhat += vn1;
        if rhat >= B {
            break;
        }
    }
    let un21 = (un32 << 32).wrapping_add(un1).wrapping_sub(q1.wrapping_mul(v));

    let mut q0 = div(un21, vn1);
    let mut rhat = un21 - q0 * vn1;
    while q0 >= B || q0 * vn0 > (rhat << 32) + un0 {
        q0 -= 1;
        rhat += vn1;
        if rhat >= B {
            break;
        }
    }
    let r = (un21 << 32).wrapping_add(un0).wrapping_sub(q0.wrapping_mul(v)) >> s;
    ((q1 << 32) | q0, r)
}

#[inline(always)]
fn sub128(alo: u64, ahi: u64, blo: u64, bhi: u64) -> (u64, u64) {
    let (lo, borrow) = alo.overflowing_sub(blo);
    (lo, ahi.wrapping_sub(bhi).wrapping_sub(borrow as u64))
}

#[inline(always)]
fn ge128(alo: u64, ahi: u64, blo: u64, bhi: u64) -> bool {
    ahi > bhi || (ahi == bhi && alo >= blo)
}

#[inline(always)]
fn neg128(lo: u64, hi: u64) -> (u64, u64) {
    let lo2 = (!lo).wrapping_add(1);
    (lo2, (!hi).wrapping_add((lo2 == 0) as u64))
}

/// Unsigned 128-bit division: (qlo, qhi, rlo, rhi). Division by zero yields zeros (Rust checks before dividing).
#[inline(always)]
fn udivmod128(alo: u64, ahi: u64, blo: u64, bhi: u64) -> (u64, u64, u64, u64) {
    if bhi == 0 {
        if blo == 0 {
            return (0, 0, 0, 0);
        }
        if ahi < blo {
            let (q, r) = div_128_by_64(ahi, alo, blo);
            return (q, 0, r, 0);
        }
        let (qhi, r1) = (div(ahi, blo), rem(ahi, blo));
        let (qlo, r) = div_128_by_64(r1, alo, blo);
        return (qlo, qhi, r, 0);
    }
    if !ge128(alo, ahi, blo, bhi) {
        return (0, 0, alo, ahi);
    }
    // Divisor >= 2^64, so the quotient fits in 64 bits. Estimate it from the top 64 bits of the normalized
    // divisor and half the dividend, then correct by at most one.
    let s = bhi.leading_zeros();
    let v1 = if s == 0 { bhi } else { (bhi << s) | (blo >> (64 - s)) };
    let (u_lo, u_hi) = ((alo >> 1) | (ahi << 63), ahi >> 1);
    let (q1, _) = div_128_by_64(u_hi, u_lo, v1);
    let mut q = q1 >> (63 - s);
    if q != 0 {
        q -= 1;
    }
    let (plo, phi0) = mul_wide(q, blo);
    let phi = phi0.wrapping_add(q.wrapping_mul(bhi));
    let (mut rlo, mut rhi) = sub128(alo, ahi, plo, phi);
    if ge128(rlo, rhi, blo, bhi) {
        q += 1;
        (rlo, rhi) = sub128(rlo, rhi, blo, bhi);
    }
    (q, 0, rlo, rhi)
}

/// out[0..2] = low 128 bits of a * b.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn __sbf_mul128(alo: u64, ahi: u64, blo: u64, bhi: u64, out: *mut u64) {
    let (lo, hi) = mul_wide(alo, blo);
    let hi = hi.wrapping_add(alo.wrapping_mul(bhi)).wrapping_add(ahi.wrapping_mul(blo));
    unsafe {
        out.write(lo);
        out.add(1).write(hi);
    }
}

/// out[0..4] = (quotient lo, hi, remainder lo, hi), unsigned.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn __sbf_udivmod128(alo: u64, ahi: u64, blo: u64, bhi: u64, out: *mut u64) {
    let (qlo, qhi, rlo, rhi) = udivmod128(alo, ahi, blo, bhi);
    unsafe {
        out.write(qlo);
        out.add(1).write(qhi);
        out.add(2).write(rlo);
        out.add(3).write(rhi);
    }
}

/// out[0..4] = (quotient lo, hi, remainder lo, hi), signed (truncating, remainder has the dividend's sign).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn __sbf_divmod128(alo: u64, ahi: u64, blo: u64, bhi: u64, out: *mut u64) {
    let (an, bn) = ((ahi >> 63) != 0, (bhi >> 63) != 0);
    let (alo, ahi) = if an { neg128(alo, ahi) } else { (alo, ahi) };
    let (blo, bhi) = if bn { neg128(blo, bhi) } else { (blo, bhi) };
    let (mut qlo, mut qhi, mut rlo, mut rhi) = udivmod128(alo, ahi, blo, bhi);
    if an != bn {
        (qlo, qhi) = neg128(qlo, qhi);
    }
    if an {
        (rlo, rhi) = neg128(rlo, rhi);
    }
    unsafe {
        out.write(qlo);
        out.add(1).write(qhi);
        out.add(2).write(rlo);
        out.add(3).write(rhi);
    }
}
