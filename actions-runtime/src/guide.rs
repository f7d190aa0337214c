//! The guides in `docs/`, rendered here so their examples are compiled as doctests.

#[doc = include_str!("../../docs/architecture.md")]
pub mod architecture {}

#[doc = include_str!("../../docs/actions.md")]
pub mod actions {}

#[doc = include_str!("../../docs/validation.md")]
pub mod validation {}

#[doc = include_str!("../../docs/transactions.md")]
pub mod transactions {}

#[doc = include_str!("../../docs/auth.md")]
pub mod auth {}

#[doc = include_str!("../../docs/forms.md")]
pub mod forms {}

#[doc = include_str!("../../docs/acl.md")]
pub mod acl {}

#[doc = include_str!("../../docs/clients.md")]
pub mod clients {}

#[doc = include_str!("../../docs/openapi.md")]
pub mod openapi {}

#[doc = include_str!("../../docs/performance.md")]
pub mod performance {}

#[doc = include_str!("../../docs/deployment.md")]
pub mod deployment {}

// The page shows pieces of expansions (an `impl` header, a function's body) that do not parse
// alone; a test checks each against the snapshots instead.
#[allow(rustdoc::invalid_rust_codeblocks)]
#[doc = include_str!("../../docs/generated-code.md")]
pub mod generated_code {}

#[doc = include_str!("../../README.md")]
pub mod readme {}
