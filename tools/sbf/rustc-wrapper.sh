#!/bin/bash
# RUSTC_WRAPPER for SBF builds: crates compiled for the SBF target (and cargo's `--print cfg` query for it) also see
# `target_os = "solana"` and `target_feature = "static-syscalls"`, as Solana crates expect. std and its
# dependencies (-Zbuild-std: sources under the sysroot's library/, or feature rustc-dep-of-std) see only the
# real `target_os = "zkvm"`, so that std's build script and platform selection are unaffected. Host crates (build scripts, proc macros) are untouched.
rustc=$1
shift
for arg in "$@"; do
    case $arg in
    */lib/rustlib/src/rust/library/* | 'feature="rustc-dep-of-std"') exec "$rustc" "$@" ;;
    esac
done
for arg in "$@"; do
    case $arg in
    --target | --target=*)
        exec "$rustc" "$@" --cfg 'target_os="solana"' --cfg 'target_feature="static-syscalls"' \
            -A explicit_builtin_cfgs_in_flags
        ;;
    esac
done
exec "$rustc" "$@"
