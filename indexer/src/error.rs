//! API errors: an HTTP status and a JSON body `{"error": {"reason": "...", "message": "..."}}`, where `reason` is a
//! stable, machine-readable code and `message` is for people (the relayer's shape). Bad input is always a 4xx;
//! internal errors are logged with their cause and returned without it.

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
    /// Stable machine-readable code, e.g. `invalid_address`, `invalid_cursor`, `not_found`.
    pub reason: String,
    /// Human-readable explanation.
    pub message: String,
}

impl ApiError {
    /// 400.
    pub fn bad_request(reason: &'static str, message: impl Into<String>) -> Self {
        Self { status: StatusCode::BAD_REQUEST, reason, message: message.into() }
    }

    /// 404.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self { status: StatusCode::NOT_FOUND, reason: "not_found", message: message.into() }
    }

    /// 503.
    pub fn unavailable(reason: &'static str, message: impl Into<String>) -> Self {
        Self { status: StatusCode::SERVICE_UNAVAILABLE, reason, message: message.into() }
    }

    /// 500; the cause is logged, not returned.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(%cause, "internal error");
        Self { status: StatusCode::INTERNAL_SERVER_ERROR, reason: "internal", message: "internal error".into() }
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        Self::internal(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody { error: ErrorDetail { reason: self.reason.to_owned(), message: self.message } };
        (self.status, Json(body)).into_response()
    }
}
