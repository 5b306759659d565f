#!/usr/bin/env bash
# Builds the Anchor programs of a Cargo workspace to SBPF v3 ELF (<repo>/target/deploy/<lib name>.so) with the
# toolchain set up by setup-toolchain.sh (Debian sid chroot: rustc + upstream LLVM 23 + sbpf-linker).
#
# Usage: tools/sbf/build.sh <repo> [package...]   (default: every programs/*/ package with crate-type cdylib)
# Env:   SBF_HOME (default ~/.cache/mercato/sbf), SBF_TARGET_DIR (default $SBF_HOME/target, outside the checkout),
#        SBF_PROFILE (default release), SBF_VERBOSE=1, SBF_CLEAN=1 (remove the SBF target dir first),
#        SBF_LINK_EXTRA="extra sbpf-linker args" (debugging, e.g. --dump-module=<path>; paths as seen in the chroot,
#        where only the repo and the target dir are mounted)
#
# How: std for bpf comes from -Zbuild-std over a custom target (bpfel + os "zkvm", see sbf/bpfel-solana-zkvm.json)
# whose platform layer needs a few sys_* functions; those, memcpy & co. and 128-bit libcalls with LLVM's by-value
# ABI come from rt/ (compiled to bitcode here and handed to the linker), so the program crates need no change.
# Solana crates see target_os = "solana" through rustc-wrapper.sh. std's source in the chroot gets std-bpf.patch; a
# changed patch cleans the SBF target dir (cargo does not track std's sources).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SUPPORT=$HERE
SBF_HOME=${SBF_HOME:-$HOME/.cache/mercato/sbf}
CHROOT=$SBF_HOME/sid
PROFILE=${SBF_PROFILE:-release}

die() { echo "build-sbf: $*" >&2; exit 1; }
[[ $# -ge 1 ]] || die "usage: $0 <repo> [package...]"
REPO=$(cd "$1" && pwd) || die "no such repo: $1"
shift
[[ -f $REPO/Cargo.toml ]] || die "$REPO has no Cargo.toml"
[[ $(id -u) == 0 ]] || die "must run as root (chroot)"
[[ -x $CHROOT/opt/sbf/bin/sbpf-linker && -e $SBF_HOME/stamps/smoke ]] ||
    die "toolchain missing under $SBF_HOME: run $HERE/setup-toolchain.sh first"
for f in bpfel-solana-zkvm.json std-bpf.patch rustc-wrapper.sh rt/sbf_rt.rs rt/i128_abi.ll; do
    [[ -f $SUPPORT/$f ]] || die "missing $SUPPORT/$f"
done

# Packages: the given ones, or each programs/*/Cargo.toml that builds a cdylib.
PACKAGES=("$@")
if [[ ${#PACKAGES[@]} == 0 ]]; then
    for toml in "$REPO"/programs/*/Cargo.toml; do
        grep -q 'cdylib' "$toml" || continue
        PACKAGES+=("$(sed -n 's/^name = "\(.*\)"/\1/p' "$toml" | head -n1)")
    done
fi
[[ ${#PACKAGES[@]} -gt 0 ]] || die "no program packages found under $REPO/programs"

TARGET_DIR=${SBF_TARGET_DIR:-$SBF_HOME/target}
mkdir -p "$TARGET_DIR" "$REPO/target/deploy"
[[ ${SBF_CLEAN:-0} == 1 ]] && rm -rf "${TARGET_DIR:?}"/*

# Inside the chroot the repo and the target dir are bind-mounted at the same paths, the support files at
# /opt/sbf/support.
script=$(cat <<'INNER'
set -euo pipefail
S=/opt/sbf/support
LIB=$(rustc --print sysroot)/lib/rustlib/src/rust/library
TRIPLE=bpfel-solana-zkvm
cd "$REPO"

# 1. std patch. Applied in place to the chroot's rust-src (originals kept per rustc version in /opt/sbf/std-orig);
#    "applied" is checked by reverse-applying it, so an apt upgrade of rust-src or a changed patch re-applies it.
#    Each target dir remembers which patch + rustc its std was built with: cargo does not track std's sources.
want=$(sha256sum $S/std-bpf.patch | cut -c1-16)-$(rustc -vV | sha256sum | cut -c1-16)
ORIG=/opt/sbf/std-orig/$(rustc -vV | sha256sum | cut -c1-16)
if ! patch -p1 -d $LIB -R --dry-run --batch -s -f < $S/std-bpf.patch > /dev/null 2>&1; then
    echo "build-sbf: applying std-bpf.patch to $LIB"
    for f in $(sed -n 's|^+++ b/\([^[:space:]]*\).*|\1|p' $S/std-bpf.patch); do
        if [[ -f $ORIG/$f ]]; then cp $ORIG/$f $LIB/$f
        else mkdir -p $ORIG/$(dirname $f); cp $LIB/$f $ORIG/$f; fi
    done
    patch -p1 -d $LIB --forward --batch < $S/std-bpf.patch || { echo "build-sbf: std-bpf.patch does not apply to $LIB"; exit 1; }
fi
if [[ $(cat "$TARGET_DIR/std-key" 2>/dev/null) != "$want" ]]; then
    [[ -d $TARGET_DIR/$TRIPLE ]] && echo "build-sbf: std patch or rustc changed: cleaning $TARGET_DIR/$TRIPLE"
    rm -rf "$TARGET_DIR/$TRIPLE"
    echo "$want" > "$TARGET_DIR/std-key"
fi

# 2. runtime bitcode (sys_* shim, mem*, i128 libcalls), rebuilt when its sources change.
RT=$TARGET_DIR/sbf-rt
mkdir -p $RT
rt_key=$(cat $S/rt/sbf_rt.rs $S/rt/i128_abi.ll | sha256sum | cut -d' ' -f1)
if [[ ! -f $RT/solana_compiler_builtins.sbf_rt.bc || $(cat $RT/key 2>/dev/null) != "$rt_key" ]]; then
    echo "build-sbf: compiling runtime bitcode"
    rustc --edition 2024 --crate-type lib --crate-name sbf_rt --target bpfel-unknown-none -C opt-level=2 \
        -C panic=abort -C codegen-units=1 -C target-cpu=v4 --emit=llvm-bc -o $RT/rt.bc $S/rt/sbf_rt.rs
    llvm-as $S/rt/i128_abi.ll -o $RT/i128_abi.bc
    # The name contains "solana_compiler_builtins" because it plays that crate's role (mem*, i128 libcalls):
    # sbpf-linker recognizes it by name and does not warn that the crate is missing.
    llvm-link $RT/rt.bc $RT/i128_abi.bc -o $RT/solana_compiler_builtins.sbf_rt.bc
    undefined=$(llvm-nm --undefined-only $RT/solana_compiler_builtins.sbf_rt.bc | awk '{print $NF}')
    [[ -z $undefined ]] || { echo "build-sbf: runtime bitcode has undefined symbols: $undefined"; exit 1; }
    # cargo does not know about this link input: drop the linked programs so that cargo relinks them.
    rm -f "$TARGET_DIR/$TRIPLE"/*/deps/*.so "$TARGET_DIR/$TRIPLE"/*/*.so
    echo $rt_key > $RT/key
fi

# 3. cargo, one package at a time (a workspace build would unify features, e.g. turn on no-entrypoint via cpi).
LINK_ARGS=(--arch=v3 --deploy=false
    --llvm-args=--bpf-stack-size=4096,--disable-movsx,--disable-ldsx,--disable-bswap,--bpf-min-jump-table-entries=100000
    $RT/solana_compiler_builtins.sbf_rt.bc)
FLAGS=(-Zunstable-options -Cpanic=immediate-abort -Ctarget-cpu=v4 -Ctarget-feature=+allows-misaligned-mem-access)
for a in "${LINK_ARGS[@]}" ${SBF_LINK_EXTRA:-}; do FLAGS+=("-Clink-arg=$a"); done
export CARGO_ENCODED_RUSTFLAGS=$(IFS=$'\x1f'; echo "${FLAGS[*]}")
# std's build script reads CARGO_CFG_TARGET_OS, which is "solana,zkvm" here: without this it marks std restricted_std.
export RUSTC_BOOTSTRAP_SYNTHETIC_TARGET=1
export RUSTC_BOOTSTRAP=1 RUSTC_WRAPPER=$S/rustc-wrapper.sh CARGO_TARGET_DIR=$TARGET_DIR
locked=--locked
[[ ${SBF_UNLOCKED:-0} == 1 ]] && locked=
quiet=-q
[[ ${SBF_VERBOSE:-0} == 1 ]] && quiet=-v
for pkg in $PACKAGES; do
    start=$(date +%s%N)
    cargo build $quiet $locked --profile $PROFILE --target $S/$TRIPLE.json -Zbuild-std=std,panic_abort -Zjson-target-spec \
        -p $pkg --lib
    name=${pkg//-/_}
    for toml in programs/*/Cargo.toml; do  # [lib] name, if the package sets one
        if grep -q "^name = \"$pkg\"" $toml; then
            n=$(sed -n '/^\[lib\]/,/^\[/ s/^name = "\(.*\)"/\1/p' $toml); [[ -n $n ]] && name=$n
        fi
    done
    dir=$TARGET_DIR/$TRIPLE/$([[ $PROFILE == dev ]] && echo debug || echo $PROFILE)
    so=$dir/lib$name.so
    [[ -f $so ]] || { echo "build-sbf: $pkg built but $so is missing"; exit 1; }
    cp $so "$REPO/target/deploy/$name.so"
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
    printf 'build-sbf: %-20s -> target/deploy/%s.so  %7s bytes  %d.%02d s\n' "$pkg" "$name" "$(stat -c %s $so)" \
        $((ms / 1000)) $((ms % 1000 / 10))
done
INNER
)

export SCRIPT=$script PROFILE
unshare -m --propagation private -- /bin/bash -euo pipefail -c '
    CHROOT=$1 REPO=$2 SUPPORT=$3 TARGET_DIR=$4
    mount -t proc proc "$CHROOT/proc"
    mount --rbind /dev "$CHROOT/dev"
    mkdir -p "$CHROOT$REPO" "$CHROOT$TARGET_DIR" "$CHROOT/opt/sbf/support"
    mount --bind "$REPO" "$CHROOT$REPO"
    mount --bind "$TARGET_DIR" "$CHROOT$TARGET_DIR"
    mount --bind "$SUPPORT" "$CHROOT/opt/sbf/support"
    mount -o remount,bind,ro "$CHROOT/opt/sbf/support"
    shift 4
    exec chroot "$CHROOT" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
        PATH=/usr/lib/llvm-23/bin:/usr/local/bin:/usr/bin:/bin CARGO_HOME=/opt/sbf/cargo-home CARGO_TERM_COLOR=never \
        REPO="$REPO" TARGET_DIR="$TARGET_DIR" PROFILE="$PROFILE" PACKAGES="$*" \
        SBF_VERBOSE="${SBF_VERBOSE:-0}" SBF_UNLOCKED="${SBF_UNLOCKED:-0}" SBF_LINK_EXTRA="${SBF_LINK_EXTRA:-}" \
        /bin/bash -c "$SCRIPT"
' build-sbf "$CHROOT" "$REPO" "$SUPPORT" "$TARGET_DIR" "${PACKAGES[@]}"
