//! The most common answer read straight from the parser's events, without building the tree.
//!
//! Every `ping` answer and most error answers are a `<response>` holding a `<result-code>`
//! and, for `ping`, a `<balances>` list. Building the element tree for them cost more than
//! the rest of a call (see `docs/performance.md`). This reader accepts only that shape, written
//! plainly: anything else (another element, an empty-element tag, a reference, CDATA, a
//! comment, a non-ASCII name, text where none is read, a value that does not parse) makes it
//! give up, and the caller reads the document through the tree as before, which then also
//! reports any error. Where it answers, it gives the envelope the tree would.

use qiwi_types::Currency;
use qiwi_types::money::parse_decimal;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::decode::{Ctx, Envelope, present};
use super::tree;
use qiwi_types::Money;
use qiwi_types::agent::{Balances, RequestCode, RequestResult};

/// The parser and the document it reads.
struct Events<'a> {
    text: &'a str,
    reader: Reader<&'a [u8]>,
}

impl<'a> Events<'a> {
    /// The next event; `None` when the document is malformed (the tree will say how).
    fn next(&mut self) -> Option<Event<'a>> {
        self.reader.read_event().ok()
    }

    /// The next event that is not blank text.
    fn next_markup(&mut self) -> Option<Event<'a>> {
        loop {
            match self.next()? {
                Event::Text(text) if text.iter().all(u8::is_ascii_whitespace) => {}
                event => return Some(event),
            }
        }
    }

    /// The text of an element whose start tag was just read, up to its end tag: one plain
    /// piece of text or none.
    fn text_then_end(&mut self) -> Option<&'a str> {
        match self.next()? {
            Event::End(_) => Some(""),
            Event::Text(piece) => {
                let piece = tree::within(self.text, &piece)?;
                matches!(self.next()?, Event::End(_)).then_some(piece)
            }
            _ => None,
        }
    }
}

/// Reads the envelope when the document has the plain `ping` or error shape, else `None`.
pub(super) fn envelope(ctx: &Ctx<'_>, text: &str) -> Option<Envelope> {
    let mut events = Events {
        text,
        reader: Reader::from_str(text),
    };
    let mut first = events.next_markup()?;
    if matches!(first, Event::Decl(_)) {
        first = events.next_markup()?;
    }
    match first {
        Event::Start(root) if root.name().as_ref() == b"response" => {}
        _ => return None,
    }
    let mut envelope = Envelope::default();
    let mut result_seen = false;
    loop {
        match events.next_markup()? {
            Event::Start(start) => match start.name().as_ref() {
                // The first of each wins, as in the tree; a second one is left to the tree.
                b"result-code" if !result_seen => {
                    envelope.result = result(ctx, &start, &mut events)?;
                    result_seen = true;
                }
                b"balances" if envelope.balances.is_none() => {
                    envelope.balances = Some(balances(&mut events)?);
                }
                _ => return None,
            },
            Event::End(_) => break,
            _ => return None,
        }
    }
    match events.next_markup()? {
        Event::Eof => Some(envelope),
        _ => None,
    }
}

/// The first value of each attribute of `start` named in `names`, as document text; `None`
/// when an attribute cannot be read plainly: a non-ASCII name (it might fold into one that is
/// read) or a reference to resolve in a value that is read.
fn first_of<'a, const N: usize>(
    text: &'a str,
    start: &BytesStart<'_>,
    names: [&[u8]; N],
) -> Option<[Option<&'a str>; N]> {
    let mut found = [None; N];
    let mut all = start.attributes();
    all.with_checks(false);
    for attribute in all {
        let attribute = attribute.ok()?;
        let key = attribute.key.as_ref();
        if !key.is_ascii() {
            return None;
        }
        let Some(slot) = names.iter().position(|name| *name == key) else {
            continue;
        };
        if found[slot].is_none() {
            let value = tree::within(text, &attribute.value)?;
            if value.contains('&') {
                return None;
            }
            found[slot] = Some(value);
        }
    }
    Some(found)
}

/// `<result-code fatal=".." message="..">code</result-code>`; `Some(None)` for an empty one.
fn result(
    ctx: &Ctx<'_>,
    start: &BytesStart<'_>,
    events: &mut Events<'_>,
) -> Option<Option<RequestResult>> {
    let [fatal, message, msg] = first_of(events.text, start, [b"fatal", b"message", b"msg"])?;
    let text = events.text_then_end()?.trim();
    if text.is_empty() {
        return Some(None);
    }
    let code: i32 = ctx.number(text, "", "").ok()?;
    Some(Some(RequestResult::new(
        RequestCode::from_code(code),
        ctx.flag(fatal, "").ok()?,
        present(message).or_else(|| present(msg)).map(str::to_owned),
    )))
}

/// `<balances><balance code="643">200.26</balance>...</balances>`, after its start tag.
fn balances(events: &mut Events<'_>) -> Option<Balances> {
    let mut list = Vec::new();
    loop {
        match events.next_markup()? {
            Event::Start(start) if start.name().as_ref() == b"balance" => {
                let [code] = first_of(events.text, &start, [b"code"])?;
                let code = present(code)?;
                let amount = parse_decimal(events.text_then_end()?.trim()).ok()?;
                list.push(Money::new(amount, Currency::parse(code)));
            }
            Event::End(_) => return Some(list.into_iter().collect()),
            _ => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;
    use http::StatusCode;

    use super::*;
    use crate::wire::decode::tree_envelope;

    /// Both readings of `xml`: this one (if it answers) and the tree's.
    fn both(xml: &str) -> (Option<String>, String) {
        let body = Bytes::copy_from_slice(xml.as_bytes());
        let ctx = Ctx::new(StatusCode::OK, &body);
        let flat = envelope(&ctx, xml).map(|e| format!("{e:?}"));
        let tree = format!("{:?}", tree_envelope(&ctx, xml));
        (flat, tree)
    }

    #[test]
    fn where_it_answers_it_agrees_with_the_tree_on_every_fixture() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/responses");
        let mut answered = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let xml = std::fs::read_to_string(&path).unwrap();
            let (flat, tree) = both(&xml);
            if let Some(flat) = flat {
                assert_eq!(format!("Ok({flat})"), tree, "{}", path.display());
                answered.push(path.file_name().unwrap().to_string_lossy().into_owned());
            }
        }
        answered.sort();
        // The ping answers and the plain error answers take the short way.
        assert!(
            answered.iter().any(|f| f.starts_with("ping_")),
            "{answered:?}"
        );
        assert!(
            answered.iter().any(|f| f.starts_with("error_")),
            "{answered:?}"
        );
    }

    #[test]
    fn gives_up_on_anything_but_the_plain_shape() {
        let cases = [
            // Cyrillic `с` in the name, which the tree folds.
            "<response><result-сode fatal='false'>0</result-сode></response>",
            // A reference in the text or in an attribute.
            "<response><result-code fatal='false' message='a &amp; b'>0</result-code></response>",
            "<response><balances><balance code='643'>1&#48;</balance></balances></response>",
            // Other elements, an empty-element tag, a comment, CDATA.
            "<response><result-code>0</result-code><exist>1</exist></response>",
            "<response><balances/></response>",
            "<response><!-- c --><result-code>0</result-code></response>",
            "<response><balances><balance code='643'><![CDATA[1.00]]></balance></balances></response>",
            // Two result codes: the first wins, in the tree.
            "<response><result-code>0</result-code><result-code>5</result-code></response>",
            // Values that do not parse: the tree names the place.
            "<response><result-code>x</result-code></response>",
            "<response><balances><balance code='643'>1,5</balance></balances></response>",
            "<response><balances><balance>1.00</balance></balances></response>",
            // Malformed or not an answer.
            "<response><result-code>0</result-code>",
            "<response><result-code>0</wrong></response>",
            "<answer><result-code>0</result-code></answer>",
            "<response/>",
        ];
        for xml in cases {
            let (flat, _) = both(xml);
            assert_eq!(flat, None, "{xml}");
        }
    }

    #[test]
    fn reads_the_plain_shape_as_the_tree_does() {
        let cases = [
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<response>\n<result-code fatal=\"false\">0</result-code>\n<balances>\n<balance code=\"643\">200000.26</balance>\n<balance code=' 840 '> 300 </balance>\n</balances>\n</response>\n",
            "<response><result-code fatal='true' msg='Нет прав' message=''>150</result-code></response>",
            "<response><result-code fatal='TRUE' message='first' message='second'>0</result-code><balances></balances></response>",
            "<response><result-code fatal='false'></result-code><balances></balances></response>",
            "<response><balances><balance code='643'>1.00</balance></balances></response>",
        ];
        for xml in cases {
            let (flat, tree) = both(xml);
            let flat = flat.unwrap_or_else(|| panic!("not read the short way: {xml}"));
            assert_eq!(format!("Ok({flat})"), tree, "{xml}");
        }
    }
}
