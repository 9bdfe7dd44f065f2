//! Running the `qiwi` binary from a test: an empty environment but for what the test sets.

use std::process::{Command, Output};

/// `qiwi ARGS` with only `env` set; waits for it to end.
pub fn qiwi(args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qiwi"))
        .args(args)
        .env_clear()
        .envs(env.iter().copied())
        .output()
        .expect("the qiwi binary runs")
}

/// [`qiwi`] with owned values, as tests that build their settings hold them.
pub fn qiwi_owned(args: &[&str], env: &[(&str, String)]) -> Output {
    let env: Vec<(&str, &str)> = env
        .iter()
        .map(|(name, value)| (*name, value.as_str()))
        .collect();
    qiwi(args, &env)
}

/// [`qiwi`] off the runtime's threads, so that an in-process sandbox keeps answering.
pub async fn qiwi_async(args: &[&str], env: &[(&'static str, String)]) -> Output {
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let env = env.to_vec();
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        qiwi_owned(&args, &env)
    })
    .await
    .unwrap()
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}
