//! Distributions (placeholder).
