//! A real cluster starts, serves a database, and is gone after drop.

use mercato_postgres::LocalPostgres;
use std::process::Command;

fn psql(url: &str, sql: &str) -> std::process::Output {
    Command::new("psql").args([url, "-tAq", "-v", "ON_ERROR_STOP=1", "-c", sql]).output().expect("psql runs")
}

#[test]
fn starts_serves_and_stops() {
    let pg = LocalPostgres::start().expect("postgres starts");
    let url = pg.create_database("cluster_test").unwrap();
    let out = psql(&url, "CREATE TABLE t (x int); INSERT INTO t VALUES (41), (1); SELECT sum(x) FROM t;");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "42");
    assert!(pg.create_database("cluster_test").is_err(), "a duplicate database is an error");
    drop(pg);
    assert!(!psql(&url, "SELECT 1").status.success(), "the server is gone");
}
