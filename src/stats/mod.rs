//! Streaming, exactly mergeable statistics over trials, and the summary computed from them.

pub mod summary;
