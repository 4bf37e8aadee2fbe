//! The binary's start-up: clear one-line errors and a non-zero exit, never a panic.

use std::process::Command;

fn run(args: &[&str], envs: &[(&str, &str)]) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_iom-lrg-api"))
        .args(args)
        .env_remove("DATABASE_URL")
        .env_remove("BIND_ADDR")
        .envs(envs.iter().copied())
        .output()
        .expect("the binary runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn assert_one_clear_line(stderr: &str, needle: &str) {
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("error: "))
        .collect();
    assert_eq!(errors.len(), 1, "{stderr}");
    assert!(errors[0].contains(needle), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn help_documents_every_subcommand_and_flag() {
    let output = Command::new(env!("CARGO_BIN_EXE_iom-lrg-api"))
        .arg("--help")
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success());
    for word in [
        "serve",
        "migrate",
        "openapi",
        "--bind",
        "--database-url",
        "--log-format",
        "BIND_ADDR",
        "DATABASE_URL",
        "IOM_LRG_LOG_FORMAT",
    ] {
        assert!(help.contains(word), "--help lacks {word}:\n{help}");
    }
}

#[test]
fn a_bad_database_url_stops_start_up_with_one_line() {
    let (code, stderr) = run(&["serve"], &[("DATABASE_URL", "mysql://localhost/x")]);
    assert_ne!(code, 0);
    assert_one_clear_line(&stderr, "invalid database URL");
}

#[test]
fn an_unreachable_postgresql_stops_start_up_with_one_line() {
    let (code, stderr) = run(
        &["--database-url", "postgres://app:secret@127.0.0.1:1/app"],
        &[],
    );
    assert_ne!(code, 0);
    assert_one_clear_line(&stderr, "cannot connect to PostgreSQL");
    assert!(
        !stderr.contains("secret"),
        "the password is not printed: {stderr}"
    );
}

#[test]
fn an_unwritable_data_folder_stops_start_up_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, b"").unwrap();
    let url = file.join("sub").join("db.sqlite");
    let (code, stderr) = run(&["--database-url", url.to_str().unwrap()], &[]);
    assert_ne!(code, 0);
    assert_one_clear_line(&stderr, "cannot create the data folder");
}

#[test]
fn a_taken_port_stops_start_up_with_one_line() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db.sqlite");
    let (code, stderr) = run(
        &[
            "--bind",
            &format!("127.0.0.1:{port}"),
            "--database-url",
            db.to_str().unwrap(),
        ],
        &[],
    );
    assert_ne!(code, 0);
    assert_one_clear_line(&stderr, "cannot listen on");
}

#[test]
fn migrate_creates_the_database_and_exits_zero() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("nested").join("db.sqlite");
    let (code, stderr) = run(&["migrate", "--database-url", db.to_str().unwrap()], &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(db.exists());
}
