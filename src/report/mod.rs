//! Writers of the run's outputs (CSV, PNG charts, HTML).
//!
//! Every writer here is pure: it turns a [`ScenarioSummary`](crate::stats::summary::ScenarioSummary)
//! into bytes or a string, and the caller decides where they go.

mod base64;
pub mod charts;
pub mod format;
pub mod html;
pub mod paths;

#[cfg(test)]
mod fixture;
