//! actions-runtime's integration tests, in one binary (one link on 2 cores).
//! Each test of `backend_tests!` runs on SQLite; its PostgreSQL twin runs with `--ignored`
//! and `TEST_POSTGRES_URL`.

#![allow(unreachable_pub, missing_debug_implementations)] // a test binary exports nothing

mod acl;
mod app;
mod audit;
#[cfg(feature = "accounts")]
mod auth;
mod build;
mod client;
mod custom_auth;
mod db;
mod decoding;
mod faults;
#[cfg(feature = "accounts")]
mod forms;
mod hooks;
mod http;
mod idempotency;
mod layers;
mod limits;
#[cfg(feature = "accounts")]
mod logs;
mod openapi;
#[cfg(feature = "accounts")]
mod recovery;
mod transactions;
mod web;
