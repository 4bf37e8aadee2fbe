//! Request bodies: the media type a write takes, and its JSON object.

use actix_web::HttpRequest;
use actix_web::http::header;
use serde_json::{Map, Value};

use crate::error::AppError;
use crate::records::check::json_type;

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
