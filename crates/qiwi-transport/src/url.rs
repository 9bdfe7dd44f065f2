use url::Url;

use crate::NotSentError;

/// A validated base URL: `https://` unless plain HTTP was explicitly allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl(Url);

impl BaseUrl {
    /// Parses an `https://` base URL.
    ///
    /// # Errors
    /// [`NotSentError::Configuration`] when the text is not a URL, has no host, carries
    /// credentials, or is not `https://`.
    pub fn parse(text: &str) -> Result<Self, NotSentError> {
        Self::parse_with(text, false)
    }

    /// Parses a base URL that may be `http://`, for a local emulator or a loopback test.
    ///
    /// # Errors
    /// As [`BaseUrl::parse`], except that `http://` is accepted.
    pub fn parse_allowing_http(text: &str) -> Result<Self, NotSentError> {
        Self::parse_with(text, true)
    }

    /// Parses with plain HTTP allowed or not.
    ///
    /// # Errors
    /// As [`BaseUrl::parse`].
    pub fn parse_with(text: &str, allow_http: bool) -> Result<Self, NotSentError> {
        let shown = redact_url(text);
        let url = Url::parse(text.trim()).map_err(|e| {
            NotSentError::Configuration(format!("base URL {shown} is not a valid URL: {e}"))
        })?;
        match url.scheme() {
            "https" => {}
            "http" if allow_http => {}
            "http" => {
                return Err(NotSentError::Configuration(format!(
                    "base URL {shown} is plain http://; use https://, or call `allow_http(true)` on the client builder for a local emulator"
                )));
            }
            _ => {
                return Err(NotSentError::Configuration(format!(
                    "base URL {shown} is not https://; use https://"
                )));
            }
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(NotSentError::Configuration(format!(
                "base URL {shown} has no host"
            )));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(NotSentError::Configuration(
                "base URL must not carry a user name or password; pass credentials separately"
                    .into(),
            ));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(NotSentError::Configuration(format!(
                "base URL {shown} must not have a query or fragment"
            )));
        }
        Ok(Self(url))
    }

    /// The URL itself.
    pub fn as_url(&self) -> &Url {
        &self.0
    }

    /// The base with path segments appended, each percent-encoded as one segment: an identifier
    /// containing `/` or `?` cannot change the path.
    pub fn join<I, S>(&self, segments: I) -> Url
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut url = self.0.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(segments);
        }
        url
    }
}

/// What a message may show of a URL that may carry a credential: its scheme, host, port and
/// path, with any user name and password, query and fragment replaced by `[REDACTED]` (a URL
/// without them is shown as written). A text that is not a URL with a host (a secret pasted
/// into the wrong setting) is not shown at all.
///
/// ```
/// use qiwi_transport::redact_url;
/// assert_eq!(
///     redact_url("https://user:pw@host:8443/api?token=t0k#x"),
///     "https://[REDACTED]@host:8443/api?[REDACTED]#[REDACTED]"
/// );
/// assert_eq!(redact_url("https://edge.qiwi.com"), "https://edge.qiwi.com");
/// assert_eq!(redact_url("s3cr3t-pasted-here"), "[REDACTED]");
/// ```
pub fn redact_url(text: &str) -> String {
    const REDACTED: &str = crate::scrub::REDACTED;
    let Some(url) = Url::parse(text.trim()).ok().filter(Url::has_host) else {
        return REDACTED.into();
    };
    let userinfo = !url.username().is_empty() || url.password().is_some();
    if !userinfo && url.query().is_none() && url.fragment().is_none() {
        return text.trim().to_owned();
    }
    let mut shown = format!("{}://", url.scheme());
    if userinfo {
        shown.push_str(REDACTED);
        shown.push('@');
    }
    shown.push_str(url.host_str().unwrap_or_default());
    if let Some(port) = url.port() {
        shown.push_str(&format!(":{port}"));
    }
    shown.push_str(url.path());
    for (part, mark) in [(url.query(), '?'), (url.fragment(), '#')] {
        if part.is_some() {
            shown.push(mark);
            shown.push_str(REDACTED);
        }
    }
    shown
}

impl std::fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_only_unless_allowed() {
        assert!(BaseUrl::parse("https://edge.qiwi.com").is_ok());
        let err = BaseUrl::parse("http://edge.qiwi.com")
            .unwrap_err()
            .to_string();
        assert!(err.contains("https://"), "{err}");
        assert!(err.contains("allow_http(true)"), "{err}");
        assert!(BaseUrl::parse_allowing_http("http://127.0.0.1:8080").is_ok());
        assert!(BaseUrl::parse("ftp://x").is_err());
        assert!(BaseUrl::parse("not a url").is_err());
        assert!(BaseUrl::parse("https://user:pw@example.com").is_err());
    }

    #[test]
    fn join_encodes_each_segment() {
        let base = BaseUrl::parse("https://edge.qiwi.com/").unwrap();
        let url = base.join([
            "funding-sources",
            "v2",
            "persons",
            "7911/../x?y",
            "accounts",
        ]);
        assert_eq!(
            url.as_str(),
            "https://edge.qiwi.com/funding-sources/v2/persons/7911%2F..%2Fx%3Fy/accounts"
        );
        let nested = BaseUrl::parse("https://host/prefix").unwrap();
        assert_eq!(nested.join(["a"]).as_str(), "https://host/prefix/a");
    }
}
