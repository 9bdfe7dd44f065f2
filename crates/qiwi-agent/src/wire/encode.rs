//! Requests written with quick-xml's `Writer`: every text and attribute value goes through its
//! escaping, so a value holding `<`, `&` or quotes stays a value.

use qiwi_types::{Currency, WalletNumber};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use crate::client::StatusQuery;
use crate::credentials::Credentials;
use crate::error::Error;
use crate::payout::{FundsSource, Payout, Recipient};
use qiwi_types::InvalidValue;
use qiwi_types::agent::{Extra, ServiceId};

struct Document {
    writer: Writer<Vec<u8>>,
}

fn written(e: std::io::Error) -> Error {
    // Writing into a Vec cannot fail; this keeps the path panic-free all the same.
    Error::configuration(format!("the request could not be written: {e}"))
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

/// A payout as the wire names it: the recipient lowered to its service, account and extras.
pub(crate) struct Lowered {
    pub(crate) service_id: ServiceId,
    pub(crate) account_number: String,
    pub(crate) funds: Option<FundsSource>,
    pub(crate) from_extra: Vec<Extra>,
    pub(crate) to_extra: Vec<Extra>,
}

/// The one place that knows each service's id, account form and extras; the caller's own
/// extras follow the recipient's.
pub(crate) fn lower(payout: &Payout) -> Lowered {
    let comment = |comment: &Option<_>| {
        comment
            .iter()
            .map(|c: &crate::payout::Comment| Extra::new("comment", c.as_str()))
            .collect::<Vec<_>>()
    };
    let (service_id, account_number, funds, from_extra, to_extra) = match &payout.to {
        Recipient::Wallet {
            wallet,
            funds,
            comment: text,
        } => (
            ServiceId::WALLET,
            wallet.as_str().to_owned(),
            Some(*funds),
            Vec::new(),
            comment(text),
        ),
        Recipient::Card(card) => (
            ServiceId::CARD,
            card.as_str().to_owned(),
            None,
            Vec::new(),
            Vec::new(),
        ),
        Recipient::CardByPhone { phone, card } => (
            ServiceId::CARD_BY_PHONE,
            format!("+{}", phone.as_str()),
            None,
            Vec::new(),
            vec![Extra::new("account1", card.as_str())],
        ),
        Recipient::ForeignCard {
            card,
            holder,
            sender: s,
            comment: text,
        } => {
            let from_extra = vec![
                Extra::new("source_first_name", &*s.first_name),
                Extra::new("source_last_name", &*s.last_name),
                Extra::new("source_address", &*s.address),
                Extra::new("source_city", &*s.city),
                Extra::new("source_country_code", &*s.country_code),
                Extra::new("source_zip_code", &*s.zip_code),
                Extra::new("source_resident", if s.resident { "1" } else { "0" }),
                // `Payout::new` checked the sender, so the birthday is a date.
                Extra::new(
                    "source_birthday",
                    s.birthday_wire()
                        .unwrap_or_else(|_| s.birthday.raw().to_owned()),
                ),
            ];
            let mut to_extra = comment(text);
            to_extra.push(Extra::new("target_card_holder", &**holder));
            let account = card.as_str().to_owned();
            (ServiceId::FOREIGN_CARD, account, None, from_extra, to_extra)
        }
        Recipient::Mobile {
            wallet,
            provider_id,
            local_phone,
            charged,
        } => {
            let sum = charged.unwrap_or(payout.amount);
            let account0 = format!("id:{provider_id};acc:{local_phone};sum:{sum}");
            (
                ServiceId::MOBILE,
                wallet.as_str().to_owned(),
                None,
                Vec::new(),
                vec![Extra::new("account0", account0)],
            )
        }
        Recipient::Sbp { phone, bank_id } => (
            ServiceId::SBP,
            phone.as_str().to_owned(),
            None,
            Vec::new(),
            vec![Extra::new("bankId", &**bank_id)],
        ),
        Recipient::Service {
            service_id,
            account_number,
            funds,
        } => (
            *service_id,
            account_number.clone(),
            *funds,
            Vec::new(),
            Vec::new(),
        ),
    };
    Lowered {
        service_id,
        account_number,
        funds,
        from_extra: [from_extra, payout.from_extra.clone()].concat(),
        to_extra: [to_extra, payout.to_extra.clone()].concat(),
    }
}

pub(crate) fn pay(credentials: &Credentials, payout: &Payout) -> Result<Vec<u8>, Error> {
    let wire = lower(payout);
    let from_ccy = payout_currency("source currency", &payout.from_currency)?;
    let to_ccy = match &payout.to_currency {
        Some(c) => Some(payout_currency("currency", c)?),
        None => None,
    };
    if wire.service_id == ServiceId::FOREIGN_CARD
        && !matches!(&payout.to_currency, Some(c) if [Currency::RUB, Currency::USD, Currency::EUR].contains(c))
    {
        let named = payout
            .to_currency
            .as_ref()
            .map_or("none".into(), Currency::to_string);
        return Err(InvalidValue::new(
            "currency",
            format!("foreign-card payouts are made in RUB, USD or EUR, not {named}"),
        )
        .into());
    }
    let mut doc = Document::new("pay", credentials)?;
    if let Some(funds) = wire.funds {
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
    for extra in &wire.from_extra {
        doc.extra(&extra.name, &extra.value)?;
    }
    doc.end("from")?;
    doc.start("to")?;
    doc.text("amount", &payout.amount.to_string())?;
    if let Some(to_ccy) = &to_ccy {
        doc.text("ccy", to_ccy)?;
    }
    doc.text("service-id", &wire.service_id.to_string())?;
    doc.text("account-number", &wire.account_number)?;
    for extra in &wire.to_extra {
        doc.extra(&extra.name, &extra.value)?;
    }
    doc.end("to")?;
    doc.end("payment")?;
    doc.end("auth")?;
    doc.finish()
}

pub(crate) fn status(credentials: &Credentials, queries: &[StatusQuery]) -> Result<Vec<u8>, Error> {
    if queries.is_empty() {
        return Err(Error::invalid_input(
            "a status request needs at least one payment",
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
