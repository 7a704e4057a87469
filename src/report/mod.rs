//! Writers of the run's outputs: pure functions that turn a
//! [`ScenarioSummary`](crate::stats::summary::ScenarioSummary) into bytes or a string (CSV,
//! PNG charts, HTML), [`artifacts`], the list of a scenario's files that owns their names
//! and captions, and [`output`], the one place that lays out paths and writes files.

pub mod answers;
pub mod artifacts;
mod base64;
pub mod charts;
pub mod csv;
mod describe;
pub mod format;
pub mod html;
pub mod margin;
pub mod output;
pub mod paths;

#[cfg(test)]
mod fixture;
