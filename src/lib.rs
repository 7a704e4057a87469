//! # worthit
//!
//! A Monte Carlo simulator of the lifetime net return of retraining paths (an ML master's,
//! a bootcamp, self-study, ...) versus staying in the current job.
//!
//! The data flow is one line, and each stage is a module:
//!
//! ```text
//! scenarios/x.toml -> scenario (load + validate) -> model (compiled samplers, economics)
//!   -> engine (fixed seeded batches on rayon) -> stats (mergeable accumulators -> summary)
//!   -> report (CSV, PNG, HTML)
//! ```
#![deny(missing_docs)]

pub mod app;
pub mod cli;
pub mod dist;
pub mod engine;
pub mod model;
pub mod report;
pub mod scenario;
pub mod stats;
