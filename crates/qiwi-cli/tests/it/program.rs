//! Running the `qiwi` binary from a test: an empty environment but for what the test sets.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Command, Output, Stdio};

use serde_json::Value;

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

/// A `qiwi --json sandbox serve` process on a free loopback port, stopped when dropped.
pub struct Served {
    child: Child,
    /// The document it printed once ready: its URLs and demo credentials.
    pub ready: Value,
}

impl Served {
    /// Starts it with `extra` arguments and waits for its ready document.
    pub fn start(extra: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_qiwi"))
            .args(["--json", "sandbox", "serve", "--listen", "127.0.0.1:0"])
            .args(extra)
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
        let ready = serde_json::from_str(&text).unwrap();
        Self { child, ready }
    }

    /// A text of the ready document, by JSON pointer.
    pub fn text(&self, pointer: &str) -> String {
        self.ready
            .pointer(pointer)
            .and_then(Value::as_str)
            .unwrap()
            .to_owned()
    }

    /// The environment of a QIWI Wallet command run as the demo wallet.
    pub fn wallet_env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("QIWI_BASE_URL", self.text("/base_url")),
            ("QIWI_TOKEN", self.text("/qiwi/token")),
            ("QIWI_WALLET", self.text("/qiwi/wallet")),
        ]
    }

    /// The environment of an agent command.
    pub fn agent_env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("QIWI_AGENT_URL", self.text("/agent/url")),
            ("QIWI_AGENT_TERMINAL", self.text("/agent/terminal_id")),
            ("QIWI_AGENT_PASSWORD", self.text("/agent/password")),
        ]
    }

    /// An admin route's JSON answer (`body` makes it a POST), over a plain loopback socket.
    pub fn admin(&self, path: &str, body: Option<&str>) -> Value {
        let base = self.text("/base_url");
        let host = base.trim_start_matches("http://").trim_end_matches('/');
        let mut stream = std::net::TcpStream::connect(host).unwrap();
        let request = match body {
            Some(body) => format!(
                "POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n\
                 Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            ),
            None => format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
        };
        stream.write_all(request.as_bytes()).unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        let (head, body) = answer.split_once("\r\n\r\n").unwrap();
        assert!(head.starts_with("HTTP/1.1 200"), "{answer}");
        serde_json::from_str(body).unwrap()
    }
}

impl Served {
    /// Stops it with SIGTERM, as a service manager does; whether it ended cleanly.
    pub fn terminate(mut self) -> bool {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        sent.success() && self.child.wait().unwrap().success()
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
