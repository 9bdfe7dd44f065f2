//! A small, tolerant XML reader (into a tree of [`Element`]s) and the escaping used to write.
//!
//! Reading accepts both attribute quote styles, an absent or malformed declaration, comments,
//! processing instructions and any element order. It never expands entities other than the
//! five predefined ones and character references, and never fetches anything (a DOCTYPE is
//! skipped). Depth and size are capped.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// Largest accepted document, in bytes.
pub(crate) const MAX_DOCUMENT: usize = 256 * 1024;
const MAX_DEPTH: usize = 32;

/// An element: its name, attributes, child elements and concatenated text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Element>,
    pub text: String,
}

impl Element {
    /// The first child named `name`.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// All children named `name`.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The trimmed text of the first child named `name`.
    pub fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name).map(|c| c.text.trim())
    }

    /// The value of attribute `name`.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The trimmed text of the first `<extra name="...">` child with this name.
    pub fn extra(&self, name: &str) -> Option<&str> {
        self.children_named("extra")
            .find(|e| e.attr("name") == Some(name))
            .map(|e| e.text.trim())
    }

    /// Every `<extra name="...">` child as a (name, value) pair.
    pub fn extras(&self) -> Vec<(String, String)> {
        self.children_named("extra")
            .filter_map(|e| {
                e.attr("name")
                    .map(|n| (n.to_owned(), e.text.trim().to_owned()))
            })
            .collect()
    }
}

/// Why a document could not be read.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct XmlError(pub String);

fn element_from(start: &BytesStart<'_>) -> Result<Element, XmlError> {
    let name = String::from_utf8_lossy(start.local_name().as_ref()).into_owned();
    let mut attrs = Vec::new();
    for attr in start.attributes().with_checks(false) {
        let attr = attr.map_err(|e| XmlError(format!("bad attribute in <{name}>: {e}")))?;
        let key = String::from_utf8_lossy(attr.key.local_name().as_ref()).into_owned();
        let value = attr
            .unescape_value()
            .map_err(|e| XmlError(format!("bad attribute value in <{name}>: {e}")))?
            .into_owned();
        attrs.push((key, value));
    }
    Ok(Element {
        name,
        attrs,
        children: Vec::new(),
        text: String::new(),
    })
}

/// Parses a document and returns its root element.
pub(crate) fn parse(input: &[u8]) -> Result<Element, XmlError> {
    if input.len() > MAX_DOCUMENT {
        return Err(XmlError("document too large".into()));
    }
    let text = std::str::from_utf8(input).map_err(|_| XmlError("document is not UTF-8".into()))?;
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = Reader::from_str(text);
    reader.config_mut().trim_text(false);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| XmlError(format!("malformed XML: {e}")))?;
        match event {
            Event::Start(start) => {
                if root.is_some() {
                    return Err(XmlError("content after the root element".into()));
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(XmlError("document nested too deeply".into()));
                }
                stack.push(element_from(&start)?);
            }
            Event::Empty(start) => {
                let el = element_from(&start)?;
                attach(&mut stack, &mut root, el)?;
            }
            Event::End(_) => {
                let el = stack
                    .pop()
                    .ok_or_else(|| XmlError("unbalanced end tag".into()))?;
                attach(&mut stack, &mut root, el)?;
            }
            Event::Text(t) => {
                let s = t
                    .xml10_content()
                    .map_err(|e| XmlError(format!("bad text: {e}")))?;
                push_text(&mut stack, &s)?;
            }
            Event::CData(c) => {
                let s = c
                    .decode()
                    .map_err(|e| XmlError(format!("bad CDATA: {e}")))?;
                push_text(&mut stack, &s)?;
            }
            Event::GeneralRef(r) => {
                let resolved = if r.is_char_ref() {
                    r.resolve_char_ref()
                        .map_err(|e| XmlError(format!("bad character reference: {e}")))?
                        .map(String::from)
                } else {
                    let name = r
                        .decode()
                        .map_err(|e| XmlError(format!("bad reference: {e}")))?;
                    predefined_entity(&name).map(String::from)
                };
                match resolved {
                    Some(s) => push_text(&mut stack, &s)?,
                    None => return Err(XmlError("unknown entity reference".into())),
                }
            }
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => {}
        }
    }
    if !stack.is_empty() {
        return Err(XmlError("unclosed element".into()));
    }
    root.ok_or_else(|| XmlError("no root element".into()))
}

fn predefined_entity(name: &str) -> Option<&'static str> {
    Some(match name {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" => "'",
        _ => return None,
    })
}

fn attach(stack: &mut [Element], root: &mut Option<Element>, el: Element) -> Result<(), XmlError> {
    match stack.last_mut() {
        Some(parent) => {
            parent.children.push(el);
            Ok(())
        }
        None if root.is_none() => {
            *root = Some(el);
            Ok(())
        }
        None => Err(XmlError("more than one root element".into())),
    }
}

fn push_text(stack: &mut [Element], s: &str) -> Result<(), XmlError> {
    match stack.last_mut() {
        Some(parent) => {
            parent.text.push_str(s);
            Ok(())
        }
        None if s.trim().is_empty() => Ok(()),
        None => Err(XmlError("text outside the root element".into())),
    }
}

/// Escapes a value for element text or an attribute in either quote style.
pub(crate) fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot carry at all are replaced.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_documented_quirks() {
        let doc = br#"<?xm version="1.0" encoding="utf-8"?>
<request>
  <extra name='password'>p&amp;ss&#x21;</extra>
  <terminal-id >123</terminal-id>
  <!-- comment -->
  <request-type>pay</request-type>
  <status><payment><transaction-number>1</transaction-number></payment><payment/></status>
</request>"#;
        let root = parse(doc).unwrap();
        assert_eq!(root.name, "request");
        assert_eq!(root.extra("password"), Some("p&ss!"));
        assert_eq!(root.child_text("terminal-id"), Some("123"));
        assert_eq!(
            root.child("status")
                .unwrap()
                .children_named("payment")
                .count(),
            2
        );
    }

    #[test]
    fn rejects_bad_documents_and_unknown_entities() {
        assert!(parse(b"<a><b></a>").is_err());
        assert!(parse(b"").is_err());
        assert!(parse(b"<a>&xxe;</a>").is_err());
        assert!(parse(b"<!DOCTYPE a [<!ENTITY e \"boom\">]><a>&e;</a>").is_err());
        assert!(parse(b"<a/><b/>").is_err());
    }

    #[test]
    fn escapes_everything_markup_sensitive() {
        assert_eq!(
            escape(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;"
        );
        assert_eq!(escape("a\u{1}b"), "a\u{fffd}b");
    }
}
