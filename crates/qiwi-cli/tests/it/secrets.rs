//! The `qiwi` binary never prints a credential: not in help (whatever the variables hold), not
//! in a configuration error, not in an error from a server that reflects the request, not in
//! what the HTTP/2 and TLS crates log.

use crate::program;

use std::process::Output;

use program::{qiwi, qiwi_owned};

use qiwi_transport::test_util::echo::{Body, EchoLog, json_escaped, leaks, xml_escaped};
use wiremock::matchers::{any, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// Everything the program printed.
fn printed(output: &Output) -> String {
    format!(
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Every variable the program reads, each set to a marker of its own.
const MARKED: [(&str, &str); 12] = [
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
    ("QIWI_CA_FILE", "MARK-ca-file"),
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
    let cases: [(&[&str], &str, &str); 13] = [
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
        (&["agent", "ping"], "QIWI_CA_FILE", "MARK-pasted-secret"),
        (
            &["wallet", "accounts"],
            "QIWI_CA_FILE",
            concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"),
        ),
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

/// The credentials a server reflecting a family's calls shows in Base64, and the command.
fn family_call(family: &str) -> (&'static [&'static str], &'static [&'static str]) {
    match family {
        "wallet" => (&[TOKEN], &["wallet", "accounts"]),
        "agent" => (&[PASSWORD], &["agent", "ping"]),
        _ => (
            &[CLIENT_ID, PASSWORD],
            &["treezor", "balances", "--wallet-id", "1"],
        ),
    }
}

/// Every family's settings, each pointed at `base`.
fn family_env(base: &str) -> Vec<(&'static str, String)> {
    vec![
        ("QIWI_TOKEN", TOKEN.into()),
        ("QIWI_WALLET", "79111234567".into()),
        ("QIWI_BASE_URL", base.into()),
        ("QIWI_AGENT_TERMINAL", "44".into()),
        ("QIWI_AGENT_PASSWORD", PASSWORD.into()),
        ("QIWI_AGENT_URL", format!("{base}/xml/topup.jsp")),
        ("TREEZOR_BASE_URL", base.into()),
        ("TREEZOR_CLIENT_ID", CLIENT_ID.into()),
        ("TREEZOR_CLIENT_SECRET", PASSWORD.into()),
    ]
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
        let (credentials, args) = family_call(family);
        let server = echo_server(status, body, credentials).await;
        let env = family_env(&server.uri());
        // Quiet, then with every log line the program and its crates can write.
        for logs in [None, Some("-vv"), Some("RUST_LOG=trace")] {
            let mut env = env.clone();
            let mut all = args.to_vec();
            match logs {
                Some("-vv") => all.insert(0, "-vv"),
                Some(_) => env.push(("RUST_LOG", "trace".into())),
                None => {}
            }
            let output = qiwi_owned(&all, &env);
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

/// A loopback HTTPS server speaking only HTTP/2, with a certificate for `localhost` made here,
/// that answers like [`echo_server`]. Returns its port and the certificate in PEM.
async fn tls_echo_server(status: u16, body: Body, credentials: &[&str]) -> (u16, String) {
    use std::sync::Arc;

    use http_body_util::{BodyExt, Full};
    use hyper::body::{Bytes, Incoming};
    use hyper_util::rt::{TokioExecutor, TokioIo};
    use tokio_rustls::rustls::{self, pki_types::PrivateKeyDer};

    let rcgen::CertifiedKey { cert, signing_key } =
        rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).expect("a certificate");
    let key = PrivateKeyDer::try_from(signing_key.serialize_der()).expect("a PKCS#8 key");
    let mut config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("TLS versions")
    .with_no_client_auth()
    .with_single_cert(vec![cert.der().clone()], key)
    .expect("a server certificate");
    config.alpn_protocols = vec![b"h2".to_vec()];
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let port = listener.local_addr().expect("its address").port();
    let log = EchoLog::new(credentials);
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let (acceptor, log) = (acceptor.clone(), log.clone());
            tokio::spawn(async move {
                let Ok(tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let answer =
                    hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
                        let log = log.clone();
                        async move {
                            let (parts, incoming) = request.into_parts();
                            let bytes = incoming.collect().await?.to_bytes();
                            let (status, text) = if parts.uri.path() == "/oauth/token" {
                                (
                                    200,
                                    format!(
                                        r#"{{"access_token":"{ACCESS_TOKEN}","expires_in":3600}}"#
                                    ),
                                )
                            } else {
                                let echo = log.reflect(
                                    parts.method.as_str(),
                                    &parts.uri.to_string(),
                                    &parts.headers,
                                    &bytes,
                                );
                                (status, body(&echo))
                            };
                            let mut response = hyper::Response::new(Full::new(Bytes::from(text)));
                            *response.status_mut() =
                                hyper::StatusCode::from_u16(status).expect("a status");
                            Ok::<_, hyper::Error>(response)
                        }
                    });
                let _ = hyper::server::conn::http2::Builder::new(TokioExecutor::new())
                    .serve_connection(TokioIo::new(tls), answer)
                    .await;
            });
        }
    });
    (port, cert.pem())
}

#[tokio::test(flavor = "multi_thread")]
async fn no_form_of_a_secret_reaches_stderr_over_tls_and_http2() {
    let cases: [(&str, u16, Body); 6] = [
        ("wallet", 500, json_error),
        ("wallet", 403, json_error),
        ("agent", 500, xml_error),
        ("agent", 403, xml_error),
        ("treezor", 500, json_error),
        ("treezor", 403, json_error),
    ];
    let pair = format!("{CLIENT_ID}:{PASSWORD}");
    let secrets = [TOKEN, PASSWORD, CLIENT_ID, &pair, ACCESS_TOKEN];
    for (family, status, body) in cases {
        let (credentials, args) = family_call(family);
        let (port, pem) = tls_echo_server(status, body, credentials).await;
        let ca_file = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("secrets-tls-{port}.pem"));
        std::fs::write(&ca_file, pem).expect("the CA file is written");
        let mut env = family_env(&format!("https://localhost:{port}"));
        env.push(("QIWI_CA_FILE", ca_file.to_string_lossy().into_owned()));
        for trace in [false, true] {
            let mut env = env.clone();
            let mut all = args.to_vec();
            if trace {
                env.push(("RUST_LOG", "trace".into()));
            } else {
                all.insert(0, "-vv");
            }
            // The server runs on this runtime: the program waits on a thread of its own.
            let output = tokio::task::spawn_blocking(move || qiwi_owned(&all, &env))
                .await
                .expect("the program ran");
            let text = printed(&output);
            let case = format!("{family} {status} trace={trace}");
            assert!(!output.status.success(), "{case}: {text}");
            assert!(
                text.contains("[REDACTED]"),
                "{case}: the echo was answered: {text}"
            );
            assert!(leaks(&text, &secrets).is_empty(), "{case}: {text}");
            // The server speaks only HTTP/2 over TLS, so the echoed answer proves both; the
            // lines of both crates show that what they log was checked.
            for target in ["rustls::", "h2::"] {
                assert!(text.contains(target), "{case}: no {target} line: {text}");
            }
        }
        let _ = std::fs::remove_file(&ca_file);
    }
}
