//! The `qiwi` binary never prints a credential: not in help (whatever the variables hold), not
//! in a configuration error, not in an error from a server that reflects the request.

use std::process::{Command, Output};

use qiwi_transport::test_util::echo::{Body, EchoLog, json_escaped, leaks, xml_escaped};
use wiremock::matchers::{any, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn qiwi(args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qiwi"))
        .args(args)
        .env_clear()
        .envs(env.iter().copied())
        .output()
        .expect("the qiwi binary runs")
}

/// Everything the program printed.
fn printed(output: &Output) -> String {
    format!(
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Every variable the program reads, each set to a marker of its own.
const MARKED: [(&str, &str); 11] = [
    ("QIWI_TOKEN", "MARK-qiwi-token"),
    ("QIWI_WALLET", "MARK-qiwi-wallet"),
    ("QIWI_BASE_URL", "https://MARK-qiwi-base@host/?t=MARK"),
    ("QIWI_AGENT_URL", "https://MARK-agent-url@host/?t=MARK"),
    ("QIWI_AGENT_TERMINAL", "MARK-agent-terminal"),
    ("QIWI_AGENT_PASSWORD", "MARK-agent-password"),
    ("TREEZOR_BASE_URL", "https://MARK-treezor-base@host/?t=MARK"),
    ("TREEZOR_CLIENT_ID", "MARK-treezor-client-id"),
    ("TREEZOR_CLIENT_SECRET", "MARK-treezor-client-secret"),
    ("TREEZOR_WALLET_IDS", "MARK-treezor-wallet-ids"),
    ("TREEZOR_USER_ID", "MARK-treezor-user-id"),
];

/// The subcommands listed under `Commands:` in a help text.
fn subcommands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|line| !line.starts_with("Commands:"))
        .skip(1)
        .take_while(|line| !line.trim().is_empty())
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_owned)
        .collect()
}

#[test]
fn no_help_shows_the_value_of_a_variable() {
    let mut pending = vec![Vec::<String>::new()];
    let mut seen = 0;
    while let Some(command) = pending.pop() {
        let mut args: Vec<&str> = command.iter().map(String::as_str).collect();
        args.push("--help");
        let output = qiwi(&args, &MARKED);
        assert!(output.status.success(), "{args:?}: {}", printed(&output));
        let text = printed(&output);
        assert!(!text.contains("MARK"), "{args:?}: {text}");
        for name in subcommands(&text) {
            let mut sub = command.clone();
            sub.push(name);
            pending.push(sub);
        }
        seen += 1;
    }
    // The program, its five commands and their subcommands.
    assert!(seen > 15, "only {seen} help texts found");
}

#[test]
fn a_refused_setting_is_named_without_its_value() {
    // Every family configured for its command, each address on loopback where nothing
    // listens: a setting let through by mistake fails there, and nothing leaves the machine.
    let wallet = [
        ("QIWI_TOKEN", "0123456789abcdef"),
        ("QIWI_WALLET", "79111234567"),
        ("QIWI_BASE_URL", "http://127.0.0.1:9"),
    ];
    let agent = [
        ("QIWI_AGENT_TERMINAL", "44"),
        ("QIWI_AGENT_PASSWORD", "password"),
        ("QIWI_AGENT_URL", "http://127.0.0.1:9/xml/topup.jsp"),
    ];
    let treezor = [
        ("TREEZOR_BASE_URL", "http://127.0.0.1:9"),
        ("TREEZOR_CLIENT_ID", "id"),
        ("TREEZOR_CLIENT_SECRET", "secret"),
    ];
    let cases: [(&[&str], &str, &str); 11] = [
        (&["wallet", "accounts"], "QIWI_WALLET", "79MARK0000000"),
        (
            &["wallet", "accounts"],
            "QIWI_BASE_URL",
            "https://host/api?token=MARK",
        ),
        (
            &["wallet", "accounts"],
            "QIWI_BASE_URL",
            "http://user:MARK@example.com",
        ),
        (
            &["wallet", "accounts"],
            "QIWI_BASE_URL",
            "MARK-pasted-token",
        ),
        (
            &["agent", "ping"],
            "QIWI_AGENT_URL",
            "https://MARK@host/xml/topup.jsp",
        ),
        (
            &["agent", "ping"],
            "QIWI_AGENT_URL",
            "https://host/xml/topup.jsp#MARK",
        ),
        (
            &["agent", "ping"],
            "QIWI_AGENT_TERMINAL",
            "MARK-pasted-password",
        ),
        (
            &["treezor", "balances", "--wallet-id", "1"],
            "TREEZOR_BASE_URL",
            "ftp://host/?MARK",
        ),
        (
            &["treezor", "balances", "--wallet-id", "1"],
            "TREEZOR_BASE_URL",
            "MARK",
        ),
        (&["balances"], "TREEZOR_WALLET_IDS", "1,MARK-pasted-secret"),
        (&["balances"], "TREEZOR_USER_ID", "MARK-pasted-secret"),
    ];
    for (args, variable, value) in cases {
        let family: &[(&str, &str)] = match args[0] {
            "wallet" => &wallet,
            "agent" => &agent,
            _ => &treezor,
        };
        let mut env: Vec<(&str, &str)> = family
            .iter()
            .copied()
            .filter(|(name, _)| *name != variable)
            .collect();
        env.push((variable, value));
        let output = qiwi(args, &env);
        let text = printed(&output);
        assert_eq!(output.status.code(), Some(2), "{variable}={value}: {text}");
        assert!(text.contains(variable), "{variable}={value}: {text}");
        assert!(!text.contains("MARK"), "{variable}={value}: {text}");
    }
}

/// Visible ASCII (a header or a token answer carries no more) with every character an encoder
/// treats apart.
const TOKEN: &str = "t0k/en+\"&<>'\\%=~s3cret";
/// A password and a client secret with every character an encoder treats apart.
const PASSWORD: &str = "p@ss <&>\"'/\\é😀+%=word";
const CLIENT_ID: &str = "client-id/+é 42";
const ACCESS_TOKEN: &str = "runtime-access-token-42";

/// A server whose token endpoint hands out [`ACCESS_TOKEN`] and whose other endpoints answer
/// `status` with `body` of every request seen so far, reflected.
async fn echo_server(status: u16, body: Body, credentials: &[&str]) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_string(format!(
            r#"{{"access_token":"{ACCESS_TOKEN}","expires_in":3600}}"#
        )))
        .mount(&server)
        .await;
    let log = EchoLog::new(credentials);
    Mock::given(any())
        .respond_with(move |r: &Request| {
            let echo = log.reflect(r.method.as_str(), r.url.as_str(), &r.headers, &r.body);
            ResponseTemplate::new(status).set_body_string(body(&echo))
        })
        .mount(&server)
        .await;
    server
}

fn json_error(echo: &str) -> String {
    let e = json_escaped(echo);
    format!(r#"{{"userMessage":"{e}","errors":[{{"message":"{e}"}}]}}"#)
}

fn xml_error(echo: &str) -> String {
    format!(
        "<response><result-code fatal=\"false\" message=\"{}\">300</result-code></response>",
        xml_escaped(echo)
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn no_form_of_a_secret_reaches_stderr_from_an_echoing_server() {
    // (family, status, body); an undecodable 200 is shaped for the family's decoder to quote.
    let cases: [(&str, u16, Body); 9] = [
        ("wallet", 500, json_error),
        ("wallet", 403, json_error),
        ("wallet", 200, |e| {
            format!(r#"{{"accounts":"{}"}}"#, json_escaped(e))
        }),
        ("agent", 500, xml_error),
        ("agent", 403, xml_error),
        ("agent", 200, |e| {
            format!(
                "<response><balances><balance code=\"643\">{}</balance></balances></response>",
                xml_escaped(e)
            )
        }),
        ("treezor", 500, json_error),
        ("treezor", 403, json_error),
        ("treezor", 200, |e| {
            format!(r#"{{"balances":"{}"}}"#, json_escaped(e))
        }),
    ];
    let pair = format!("{CLIENT_ID}:{PASSWORD}");
    let secrets = [TOKEN, PASSWORD, CLIENT_ID, &pair, ACCESS_TOKEN];
    for (family, status, body) in cases {
        let (credentials, args): (&[&str], &[&str]) = match family {
            "wallet" => (&[TOKEN], &["wallet", "accounts"]),
            "agent" => (&[PASSWORD], &["agent", "ping"]),
            _ => (
                &[CLIENT_ID, PASSWORD],
                &["treezor", "balances", "--wallet-id", "1"],
            ),
        };
        let server = echo_server(status, body, credentials).await;
        let agent_url = format!("{}/xml/topup.jsp", server.uri());
        let env = [
            ("QIWI_TOKEN", TOKEN),
            ("QIWI_WALLET", "79111234567"),
            ("QIWI_BASE_URL", &server.uri()),
            ("QIWI_AGENT_TERMINAL", "44"),
            ("QIWI_AGENT_PASSWORD", PASSWORD),
            ("QIWI_AGENT_URL", &agent_url),
            ("TREEZOR_BASE_URL", &server.uri()),
            ("TREEZOR_CLIENT_ID", CLIENT_ID),
            ("TREEZOR_CLIENT_SECRET", PASSWORD),
        ];
        // Quiet, then with every log line the program and its crates can write.
        for logs in [None, Some("-vv"), Some("RUST_LOG=trace")] {
            let mut env = env.to_vec();
            let mut all = args.to_vec();
            match logs {
                Some("-vv") => all.insert(0, "-vv"),
                Some(_) => env.push(("RUST_LOG", "trace")),
                None => {}
            }
            let output = qiwi(&all, &env);
            let text = printed(&output);
            assert!(
                !output.status.success(),
                "{family} {status} {logs:?}: {text}"
            );
            assert!(
                leaks(&text, &secrets).is_empty(),
                "{family} {status} {logs:?}: {text}"
            );
            assert!(text.contains("[REDACTED]"), "{family} {status}: {text}");
            if logs.is_some() {
                assert!(text.contains("DEBUG"), "logs were written: {text}");
            }
        }
    }
}
