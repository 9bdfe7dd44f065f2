//! Endpoint lines: the URL built from the route template, one segment per parameter, and
//! the request carrying what its line says.

use qiwi_transport::{BaseUrl, Endpoint, Method, Route, header};

#[test]
fn every_id_stays_one_segment() {
    let base = BaseUrl::parse("https://edge.qiwi.com/api/").unwrap();
    let endpoint: Endpoint = Endpoint::get(
        "E13",
        "/funding-sources/v2/persons/{personId}/accounts/{accountAlias}",
    );
    for (alias, encoded) in [
        ("a/b", "a%2Fb"),
        ("a?b=c", "a%3Fb=c"),
        ("100%", "100%25"),
        ("%2e%2e", "%252e%252e"),
        ("...", "..."),
        ("#x", "%23x"),
    ] {
        let url = endpoint.url(&base, &["79111234567", alias]).unwrap();
        assert_eq!(
            url.as_str(),
            format!(
                "https://edge.qiwi.com/api/funding-sources/v2/persons/79111234567/accounts/{encoded}"
            ),
            "{alias}"
        );
        assert_eq!(
            url,
            base.join([
                "funding-sources",
                "v2",
                "persons",
                "79111234567",
                "accounts",
                alias
            ])
        );
        assert_eq!(url.query(), None, "{alias}");
    }
}

#[test]
fn the_parameters_must_fill_the_template() {
    let base = BaseUrl::parse("https://edge.qiwi.com").unwrap();
    let endpoint: Endpoint = Endpoint::get("E10", "/persons/{personId}/accounts");
    assert!(endpoint.url(&base, &[]).is_err());
    assert!(endpoint.url(&base, &["1", "2"]).is_err());
    for step in [".", ".."] {
        let refused = endpoint.url(&base, &[step]).unwrap_err();
        assert!(refused.to_string().contains("{personId}"), "{refused}");
    }
    let whole: Endpoint = Endpoint::new("ping", Method::POST, Route::Base("/xml/topup.jsp ping"));
    let agent = BaseUrl::parse("https://api.qiwi.com/xml/topup.jsp").unwrap();
    assert_eq!(whole.url(&agent, &[]).unwrap(), *agent.as_url());
    assert!(whole.url(&agent, &["x"]).is_err());
}

#[test]
fn a_request_carries_what_its_line_says() {
    let base = BaseUrl::parse("https://edge.qiwi.com").unwrap();
    const VENDOR: Endpoint<u8> = Endpoint::get("E99", "/x/{id}").scopes(&[1, 2]);
    let endpoint = Endpoint {
        headers: &[("x-version", "2")],
        ..VENDOR
    };
    let request = endpoint.request(&base, &["7"]).unwrap();
    assert_eq!(request.method, Method::GET);
    assert_eq!(request.url.path(), "/x/7");
    assert_eq!(request.route, "/x/{id}");
    assert_eq!(request.endpoint, "E99");
    assert!(request.idempotent);
    assert_eq!(request.headers[header::ACCEPT], "application/json");
    assert_eq!(request.headers["x-version"], "2");
}
