//! Stage 6 of the pipeline — the answer: the handler's output serialized as JSON (`200`), or
//! `204 No Content` for `()`.

use crate::base::{ActionOutput, Encoded};
use crate::error::ActionError;
use http::StatusCode;
use std::any::TypeId;

/// The response for a successful action: `200` with its JSON, or `204` for `()`.
pub(crate) fn encode<O: ActionOutput>(output: &O) -> Result<Encoded, ActionError> {
    if TypeId::of::<O>() == TypeId::of::<()>() {
        return Ok(Encoded {
            status: StatusCode::NO_CONTENT,
            body: Vec::new(),
        });
    }
    let body = serde_json::to_vec(output).map_err(ActionError::internal)?;
    Ok(Encoded {
        status: StatusCode::OK,
        body,
    })
}
