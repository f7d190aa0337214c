//! A request body that keeps what is read from it: a browser's form is read by the pipeline,
//! after auth and the ACL, and its values are still there for the flash.

use axum::body::Body;
use bytes::{Bytes, BytesMut};
use hyper::body::{Body as HttpBody, Frame, SizeHint};
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};

/// What a [`Tee`] kept: the chunks read so far (sharing their memory with the reader's), or
/// nothing once the body went over the limit or failed (a part of a form refills nothing).
#[derive(Default)]
struct Store {
    chunks: Vec<Bytes>,
    len: usize,
    spoiled: bool,
}

/// The copy a [`tee`] keeps, read once the body's reader is done with it.
#[derive(Clone)]
pub(crate) struct Kept(Arc<Mutex<Store>>);

impl Kept {
    /// A body read already, kept whole.
    pub(crate) fn whole(bytes: Bytes) -> Kept {
        let len = bytes.len();
        Kept(Arc::new(Mutex::new(Store {
            chunks: vec![bytes],
            len,
            spoiled: false,
        })))
    }

    /// What was read, if it stayed within the limit and no read failed; empty if nothing was
    /// read.
    pub(crate) fn bytes(&self) -> Option<Bytes> {
        let store = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if store.spoiled {
            return None;
        }
        Some(match store.chunks.as_slice() {
            [] => Bytes::new(),
            [one] => one.clone(),
            chunks => {
                let mut all = BytesMut::with_capacity(store.len);
                chunks.iter().for_each(|chunk| all.extend_from_slice(chunk));
                all.freeze()
            }
        })
    }
}

/// `body`, keeping each chunk its reader polls, up to `limit` bytes in all.
pub(crate) fn tee(body: Body, limit: usize) -> (Body, Kept) {
    let kept = Kept(Arc::default());
    let tee = Tee {
        inner: body,
        kept: kept.clone(),
        limit,
    };
    (Body::new(tee), kept)
}

struct Tee {
    inner: Body,
    kept: Kept,
    limit: usize,
}

impl HttpBody for Tee {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let polled = Pin::new(&mut self.inner).poll_frame(cx);
        if let Poll::Ready(Some(result)) = &polled {
            let mut store = self.kept.0.lock().unwrap_or_else(PoisonError::into_inner);
            match result.as_ref().map(Frame::data_ref) {
                Ok(Some(data)) if !store.spoiled => {
                    if store.len + data.len() <= self.limit {
                        store.len += data.len();
                        store.chunks.push(data.clone());
                    } else {
                        *store = Store {
                            spoiled: true,
                            ..Store::default()
                        };
                    }
                }
                Ok(_) => {}
                Err(_) => {
                    *store = Store {
                        spoiled: true,
                        ..Store::default()
                    };
                }
            }
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::{Kept, tee};
    use axum::body::Body;
    use bytes::Bytes;

    fn chunked(chunks: &[&'static str]) -> Body {
        let chunks: Vec<Result<Bytes, std::io::Error>> =
            chunks.iter().map(|c| Ok(Bytes::from(*c))).collect();
        Body::from_stream(futures_util::stream::iter(chunks))
    }

    #[tokio::test]
    async fn keeps_what_is_read_within_the_limit() {
        let (body, kept) = tee(chunked(&["a=1&", "b=2"]), 7);
        assert_eq!(kept.bytes().unwrap(), "", "nothing read yet");
        let read = axum::body::to_bytes(body, 100).await.unwrap();
        assert_eq!(read, "a=1&b=2");
        assert_eq!(kept.bytes().unwrap(), "a=1&b=2");

        let (body, kept) = tee(chunked(&["a=1&", "b=2&", "c=3"]), 7);
        assert!(axum::body::to_bytes(body, 100).await.is_ok());
        assert_eq!(kept.bytes(), None, "over the limit: nothing kept");

        let failing = Body::from_stream(futures_util::stream::iter([
            Ok(Bytes::from("a=1")),
            Err(std::io::Error::other("reset")),
        ]));
        let (body, kept) = tee(failing, 100);
        assert!(axum::body::to_bytes(body, 100).await.is_err());
        assert_eq!(kept.bytes(), None, "a failed read: nothing kept");

        assert_eq!(Kept::whole("x=1".into()).bytes().unwrap(), "x=1");
    }
}
