//! `multipart/form-data`, streamed through multer within the body limit.

use super::super::body::{declared_length, too_large};
use crate::base::wire::{FilePart, Node};
use crate::error::ActionError;
use axum::body::Body;
use http::request::Parts;
use std::borrow::Cow;

/// Every part of the body as `(name, value)`, in order; text parts must be UTF-8.
pub(crate) async fn read(
    parts: &Parts,
    body: Body,
    boundary: &str,
    limit: usize,
) -> Result<Vec<(Cow<'static, str>, Node<'static>)>, ActionError> {
    if declared_length(parts).is_some_and(|length| length > limit as u64) {
        return Err(too_large(limit));
    }
    let constraints =
        multer::Constraints::new().size_limit(multer::SizeLimit::new().whole_stream(limit as u64));
    let mut multipart = multer::Multipart::with_constraints(
        body.into_data_stream(),
        boundary.to_owned(),
        constraints,
    );
    let mut fields = Vec::new();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| multipart_error(e, limit))?
    {
        let Some(name) = field.name().map(str::to_owned) else {
            return Err(ActionError::bad_request(
                "a multipart part has no field name",
            ));
        };
        let file_name = field.file_name().map(str::to_owned);
        let content_type = field.content_type().map(ToString::to_string);
        let bytes = field.bytes().await.map_err(|e| multipart_error(e, limit))?;
        let value = match file_name {
            Some(file_name) => Node::File(Box::new(FilePart {
                file_name: Some(file_name).filter(|n| !n.is_empty()),
                content_type,
                bytes,
            })),
            None => match String::from_utf8(bytes.into()) {
                Ok(text) => Node::Str(Cow::Owned(text)),
                Err(_) => return Err(ActionError::field(name, "is not valid UTF-8")),
            },
        };
        fields.push((Cow::Owned(name), value));
    }
    Ok(fields)
}

fn multipart_error(error: multer::Error, limit: usize) -> ActionError {
    match error {
        multer::Error::StreamSizeExceeded { .. } | multer::Error::FieldSizeExceeded { .. } => {
            too_large(limit)
        }
        other => ActionError::bad_request(format!("malformed multipart body: {other}")),
    }
}
