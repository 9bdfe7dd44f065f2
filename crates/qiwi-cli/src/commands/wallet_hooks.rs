//! `qiwi wallet webhook ...` and `qiwi wallet watch`: webhooks, and payments as they happen.

use std::time::Duration;

use futures_util::StreamExt;
use qiwi_cli::cli::{HookTypeArg, WatchArgs, WebhookCommand};
use qiwi_transport::{ExposeSecret, RefusalKind, Url};
use qiwi_wallet::models::{Hook, HookTxnType};
use qiwi_wallet::webhook::{Verified, WebhookVerifier};
use qiwi_wallet::{EventOrigin, HistoryFilter, PaymentEvent, WalletClient};
use qiwi_webhook_receiver::Receiver;
use serde::Serialize;

use super::stop::stop_signal;
use crate::contract;
use crate::failure::Failure;
use crate::fields;
use crate::output::{Output, notice};
use crate::table::{Align, Table};

/// `show` and `register`: the hook, or `null` when there is none.
#[derive(Serialize)]
struct HookDocument<'a> {
    hook: Option<&'a Hook>,
}

fn emit_hook(out: Output, hook: Option<&Hook>) -> Result<(), Failure> {
    out.emit("hook", &HookDocument { hook }, || match hook {
        Some(hook) => fields::table(hook).unwrap_or_else(|_| Table::new(&[])),
        None => {
            let mut t = Table::new(&[("HOOK", Align::Left)]);
            t.row(vec!["none".into()]);
            t
        }
    })
}

/// The active hook, or a refusal saying there is none.
async fn active(client: &WalletClient) -> Result<Hook, Failure> {
    client
        .active_hook()
        .await?
        .ok_or_else(|| Failure::Service("no webhook is registered for this wallet".into()))
}

/// Runs one `qiwi wallet webhook` command.
pub async fn webhook(
    client: &WalletClient,
    out: Output,
    command: WebhookCommand,
) -> Result<(), Failure> {
    match command {
        WebhookCommand::Register { url, kind } => {
            let kind = match kind {
                HookTypeArg::In => HookTxnType::In,
                HookTypeArg::Out => HookTxnType::Out,
                HookTypeArg::Both => HookTxnType::Both,
            };
            let hook = client.register_hook(&url, kind).await?;
            emit_hook(out, Some(&hook))
        }
        WebhookCommand::Show => emit_hook(out, client.active_hook().await?.as_ref()),
        WebhookCommand::Delete => {
            let hook = active(client).await?;
            client.delete_hook(&hook.hook_id).await?;
            result(out, "deleted", &hook.hook_id, None)
        }
        WebhookCommand::Key { new } => {
            let hook = active(client).await?;
            let key = if new {
                client.new_hook_key(&hook.hook_id).await?
            } else {
                client.hook_key(&hook.hook_id).await?
            };
            let what = if new { "new_key" } else { "key" };
            result(out, what, &hook.hook_id, Some(key.key.expose_secret()))
        }
        WebhookCommand::Test => {
            let hook = active(client).await?;
            client.test_hook().await?;
            result(out, "test_sent", &hook.hook_id, None)
        }
    }
}

fn result(out: Output, what: &str, hook_id: &str, key: Option<&str>) -> Result<(), Failure> {
    let value = serde_json::json!({ "result": what, "hook_id": hook_id, "key": key });
    out.emit("result", &value, || {
        let mut t = Table::new(&[("RESULT", Align::Left), ("HOOK", Align::Left)]);
        t.row(vec![what.into(), hook_id.into()]);
        if let Some(key) = key {
            t.row(vec!["key".into(), key.into()]);
        }
        t
    })
}

/// One event: a JSON object on one line with `--json`, a line of text otherwise.
fn print(out: Output, event: &PaymentEvent) -> Result<(), Failure> {
    if out.json {
        let document = contract::document("payment", event, out.sandbox)?;
        return out.write(&format!("{document}\n"));
    }
    let (amount, currency) = event
        .total
        .as_ref()
        .or(event.sum.as_ref())
        .map_or((String::new(), String::new()), |m| {
            (m.amount.to_string(), m.currency.code())
        });
    let (via, was) = match &event.origin {
        EventOrigin::Polling { previous_status } => (
            "polling",
            previous_status
                .as_ref()
                .map(|s| format!(" (was {s})"))
                .unwrap_or_default(),
        ),
        _ => ("webhook, signed", String::new()),
    };
    out.write(&format!(
        "{}  {:<3}  {}  {}{was}  {amount} {currency}  {}  [{via}]\n",
        event.date,
        event.kind,
        event.txn_id,
        event.status,
        event.account.as_deref().unwrap_or("-"),
    ))
}

/// Runs `qiwi wallet watch` until Ctrl-C (or SIGTERM), caught from the start so that a webhook
/// registered by `--listen` is always deleted.
pub async fn watch(client: &WalletClient, out: Output, args: WatchArgs) -> Result<(), Failure> {
    let stop = stop_signal()
        .map_err(|e| Failure::Other(format!("could not wait for a stop signal: {e}")))?;
    match args.listen {
        Some(addr) => receive(client, out, addr, args.public_url, stop).await,
        None => poll(client, out, Duration::from_secs(args.interval), stop).await,
    }
}

async fn poll(
    client: &WalletClient,
    out: Output,
    interval: Duration,
    stop: impl Future<Output = std::io::Result<()>>,
) -> Result<(), Failure> {
    let filter = HistoryFilter::default();
    let mark = client.watch_mark(&filter).await?;
    let mut events = client.watch_from(filter, interval, mark);
    notice(&format!(
        "watching payments (polling every {} s); Ctrl-C stops",
        interval.as_secs()
    ));
    let mut stop = std::pin::pin!(stop);
    loop {
        tokio::select! {
            _ = &mut stop => return Ok(()),
            next = events.next() => match next {
                Some(Ok(event)) => print(out, &event)?,
                Some(Err(error)) => match error.kind() {
                    Some(RefusalKind::Authentication | RefusalKind::Permission { .. }) => {
                        return Err(error.into());
                    }
                    // A failed poll: the next one may succeed.
                    _ => notice(&format!("qiwi: {error}; polling goes on")),
                },
                None => return Ok(()),
            },
        }
    }
}

async fn receive(
    client: &WalletClient,
    out: Output,
    addr: std::net::SocketAddr,
    public_url: Option<String>,
    stop: impl Future<Output = std::io::Result<()>>,
) -> Result<(), Failure> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| Failure::Other(format!("cannot listen on {addr}: {e}")))?;
    let local = listener.local_addr()?;
    let url = public_url.unwrap_or_else(|| format!("http://{local}/"));
    let path = Url::parse(&url)
        .map_err(|e| Failure::Usage(format!("--public-url: {e}")))?
        .path()
        .to_owned();
    // The wallet has one webhook: replacing it would silently cut off whoever receives on it.
    if let Some(active) = client.active_hook().await? {
        return Err(Failure::Usage(format!(
            "a webhook is already registered ({}, {}): delete it first with `qiwi wallet webhook delete`, or watch by polling (without --listen)",
            active.hook_parameters.url, active.hook_id
        )));
    }
    let hook = client.register_hook(&url, HookTxnType::Both).await?;
    let served = serve_hook(client, out, listener, &url, &path, &hook, stop).await;
    match client.delete_hook(&hook.hook_id).await {
        // Gone already (the service was reset, say): nothing is left registered.
        Err(error) if matches!(error.kind(), Some(RefusalKind::NotFound)) => served,
        // A webhook left behind is a failure of its own, unless the watch failed first.
        Err(error) => {
            notice(&format!(
                "qiwi: the webhook {} stays registered: delete it with `qiwi wallet webhook delete`",
                hook.hook_id
            ));
            served.and(Err(error.into()))
        }
        Ok(_) => served,
    }
}

/// Receives the notifications of `hook` until stopped; any failure here still leaves the caller
/// to delete the hook.
async fn serve_hook(
    client: &WalletClient,
    out: Output,
    listener: tokio::net::TcpListener,
    url: &str,
    path: &str,
    hook: &Hook,
    stop: impl Future<Output = std::io::Result<()>>,
) -> Result<(), Failure> {
    let key = client.hook_key(&hook.hook_id).await?;
    let verifier = WebhookVerifier::new(&key.key)
        .map_err(|e| Failure::Decode(format!("the webhook's key: {e}")))?;
    let receiver = Receiver::builder(verifier, move |notification: Verified| async move {
        match notification {
            Verified::Payment(payment) => {
                print(out, &PaymentEvent::from(*payment)).map_err(|e| e.to_string().into())
            }
            _ => {
                notice("test notification received");
                Ok(())
            }
        }
    })
    .build();
    notice(&format!(
        "receiving payments on {url} (webhook {}); Ctrl-C stops and deletes it",
        hook.hook_id
    ));
    tokio::select! {
        served = receiver.serve(listener, path) => served.map_err(Failure::from),
        _ = stop => Ok(()),
    }
}
