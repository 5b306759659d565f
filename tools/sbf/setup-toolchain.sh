#!/usr/bin/env bash
# Sets up an SBF (Solana SBPF v3) toolchain without Solana's platform-tools:
#   a Debian sid chroot (upstream LLVM 23, Debian's rustc + rust-src) and sbpf-linker 0.2.6 built against LLVM 23.
# Everything lives under $SBF_HOME (default ~/.cache/mercato/sbf, outside the checkout). Idempotent: each finished step leaves a
# stamp in $SBF_HOME/stamps and is skipped on re-runs; a failed step says which one and why, and is redone next run.
# Usage: tools/sbf/setup-toolchain.sh [--force STEP]   (STEP: one of the names printed below; removes its stamp first)
set -euo pipefail

SBF_HOME=${SBF_HOME:-$HOME/.cache/mercato/sbf}
CHROOT=$SBF_HOME/sid
STAMPS=$SBF_HOME/stamps
LOGS=$SBF_HOME/logs
HOSTTOOLS=$SBF_HOME/host-tools
TIMINGS=$LOGS/timings.txt
SBPF_LINKER_VERSION=0.2.6
BPF_LINKER_VERSION=0.13.0
# Paths inside the chroot.
IN_CARGO_HOME=/opt/sbf/cargo-home
IN_LINKER_SRC=/opt/sbf/linker-src
IN_LINKER_BIN=/opt/sbf/bin/sbpf-linker
SID_PACKAGES=(llvm-23-dev rustc cargo libstd-rust-dev-bpf rust-src gcc libc6-dev pkg-config libzstd-dev zlib1g-dev
              ca-certificates patch)

mkdir -p "$STAMPS" "$LOGS" "$HOSTTOOLS"
if [[ ${1:-} == --force && -n ${2:-} ]]; then rm -f "$STAMPS/$2"; fi

die() { echo "setup-toolchain: $*" >&2; exit 1; }
[[ $(id -u) == 0 ]] || die "must run as root (debootstrap, chroot, mount namespaces)"

# run_step NAME DESCRIPTION FUNCTION [KEY]: runs FUNCTION unless NAME is stamped (with the same KEY, if given);
# logs to $LOGS/NAME.log; times it.
run_step() {
    local name=$1 desc=$2 fn=$3 key=${4:-}
    if [[ -e $STAMPS/$name && $(head -n1 "$STAMPS/$name") == "key:$key" ]]; then
        echo "[skip] $name: $desc (done $(tail -n1 "$STAMPS/$name"))"
        return 0
    fi
    echo "[run ] $name: $desc (log: $LOGS/$name.log)"
    local start end rc=0
    start=$(date +%s)
    ( set -euo pipefail; "$fn" ) >"$LOGS/$name.log" 2>&1 || rc=$?
    end=$(date +%s)
    if [[ $rc != 0 ]]; then
        echo "[FAIL] step '$name' ($desc) failed with exit code $rc after $((end - start)) s. Last lines of $LOGS/$name.log:" >&2
        tail -n 25 "$LOGS/$name.log" | sed 's/^/    /' >&2
        exit 1
    fi
    echo "$name $((end - start))s $(date -u +%FT%TZ)" >>"$TIMINGS"
    printf 'key:%s\n%s\n' "$key" "$(date -u +%FT%TZ)" >"$STAMPS/$name"
    echo "[ ok ] $name in $((end - start)) s"
}

# in_chroot SCRIPT: runs a bash script inside the chroot, in a private mount namespace (mounts vanish on exit).
in_chroot() {
    local script=$1
    unshare -m --propagation private -- /bin/bash -euo pipefail -c '
        CHROOT=$1; script=$2
        mount -t proc proc "$CHROOT/proc"
        mount --rbind /dev "$CHROOT/dev"
        exec chroot "$CHROOT" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
            PATH=/usr/lib/llvm-23/bin:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin \
            CARGO_HOME='"$IN_CARGO_HOME"' CARGO_TERM_COLOR=never CARGO_NET_RETRY=5 \
            /bin/bash -euo pipefail -c "$script"
    ' in_chroot "$CHROOT" "$script"
}

# The Debian mirror the host uses (first non-security deb URI), reused for sid.
host_mirror() {
    local m
    m=$( { grep -hE '^\s*URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}';
           grep -hE '^\s*deb\s' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
               sed -E 's/^\s*deb\s+(\[[^]]*\]\s+)?//' | awk '{print $1}'; } |
         grep -E '/debian/?$' | grep -v security | head -n1 || true)
    echo "${m%/}"
}
MIRROR=${SBF_MIRROR:-$(host_mirror)}
[[ -n $MIRROR ]] || die "could not find the host's Debian mirror in /etc/apt/sources.list*; set SBF_MIRROR"

# --- step 1: debootstrap (extracted from the host's apt repo, not installed on the host) -------------------------
step_host_tools() {
    command -v unshare chroot mount >/dev/null || { echo "need unshare/chroot/mount (util-linux, coreutils)"; exit 1; }
    local dl=$HOSTTOOLS/dl
    rm -rf "$dl" "$HOSTTOOLS/debootstrap"; mkdir -p "$dl"
    (cd "$dl" && apt-get download debootstrap) || { echo "apt-get download debootstrap failed (host apt index stale? run apt-get update)"; exit 1; }
    dpkg-deb -x "$dl"/debootstrap_*.deb "$HOSTTOOLS/debootstrap"
    test -x "$HOSTTOOLS/debootstrap/usr/sbin/debootstrap"
    test -e "$HOSTTOOLS/debootstrap/usr/share/debootstrap/scripts/sid"
    echo "mirror: $MIRROR"
    curl -fsS -m 60 -o /dev/null "$MIRROR/dists/sid/Release" || { echo "sid not reachable at $MIRROR/dists/sid/Release"; exit 1; }
}

# --- step 2: minimal sid chroot ---------------------------------------------------------------------------------
step_debootstrap() {
    if [[ -d $CHROOT ]]; then
        echo "removing incomplete chroot $CHROOT"
        if grep -q " $CHROOT/" /proc/mounts; then echo "something is mounted under $CHROOT; unmount it first"; exit 1; fi
        rm -rf "$CHROOT"
    fi
    local keyring=/usr/share/keyrings/debian-archive-keyring.gpg
    local gpg=(--keyring="$keyring")
    [[ -r $keyring ]] || gpg=(--no-check-gpg)
    DEBOOTSTRAP_DIR=$HOSTTOOLS/debootstrap/usr/share/debootstrap \
        "$HOSTTOOLS/debootstrap/usr/sbin/debootstrap" --variant=minbase "${gpg[@]}" sid "$CHROOT" "$MIRROR"
}

# --- step 3: chroot configuration: apt sources, expired-index tolerance, DNS, host CA certificates ----------------
step_chroot_config() {
    echo "deb $MIRROR sid main" >"$CHROOT/etc/apt/sources.list"
    rm -f "$CHROOT"/etc/apt/sources.list.d/*.sources
    cat >"$CHROOT/etc/apt/apt.conf.d/99sbf" <<'EOF'
Acquire::Check-Valid-Until "false";
APT::Install-Recommends "false";
APT::Install-Suggests "false";
Dpkg::Use-Pty "false";
EOF
    cp -L /etc/resolv.conf "$CHROOT/etc/resolv.conf"
    [[ -r /etc/ssl/certs/ca-certificates.crt ]] || { echo "host has no /etc/ssl/certs/ca-certificates.crt"; exit 1; }
    # Host CAs (the registry proxy's certificate is trusted there); installed as a local CA so that
    # ca-certificates in the chroot keeps it when it regenerates its bundle.
    mkdir -p "$CHROOT/usr/local/share/ca-certificates" "$CHROOT/etc/ssl/certs"
    cp /etc/ssl/certs/ca-certificates.crt "$CHROOT/usr/local/share/ca-certificates/host-bundle.crt"
    cp /etc/ssl/certs/ca-certificates.crt "$CHROOT/etc/ssl/certs/ca-certificates.crt"
}

# --- step 4: LLVM 23, rustc, cargo, rust-src from sid -----------------------------------------------------------
step_apt() {
    in_chroot "
        export DEBIAN_FRONTEND=noninteractive
        apt-get -o Acquire::Check-Valid-Until=false update
        apt-get -o Acquire::Check-Valid-Until=false install -y --no-install-recommends ${SID_PACKAGES[*]}
        apt-get clean
        # ca-certificates regenerated the bundle: make sure the host's CAs are (still) in it.
        cat /usr/local/share/ca-certificates/host-bundle.crt >> /etc/ssl/certs/ca-certificates.crt
        test -x /usr/lib/llvm-23/bin/llvm-config
        echo \"llvm: \$(/usr/lib/llvm-23/bin/llvm-config --version)\"; rustc --version; cargo --version
        test -d /usr/lib/rustlib/src/rust/library/std || ls /usr/lib/rustlib/src/rust/library
    "
}

# --- step 5: fetch sbpf-linker + bpf-linker sources (a throwaway crate makes cargo download both) ----------------
step_fetch_linker() {
    in_chroot "
        rm -rf /opt/sbf/fetch; mkdir -p /opt/sbf/fetch/src
        cd /opt/sbf/fetch
        cat > Cargo.toml <<'EOF'
[package]
name = \"sbf-linker-fetch\"
version = \"0.0.0\"
edition = \"2021\"
publish = false

[dependencies]
sbpf-linker = { version = \"=$SBPF_LINKER_VERSION\", default-features = false }
bpf-linker = { version = \"=$BPF_LINKER_VERSION\", default-features = false, features = [\"llvm-23\"] }
EOF
        touch src/lib.rs
        cargo fetch
        reg=\$(ls -d $IN_CARGO_HOME/registry/src/*/ | head -n1)
        rm -rf $IN_LINKER_SRC; mkdir -p $IN_LINKER_SRC
        cp -r \$reg/sbpf-linker-$SBPF_LINKER_VERSION $IN_LINKER_SRC/sbpf-linker
        cp -r \$reg/bpf-linker-$BPF_LINKER_VERSION $IN_LINKER_SRC/bpf-linker
        ls $IN_LINKER_SRC
    "
}

# --- step 6: patch + build sbpf-linker against the chroot's LLVM 23 ---------------------------------------------
step_build_linker() {
    in_chroot "
        cd $IN_LINKER_SRC
        # bpf-linker: add LLVM's lower-atomic to the pass pipeline (BPF cannot select e.g. atomicrmw xchg on bool).
        f=bpf-linker/src/llvm/mod.rs
        if ! grep -q '\"lower-atomic\"' \$f; then
            grep -q '^        \"dce\",\$' \$f || { echo 'bpf-linker pass list not found in '\$f' (source changed?)'; exit 1; }
            sed -i 's/^        \"dce\",\$/        \"dce\",\\n        \"lower-atomic\",/' \$f
        fi
        grep -n -A1 '\"dce\",' \$f
        # sbpf-linker: use the local bpf-linker with the system LLVM 23 (feature llvm-23) instead of rust-llvm.
        cd sbpf-linker
        if ! grep -q '^\[patch.crates-io\]' Cargo.toml; then
            sed -i '/^\[dependencies.bpf-linker\]/,/^\[/ s/^default-features = false\$/default-features = false\nfeatures = [\"llvm-23\"]/' Cargo.toml
            printf '\n[patch.crates-io]\nbpf-linker = { path = \"../bpf-linker\" }\n' >> Cargo.toml
        fi
        sed -n '/^\[dependencies.bpf-linker\]/,/^\$/p' Cargo.toml
        export LLVM_SYS_231_PREFIX=/usr/lib/llvm-23 LLVM_SYS_230_PREFIX=/usr/lib/llvm-23
        cargo build --release --no-default-features --bin sbpf-linker -j\$(nproc)
        mkdir -p \$(dirname $IN_LINKER_BIN)
        cp target/release/sbpf-linker $IN_LINKER_BIN
        $IN_LINKER_BIN --version
        rm -rf target  # ~300 MB of intermediate files
    "
}

# --- step 7: smoke test: the linker runs and reports LLVM 23; build-std sources exist ---------------------------
step_smoke() {
    in_chroot "
        $IN_LINKER_BIN --version | tee /dev/stderr | grep -q 'LLVM 23'
        rustc --version
        test -f \$(rustc --print sysroot)/lib/rustlib/src/rust/library/std/Cargo.toml || { echo 'rust-src missing'; exit 1; }
    "
}

run_step host-tools   "debootstrap from the host's apt repo + mirror check ($MIRROR)" step_host_tools
run_step debootstrap  "debootstrap --variant=minbase sid $CHROOT"                  step_debootstrap
run_step chroot-config "apt sources, Check-Valid-Until=false, resolv.conf, host CA certificates" step_chroot_config
run_step apt          "apt-get install ${SID_PACKAGES[*]}"                           step_apt "${SID_PACKAGES[*]}"
run_step fetch-linker "cargo fetch sbpf-linker $SBPF_LINKER_VERSION + bpf-linker $BPF_LINKER_VERSION" step_fetch_linker "$SBPF_LINKER_VERSION $BPF_LINKER_VERSION"
run_step build-linker "build sbpf-linker with bpf-linker/llvm-23 + lower-atomic"    step_build_linker "$SBPF_LINKER_VERSION $BPF_LINKER_VERSION"
run_step smoke        "linker --version reports LLVM 23, rust-src present"           step_smoke

echo "toolchain ready: chroot $CHROOT, linker $CHROOT$IN_LINKER_BIN ($(du -sh "$SBF_HOME" 2>/dev/null | cut -f1) under $SBF_HOME)"
