//! A small, tolerant element tree built from quick-xml events.
//!
//! The protocol's own examples use single- and double-quoted attributes, lack or misspell the
//! XML declaration (`<?xm version=…`), and spell an attribute name with a Cyrillic `с`
//! (`result-сode`). serde's XML mapping would fail on some of these; this tree takes what
//! any well-formed document offers and leaves the interpretation to the decoder.
//!
//! Safety: no DTD is ever read (the caller refuses `<!DOCTYPE` before parsing, and a DTD event
//! is refused again here), so no entity can be defined; only the five predefined entities and
//! character references are resolved, and any other reference is kept as its literal text.
//! Nesting deeper than [`MAX_DEPTH`] is refused, which keeps every walk over the tree shallow.

use std::borrow::Cow;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use qiwi_types::agent::text::is_xml_char;

/// The deepest nesting accepted. The protocol's documents are four levels deep.
pub(crate) const MAX_DEPTH: usize = 32;

/// One element: its name, attributes, child elements and the text directly inside it (read
/// it trimmed: leading blank pieces are not kept).
///
/// Names, attribute values and text borrow from the document unless they had to change
/// (a folded name, a resolved reference, text in several pieces): a typical answer is read
/// with a handful of allocations.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Element<'a> {
    pub(crate) name: Cow<'a, str>,
    pub(crate) attributes: Vec<(Cow<'a, str>, Cow<'a, str>)>,
    pub(crate) children: Vec<Element<'a>>,
    pub(crate) text: Cow<'a, str>,
}

impl<'a> Element<'a> {
    /// The first attribute with this name.
    pub(crate) fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_ref())
    }

    /// The first child with this name.
    pub(crate) fn child(&self, name: &str) -> Option<&Element<'a>> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Every child with this name, in document order.
    pub(crate) fn children_named<'s>(
        &'s self,
        name: &'s str,
    ) -> impl Iterator<Item = &'s Element<'a>> + 's {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The text with surrounding whitespace removed.
    pub(crate) fn trimmed_text(&self) -> &str {
        self.text.trim()
    }

    /// Adds a piece of text. Blank pieces before any other text (the indentation between
    /// child elements) are skipped: they would only be trimmed away, after a copy.
    fn push_text(&mut self, piece: Cow<'a, str>) {
        if self.text.is_empty() {
            if !piece.trim_ascii().is_empty() {
                self.text = piece;
            }
        } else {
            self.text.to_mut().push_str(&piece);
        }
    }
}

/// Replaces Cyrillic letters that look like Latin ones, so that `result-сode` (with a Cyrillic
/// `с`, as the protocol's status examples write it) is read as `result-code`. Names in this
/// protocol are ASCII, so the folding cannot merge two real names.
pub(crate) fn fold_name(name: &str) -> Cow<'_, str> {
    if name.is_ascii() {
        return Cow::Borrowed(name);
    }
    Cow::Owned(
        name.chars()
            .map(|c| match c {
                'а' => 'a',
                'е' => 'e',
                'о' => 'o',
                'р' => 'p',
                'с' => 'c',
                'у' => 'y',
                'х' => 'x',
                'і' => 'i',
                other => other,
            })
            .collect(),
    )
}

/// The replacement text of a reference (`lt`, `#60`, `#x3C`), or `None` for anything else.
fn resolve_reference(name: &str) -> Option<Cow<'static, str>> {
    let predefined = match name {
        "lt" => Some("<"),
        "gt" => Some(">"),
        "amp" => Some("&"),
        "apos" => Some("'"),
        "quot" => Some("\""),
        _ => None,
    };
    if let Some(text) = predefined {
        return Some(Cow::Borrowed(text));
    }
    let number = name.strip_prefix('#')?;
    let code = match number.strip_prefix('x') {
        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
        None => number.parse::<u32>().ok()?,
    };
    let c = char::from_u32(code).filter(|c| is_xml_char(*c))?;
    Some(Cow::Owned(c.to_string()))
}

/// Resolves the predefined entities and character references in raw attribute text; any other
/// `&…;` is kept literally (there is no DTD, so nothing else can be defined).
pub(crate) fn unescape(raw: &str) -> Cow<'_, str> {
    if !raw.contains('&') {
        return Cow::Borrowed(raw);
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let resolved = after
            .find(';')
            .filter(|end| *end <= 12)
            .and_then(|end| resolve_reference(&after[..end]).map(|text| (text, end)));
        match resolved {
            Some((text, end)) => {
                out.push_str(&text);
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// `part` as a slice of `document` with the document's lifetime, when it lies inside it (as
/// everything quick-xml reads from a `&str` does, unless it had to copy it).
pub(super) fn within<'a>(document: &'a str, part: &[u8]) -> Option<&'a str> {
    let start = (part.as_ptr() as usize).checked_sub(document.as_ptr() as usize)?;
    document.get(start..start.checked_add(part.len())?)
}

/// `part` as text borrowed from `document` when possible, else copied.
fn text_in<'a>(document: &'a str, part: &[u8]) -> Result<Cow<'a, str>, std::str::Utf8Error> {
    match within(document, part) {
        Some(text) => Ok(Cow::Borrowed(text)),
        None => std::str::from_utf8(part).map(|text| Cow::Owned(text.to_owned())),
    }
}

fn folded(name: Cow<'_, str>) -> Cow<'_, str> {
    match name {
        Cow::Borrowed(name) => fold_name(name),
        Cow::Owned(name) => Cow::Owned(fold_name(&name).into_owned()),
    }
}

fn element_from<'a>(document: &'a str, start: &BytesStart<'_>) -> Result<Element<'a>, String> {
    let name = text_in(document, start.name().as_ref())
        .map_err(|_| "an element name is not valid UTF-8".to_owned())?;
    let name = folded(name);
    let mut attributes = Vec::new();
    // Duplicate checks are off: after folding, `result-code` and `result-сode` may both be
    // present, and the first one wins.
    for attribute in start.attributes().with_checks(false) {
        let attribute = attribute.map_err(|e| format!("malformed attribute in <{name}>: {e}"))?;
        let key = text_in(document, attribute.key.as_ref())
            .map_err(|_| format!("an attribute name in <{name}> is not valid UTF-8"))?;
        let value = text_in(document, &attribute.value)
            .map_err(|_| format!("an attribute value in <{name}> is not valid UTF-8"))?;
        let value = match value {
            Cow::Borrowed(value) => unescape(value),
            Cow::Owned(value) => Cow::Owned(unescape(&value).into_owned()),
        };
        attributes.push((folded(key), value));
    }
    Ok(Element {
        name,
        attributes,
        children: Vec::new(),
        text: Cow::Borrowed(""),
    })
}

/// Parses a whole document into its root element.
///
/// # Errors
/// A message saying what is wrong: malformed XML, a DTD, nesting deeper than [`MAX_DEPTH`],
/// text or a second element outside the root, or no root at all.
pub(crate) fn parse(text: &str) -> Result<Element<'_>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Element<'_>> = Vec::new();
    let mut root: Option<Element<'_>> = None;

    fn attach<'a>(
        element: Element<'a>,
        stack: &mut [Element<'a>],
        root: &mut Option<Element<'a>>,
    ) -> Result<(), String> {
        match stack.last_mut() {
            Some(parent) => parent.children.push(element),
            None if root.is_none() => *root = Some(element),
            None => return Err("the document has more than one root element".into()),
        }
        Ok(())
    }

    fn add_text<'a>(stack: &mut [Element<'a>], text: Cow<'a, str>) -> Result<(), String> {
        match stack.last_mut() {
            Some(current) => current.push_text(text),
            None if text.trim_ascii().is_empty() => {}
            None => return Err("the document has text outside its root element".into()),
        }
        Ok(())
    }

    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("malformed XML near byte {}: {e}", reader.error_position()))?;
        match event {
            Event::Start(start) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(format!(
                        "elements are nested deeper than {MAX_DEPTH} levels"
                    ));
                }
                if root.is_some() {
                    return Err("the document has more than one root element".into());
                }
                stack.push(element_from(text, &start)?);
            }
            Event::Empty(start) => {
                if root.is_some() && stack.is_empty() {
                    return Err("the document has more than one root element".into());
                }
                attach(element_from(text, &start)?, &mut stack, &mut root)?;
            }
            Event::End(_) => {
                let element = stack
                    .pop()
                    .ok_or_else(|| "an end tag has no matching start tag".to_owned())?;
                attach(element, &mut stack, &mut root)?;
            }
            Event::Text(content) => {
                // Borrowed from the document, which is already known to be UTF-8.
                let piece =
                    text_in(text, &content).map_err(|e| format!("text is not valid UTF-8: {e}"))?;
                add_text(&mut stack, piece)?;
            }
            Event::CData(content) => {
                let decoded = content
                    .decode()
                    .map_err(|e| format!("CDATA is not valid UTF-8: {e}"))?;
                add_text(&mut stack, decoded)?;
            }
            Event::GeneralRef(reference) => {
                let name = reference
                    .decode()
                    .map_err(|e| format!("a reference is not valid UTF-8: {e}"))?;
                let piece = match resolve_reference(&name) {
                    Some(text) => text,
                    None => Cow::Owned(format!("&{name};")),
                };
                add_text(&mut stack, piece)?;
            }
            Event::DocType(_) => {
                return Err(
                    "the document declares a DTD (<!DOCTYPE>), which is refused: entities are never expanded"
                        .into(),
                );
            }
            // The declaration (also the misspelt `<?xm …?>`, which is a processing
            // instruction), other processing instructions and comments carry nothing.
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
            Event::Eof => break,
        }
    }
    if let Some(open) = stack.last() {
        return Err(format!("the document ends inside <{}>", open.name));
    }
    root.ok_or_else(|| "the document has no root element".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_quote_styles_and_folds_cyrillic_names() {
        let root = parse(
            "<response><payment status='60' result-\u{441}ode=\"0\" txn_id=''  >\n</payment></response>",
        )
        .unwrap();
        let payment = root.child("payment").unwrap();
        assert_eq!(payment.attribute("status"), Some("60"));
        assert_eq!(payment.attribute("result-code"), Some("0"));
        assert_eq!(payment.attribute("txn_id"), Some(""));
    }

    #[test]
    fn resolves_predefined_and_numeric_references_only() {
        let root = parse(
            "<r a='x &lt; &#62; &#x26; &quot;q&quot; &apos; &nbsp; &#0; & b'>1 &lt; 2 &amp;&amp; &unknown; &#x41;<![CDATA[<raw>]]></r>",
        )
        .unwrap();
        assert_eq!(root.text, "1 < 2 && &unknown; A<raw>");
        assert_eq!(root.attribute("a"), Some("x < > & \"q\" ' &nbsp; &#0; & b"));
    }

    #[test]
    fn accepts_missing_and_misspelt_declarations_and_comments() {
        for doc in [
            "<response/>",
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><response/>",
            "<?xm version=\"1.0\" encoding=\"utf-8\"?>\n<response/>",
            "\u{feff}<!-- c --><response/><!-- after -->\n",
        ] {
            assert_eq!(parse(doc).unwrap().name, "response", "{doc}");
        }
    }

    #[test]
    fn refuses_malformed_documents_without_panicking() {
        let deep = format!(
            "{}{}",
            "<a>".repeat(MAX_DEPTH + 1),
            "</a>".repeat(MAX_DEPTH + 1)
        );
        let very_deep = "<a>".repeat(200_000);
        for doc in [
            "",
            "   ",
            "text",
            "<a>",
            "<a></b>",
            "<a/><b/>",
            "<a></a><b></b>",
            "<a></a>trailing",
            "</a>",
            "<a x=1/>",
            "<a x='1/>",
            "<!DOCTYPE a [<!ENTITY e 'x'>]><a>&e;</a>",
            "<a><![CDATA[unterminated</a>",
            deep.as_str(),
            very_deep.as_str(),
        ] {
            assert!(parse(doc).is_err(), "{doc:.60}");
        }
    }

    #[test]
    fn names_values_and_text_borrow_from_the_document() {
        let root = parse(
            "<response>\n  <balance code=\"643\" result-\u{441}ode='0'>1.00</balance>\n</response>",
        )
        .unwrap();
        let balance = root.child("balance").unwrap();
        assert!(matches!(root.name, Cow::Borrowed("response")));
        assert!(matches!(balance.text, Cow::Borrowed("1.00")));
        assert!(matches!(
            balance.attributes[0],
            (Cow::Borrowed("code"), Cow::Borrowed("643"))
        ));
        // Folding the Cyrillic name needs a copy.
        assert!(matches!(&balance.attributes[1].0, Cow::Owned(name) if name == "result-code"));
        // The indentation around <balance> is not kept.
        assert!(matches!(root.text, Cow::Borrowed("")));
    }

    #[test]
    fn text_in_pieces_keeps_the_blanks_between_them() {
        let root = parse("<r>\n <a/> x &lt; <b/> y </r>").unwrap();
        assert_eq!(root.text, " x <  y ");
        assert_eq!(root.trimmed_text(), "x <  y");
    }

    #[test]
    fn depth_up_to_the_limit_is_accepted() {
        let doc = format!("{}{}", "<a>".repeat(MAX_DEPTH), "</a>".repeat(MAX_DEPTH));
        assert!(parse(&doc).is_ok());
    }
}
