//! Writers of the run's outputs (CSV, PNG charts, HTML).
