//! API errors: an HTTP status and a JSON body `{"error": {"reason": "...", "message": "..."}}`, where `reason` is
//! a stable, machine-readable code and `message` is for people. Internal errors are logged with their cause and
//! returned without it.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// An error the API returns.
#[derive(Debug)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Stable machine-readable code.
    pub reason: &'static str,
    /// Human-readable explanation.
    pub message: String,
    /// Seconds after which a rate-limited client may retry.
    pub retry_after: Option<u64>,
    /// The revert data of a call that would fail (hex), for `simulation_failed` on EVM: clients decode the
    /// contract's custom error from it.
    pub revert_data: Option<String>,
}

/// The JSON body of an error.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// What went wrong.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable code, e.g. `invalid_credentials`, `email_taken`, `rate_limited`.
    pub reason: String,
    /// Human-readable explanation.
    pub message: String,
    /// EVM `simulation_failed`: the call's revert data (hex), to decode the contract's custom error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revert_data: Option<String>,
}

impl ApiError {
    fn new(status: StatusCode, reason: &'static str, message: &str) -> Self {
        Self { status, reason, message: message.to_owned(), retry_after: None, revert_data: None }
    }

    /// 400.
    pub fn bad_request(reason: &'static str, message: &str) -> Self {
        Self::new(StatusCode::BAD_REQUEST, reason, message)
    }

    /// 401.
    pub fn unauthorized(reason: &'static str, message: &str) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, reason, message)
    }

    /// 409.
    pub fn conflict(reason: &'static str, message: &str) -> Self {
        Self::new(StatusCode::CONFLICT, reason, message)
    }

    /// 429 with a Retry-After.
    pub fn rate_limited(retry_after: u64) -> Self {
        Self {
            retry_after: Some(retry_after),
            ..Self::new(StatusCode::TOO_MANY_REQUESTS, "rate_limited", "too many attempts; retry later")
        }
    }

    /// 500; the cause is logged, not returned.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(%cause, "internal error");
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "internal error")
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail { reason: self.reason.to_owned(), message: self.message, revert_data: self.revert_data },
        };
        let mut response = (self.status, Json(body)).into_response();
        if let Some(seconds) = self.retry_after {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
        response
    }
}
