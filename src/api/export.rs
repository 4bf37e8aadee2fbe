//! `GET /v1/export`: the whole dataset as NDJSON, streamed from one database snapshot.

use std::io::Write;

use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse, get, web};

use super::extract::single_query;
use crate::db::Pool;
use crate::error::AppError;
use crate::records::transfer::{self, Progress};

/// Bytes gathered before a chunk goes to the client.
const CHUNK: usize = 64 * 1024;

/// Sends what the export writes to the response, chunk by chunk; fails (and so stops the
/// export) once the client has gone.
struct ChannelWriter {
    buffer: Vec<u8>,
    tx: tokio::sync::mpsc::Sender<Result<Bytes, std::io::Error>>,
}

impl ChannelWriter {
    fn send(&mut self) -> std::io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::take(&mut self.buffer));
        self.tx
            .blocking_send(Ok(chunk))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "client gone"))
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(data);
        if self.buffer.len() >= CHUNK {
            self.send()?;
        }
        Ok(data.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.send()
    }
}

/// Streams every record (deleted ones too, every language) as NDJSON.
///
/// The first line is a header: `{"format": "iom-lrg-export", "format_version": 1, "seq": N,
/// "exported_at": ..., "counts": {...}}`, where `seq` is the change-feed position the snapshot
/// was taken at: load the export, then follow `/v1/changes?since=N`. Then one line per record:
/// `{"collection", "id", "version", "created_at", "updated_at", "deleted_at", "data"}`, with
/// `data` in the write schema (every language), in an order where records pointed to come
/// first. `iom-lrg-api import` reads it back.
#[utoipa::path(
    tag = "Changes",
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The dataset, one JSON object per line (header first)",
            content_type = "application/x-ndjson", body = String),
        super::ListErrors,
    )
)]
#[get("/export")]
pub async fn export_all(req: HttpRequest, pool: web::Data<Pool>) -> Result<HttpResponse, AppError> {
    single_query(&req, &[])?;
    // The connection is taken before answering, so an unavailable database is a 503, not a
    // broken stream.
    let pool = pool.into_inner();
    let mut conn = web::block(move || pool.get())
        .await
        .map_err(|e| AppError::Internal(e.to_string()))??;
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    actix_web::rt::task::spawn_blocking(move || {
        let mut writer = ChannelWriter {
            buffer: Vec::with_capacity(CHUNK),
            tx: tx.clone(),
        };
        if let Err(e) = transfer::export(&mut conn, &mut writer, |_| Progress::quiet()) {
            tracing::warn!(error = %e, "an export stopped");
            // Ends the body with an error, so the client sees a truncated transfer.
            let _ = tx.blocking_send(Err(std::io::Error::other("the export failed")));
        }
    });
    let body = futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx));
    Ok(HttpResponse::Ok()
        .content_type("application/x-ndjson")
        .insert_header(("Cache-Control", "no-store"))
        .streaming(body))
}
