//! The terminal streams, written so that they can never stop a run: `println!` and
//! `eprintln!` panic when a stream is closed (`worthit run | head -1`) or full (`>/dev/full`).
//!
//! Like ripgrep: a broken pipe on standard output ends the output quietly and the work goes
//! on (the results are the files); any other failure to write it is remembered and reported
//! once at the end. Standard error is best effort: a message that cannot be shown is dropped.

use std::fmt;
use std::io::{self, Write};

/// Standard output for results.
#[derive(Debug, Default)]
pub struct Stdout {
    /// Output stopped: the reader went away, or writing failed.
    stopped: bool,
    /// The first failure that was not a broken pipe.
    error: Option<io::Error>,
}

impl Stdout {
    /// A fresh writer.
    pub fn new() -> Self {
        Self::default()
    }

    /// Write one line, unless output has stopped.
    pub fn line(&mut self, text: fmt::Arguments<'_>) {
        if self.stopped {
            return;
        }
        let mut out = io::stdout().lock();
        if let Err(e) = writeln!(out, "{text}").and_then(|()| out.flush()) {
            self.stopped = true;
            if e.kind() != io::ErrorKind::BrokenPipe {
                self.error = Some(e);
            }
        }
    }

    /// The failure to write that is not a broken pipe, if any (a full disk): the caller
    /// reports it and fails, since the printed results are incomplete.
    pub fn failure(&self) -> Option<&io::Error> {
        self.error.as_ref()
    }
}

/// Write one line to standard error, dropping it if standard error is closed or full.
pub fn eprint_line(text: fmt::Arguments<'_>) {
    let mut err = io::stderr().lock();
    let _ = writeln!(err, "{text}");
}

/// `println!` to a [`Stdout`].
#[macro_export]
macro_rules! outln {
    ($out:expr) => { $out.line(format_args!("")) };
    ($out:expr, $($arg:tt)*) => { $out.line(format_args!($($arg)*)) };
}

/// `eprintln!` that never panics.
#[macro_export]
macro_rules! errln {
    ($($arg:tt)*) => { $crate::console::eprint_line(format_args!($($arg)*)) };
}
