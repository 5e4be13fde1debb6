//! Errors in Cloudinary's wire shape: `{"error": {"message": "..."}}` with a status,
//! and the JSON answers of every handler.

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// An API error answered as `{"error": {"message": ...}}` with `status`.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The message, as the real service words it where known.
    pub message: String,
}

impl ApiError {
    /// An error with any status.
    pub fn new(status: u16, message: impl Into<String>) -> Self {
        ApiError {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            message: message.into(),
        }
    }
    /// 400 Bad Request.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(400, message)
    }
    /// 401 Unauthorized.
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(401, message)
    }
    /// 404 Not Found.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(404, message)
    }
    /// 409 Conflict.
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(409, message)
    }
    /// 500 Internal Server Error (storage failures and the like).
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(500, message)
    }
    /// The JSON body.
    pub fn body(&self) -> serde_json::Value {
        serde_json::json!({"error": {"message": self.message}})
    }
}

impl From<rusqlite::Error> for ApiError {
    fn from(e: rusqlite::Error) -> Self {
        ApiError::internal(format!("storage error: {e}"))
    }
}

impl From<std::io::Error> for ApiError {
    fn from(e: std::io::Error) -> Self {
        ApiError::internal(format!("storage error: {e}"))
    }
}

/// Result alias of the request handlers.
pub type ApiResult<T> = Result<T, ApiError>;

/// A JSON response with Cloudinary's headers.
pub fn json_response(status: StatusCode, body: &serde_json::Value) -> Response {
    let mut resp = (status, body.to_string()).into_response();
    let h = resp.headers_mut();
    h.insert(
        "content-type",
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    resp
}

/// An error response.
pub fn error_response(e: &ApiError) -> Response {
    json_response(e.status, &e.body())
}
