//! `GET /v1/export`: the whole dataset as NDJSON, from one database snapshot.
//!
//! The snapshot is written to an anonymous temporary file first, in one read transaction,
//! and the database connection goes back to the pool before the first byte is sent: a client
//! that reads slowly, or never, holds a file and one chunk of memory, not a connection (eight
//! such clients used to take every read of the service down). At most [`AT_ONCE`] exports are
//! written at a time; the others wait without a connection. A failure while writing is a
//! problem response, never a truncated body.

use std::io::{BufWriter, Read, Seek, SeekFrom, Write};

use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse, get, web};
use tokio::sync::Semaphore;

use super::extract::single_query;
use crate::db::{AnyConnection, Pool};
use crate::error::AppError;
use crate::records::transfer::{self, Progress};

/// Bytes read from the file per chunk sent.
const CHUNK: usize = 64 * 1024;

/// Exports written at the same time (each holds a connection while it writes).
pub const AT_ONCE: usize = 2;

static WRITING: Semaphore = Semaphore::const_new(AT_ONCE);

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
    let (file, length) = spool(pool, |conn, out| {
        transfer::export(conn, out, |_| Progress::quiet())
            .map(|_| ())
            .map_err(|e| AppError::Unavailable(format!("the export could not be written: {e}")))
    })
    .await?;
    Ok(stream_file(file, length, "application/x-ndjson"))
}

/// Writes a download into an anonymous temporary file with `write`, given a pooled connection
/// (at most [`AT_ONCE`] at a time), and gives back the file, rewound, and its length. The
/// connection is back in the pool before the caller sends a byte.
pub async fn spool(
    pool: web::Data<Pool>,
    write: impl FnOnce(&mut AnyConnection, &mut dyn Write) -> Result<(), AppError> + Send + 'static,
) -> Result<(std::fs::File, u64), AppError> {
    let permit = WRITING
        .acquire()
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let pool = pool.into_inner();
    let spooled = web::block(move || -> Result<(std::fs::File, u64), AppError> {
        let mut conn = pool.get()?;
        let file = tempfile::tempfile().map_err(|e| AppError::Unavailable(e.to_string()))?;
        let mut writer = BufWriter::new(file);
        write(&mut conn, &mut writer)?;
        drop(conn);
        let mut file = writer
            .into_inner()
            .map_err(|e| AppError::Unavailable(e.to_string()))?;
        let length = file
            .seek(SeekFrom::End(0))
            .and_then(|n| file.seek(SeekFrom::Start(0)).map(|_| n))
            .map_err(|e| AppError::Unavailable(e.to_string()))?;
        Ok((file, length))
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?;
    drop(permit);
    spooled
}

/// A 200 that streams a spooled file in chunks, with its length and no caching.
pub fn stream_file(file: std::fs::File, length: u64, content_type: &str) -> HttpResponse {
    let body = futures_util::stream::unfold(Some(file), |file| async move {
        let mut file = file?;
        let read = web::block(move || {
            let mut chunk = vec![0u8; CHUNK];
            let n = file.read(&mut chunk)?;
            chunk.truncate(n);
            Ok::<_, std::io::Error>((file, chunk))
        })
        .await;
        match read {
            Ok(Ok((_, chunk))) if chunk.is_empty() => None,
            Ok(Ok((file, chunk))) => Some((Ok(Bytes::from(chunk)), Some(file))),
            Ok(Err(e)) => Some((Err(e), None)),
            Err(e) => Some((Err(std::io::Error::other(e.to_string())), None)),
        }
    });
    HttpResponse::Ok()
        .content_type(content_type.to_owned())
        .insert_header(("Cache-Control", "no-store"))
        .no_chunking(length)
        .streaming(body)
}
