//! Fault injection: rules that delay, fail, drop or alter the responses of chosen routes.
//!
//! A rule names a route (see [`ROUTES`](crate::ROUTES)), a [`Fault`], and how many matching
//! requests it applies to: the next `times` requests after skipping `skip` of them, or every
//! request when `times` is `None`. Rules come from [`SandboxConfig::faults`](crate::SandboxConfig)
//! at start and from the admin endpoint `POST /__sandbox/faults` at run time.
//!
//! For one request: every matching latency rule adds its delay (the sum saturates); then the
//! first matching status, drop or agent-result rule decides the response; if there is none, a
//! matching null-balance rule (accounts list only) blanks the balances.
//!
//! The JSON form of a rule, as the admin endpoint reads and writes it:
//!
//! ```json
//! {"route": "wallet.accounts.list", "fault": "status", "status": 503, "times": 2}
//! {"route": "treezor", "fault": "status", "status": 429, "retryAfter": 3}
//! {"route": "*", "fault": "latency", "ms": 150}
//! {"route": "agent.pay.status", "fault": "drop", "times": 1}
//! {"route": "wallet.pay", "fault": "dropAnswer", "times": 1}
//! {"route": "wallet.accounts.list", "fault": "nullBalance", "times": 2}
//! {"route": "agent", "fault": "agentResultCode", "code": 13, "fatal": false, "skip": 1}
//! ```

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// What a rule does to a matching request.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// Wait this long before handling the request.
    Latency(Duration),
    /// Answer with this HTTP status instead of handling the request. 502 comes with an HTML
    /// page; other statuses with the family's error body. `retry_after` (seconds) sets the
    /// `Retry-After` header; a 429 without it gets `Retry-After: 1`.
    Status {
        /// HTTP status, 400 to 599 (500, 502, 503, 423 and 429 are the usual ones).
        status: u16,
        /// `Retry-After` in seconds.
        retry_after: Option<u64>,
    },
    /// Close the connection without writing any response.
    Drop,
    /// Handle the request (a payment is made), then close the connection without writing the
    /// answer: the client cannot tell whether its request was executed.
    DropAnswer,
    /// QIWI accounts list only: `"balance": null` on every account whose `hasBalance` is true.
    NullBalance,
    /// Agent protocol only: answer with this request-level `<result-code>` (e.g. 13, 300, 339).
    AgentResultCode {
        /// The result code.
        code: i32,
        /// The `fatal` attribute.
        fatal: bool,
    },
}

/// A fault rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "FaultRuleWire", into = "FaultRuleWire")]
pub struct FaultRule {
    /// Which requests match: a route name (`wallet.accounts.list`), a prefix of route names
    /// ending at a dot boundary (`wallet`, `agent.pay`), a route template with or without its
    /// method (`GET /v1/balances`, `/v1/balances`), or `*` for every route.
    pub route: String,
    /// What to do.
    pub fault: Fault,
    /// How many matching requests to apply to after the skipped ones; `None` means always.
    pub times: Option<u32>,
    /// How many matching requests to let through untouched first.
    pub skip: u32,
}

impl FaultRule {
    /// A rule that applies to every request matching `route`.
    pub fn new(route: impl Into<String>, fault: Fault) -> Self {
        Self {
            route: route.into(),
            fault,
            times: None,
            skip: 0,
        }
    }

    /// Applies the rule to the next `n` matching requests only.
    pub fn times(mut self, n: u32) -> Self {
        self.times = Some(n);
        self
    }

    /// Lets the first `n` matching requests through before the rule starts to apply.
    pub fn skip(mut self, n: u32) -> Self {
        self.skip = n;
        self
    }

    /// Whether the rule's route pattern matches a route `name` and its `method template`.
    pub(crate) fn matches(&self, name: &str, method: &str, template: &str) -> bool {
        let pattern = self.route.trim();
        if pattern == "*" || pattern == name || pattern == template {
            return true;
        }
        if let Some(rest) = name.strip_prefix(pattern) {
            if rest.starts_with('.') {
                return true;
            }
        }
        match pattern.split_once(' ') {
            Some((m, t)) => m.eq_ignore_ascii_case(method) && t.trim() == template,
            None => false,
        }
    }
}

/// The flat JSON shape of a rule (no tagged enums: they would not read numbers correctly with
/// `serde_json`'s `arbitrary_precision`).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct FaultRuleWire {
    route: String,
    fault: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    status: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    retry_after: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    code: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    fatal: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    times: Option<u32>,
    #[serde(default, skip_serializing_if = "is_zero")]
    skip: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl TryFrom<FaultRuleWire> for FaultRule {
    type Error = String;

    fn try_from(w: FaultRuleWire) -> Result<Self, String> {
        if w.route.trim().is_empty() {
            return Err("`route` must not be empty".into());
        }
        let fault = match w.fault.as_str() {
            "latency" => Fault::Latency(Duration::from_millis(
                w.ms.ok_or("a latency fault needs `ms`")?,
            )),
            "status" => {
                let status = w.status.ok_or("a status fault needs `status`")?;
                if !(400..=599).contains(&status) {
                    return Err(format!(
                        "`status` {status} is not an error status (400-599)"
                    ));
                }
                Fault::Status {
                    status,
                    retry_after: w.retry_after,
                }
            }
            "drop" => Fault::Drop,
            "dropAnswer" => Fault::DropAnswer,
            "nullBalance" => Fault::NullBalance,
            "agentResultCode" => Fault::AgentResultCode {
                code: w.code.ok_or("an agentResultCode fault needs `code`")?,
                fatal: w.fatal.unwrap_or(false),
            },
            other => {
                return Err(format!(
                    "unknown fault {other:?}: expected latency, status, drop, dropAnswer, nullBalance or agentResultCode"
                ));
            }
        };
        Ok(Self {
            route: w.route,
            fault,
            times: w.times,
            skip: w.skip,
        })
    }
}

impl From<FaultRule> for FaultRuleWire {
    fn from(r: FaultRule) -> Self {
        let mut w = FaultRuleWire {
            route: r.route,
            fault: String::new(),
            ms: None,
            status: None,
            retry_after: None,
            code: None,
            fatal: None,
            times: r.times,
            skip: r.skip,
        };
        match r.fault {
            Fault::Latency(d) => {
                w.fault = "latency".into();
                w.ms = Some(u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
            }
            Fault::Status {
                status,
                retry_after,
            } => {
                w.fault = "status".into();
                w.status = Some(status);
                w.retry_after = retry_after;
            }
            Fault::Drop => w.fault = "drop".into(),
            Fault::DropAnswer => w.fault = "dropAnswer".into(),
            Fault::NullBalance => w.fault = "nullBalance".into(),
            Fault::AgentResultCode { code, fatal } => {
                w.fault = "agentResultCode".into();
                w.code = Some(code);
                w.fatal = Some(fatal);
            }
        }
        w
    }
}

/// A rule with its run-time counters.
#[derive(Clone, Debug)]
struct ActiveRule {
    id: u64,
    rule: FaultRule,
    seen: u64,
    applied: u64,
}

impl ActiveRule {
    /// Counts a matching request and says whether the rule applies to it.
    fn take(&mut self) -> bool {
        self.seen += 1;
        if self.seen <= u64::from(self.rule.skip) {
            return false;
        }
        match self.rule.times {
            Some(n) if self.applied >= u64::from(n) => false,
            _ => {
                self.applied += 1;
                true
            }
        }
    }

    fn exhausted(&self) -> bool {
        matches!(self.rule.times, Some(n) if self.applied >= u64::from(n))
    }
}

/// The decision for one request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Decision {
    /// Total delay to wait first.
    pub latency: Duration,
    /// The response-changing fault, if any (`Status`, `Drop` or `AgentResultCode`).
    pub action: Option<Fault>,
    /// Whether the accounts list must blank its balances.
    pub null_balance: bool,
}

/// The set of active rules.
#[derive(Debug, Default)]
pub(crate) struct FaultSet {
    rules: Vec<ActiveRule>,
    next_id: u64,
}

/// The route whose handler reads the null-balance flag.
pub(crate) const ACCOUNTS_LIST_ROUTE: &str = "wallet.accounts.list";

impl FaultSet {
    /// Adds rules; returns their ids.
    pub fn add(&mut self, rules: impl IntoIterator<Item = FaultRule>) -> Vec<u64> {
        rules
            .into_iter()
            .map(|rule| {
                self.next_id += 1;
                self.rules.push(ActiveRule {
                    id: self.next_id,
                    rule,
                    seen: 0,
                    applied: 0,
                });
                self.next_id
            })
            .collect()
    }

    /// Removes every rule.
    pub fn clear(&mut self) {
        self.rules.clear();
    }

    /// How many rules are active.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// Decides what happens to a request of route `name` (`method template`).
    pub fn decide(&mut self, name: &str, method: &str, template: &str) -> Decision {
        let mut decision = Decision::default();
        for r in self.rules.iter_mut() {
            if matches!(r.rule.fault, Fault::Latency(_))
                && r.rule.matches(name, method, template)
                && r.take()
            {
                if let Fault::Latency(d) = r.rule.fault {
                    decision.latency = decision.latency.saturating_add(d);
                }
            }
        }
        for r in self.rules.iter_mut() {
            let is_action = matches!(
                r.rule.fault,
                Fault::Status { .. }
                    | Fault::Drop
                    | Fault::DropAnswer
                    | Fault::AgentResultCode { .. }
            );
            if !is_action || !r.rule.matches(name, method, template) {
                continue;
            }
            // An agent result code only makes sense on the agent endpoint.
            if matches!(r.rule.fault, Fault::AgentResultCode { .. }) && !name.starts_with("agent") {
                continue;
            }
            if r.take() {
                decision.action = Some(r.rule.fault.clone());
                break;
            }
        }
        if decision.action.is_none() && name == ACCOUNTS_LIST_ROUTE {
            for r in self.rules.iter_mut() {
                if r.rule.fault == Fault::NullBalance
                    && r.rule.matches(name, method, template)
                    && r.take()
                {
                    decision.null_balance = true;
                    break;
                }
            }
        }
        self.rules.retain(|r| !r.exhausted());
        decision
    }

    /// The active rules as JSON values, with their ids and counters.
    pub fn to_json(&self) -> serde_json::Value {
        let rules: Vec<serde_json::Value> = self
            .rules
            .iter()
            .map(|r| {
                let mut v = serde_json::to_value(&r.rule).unwrap_or(serde_json::Value::Null);
                if let serde_json::Value::Object(map) = &mut v {
                    map.insert("id".into(), r.id.into());
                    map.insert("matched".into(), r.seen.into());
                    map.insert("applied".into(), r.applied.into());
                }
                v
            })
            .collect();
        serde_json::json!({ "rules": rules })
    }
}

/// Reads the admin endpoint's body: one rule, an array of rules, or `{"rules": [...]}`.
pub(crate) fn parse_rules(body: &[u8]) -> Result<Vec<FaultRule>, String> {
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| format!("invalid JSON: {e}"))?;
    let list = match value {
        serde_json::Value::Array(items) => items,
        serde_json::Value::Object(mut map)
            if map.contains_key("rules") && !map.contains_key("fault") =>
        {
            match map.remove("rules") {
                Some(serde_json::Value::Array(items)) => items,
                _ => return Err("`rules` must be an array".into()),
            }
        }
        obj @ serde_json::Value::Object(_) => vec![obj],
        _ => return Err("expected a rule object, an array of rules or {\"rules\": [...]}".into()),
    };
    list.into_iter()
        .enumerate()
        .map(|(i, v)| serde_json::from_value::<FaultRule>(v).map_err(|e| format!("rule {i}: {e}")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(s: u16) -> Fault {
        Fault::Status {
            status: s,
            retry_after: None,
        }
    }

    #[test]
    fn route_patterns() {
        let r = |p: &str| FaultRule::new(p, Fault::Drop);
        let tpl = "/funding-sources/v2/persons/{personId}/accounts";
        assert!(r("*").matches("wallet.accounts.list", "GET", tpl));
        assert!(r("wallet").matches("wallet.accounts.list", "GET", tpl));
        assert!(r("wallet.accounts").matches("wallet.accounts.list", "GET", tpl));
        assert!(!r("wallet.acc").matches("wallet.accounts.list", "GET", tpl));
        assert!(r(tpl).matches("wallet.accounts.list", "GET", tpl));
        assert!(r(&format!("get {tpl}")).matches("wallet.accounts.list", "GET", tpl));
        assert!(!r(&format!("POST {tpl}")).matches("wallet.accounts.list", "GET", tpl));
    }

    #[test]
    fn counted_rules_expire_and_skip_works() {
        let mut set = FaultSet::default();
        set.add([FaultRule::new("treezor", status(503)).times(2).skip(1)]);
        let d = |set: &mut FaultSet| set.decide("treezor.balances", "GET", "/v1/balances").action;
        assert_eq!(d(&mut set), None);
        assert_eq!(d(&mut set), Some(status(503)));
        assert_eq!(d(&mut set), Some(status(503)));
        assert_eq!(d(&mut set), None);
        assert!(set.rules.is_empty());
    }

    #[test]
    fn latency_adds_up_and_first_action_wins() {
        let mut set = FaultSet::default();
        set.add([
            FaultRule::new("*", Fault::Latency(Duration::from_millis(10))),
            FaultRule::new("wallet", Fault::Latency(Duration::from_millis(5))).times(1),
            FaultRule::new("wallet", status(500)).times(1),
            FaultRule::new("wallet", Fault::Drop).times(1),
            FaultRule::new(ACCOUNTS_LIST_ROUTE, Fault::NullBalance).times(1),
        ]);
        let first = set.decide(ACCOUNTS_LIST_ROUTE, "GET", "/x");
        assert_eq!(first.latency, Duration::from_millis(15));
        assert_eq!(first.action, Some(status(500)));
        assert!(!first.null_balance);
        let second = set.decide(ACCOUNTS_LIST_ROUTE, "GET", "/x");
        assert_eq!(second.action, Some(Fault::Drop));
        let third = set.decide(ACCOUNTS_LIST_ROUTE, "GET", "/x");
        assert_eq!(third.action, None);
        assert!(third.null_balance);
        assert_eq!(third.latency, Duration::from_millis(10));
    }

    #[test]
    fn json_forms() {
        let rules = parse_rules(
            br#"{"route":"wallet","fault":"status","status":429,"retryAfter":3,"times":1}"#,
        )
        .unwrap();
        assert_eq!(
            rules[0].fault,
            Fault::Status {
                status: 429,
                retry_after: Some(3)
            }
        );
        assert_eq!(rules[0].times, Some(1));
        let rules = parse_rules(br#"[{"route":"*","fault":"latency","ms":20},{"route":"agent","fault":"agentResultCode","code":13}]"#).unwrap();
        assert_eq!(rules.len(), 2);
        let rules = parse_rules(br#"{"rules":[{"route":"x","fault":"drop"}]}"#).unwrap();
        assert_eq!(rules[0].fault, Fault::Drop);
        assert!(parse_rules(br#"{"route":"x","fault":"explode"}"#).is_err());
        assert!(parse_rules(br#"{"route":"x","fault":"status","status":200}"#).is_err());
        let text = serde_json::to_string(
            &FaultRule::new("x", Fault::Latency(Duration::from_millis(7))).times(2),
        )
        .unwrap();
        assert_eq!(text, r#"{"route":"x","fault":"latency","ms":7,"times":2}"#);
    }
}
