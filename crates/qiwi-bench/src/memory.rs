//! Peak memory of a process making many calls: the benchmark binary runs itself again as a
//! child (hidden subcommand [`CHILD_COMMAND`]) against the sandbox the parent started, and reports the
//! child's peak resident set (`VmHWM`).

use std::process::{Command, Stdio};
use std::sync::Arc;

use crate::families::{Family, Sdk, Targets};
use crate::load::{self, Record};

/// The hidden subcommand that makes the binary a memory child.
pub const CHILD_COMMAND: &str = "memory-child";

/// What a memory child does.
#[derive(Debug, Clone, clap::Args)]
pub struct ChildArgs {
    /// Calls to make (the three families in turn).
    pub calls: usize,
    /// Calls in flight at a time.
    pub concurrency: usize,
    /// The sandbox's base URL.
    pub base_url: String,
    /// The sandbox's agent URL.
    pub agent_url: String,
}

impl ChildArgs {
    fn to_args(&self) -> Vec<String> {
        vec![
            CHILD_COMMAND.to_owned(),
            self.calls.to_string(),
            self.concurrency.to_string(),
            self.base_url.clone(),
            self.agent_url.clone(),
        ]
    }
}

/// The child's side: make the calls, then print `vmhwm_kib=<peak>` on standard output.
pub fn child_main(args: &ChildArgs) -> Result<String, String> {
    let runtime = crate::client_runtime()?;
    runtime.block_on(async {
        let targets = Targets {
            base_url: args.base_url.clone(),
            agent_url: args.agent_url.clone(),
        };
        let sdk = Arc::new(Sdk::new(&targets)?);
        let call = move |i: usize| {
            let sdk = sdk.clone();
            async move { sdk.call(Family::ALL[i % Family::ALL.len()]).await }
        };
        load::run(args.calls, args.concurrency, Record::Nothing, call).await
    })?;
    drop(runtime);
    let peak = status_kib("VmHWM")?;
    Ok(format!("vmhwm_kib={peak}"))
}

/// A `kB` field of `/proc/self/status`.
pub fn status_kib(field: &str) -> Result<u64, String> {
    let status = std::fs::read_to_string("/proc/self/status")
        .map_err(|e| format!("cannot read /proc/self/status: {e}"))?;
    parse_status_kib(&status, field).ok_or_else(|| format!("no {field} line in /proc/self/status"))
}

fn parse_status_kib(status: &str, field: &str) -> Option<u64> {
    status.lines().find_map(|line| {
        let rest = line.strip_prefix(field)?.strip_prefix(':')?;
        rest.trim().strip_suffix("kB")?.trim().parse().ok()
    })
}

/// Runs a child making `calls` calls and returns its peak resident memory in KiB.
pub fn measure(targets: &Targets, calls: usize, concurrency: usize) -> Result<u64, String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find this program: {e}"))?;
    let args = ChildArgs {
        calls,
        concurrency,
        base_url: targets.base_url.clone(),
        agent_url: targets.agent_url.clone(),
    };
    let output = Command::new(exe)
        .args(args.to_args())
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot start the memory child: {e}"))?;
    read_peak(&output, &format!("{calls} calls"))
}

/// The peak a memory child printed, or why there is none.
pub fn read_peak(output: &std::process::Output, what: &str) -> Result<u64, String> {
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(format!(
            "the memory child ({what}) failed ({}): {stdout}",
            output.status
        ));
    }
    stdout
        .lines()
        .find_map(|l| l.strip_prefix("vmhwm_kib="))
        .and_then(|v| v.trim().parse().ok())
        .ok_or_else(|| format!("the memory child printed no peak: {stdout}"))
}
