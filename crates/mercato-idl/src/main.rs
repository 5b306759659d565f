//! `mercato-idl`: builds the Anchor IDL of every Mercato program and writes it to `idl/<program>.json`.
//!
//! The anchor CLI builds IDLs by running each program's `idl-build` feature through `cargo test`; this binary does
//! the same through anchor's own `anchor-lang-idl` builder, so the CLI is not needed.
//!
//! ```text
//! cargo run -p mercato-idl            # regenerate idl/*.json
//! cargo run -p mercato-idl -- --check # fail if a committed IDL differs from the programs (CI)
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

const PROGRAMS: &[&str] = &["mercato-token", "mercato-items", "mercato-auction", "mercato-governance"];

fn main() -> ExitCode {
    // anchor-lang-idl 0.1.4 turns a set RUSTUP_TOOLCHAIN (cargo sets it for `cargo run`) into the literal argument
    // "+{toolchain}", which rustup rejects. Run again without it: the toolchain is the one cargo already picked.
    if std::env::var_os("RUSTUP_TOOLCHAIN").is_some() {
        let status = std::process::Command::new(std::env::current_exe().expect("own path"))
            .args(std::env::args_os().skip(1))
            .env_remove("RUSTUP_TOOLCHAIN")
            .status()
            .expect("re-run without RUSTUP_TOOLCHAIN");
        return if status.success() { ExitCode::SUCCESS } else { ExitCode::FAILURE };
    }
    let check = std::env::args().any(|a| a == "--check");
    let root = repo_root();
    let out_dir = root.join("idl");
    let mut stale = Vec::new();
    for program in PROGRAMS {
        let path = root.join("programs").join(program);
        eprintln!("building the IDL of {program}");
        let idl = match anchor_lang_idl::build::IdlBuilder::new().program_path(path).build() {
            Ok(idl) => idl,
            Err(e) => {
                eprintln!("error: IDL build of {program} failed: {e:#}");
                return ExitCode::FAILURE;
            }
        };
        let json = serde_json::to_string_pretty(&idl).expect("an IDL serializes") + "\n";
        let file: PathBuf = out_dir.join(format!("{}.json", program.replace('-', "_")));
        let current = std::fs::read_to_string(&file).unwrap_or_default();
        if check {
            if current != json {
                stale.push(file.display().to_string());
            }
        } else if current != json {
            std::fs::create_dir_all(&out_dir).expect("idl/ can be created");
            std::fs::write(&file, json).expect("the IDL can be written");
            eprintln!("wrote {}", file.display());
        }
    }
    if !stale.is_empty() {
        eprintln!("error: IDLs out of date (run `cargo run -p mercato-idl` and commit): {}", stale.join(", "));
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// The repository root: the first ancestor of the running package's directory (`CARGO_MANIFEST_DIR`, which cargo
/// sets when it runs tests and binaries; else the working directory) holding `Cargo.lock`. Looked up at run time on
/// purpose: cargo reuses a path crate's build across checkouts that share a target directory, so a path baked in
/// with `env!` can point into another checkout.
fn repo_root() -> PathBuf {
    let start = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::current_dir().expect("a working directory"));
    start
        .ancestors()
        .find(|dir| dir.join("Cargo.lock").exists())
        .unwrap_or_else(|| panic!("no Cargo.lock above {}: run inside the Mercato repository", start.display()))
        .to_owned()
}
