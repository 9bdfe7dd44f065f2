//! The scrubber against forms written by an encoder of its own (`test_util::echo`), and the
//! transport's errors scrubbed through it.

use std::borrow::Cow;

use base64::Engine as _;

use qiwi_transport::test_util::echo::{encodings, json_escaped, leaks, shown, xml_escaped};
use qiwi_transport::{
    Bytes, DecodeError, Error, Scrub, Scrubber, ServiceError, StatusCode, TransportError,
    TransportErrorKind, redact_url,
};

/// Every character class an encoder treats apart: space, quotes, markup, slashes, percent,
/// plus, non-ASCII inside and beyond the Basic Multilingual Plane.
const SECRET: &str = "pa ss\"w&o<r>d'/\\é€😀+%=";

#[test]
fn every_form_of_a_secret_is_cut_out() {
    let scrubber = Scrubber::new([SECRET]);
    let forms = encodings(SECRET);
    assert!(forms.len() >= 12, "{forms:?}");
    for form in forms {
        let text = format!("before {form} after");
        let clean = scrubber.scrub_str(&text);
        assert!(leaks(&clean, &[SECRET]).is_empty(), "{form}: {clean}");
        assert!(clean.starts_with("before [REDACTED]"), "{form}: {clean}");
        assert!(clean.ends_with(" after"), "{form}: {clean}");
    }
}

#[test]
fn nested_and_repeated_forms_are_cut_out() {
    let scrubber = Scrubber::new([SECRET]);
    // An XML request body echoed inside a JSON error body.
    let nested = json_escaped(&format!("<extra>{}</extra>", xml_escaped(SECRET)));
    assert_eq!(
        scrubber.scrub_str(&nested),
        "<extra>[REDACTED]</extra>",
        "{nested}"
    );
    // Two layers: a JSON body quoted in another, a JSON body quoted in XML.
    for layered in [
        json_escaped(&json_escaped(SECRET)),
        xml_escaped(&json_escaped(SECRET)),
        json_escaped(&xml_escaped(&json_escaped(SECRET))),
    ] {
        let clean = scrubber.scrub_str(&layered);
        assert_eq!(clean, "[REDACTED]", "{layered}");
    }
    let twice = format!("{SECRET}{SECRET}, {SECRET}");
    assert_eq!(
        scrubber.scrub_str(&twice),
        "[REDACTED][REDACTED], [REDACTED]"
    );
}

#[test]
fn client_credentials_are_cut_out_alone_and_in_basic_form() {
    let scrubber = Scrubber::for_client_credentials("client-id-1", "client-secret-2");
    let basic = base64::engine::general_purpose::STANDARD.encode("client-id-1:client-secret-2");
    let text = format!("Authorization: Basic {basic} id=client-id-1 secret=client%2Dsecret%2D2");
    let clean = scrubber.scrub_str(&text);
    assert!(
        leaks(
            &clean,
            &[
                "client-id-1",
                "client-secret-2",
                "client-id-1:client-secret-2"
            ]
        )
        .is_empty(),
        "{clean}"
    );
    assert!(
        clean.starts_with("Authorization: Basic [REDACTED]"),
        "{clean}"
    );
}

#[test]
fn a_short_secret_withholds_the_whole_excerpt() {
    let scrubber = Scrubber::new(["t"]);
    assert_eq!(scrubber.scrub_str("rate limited"), "[REDACTED]");
    assert_eq!(scrubber.scrub_str("busy"), "busy");
    let seven = Scrubber::new(["1234567"]);
    assert_eq!(seven.scrub_str("code 1234567 refused"), "[REDACTED]");
    let eight = Scrubber::new(["12345678"]);
    assert_eq!(
        eight.scrub_str("code 12345678 refused"),
        "code [REDACTED] refused"
    );
}

#[test]
fn a_text_without_a_secret_is_kept_as_is() {
    let scrubber = Scrubber::new([SECRET, ""]);
    assert!(matches!(
        scrubber.scrub_str("nothing here & nothing %20 there \\u0041"),
        Cow::Borrowed(_)
    ));
    assert!(matches!(
        Scrubber::default().scrub_str("x"),
        Cow::Borrowed(_)
    ));
}

#[test]
fn bytes_that_are_not_utf8_are_scrubbed_and_kept() {
    let scrubber = Scrubber::new(["secret-token"]);
    let clean = scrubber.scrub_bytes(b"\xff secret-token \xfe");
    assert_eq!(&clean[..], b"\xff [REDACTED] \xfe");
}

#[test]
fn the_newest_learnt_secrets_are_known_and_the_oldest_is_forgotten_past_the_bound() {
    use qiwi_transport::scrub::LEARNT_KEPT;
    let scrubber = Scrubber::new(["fixed-secret"]);
    let shared = scrubber.clone();
    let learnt: Vec<String> = (0..=LEARNT_KEPT)
        .map(|i| format!("learnt-key-{i:04}"))
        .collect();
    for key in &learnt[..LEARNT_KEPT] {
        shared.rotate(key);
    }
    // Learning a known one again adds nothing.
    shared.rotate(&learnt[0]);
    let all = format!("fixed-secret {}", learnt[..LEARNT_KEPT].join(" "));
    assert!(!scrubber.scrub_str(&all).contains("learnt-key"));
    assert_eq!(
        format!("{scrubber:?}"),
        format!("Scrubber {{ secrets: 1, tokens: {LEARNT_KEPT} }}")
    );
    // The first was learnt again last, so the second is the oldest now.
    shared.rotate(&learnt[LEARNT_KEPT]);
    let text = format!("{} {} {}", learnt[0], learnt[1], learnt[LEARNT_KEPT]);
    assert_eq!(
        scrubber.scrub_str(&text),
        format!("[REDACTED] {} [REDACTED]", learnt[1])
    );
}

#[test]
fn every_transport_error_is_scrubbed_in_display_and_debug() {
    let scrubber = Scrubber::new([SECRET]);
    let echo = format!("echo {} {}", xml_escaped(SECRET), json_escaped(SECRET));
    let mut service = ServiceError::new(StatusCode::BAD_GATEWAY, Bytes::from(echo.clone()));
    service.code = Some(echo.clone());
    service.message = Some(echo.clone());
    service.trace_id = Some(echo.clone());
    let decode = DecodeError {
        status: StatusCode::OK,
        format: "JSON",
        path: echo.clone(),
        message: echo.clone(),
        body: Bytes::from(echo.clone()),
    };
    let url = format!("https://host/x?token={}", encodings(SECRET)[7]);
    let transport = TransportError::new(TransportErrorKind::Connect, url.clone())
        .with_source(std::io::Error::other(format!("while sending to {url}")));
    let errors: Vec<Error> = vec![
        service.into(),
        decode.into(),
        transport.into(),
        qiwi_transport::NotSentError::Configuration(echo).into(),
    ];
    for error in errors {
        let before = format!("{error} {error:?}");
        assert!(!leaks(&before, &[SECRET]).is_empty(), "{before}");
        let shown = shown(&error.scrubbed(&scrubber));
        assert!(leaks(&shown, &[SECRET]).is_empty(), "{shown}");
        assert!(shown.contains("[REDACTED]"), "{shown}");
    }
}

#[test]
fn urls_lose_their_credentials_and_query() {
    let cases = [
        ("https://edge.qiwi.com", "https://edge.qiwi.com"),
        (
            " http://user:MARK@127.0.0.1:8080/xml/topup.jsp ",
            "http://[REDACTED]@127.0.0.1:8080/xml/topup.jsp",
        ),
        (
            "https://host/api?token=MARK#MARK",
            "https://host/api?[REDACTED]#[REDACTED]",
        ),
        ("https://MARK@host", "https://[REDACTED]@host/"),
        ("MARK", "[REDACTED]"),
        ("MARK:MARK", "[REDACTED]"),
        ("mailto:MARK@host", "[REDACTED]"),
        ("", "[REDACTED]"),
    ];
    for (text, shown) in cases {
        assert_eq!(redact_url(text), shown, "{text}");
    }
}

#[test]
fn a_rejected_base_url_is_named_without_its_credentials() {
    for text in [
        "https://host/?token=MARK",
        "http://MARK:pw@example.com",
        "ftp://host/x?x=MARK",
        "MARK not a url",
        "https://",
    ] {
        let error = qiwi_transport::BaseUrl::parse(text)
            .unwrap_err()
            .to_string();
        assert!(error.contains("base URL"), "{error}");
        assert!(!error.contains("MARK"), "{text}: {error}");
    }
}

/// Clones learning and scrubbing at once, from many threads: every secret learnt before a
/// scrub is cut out of it, whichever clone learnt it.
#[test]
fn many_clones_learning_and_scrubbing_at_once_cut_out_every_secret_learnt() {
    use qiwi_transport::scrub::LEARNT_KEPT;
    let scrubber = Scrubber::new(["fixed-secret"]);
    let threads = 8;
    let per_thread = LEARNT_KEPT / threads;
    std::thread::scope(|scope| {
        for t in 0..threads {
            let shared = scrubber.clone();
            scope.spawn(move || {
                let mut mine = Vec::new();
                for i in 0..per_thread {
                    let key = format!("thread-{t}-key-{i}-0123456789");
                    shared.rotate(&key);
                    mine.push(key);
                    let text = mine.join(" ");
                    assert!(!shared.scrub_str(&text).contains("key"), "{text}");
                }
            });
        }
    });
    assert_eq!(
        format!("{scrubber:?}"),
        format!("Scrubber {{ secrets: 1, tokens: {LEARNT_KEPT} }}")
    );
}
