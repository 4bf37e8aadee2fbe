//! Limits on held connections: event streams and waiting long polls of `/v1/changes` hold a
//! connection (and a task) for as long as the client likes, so each client address may hold at
//! most `--streams-per-client` of them and the instance at most `--max-streams`; beyond, a 429
//! with `Retry-After`. A slot is given back when its stream ends or its poll answers.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Mutex;

use actix_web::{HttpRequest, web};

use crate::error::AppError;

/// The open streams and waiting polls of an instance.
pub struct StreamSlots {
    per_client: usize,
    total: usize,
    open: Mutex<HashMap<IpAddr, usize>>,
}

impl StreamSlots {
    pub fn new(per_client: usize, total: usize) -> Self {
        StreamSlots {
            per_client,
            total,
            open: Mutex::new(HashMap::new()),
        }
    }

    /// How many are open now.
    pub fn open(&self) -> usize {
        self.open
            .lock()
            .map(|open| open.values().sum())
            .unwrap_or(0)
    }

    /// Takes a slot for the request's client address, or answers 429.
    pub fn take(slots: &web::Data<Self>, req: &HttpRequest) -> Result<Slot, AppError> {
        let client = req
            .peer_addr()
            .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |a| {
                super::rate_limit::client_key(a.ip())
            });
        let mut open = slots
            .open
            .lock()
            .map_err(|_| AppError::Internal("the stream table is poisoned".into()))?;
        let total: usize = open.values().sum();
        let mine = open.get(&client).copied().unwrap_or(0);
        if mine >= slots.per_client {
            return Err(AppError::TooManyStreams(format!(
                "this client address holds {mine} streams and waiting polls, as many as it may ({}); close one first",
                slots.per_client
            )));
        }
        if total >= slots.total {
            return Err(AppError::TooManyStreams(format!(
                "the service holds as many streams and waiting polls as it may ({}); retry shortly",
                slots.total
            )));
        }
        *open.entry(client).or_insert(0) += 1;
        Ok(Slot {
            slots: slots.clone(),
            client,
        })
    }
}

/// One held slot, given back when dropped.
pub struct Slot {
    slots: web::Data<StreamSlots>,
    client: IpAddr,
}

impl Drop for Slot {
    fn drop(&mut self) {
        if let Ok(mut open) = self.slots.open.lock()
            && let Some(count) = open.get_mut(&self.client)
        {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.client);
            }
        }
    }
}
