//! Requests written with quick-xml's `Writer`: every text and attribute value goes through its
//! escaping, so a value holding `<`, `&` or quotes stays a value.

use qiwi_types::{Currency, WalletNumber};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use crate::client::StatusQuery;
use crate::credentials::Credentials;
use crate::error::Error;
use crate::payout::{FundsSource, Payout};
use crate::value::InvalidValue;

struct Document {
    writer: Writer<Vec<u8>>,
}

fn written(e: std::io::Error) -> Error {
    // Writing into a Vec cannot fail; this keeps the path panic-free all the same.
    Error::Configuration(format!("the request could not be written: {e}"))
}

impl Document {
    fn new(request_type: &str, credentials: &Credentials) -> Result<Self, Error> {
        let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
        writer
            .write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))
            .map_err(written)?;
        let mut doc = Self { writer };
        doc.start("request")?;
        doc.text("request-type", request_type)?;
        doc.text("terminal-id", &credentials.terminal_id().to_string())?;
        if let Some(password) = credentials.password() {
            doc.extra("password", password)?;
        }
        Ok(doc)
    }

    fn start(&mut self, name: &str) -> Result<(), Error> {
        self.writer
            .write_event(Event::Start(BytesStart::new(name)))
            .map_err(written)
    }

    fn end(&mut self, name: &str) -> Result<(), Error> {
        self.writer
            .write_event(Event::End(BytesEnd::new(name)))
            .map_err(written)
    }

    fn text(&mut self, name: &str, value: &str) -> Result<(), Error> {
        self.writer
            .create_element(name)
            .write_text_content(BytesText::new(value))
            .map_err(written)?;
        Ok(())
    }

    fn extra(&mut self, name: &str, value: &str) -> Result<(), Error> {
        self.writer
            .create_element("extra")
            .with_attribute(("name", name))
            .write_text_content(BytesText::new(value))
            .map_err(written)?;
        Ok(())
    }

    fn finish(mut self) -> Result<Vec<u8>, Error> {
        self.end("request")?;
        let mut bytes = self.writer.into_inner();
        bytes.push(b'\n');
        Ok(bytes)
    }
}

/// A currency as the request writes it: the alphabetic code when known (`RUB`), else the code
/// as given, which must be three letters or three digits.
fn currency(what: &'static str, currency: &Currency) -> Result<String, Error> {
    let code = currency.code();
    let letters = code.len() == 3 && code.bytes().all(|b| b.is_ascii_alphabetic());
    let digits = code.len() == 3 && code.bytes().all(|b| b.is_ascii_digit());
    if letters || digits {
        Ok(code)
    } else {
        Err(InvalidValue::new(
            what,
            format!("{code:?} is not an ISO-4217 code (three letters or three digits)"),
        )
        .into())
    }
}

pub(crate) fn ping(credentials: &Credentials) -> Result<Vec<u8>, Error> {
    Document::new("ping", credentials)?.finish()
}

pub(crate) fn check_user(
    credentials: &Credentials,
    phone: &WalletNumber,
    ccy: Option<&Currency>,
) -> Result<Vec<u8>, Error> {
    let mut doc = Document::new("check-user", credentials)?;
    doc.extra("phone", phone.as_str())?;
    if let Some(ccy) = ccy {
        doc.extra("ccy", &currency("currency", ccy)?)?;
    }
    doc.finish()
}

pub(crate) fn check_deposit(
    credentials: &Credentials,
    phone: &WalletNumber,
    funds: FundsSource,
    ccy: Option<&Currency>,
) -> Result<Vec<u8>, Error> {
    let mut doc = Document::new("check-deposit-possible", credentials)?;
    doc.extra("phone", phone.as_str())?;
    doc.extra("income_wire_transfer", funds.wire())?;
    if let Some(ccy) = ccy {
        doc.extra("ccy", &currency("currency", ccy)?)?;
    }
    doc.finish()
}

/// A payout's currency: an ISO-4217 currency in circulation, so that a typo (`XYZ`) is refused
/// here rather than sent with money attached.
fn payout_currency(what: &'static str, ccy: &Currency) -> Result<String, Error> {
    if !ccy.is_known() {
        return Err(InvalidValue::new(
            what,
            format!("{:?} is not an ISO-4217 currency code", ccy.code()),
        )
        .into());
    }
    currency(what, ccy)
}

pub(crate) fn pay(credentials: &Credentials, payout: &Payout) -> Result<Vec<u8>, Error> {
    let from_ccy = payout_currency("source currency", &payout.from_currency)?;
    let to_ccy = match &payout.to_currency {
        Some(c) => Some(payout_currency("currency", c)?),
        None => None,
    };
    let mut doc = Document::new("pay", credentials)?;
    if let Some(funds) = payout.income_wire_transfer {
        doc.extra("income_wire_transfer", funds.wire())?;
    }
    doc.start("auth")?;
    doc.start("payment")?;
    doc.text("transaction-number", payout.transaction_number.as_str())?;
    doc.start("from")?;
    doc.text("ccy", &from_ccy)?;
    if let Some(channel) = payout.source_channel {
        doc.text("service-id", &channel.to_string())?;
    }
    for extra in &payout.from_extra {
        doc.extra(&extra.name, &extra.value)?;
    }
    doc.end("from")?;
    doc.start("to")?;
    doc.text("amount", &payout.amount.to_string())?;
    if let Some(to_ccy) = &to_ccy {
        doc.text("ccy", to_ccy)?;
    }
    doc.text("service-id", &payout.service_id.to_string())?;
    doc.text("account-number", &payout.account_number)?;
    for extra in &payout.to_extra {
        doc.extra(&extra.name, &extra.value)?;
    }
    doc.end("to")?;
    doc.end("payment")?;
    doc.end("auth")?;
    doc.finish()
}

pub(crate) fn status(credentials: &Credentials, queries: &[StatusQuery]) -> Result<Vec<u8>, Error> {
    if queries.is_empty() {
        return Err(Error::InvalidInput(
            "a status request needs at least one payment".into(),
        ));
    }
    let mut doc = Document::new("pay", credentials)?;
    doc.start("status")?;
    for query in queries {
        doc.start("payment")?;
        doc.text("transaction-number", query.transaction_number().as_str())?;
        doc.start("to")?;
        doc.text("account-number", query.account_number())?;
        doc.end("to")?;
        doc.end("payment")?;
    }
    doc.end("status")?;
    doc.finish()
}

pub(crate) fn provider_lookup(
    credentials: &Credentials,
    local_phone: &str,
) -> Result<Vec<u8>, Error> {
    let mut doc = Document::new("get-provider-by-phone-number", credentials)?;
    doc.text("phonenumber", local_phone)?;
    doc.finish()
}
