//! The HTTP service end to end through axum's `oneshot`, with fake readers (no models): every
//! row of Huawei's error table, authentication against vectors from the official signer, `url`
//! downloads against a local HTTP server, and property tests of request parsing and decoding.

mod auth;
mod budgets;
mod connections;
mod demo;
mod errors;
mod properties;
mod shutdown;
mod support;
mod url;
