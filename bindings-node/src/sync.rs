//! The media sync with progress events: `client._sync(args, options, onProgress,
//! cancel)` runs the core's `sync_call` as a Promise and delivers every progress event
//! to `onProgress({done, total, public_id, action, ok})` on the JavaScript thread.
//!
//! Unlike upload progress (coalesced figures), every sync event is kept: the core's
//! callback pushes it on a queue and signals the [`EventChannel`] without blocking;
//! the JavaScript thread drains the queue. When the sync settles, [`EventChannel::finish`]
//! (on the JavaScript thread, before the Promise settles) delivers what is still queued
//! and closes the channel: every event arrives before the report, none after it.
//! Exceptions thrown by the callback are caught by the wrapper in `api.js`.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use cldkit::sync::{ActionKind, Progress, ProgressFn};
use cldkit::{Map, Value};
use napi::{sys, Env, JsObject};
use napi_derive::napi;

use crate::cancel::Cancel;
use crate::client::Client;
use crate::convert::{from_map, raw, to_map, Arg};
use crate::errors::guard;
use crate::events::{
    call_function, lock, progress_function, spawn_reporting, EventChannel, Events,
};

/// The events queued by the engine's threads for the JavaScript thread.
struct Queue(Mutex<VecDeque<Progress>>);

/// A sync's progress channel.
type EventHub = EventChannel<Queue>;

/// The JSON name of an action (the core's serde names).
fn action_name(kind: ActionKind) -> &'static str {
    match kind {
        ActionKind::Upload => "upload",
        ActionKind::Replace => "replace",
        ActionKind::Delete => "delete",
        ActionKind::Download => "download",
        ActionKind::Unchanged => "unchanged",
    }
}

/// `{done, total, public_id, action, ok}`.
fn event_map(p: &Progress) -> Map {
    let mut m = Map::new();
    m.insert("done", Value::Int(p.done as i64));
    m.insert("total", Value::Int(p.total as i64));
    m.insert("public_id", Value::Str(p.public_id.clone()));
    m.insert("action", Value::Str(action_name(p.action).to_owned()));
    m.insert("ok", Value::Bool(p.ok));
    m
}

/// The core's callback, queueing into `hub`: queues `p` and signals the JavaScript
/// thread (never blocks).
fn sync_callback(hub: &Arc<EventHub>) -> ProgressFn {
    let hub = hub.clone();
    Arc::new(move |p: &Progress| {
        lock(&hub.events.0).push_back(p.clone());
        hub.signal();
    })
}

impl Events for Queue {
    /// Calls `func(event)` for every queued event, in order.
    fn deliver(&self, env: sys::napi_env, func: sys::napi_value) {
        loop {
            let Some(p) = lock(&self.0).pop_front() else {
                return;
            };
            let Ok(arg) = from_map(env, &event_map(&p)) else {
                continue;
            };
            // SAFETY: `env` is the live environment of the JavaScript thread.
            unsafe { call_function(env, func, &[arg]) };
        }
    }

    fn closed(&self) {
        lock(&self.0).clear();
    }
}

#[napi]
impl Client {
    /// Runs the catalogue's `sync` row (`args` holds `inventory`) with progress events
    /// to `onProgress`; resolves with the report (`api.js` adds the public method).
    #[napi(js_name = "_sync", ts_return_type = "Promise<unknown>")]
    pub fn sync_native(
        &self,
        env: Env,
        args: Arg,
        options: Arg,
        on_progress: Arg,
        cancel: &Cancel,
    ) -> napi::Result<JsObject> {
        let prepared = guard(&env, || {
            let e = env.raw();
            let mut args = to_map(e, raw(&args), "args")?;
            args.retain(|_, v| !v.is_null());
            let options = to_map(e, raw(&options), "options")?;
            let func = progress_function(e, &on_progress)?;
            // Made last: its threadsafe function keeps the event loop alive.
            let queue = || Queue(Mutex::new(VecDeque::new()));
            let hub = func
                .map(|f| EventChannel::new(e, f, "cldkit sync progress", queue()))
                .transpose()?;
            Ok((args, options, hub))
        })?;
        let (args, options, hub) = prepared;
        let client = self.inner.clone();
        let progress = hub.as_ref().map(sync_callback);
        spawn_reporting(
            &env,
            hub,
            cancel.wrap(async move {
                cldkit::sync::sync_call(&client, &args, &options, progress).await
            }),
        )
    }
}
