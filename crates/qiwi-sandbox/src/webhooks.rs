//! Payment notifications (E50-E56): the registered hook, its signing key, and the deliveries.
//!
//! Notifications are written and signed here with the sandbox's own code (reference §12.1:
//! the `signFields` values joined with `|`, HMAC-SHA256 with the Base64-decoded key, lowercase
//! hex). A worker task sends the due ones through `qiwi-transport`'s client, and only to
//! loopback URLs: a notification for any other host is kept (`held`) for inspection through
//! `GET /__sandbox/webhooks` and never sent. A delivery not answered `200` is sent again after
//! each of the configured delays (the service's: 10 minutes, then an hour).

use std::collections::VecDeque;
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

use crate::clock;
use crate::ids;
use crate::money::Amount;
use crate::state::{Shared, lock};

/// The `signFields` the service documents.
const SIGN_FIELDS: &str = "sum.currency,sum.amount,type,account,txnId";
/// Deliveries kept for inspection; the oldest finished ones go first.
const MAX_DELIVERIES: usize = 1000;
/// How long a receiver has to answer (the service allows 1-2 s).
const ANSWER_TIMEOUT: Duration = Duration::from_secs(2);
/// How often the worker looks for due work (and settles the state, so that a top-up
/// completing with nobody asking is still reported).
const TICK: Duration = Duration::from_millis(50);

/// The registered hook.
#[derive(Debug, Clone)]
pub(crate) struct Hook {
    pub id: String,
    pub url: String,
    /// `IN`, `OUT` or `BOTH`.
    pub txn_type: &'static str,
    /// The signing key, Base64 (as E52 returns it).
    pub key: String,
}

impl Hook {
    pub(crate) fn new(url: String, txn_type: &'static str) -> Self {
        Self {
            id: ids::uuid(),
            url,
            txn_type,
            key: new_key(),
        }
    }

    /// The answer of E50 and E54.
    pub(crate) fn json(&self) -> Value {
        json!({
            "hookId": self.id,
            "hookParameters": {"url": self.url},
            "hookType": "WEB",
            "txnType": self.txn_type,
        })
    }
}

/// A 32-byte key, Base64.
pub(crate) fn new_key() -> String {
    let bytes: Vec<u8> = (0..4).flat_map(|_| ids::next_u64().to_be_bytes()).collect();
    STANDARD.encode(bytes)
}

/// One notification and what became of it.
#[derive(Debug, Clone)]
pub(crate) struct Delivery {
    pub message_id: String,
    pub url: String,
    pub body: String,
    /// How many times each attempt sends it (2 under the deliver-twice fault).
    pub copies: u32,
    pub attempts: u32,
    /// `pending`, `sending`, `delivered`, `failed` (every retry used) or `held` (not loopback).
    pub status: &'static str,
    pub last_answer: Option<String>,
    pub due: Option<Instant>,
}

/// The hook, its deliveries and the deliver-twice fault.
#[derive(Debug, Default)]
pub(crate) struct Webhooks {
    pub hook: Option<Hook>,
    pub deliveries: VecDeque<Delivery>,
    /// How many of the next notifications are delivered twice.
    pub deliver_twice: u32,
}

/// A settled payment to report.
pub(crate) struct Payment<'a> {
    pub txn_id: u64,
    /// `IN` or `OUT`.
    pub direction: &'static str,
    pub person_id: &'a str,
    pub account: &'a str,
    pub amount: Amount,
    pub currency: u16,
    pub provider: u32,
    /// `None` for `SUCCESS`; the history's `errorCode` for `ERROR`.
    pub error_code: Option<u32>,
    /// The commission and the total taken, with their currency (the commission is `null` on
    /// `ERROR`, as the reference says).
    pub commission: Amount,
    pub total: (Amount, u16),
    pub comment: &'a str,
}

impl Payment<'_> {
    /// An incoming payment that succeeded, with no commission.
    pub(crate) fn incoming<'a>(
        txn_id: u64,
        person_id: &'a str,
        account: &'a str,
        amount: Amount,
        currency: u16,
        provider: u32,
    ) -> Payment<'a> {
        Payment {
            txn_id,
            direction: "IN",
            person_id,
            account,
            amount,
            currency,
            provider,
            error_code: None,
            commission: Amount(0),
            total: (amount, currency),
            comment: "",
        }
    }
}

impl Webhooks {
    /// Queues the notification of a settled payment, when the hook wants its direction.
    pub(crate) fn payment(&mut self, payment: &Payment<'_>) {
        let Some(hook) = &self.hook else { return };
        if hook.txn_type != "BOTH" && hook.txn_type != payment.direction {
            return;
        }
        let amount = payment.amount.compact();
        let money = json!({"amount": payment.amount.json_number(), "currency": payment.currency});
        let (total, total_currency) = payment.total;
        let (status, error_code, commission) = match payment.error_code {
            None => (
                "SUCCESS",
                "0".to_owned(),
                json!({"amount": payment.commission.json_number(), "currency": total_currency}),
            ),
            Some(code) => ("ERROR", code.to_string(), Value::Null),
        };
        let signed = [
            payment.currency.to_string(),
            amount,
            payment.direction.to_owned(),
            payment.account.to_owned(),
            payment.txn_id.to_string(),
        ]
        .join("|");
        let body = json!({
            "messageId": ids::uuid(),
            "hookId": hook.id,
            "payment": {
                "txnId": payment.txn_id.to_string(),
                "date": clock::moscow_offset_datetime(&clock::in_moscow(clock::now())),
                "type": payment.direction,
                "status": status,
                "errorCode": error_code,
                "personId": crate::money::json_number(payment.person_id),
                "account": payment.account,
                "comment": payment.comment,
                "provider": payment.provider,
                "sum": money,
                "commission": commission,
                "total": {"amount": total.json_number(), "currency": total_currency},
                "signFields": SIGN_FIELDS,
            },
            "hash": sign(&hook.key, &signed),
            "version": "1.0.0",
            "test": false,
        });
        self.queue(body);
    }

    /// Queues the test notification of E55 (no payment: the reference calls it "empty").
    pub(crate) fn test(&mut self) {
        let Some(hook) = &self.hook else { return };
        let body = json!({
            "messageId": ids::uuid(),
            "hookId": hook.id,
            "hash": "",
            "version": "1.0.0",
            "test": true,
        });
        self.queue(body);
    }

    /// Queues a notification, due now on the real clock (the worker's), whatever the sandbox's
    /// clock says.
    fn queue(&mut self, body: Value) {
        let now = Instant::now();
        let Some(hook) = &self.hook else { return };
        let copies = if self.deliver_twice > 0 {
            self.deliver_twice -= 1;
            2
        } else {
            1
        };
        let loopback = is_loopback(&hook.url);
        self.deliveries.push_back(Delivery {
            message_id: body["messageId"].as_str().unwrap_or_default().to_owned(),
            url: hook.url.clone(),
            body: body.to_string(),
            copies,
            attempts: 0,
            status: if loopback { "pending" } else { "held" },
            last_answer: None,
            due: loopback.then_some(now),
        });
        while self.deliveries.len() > MAX_DELIVERIES {
            match self.deliveries.iter().position(|d| d.due.is_none()) {
                Some(finished) => self.deliveries.remove(finished),
                None => self.deliveries.pop_front(),
            };
        }
    }

    /// The deliveries for `GET /__sandbox/webhooks`.
    pub(crate) fn json(&self) -> Value {
        let deliveries: Vec<Value> = self
            .deliveries
            .iter()
            .map(|d| {
                json!({
                    "messageId": d.message_id,
                    "url": d.url,
                    "status": d.status,
                    "attempts": d.attempts,
                    "copies": d.copies,
                    "lastAnswer": d.last_answer,
                    "body": serde_json::from_str::<Value>(&d.body).unwrap_or(Value::Null),
                })
            })
            .collect();
        json!({
            "hook": self.hook.as_ref().map(|h| {
                let mut hook = h.json();
                hook["key"] = json!(h.key);
                hook
            }),
            "deliverTwice": self.deliver_twice,
            "deliveries": deliveries,
        })
    }
}

/// HMAC-SHA256 of `message` with the Base64 `key`, lowercase hex.
fn sign(key: &str, message: &str) -> String {
    let key = STANDARD.decode(key).unwrap_or_default();
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&key)
        .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
    mac.update(message.as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Whether a hook URL names a loopback host (`127.0.0.0/8`, `::1`, `localhost`).
pub(crate) fn is_loopback(url: &str) -> bool {
    match url::Url::parse(url)
        .ok()
        .and_then(|u| u.host().map(|h| h.to_owned()))
    {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// Sends the due deliveries until the sandbox is dropped.
pub(crate) fn spawn_worker(shared: &Arc<Shared>) {
    let shared = Arc::downgrade(shared);
    tokio::spawn(async move {
        let Ok(transport) = qiwi_transport::ReqwestTransport::builder()
            .user_agent("qiwi-sandbox-notifier")
            .build()
        else {
            return;
        };
        let transport = Arc::new(transport);
        loop {
            tokio::time::sleep(TICK).await;
            let Some(shared) = Weak::upgrade(&shared) else {
                return;
            };
            for (index_id, url, body, copies) in take_due(&shared) {
                let (transport, weak) = (transport.clone(), Arc::downgrade(&shared));
                tokio::spawn(async move {
                    let mut answer = Err("not sent".to_owned());
                    for _ in 0..copies {
                        answer = send(&transport, &url, &body).await;
                    }
                    if let Some(shared) = weak.upgrade() {
                        record(&shared, &index_id, answer);
                    }
                });
            }
        }
    });
}

/// Marks the due deliveries as being sent and returns (messageId, url, body, copies).
fn take_due(shared: &Shared) -> Vec<(String, String, String, u32)> {
    let now = Instant::now();
    let mut state = shared.state();
    state
        .webhooks
        .deliveries
        .iter_mut()
        .filter(|d| d.due.is_some_and(|due| due <= now))
        .map(|d| {
            d.due = None;
            d.status = "sending";
            d.attempts = d.attempts.saturating_add(1);
            (
                d.message_id.clone(),
                d.url.clone(),
                d.body.clone(),
                d.copies,
            )
        })
        .collect()
}

/// One POST; `Ok` only for a `200`.
async fn send(
    transport: &qiwi_transport::ReqwestTransport,
    url: &str,
    body: &str,
) -> Result<(), String> {
    use qiwi_transport::Transport as _;
    let url = url::Url::parse(url).map_err(|e| e.to_string())?;
    let request = qiwi_transport::Request::new(http::Method::POST, url, "webhook")
        .header(
            http::header::ACCEPT,
            http::HeaderValue::from_static("application/json"),
        )
        .body("application/json", body.to_owned());
    match tokio::time::timeout(ANSWER_TIMEOUT, transport.send(request)).await {
        Ok(Ok(response)) if response.status == http::StatusCode::OK => Ok(()),
        Ok(Ok(response)) => Err(response.status.as_u16().to_string()),
        Ok(Err(error)) => Err(error.to_string()),
        Err(_) => Err("no answer within 2 s".into()),
    }
}

/// Records an attempt's answer: delivered, or due again after the next retry delay.
fn record(shared: &Shared, message_id: &str, answer: Result<(), String>) {
    let delays = shared.settings.webhook_retry_delays;
    let mut state = lock(&shared.state);
    let Some(delivery) = state
        .webhooks
        .deliveries
        .iter_mut()
        .find(|d| d.message_id == message_id)
    else {
        return;
    };
    match answer {
        Ok(()) => {
            delivery.status = "delivered";
            delivery.last_answer = Some("200".into());
        }
        Err(reason) => {
            delivery.last_answer = Some(reason);
            let retry = usize::try_from(delivery.attempts)
                .ok()
                .and_then(|attempts| delays.get(attempts.saturating_sub(1)));
            match retry {
                Some(delay) => {
                    delivery.status = "pending";
                    delivery.due = Instant::now().checked_add(*delay);
                }
                None => delivery.status = "failed",
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_the_reference_vector() {
        assert_eq!(
            sign(
                "JcyVhjHCvHQwufz+IHXolyqHgEc5MoayBfParl6Guoc=",
                "643|1|IN|+79161112233|13353941550"
            ),
            "f05c4e7bdf00620205d47696d77f924bfd3ba4d02b0398ac8a626e737dc27243"
        );
    }

    #[test]
    fn only_loopback_hosts_are_sent_to() {
        for (url, loopback) in [
            ("http://127.0.0.1:8080/hook", true),
            ("http://127.1.2.3/hook", true),
            ("http://[::1]:9000/", true),
            ("http://localhost/hook", true),
            ("https://example.com/hook", false),
            ("http://10.0.0.1/hook", false),
            ("http://127.0.0.1.example.com/", false),
            ("not a url", false),
        ] {
            assert_eq!(is_loopback(url), loopback, "{url}");
        }
    }
}
