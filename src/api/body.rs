//! Request bodies: read within a deadline ([`Body`]), the media type a write takes, and its
//! JSON object.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use serde_json::{Map, Value};

use crate::error::AppError;
use crate::records::check::json_type;

/// How long a client has to send a whole body (`--body-timeout`).
#[derive(Debug, Clone, Copy)]
pub struct BodyTimeout(pub Duration);

/// A request body, read whole within [`BodyTimeout`] (408 after it, so a client trickling
/// bytes cannot hold a worker and a connection) and within the size limit (413).
pub struct Body(pub web::Bytes);

impl FromRequest for Body {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let deadline = req
            .app_data::<web::Data<BodyTimeout>>()
            .map_or(Duration::from_secs(10), |t| t.0);
        let read = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            match tokio::time::timeout(deadline, read).await {
                Ok(body) => body.map(Body),
                Err(_) => Err(AppError::RequestTimeout(format!(
                    "the body did not arrive within {} s",
                    deadline.as_secs()
                ))
                .into()),
            }
        })
    }
}

/// Parses a write's body: `application/json` (or, for PATCH, `application/merge-patch+json`),
/// a JSON object.
pub fn json_object(
    req: &HttpRequest,
    body: &[u8],
    patch: bool,
) -> Result<Map<String, Value>, AppError> {
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let essence = content_type.split(';').next().unwrap_or("").trim();
    let accepted =
        essence == "application/json" || (patch && essence == "application/merge-patch+json");
    if !accepted {
        let wanted = if patch {
            "application/merge-patch+json or application/json"
        } else {
            "application/json"
        };
        let got = if essence.is_empty() {
            "none".to_owned()
        } else {
            format!("'{essence}'")
        };
        return Err(AppError::UnsupportedMediaType {
            detail: format!("Content-Type must be {wanted} (got {got})"),
            patch,
        });
    }
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| AppError::MalformedBody(format!("the body is not valid JSON: {e}")))?;
    match value {
        Value::Object(map) => Ok(map),
        other => Err(AppError::invalid(
            "",
            format!("the body must be a JSON object, not {}", json_type(&other)),
        )),
    }
}
