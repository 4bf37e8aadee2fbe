//! Who may write: `Authorization: Bearer <key>` with the `write` scope (or `admin`, which also
//! manages keys). Reading stays public.

use actix_web::http::header;
use actix_web::{HttpRequest, web};

use super::extract::run;
use crate::db::Pool;
use crate::error::AppError;
use crate::models::key::{self, ApiKey};
use crate::models::now;

/// The key a request presents, if any: `Some(Err)` for a malformed header.
fn presented(req: &HttpRequest) -> Option<Result<String, AppError>> {
    let value = req.headers().get(header::AUTHORIZATION)?;
    let parsed = value
        .to_str()
        .ok()
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, key)| key.trim().to_owned())
        .filter(|key| !key.is_empty());
    Some(parsed.ok_or_else(|| AppError::Unauthorized {
        detail: "the Authorization header must be `Bearer <api key>`".into(),
        code: Some("invalid_request"),
    }))
}

/// The key behind a request, or a 401 when none, an unknown or a revoked one is presented.
pub async fn authenticate(req: &HttpRequest, pool: &web::Data<Pool>) -> Result<ApiKey, AppError> {
    let presented = presented(req).unwrap_or_else(|| {
        Err(AppError::Unauthorized {
            detail: "this operation needs an API key: send `Authorization: Bearer <api key>`"
                .into(),
            code: None,
        })
    })?;
    let found = run(pool, move |conn| {
        Ok(key::authenticate(conn, &presented, now())?)
    })
    .await?;
    found.ok_or_else(|| AppError::Unauthorized {
        detail: "the API key is unknown or revoked".into(),
        code: Some("invalid_token"),
    })
}

/// The key behind a request, which must allow `scope` (`write` or `admin`): 401 or 403 otherwise.
pub async fn require(
    req: &HttpRequest,
    pool: &web::Data<Pool>,
    scope: &'static str,
) -> Result<ApiKey, AppError> {
    let key = authenticate(req, pool).await?;
    if key.allows(scope) {
        Ok(key)
    } else {
        Err(AppError::Forbidden(scope))
    }
}

/// The key behind a request on a public endpoint, if one is presented (a bad one is a 401).
pub async fn optional(
    req: &HttpRequest,
    pool: &web::Data<Pool>,
) -> Result<Option<ApiKey>, AppError> {
    if presented(req).is_none() {
        return Ok(None);
    }
    authenticate(req, pool).await.map(Some)
}
