//! The end-to-end suite: one test binary, one module per area, so the whole suite links once
//! and shares the harness's per-process template database and password hash.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod accounts;
mod admin;
mod allowed_actions;
mod contract_edges;
mod cors;
mod directory;
mod dispatch;
mod evaluation;
mod foundation;
mod hardening;
mod issues_intake;
mod labels;
mod lifecycle;
mod limits;
mod live;
mod names;
mod notices;
mod org_lookup;
mod photos;
mod raw;
mod reports;
mod residents_level;
mod revocation;
mod robustness;
mod scheduler;
mod similar;
mod sms_codes;
mod verification;
mod visibility;
mod workflow_extras;
