//! The `worthit` binary: parse the command line, call the library, exit with its status.

use std::process::ExitCode;

use clap::Parser;
use clap::error::ErrorKind;
use worthit::cli::{Cli, Command};
use worthit::{app, errln, signals};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // A bad value (`--trials 0`, `--seed abc`) is a one-line error, exit 2;
        // everything else (help, version, unknown flags with their tips) as clap prints it.
        Err(e)
            if matches!(
                e.kind(),
                ErrorKind::InvalidValue | ErrorKind::ValueValidation
            ) =>
        {
            let text = e.to_string();
            errln!("{}", text.lines().next().unwrap_or("error: invalid value"));
            return ExitCode::from(app::Status::Usage as u8);
        }
        Err(e) => e.exit(),
    };
    // A key set twice by --set: whichever came last would win.
    let set = match &cli.command {
        Command::Run(a) => &a.set[..],
        Command::Validate(a) => &a.set[..],
        Command::Sweep(a) => &a.set[..],
        Command::Threshold(a) => &a.set[..],
        Command::Init(_) | Command::Schema | Command::Merge(_) => &[],
    };
    if let Some(e) = worthit::scenario::overrides::repeated(set) {
        errln!("error: {e}");
        return ExitCode::from(app::Status::Usage as u8);
    }
    // Ctrl-C and SIGTERM remove what is half-written, then end the process.
    signals::install();
    let status = match cli.command {
        Command::Run(args) => app::run(&args),
        Command::Validate(args) => app::validate(&args),
        Command::Init(args) => app::init(&args),
        Command::Schema => app::schema(),
        Command::Merge(args) => worthit::merge::merge(&args),
        Command::Sweep(args) => worthit::ask::sweep(&args),
        Command::Threshold(args) => worthit::ask::threshold(&args),
    };
    // The output folders this command took are free again.
    worthit::report::output::unlock_all();
    ExitCode::from(status as u8)
}
