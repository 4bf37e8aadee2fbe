//! Push: how each instance learns that the change feed moved, whoever wrote ([`watch`]), and
//! the webhook deliveries that follow the feed for each subscription ([`webhooks`], with the
//! address rules of [`ssrf`] and the signatures of [`signature`]).
//!
//! Nothing here is on a request's path: the watcher and the delivery worker are threads of
//! their own, started with the application and stopped with it.

pub mod signature;
pub mod ssrf;
pub mod watch;
pub mod webhooks;
