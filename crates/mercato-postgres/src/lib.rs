//! A throwaway Postgres cluster for tests: `initdb` into a temporary directory, `pg_ctl start` on a free port bound
//! to 127.0.0.1 only (trust authentication, no Unix socket outside the data directory), `pg_ctl stop` on drop.
//!
//! Postgres refuses to run as root; when this process is root the server commands run as the `postgres` user via
//! `runuser`. The binaries come from `MERCATO_PG_BIN`, else the newest `/usr/lib/postgresql/<version>/bin`
//! (Debian's `postgresql` package; `./mercato setup` installs it).

use std::net::{Ipv4Addr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Why the cluster could not be started.
#[derive(Debug, thiserror::Error)]
pub enum PostgresError {
    /// No Postgres binaries were found.
    #[error("no Postgres binaries: install Debian's postgresql package (./mercato setup) or set MERCATO_PG_BIN")]
    NoBinaries,
    /// A command could not run or failed.
    #[error("{command} failed: {detail}")]
    Command {
        /// The command line.
        command: String,
        /// Its output or the spawn error.
        detail: String,
    },
    /// File-system trouble.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// A running cluster; dropping it stops the server and removes its data.
pub struct LocalPostgres {
    bin: PathBuf,
    data: tempfile::TempDir,
    port: u16,
}

impl LocalPostgres {
    /// Creates and starts a fresh cluster.
    pub fn start() -> Result<Self, PostgresError> {
        let bin = bin_dir()?;
        let data = tempfile::Builder::new().prefix("mercato-pg-").tempdir()?;
        let as_root = is_root();
        if as_root {
            run(Command::new("chown").args(["-R", "postgres:postgres"]).arg(data.path()))?;
        }
        let pgdata = data.path().join("data");
        let server = |program: &str| server_command(&bin.join(program), as_root);
        run(server("initdb")
            .args(["--auth=trust", "--username=postgres", "--encoding=UTF8", "--no-sync", "-D"])
            .arg(&pgdata))?;
        let port = free_port()?;
        let options = format!(
            "-p {port} -c listen_addresses=127.0.0.1 -k {} -c fsync=off -c max_connections=200",
            data.path().display()
        );
        let log = data.path().join("server.log");
        run(server("pg_ctl")
            .args(["-w", "-t", "60", "-D"])
            .arg(&pgdata)
            .arg("-l")
            .arg(&log)
            .args(["-o", &options, "start"]))
        .map_err(|e| with_log(e, &log))?;
        Ok(Self { bin, data, port })
    }

    /// The server's process id (its postmaster; backends are its children), from `postmaster.pid`.
    pub fn pid(&self) -> Option<u32> {
        let text = std::fs::read_to_string(self.data.path().join("data/postmaster.pid")).ok()?;
        text.lines().next()?.trim().parse().ok()
    }

    /// The server's port on 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// A connection URL for database `database` as the `postgres` superuser.
    pub fn url(&self, database: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{database}", self.port)
    }

    /// Creates database `name` (letters, digits and `_` only) and returns its URL.
    pub fn create_database(&self, name: &str) -> Result<String, PostgresError> {
        assert!(name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'), "database name {name:?}");
        run(Command::new("psql")
            .arg(self.url("postgres"))
            .args(["-q", "-v", "ON_ERROR_STOP=1", "-c"])
            .arg(format!("CREATE DATABASE {name}")))?;
        Ok(self.url(name))
    }
}

impl Drop for LocalPostgres {
    fn drop(&mut self) {
        let pgdata = self.data.path().join("data");
        let _ = server_command(&self.bin.join("pg_ctl"), is_root())
            .args(["-w", "-m", "immediate", "-D"])
            .arg(&pgdata)
            .arg("stop")
            .output();
    }
}

fn bin_dir() -> Result<PathBuf, PostgresError> {
    if let Some(dir) = std::env::var_os("MERCATO_PG_BIN") {
        return Ok(PathBuf::from(dir));
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .map_err(|_| PostgresError::NoBinaries)?
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let version = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            bin.join("pg_ctl").exists().then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin).ok_or(PostgresError::NoBinaries)
}

fn is_root() -> bool {
    // The effective uid, without libc: /proc/self/status has "Uid: real effective saved fs".
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| status.lines().find(|l| l.starts_with("Uid:")).map(str::to_owned))
        .and_then(|line| line.split_whitespace().nth(2).map(|uid| uid == "0"))
        .unwrap_or(false)
}

fn server_command(program: &Path, as_root: bool) -> Command {
    if as_root {
        let mut command = Command::new("runuser");
        command.args(["-u", "postgres", "--"]).arg(program);
        command
    } else {
        Command::new(program)
    }
}

fn free_port() -> Result<u16, PostgresError> {
    Ok(TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?.local_addr()?.port())
}

fn run(command: &mut Command) -> Result<(), PostgresError> {
    let line = format!("{command:?}");
    let output =
        command.output().map_err(|e| PostgresError::Command { command: line.clone(), detail: e.to_string() })?;
    if output.status.success() {
        return Ok(());
    }
    let detail = format!(
        "{}\n{}{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    Err(PostgresError::Command { command: line, detail })
}

fn with_log(error: PostgresError, log: &Path) -> PostgresError {
    match error {
        PostgresError::Command { command, detail } => {
            let log = std::fs::read_to_string(log).unwrap_or_default();
            PostgresError::Command { command, detail: format!("{detail}\nserver log:\n{log}") }
        }
        other => other,
    }
}
