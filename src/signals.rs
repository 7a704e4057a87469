//! Ctrl-C, SIGTERM and SIGHUP (the terminal closed, an ssh session dropped): the run stops
//! at once, its temporary files and folders are removed (a scenario folder being replaced is
//! put back), one line says so, and the exit status is 128 plus the signal's number (130 for
//! Ctrl-C, 143 for SIGTERM, 129 for SIGHUP), as shells report it. Scenarios already finished
//! keep their folders.

/// Start the thread that waits for the signals. Without it (or where signals cannot be
/// caught), a signal ends the process as usual and the next run removes what it left.
pub fn install() {
    #[cfg(unix)]
    unix::install();
}

#[cfg(unix)]
mod unix {
    use std::io::IsTerminal;

    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    use signal_hook::iterator::Signals;

    use crate::report::output;

    pub fn install() {
        let Ok(mut signals) = Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
            return;
        };
        let _ = std::thread::Builder::new()
            .name("worthit-signals".to_string())
            .spawn(move || {
                if let Some(signal) = signals.forever().next() {
                    let removed = output::remove_temporaries();
                    let name = match signal {
                        SIGINT => "Ctrl-C",
                        SIGHUP => "SIGHUP",
                        _ => "SIGTERM",
                    };
                    // Below a progress bar, not over it.
                    let newline = if std::io::stderr().is_terminal() {
                        "\n"
                    } else {
                        ""
                    };
                    crate::errln!(
                        "{newline}worthit: stopped by {name}; {removed} unfinished output{} removed, finished outputs kept",
                        if removed == 1 { "" } else { "s" }
                    );
                    std::process::exit(128 + signal);
                }
            });
    }
}
