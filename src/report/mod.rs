//! Writers of the run's outputs: pure functions that turn a summary into bytes (CSV, PNG,
//! HTML, JSON), and [`output`], the one place that lays out paths and writes files.

pub mod csv;
pub mod output;
