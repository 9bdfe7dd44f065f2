//! A tracing subscriber that keeps every span field and event field as text, for tests that
//! check what logs would carry (never a secret).
//!
//! Tracing caches per call site, for the whole process, whether anyone listens: a test that
//! reads traces runs in a test binary of its own, or events of call sites first reached by
//! tests without a subscriber are missed.

use std::fmt::{self, Write as _};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tracing::field::{Field, Visit};
use tracing::span;

use super::lock;

/// What was traced, as text: `span NAME field=value ...`, `record ...`, `event TARGET ...`.
#[derive(Debug, Clone, Default)]
pub struct Traces(Arc<Mutex<String>>);

impl Traces {
    /// Records everything traced on this thread until the guard is dropped.
    pub fn capture(&self) -> tracing::subscriber::DefaultGuard {
        tracing::subscriber::set_default(Capture {
            out: self.0.clone(),
            next_id: AtomicU64::new(1),
        })
    }

    /// Everything recorded so far.
    pub fn text(&self) -> String {
        lock(&self.0).clone()
    }
}

struct Capture {
    out: Arc<Mutex<String>>,
    next_id: AtomicU64,
}

struct Fields<'a>(&'a mut String);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        let _ = write!(self.0, "{}={:?} ", field.name(), value);
    }
}

impl tracing::Subscriber for Capture {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, attributes: &span::Attributes<'_>) -> span::Id {
        let mut out = lock(&self.out);
        let _ = write!(out, "\nspan {} ", attributes.metadata().name());
        attributes.record(&mut Fields(&mut out));
        span::Id::from_u64(self.next_id.fetch_add(1, Ordering::Relaxed))
    }

    fn record(&self, _: &span::Id, values: &span::Record<'_>) {
        let mut out = lock(&self.out);
        out.push_str("\nrecord ");
        values.record(&mut Fields(&mut out));
    }

    fn record_follows_from(&self, _: &span::Id, _: &span::Id) {}

    fn event(&self, event: &tracing::Event<'_>) {
        let mut out = lock(&self.out);
        let _ = write!(out, "\nevent {} ", event.metadata().target());
        event.record(&mut Fields(&mut out));
    }

    fn enter(&self, _: &span::Id) {}

    fn exit(&self, _: &span::Id) {}
}
