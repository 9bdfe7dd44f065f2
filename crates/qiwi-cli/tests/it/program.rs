//! Running the `qiwi` binary from a test: an empty environment but for what the test sets.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Output, Stdio};

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

/// A `qiwi sandbox serve` process, stopped when dropped.
pub struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `qiwi sandbox serve` on a free loopback port: the process, and its ready document.
pub fn sandbox_serve() -> (Server, serde_json::Value) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_qiwi"))
        .args(["--json", "sandbox", "serve", "--listen", "127.0.0.1:0"])
        .env_clear()
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut text = String::new();
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        let line = line.unwrap();
        text.push_str(&line);
        if line == "}" {
            break;
        }
    }
    (Server(child), serde_json::from_str(&text).unwrap())
}
