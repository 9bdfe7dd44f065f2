//! Shared test helpers: an XML normaliser for comparing documents by meaning, and clients wired
//! to test transports.

use std::sync::Arc;

use qiwi_agent::secrecy::SecretString;
use qiwi_agent::{AgentClient, RetryPolicy};
use qiwi_transport::test_util::echo::{Body, EchoLog};
use qiwi_transport::test_util::{
    Advance, Reply, ScriptedTransport, TickAdvanceSleep, tick_advance_time_and_sleep,
};
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// The password used by test clients.
pub const PASSWORD: &str = "p@ss<&>\"'word";

/// An element reduced to what carries meaning.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Node {
    pub name: String,
    /// Sorted by name.
    pub attributes: Vec<(String, String)>,
    /// Trimmed; empty when the element holds only whitespace.
    pub text: String,
    pub children: Vec<Node>,
}

impl Node {
    /// The first descendant (or self) with this name, depth first.
    pub fn find(&self, name: &str) -> Option<&Node> {
        if self.name == name {
            return Some(self);
        }
        self.children.iter().find_map(|c| c.find(name))
    }

    /// Every element name in the tree, depth first.
    pub fn names(&self) -> Vec<String> {
        let mut out = vec![self.name.clone()];
        for child in &self.children {
            out.extend(child.names());
        }
        out
    }

    /// A canonical text form: attributes sorted, children sorted (the protocol says element
    /// order is not significant), whitespace trimmed, quotes normalised, no declaration.
    pub fn canonical(&self) -> String {
        let mut children: Vec<String> = self.children.iter().map(Node::canonical).collect();
        children.sort();
        let attributes: String = self
            .attributes
            .iter()
            .map(|(k, v)| format!(" {k}={v:?}"))
            .collect();
        format!(
            "<{name}{attributes}>{text:?}{children}</{name}>",
            name = self.name,
            text = self.text,
            children = children.join("")
        )
    }
}

fn node_from(start: &BytesStart<'_>) -> Node {
    let name = String::from_utf8(start.name().as_ref().to_vec()).expect("UTF-8 name");
    let mut attributes: Vec<(String, String)> = start
        .attributes()
        .map(|a| {
            let a = a.expect("well-formed attribute");
            (
                String::from_utf8(a.key.as_ref().to_vec()).expect("UTF-8 attribute name"),
                a.unescape_value().expect("attribute value").into_owned(),
            )
        })
        .collect();
    attributes.sort();
    Node {
        name,
        attributes,
        text: String::new(),
        children: Vec::new(),
    }
}

fn close(mut node: Node) -> Node {
    node.text = node.text.trim().to_owned();
    node
}

/// Parses a document (or a fragment with one root) into a [`Node`] tree. Panics on malformed
/// XML: a test input that is not XML is a test bug.
pub fn parse(xml: &str) -> Node {
    let mut reader = Reader::from_str(xml);
    let mut stack: Vec<Node> = Vec::new();
    let mut root = None;
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(start) => stack.push(node_from(&start)),
            Event::Empty(start) => {
                let node = close(node_from(&start));
                match stack.last_mut() {
                    Some(parent) => parent.children.push(node),
                    None => root = Some(node),
                }
            }
            Event::End(_) => {
                let node = close(stack.pop().expect("balanced tags"));
                match stack.last_mut() {
                    Some(parent) => parent.children.push(node),
                    None => root = Some(node),
                }
            }
            Event::Text(text) => {
                if let Some(current) = stack.last_mut() {
                    current.text.push_str(&text.decode().expect("UTF-8 text"));
                }
            }
            Event::GeneralRef(reference) => {
                let name = reference.decode().expect("UTF-8 reference").into_owned();
                let text = match name.as_str() {
                    "lt" => "<".to_owned(),
                    "gt" => ">".to_owned(),
                    "amp" => "&".to_owned(),
                    "apos" => "'".to_owned(),
                    "quot" => "\"".to_owned(),
                    other => panic!("unexpected reference &{other};"),
                };
                stack
                    .last_mut()
                    .expect("reference inside an element")
                    .text
                    .push_str(&text);
            }
            Event::CData(data) => {
                stack
                    .last_mut()
                    .expect("CDATA inside an element")
                    .text
                    .push_str(&data.decode().expect("UTF-8 CDATA"));
            }
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
            Event::DocType(_) => panic!("no DTD in test documents"),
        }
    }
    assert!(stack.is_empty(), "unclosed elements");
    root.expect("a root element")
}

/// The canonical form of a document.
pub fn normalise(xml: &str) -> String {
    parse(xml).canonical()
}

/// A client on a scripted transport, with a time and sleep that end every wait at once (the
/// sleep is returned, to read the waits) and no transport-level retries.
pub fn scripted_client(replies: Vec<Reply>) -> (AgentClient, ScriptedTransport, TickAdvanceSleep) {
    scripted_client_with(123, PASSWORD, replies)
}

/// As [`scripted_client`], with the terminal id and password given.
pub fn scripted_client_with(
    terminal_id: u64,
    password: &str,
    replies: Vec<Reply>,
) -> (AgentClient, ScriptedTransport, TickAdvanceSleep) {
    let transport = ScriptedTransport::new(replies);
    let (time, clock) = tick_advance_time_and_sleep(Advance::OnSleep);
    let client = AgentClient::builder()
        .terminal_id(terminal_id)
        .password(SecretString::from(password.to_owned()))
        .transport(Arc::new(transport.clone()))
        .time_source(Arc::new(time))
        .sleep(Arc::new(clock.clone()))
        .retry(RetryPolicy::never())
        .build()
        .expect("a valid test client");
    (client, transport, clock)
}

/// The body of the `n`-th request a scripted transport received, as text.
pub fn body(transport: &ScriptedTransport, n: usize) -> String {
    let requests = transport.requests();
    String::from_utf8(requests[n].body.to_vec()).expect("UTF-8 request body")
}

/// A 200 answer with this XML.
pub fn xml(body: &str) -> Reply {
    Reply::status(200, body.to_owned())
}

/// Reads a fixture file.
pub fn fixture(relative: &str) -> String {
    let path = format!("{}/tests/fixtures/{relative}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn normaliser_ignores_quotes_order_whitespace_and_declaration() {
    let a = "<?xml version=\"1.0\"?>\n<r b='2' a=\"1\">\n  <x>v</x>\n  <y/>\n</r>";
    let b = "<r a='1' b=\"2\"><y></y><x> v </x></r>";
    assert_eq!(normalise(a), normalise(b));
    assert_ne!(normalise("<r><x>v</x></r>"), normalise("<r><x>w</x></r>"));
    assert_ne!(normalise("<r a='1'/>"), normalise("<r a='2'/>"));
    assert_ne!(normalise("<r><x/></r>"), normalise("<r><x/><x/></r>"));
    assert_eq!(
        normalise("<r>&lt;&amp;</r>"),
        normalise("<r><![CDATA[<&]]></r>")
    );
}

/// A server that answers every request with `status` and `body` of what `log` reflects: every
/// request seen so far, in every encoding.
pub async fn echo_server(status: u16, body: Body, log: EchoLog) -> wiremock::MockServer {
    let server = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::any())
        .respond_with(move |r: &wiremock::Request| {
            let echo = log.reflect(r.method.as_str(), r.url.as_str(), &r.headers, &r.body);
            wiremock::ResponseTemplate::new(status).set_body_string(body(&echo))
        })
        .mount(&server)
        .await;
    server
}
