//! The error codes of Astro's `ActionError`: the 38 IANA-named 4xx and 5xx statuses.

use http::StatusCode;
use serde::{Serialize, Serializer};

macro_rules! error_codes {
    ($($(#[$doc:meta])* $variant:ident = $status:literal,)*) => {
        /// An error code on the wire (`"NOT_FOUND"`), each with its HTTP status.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        #[allow(non_camel_case_types)]
        pub enum ErrorCode {
            $($(#[$doc])* $variant,)*
        }

        impl ErrorCode {
            /// Every code, in status order.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)*];

            /// The code as written on the wire.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => stringify!($variant),)*
                }
            }

            /// The HTTP status the code is answered with.
            pub fn status(self) -> StatusCode {
                let status = match self {
                    $(ErrorCode::$variant => $status,)*
                };
                StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
            }

            /// The code of an HTTP status, if it has one.
            pub fn from_status(status: StatusCode) -> Option<ErrorCode> {
                match status.as_u16() {
                    $($status => Some(ErrorCode::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

error_codes! {
    BAD_REQUEST = 400,
    UNAUTHORIZED = 401,
    PAYMENT_REQUIRED = 402,
    FORBIDDEN = 403,
    NOT_FOUND = 404,
    METHOD_NOT_ALLOWED = 405,
    NOT_ACCEPTABLE = 406,
    PROXY_AUTHENTICATION_REQUIRED = 407,
    REQUEST_TIMEOUT = 408,
    CONFLICT = 409,
    GONE = 410,
    LENGTH_REQUIRED = 411,
    PRECONDITION_FAILED = 412,
    CONTENT_TOO_LARGE = 413,
    URI_TOO_LONG = 414,
    UNSUPPORTED_MEDIA_TYPE = 415,
    RANGE_NOT_SATISFIABLE = 416,
    EXPECTATION_FAILED = 417,
    MISDIRECTED_REQUEST = 421,
    UNPROCESSABLE_CONTENT = 422,
    LOCKED = 423,
    FAILED_DEPENDENCY = 424,
    TOO_EARLY = 425,
    UPGRADE_REQUIRED = 426,
    PRECONDITION_REQUIRED = 428,
    TOO_MANY_REQUESTS = 429,
    REQUEST_HEADER_FIELDS_TOO_LARGE = 431,
    UNAVAILABLE_FOR_LEGAL_REASONS = 451,
    INTERNAL_SERVER_ERROR = 500,
    NOT_IMPLEMENTED = 501,
    BAD_GATEWAY = 502,
    SERVICE_UNAVAILABLE = 503,
    GATEWAY_TIMEOUT = 504,
    HTTP_VERSION_NOT_SUPPORTED = 505,
    VARIANT_ALSO_NEGOTIATES = 506,
    INSUFFICIENT_STORAGE = 507,
    LOOP_DETECTED = 508,
    NETWORK_AUTHENTICATION_REQUIRED = 511,
}

impl ErrorCode {
    /// Whether the failure is the server's (5xx): its details never reach the client.
    pub fn is_server_error(self) -> bool {
        self.status().is_server_error()
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ErrorCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::ErrorCode;

    /// Astro's `codeToStatusMap`, as shipped in `astro/dist/actions/runtime`.
    const ASTRO: &str = "BAD_REQUEST 400 UNAUTHORIZED 401 PAYMENT_REQUIRED 402 FORBIDDEN 403 \
        NOT_FOUND 404 METHOD_NOT_ALLOWED 405 NOT_ACCEPTABLE 406 PROXY_AUTHENTICATION_REQUIRED 407 \
        REQUEST_TIMEOUT 408 CONFLICT 409 GONE 410 LENGTH_REQUIRED 411 PRECONDITION_FAILED 412 \
        CONTENT_TOO_LARGE 413 URI_TOO_LONG 414 UNSUPPORTED_MEDIA_TYPE 415 RANGE_NOT_SATISFIABLE 416 \
        EXPECTATION_FAILED 417 MISDIRECTED_REQUEST 421 UNPROCESSABLE_CONTENT 422 LOCKED 423 \
        FAILED_DEPENDENCY 424 TOO_EARLY 425 UPGRADE_REQUIRED 426 PRECONDITION_REQUIRED 428 \
        TOO_MANY_REQUESTS 429 REQUEST_HEADER_FIELDS_TOO_LARGE 431 UNAVAILABLE_FOR_LEGAL_REASONS 451 \
        INTERNAL_SERVER_ERROR 500 NOT_IMPLEMENTED 501 BAD_GATEWAY 502 SERVICE_UNAVAILABLE 503 \
        GATEWAY_TIMEOUT 504 HTTP_VERSION_NOT_SUPPORTED 505 VARIANT_ALSO_NEGOTIATES 506 \
        INSUFFICIENT_STORAGE 507 LOOP_DETECTED 508 NETWORK_AUTHENTICATION_REQUIRED 511";

    #[test]
    fn same_codes_and_statuses_as_astro() {
        let words: Vec<&str> = ASTRO.split_whitespace().collect();
        let astro: Vec<(&str, u16)> = words
            .chunks(2)
            .map(|pair| (pair[0], pair[1].parse().expect("status")))
            .collect();
        let ours: Vec<(&str, u16)> = ErrorCode::ALL
            .iter()
            .map(|code| (code.as_str(), code.status().as_u16()))
            .collect();
        assert_eq!(ours, astro);
        assert_eq!(ours.len(), 38);
        for code in ErrorCode::ALL {
            assert_eq!(ErrorCode::from_status(code.status()), Some(*code));
        }
    }
}
