//! A minimal `multipart/form-data` reader for text fields (what `POST /oauth/token` receives).

/// The `boundary` parameter of a `multipart/form-data` content type.
pub(crate) fn boundary(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|param| {
        let (k, v) = param.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| v.trim().trim_matches('"').to_owned())
    })
}

/// The text fields of a multipart body, as (name, value) pairs. Parts without a name are skipped;
/// `None` means the body is not a well-formed multipart document.
pub(crate) fn fields(body: &[u8], boundary: &str) -> Option<Vec<(String, String)>> {
    if boundary.is_empty() {
        return None;
    }
    let text = String::from_utf8_lossy(body);
    let delimiter = format!("--{boundary}");
    let mut sections = text.split(delimiter.as_str());
    // Whatever precedes the first delimiter is a preamble.
    sections.next()?;
    let mut out = Vec::new();
    let mut closed = false;
    for section in sections {
        if section.starts_with("--") {
            closed = true;
            break;
        }
        let section = section
            .strip_prefix("\r\n")
            .or_else(|| section.strip_prefix('\n'))?;
        let (head, content) = match section.find("\r\n\r\n") {
            Some(i) => (&section[..i], &section[i + 4..]),
            None => {
                let i = section.find("\n\n")?;
                (&section[..i], &section[i + 2..])
            }
        };
        let content = content
            .strip_suffix("\r\n")
            .or_else(|| content.strip_suffix('\n'))
            .unwrap_or(content);
        let name = head.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            if !key.trim().eq_ignore_ascii_case("content-disposition") {
                return None;
            }
            value.split(';').find_map(|p| {
                let (k, v) = p.split_once('=')?;
                (k.trim() == "name").then(|| v.trim().trim_matches('"').to_owned())
            })
        });
        if let Some(name) = name {
            out.push((name, content.to_owned()));
        }
    }
    closed.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_curl_style_forms() {
        let ct = "multipart/form-data; boundary=------------------------abc123";
        let b = boundary(ct).unwrap();
        let body = format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"grant_type\"\r\n\r\nclient_credentials\r\n--{b}\r\nContent-Disposition: form-data; name=\"client_id\"\r\n\r\n900100\r\n--{b}--\r\n"
        );
        let f = fields(body.as_bytes(), &b).unwrap();
        assert_eq!(
            f,
            vec![
                ("grant_type".into(), "client_credentials".into()),
                ("client_id".into(), "900100".into())
            ]
        );
        assert_eq!(
            boundary("multipart/form-data; boundary=\"q\"").as_deref(),
            Some("q")
        );
        assert!(fields(b"garbage", "x").is_none());
    }
}
