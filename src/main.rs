//! The `worthit` binary: parse the command line, call the library, exit with its status.

use std::process::ExitCode;

use clap::Parser;
use worthit::app;
use worthit::cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let status = match cli.command {
        Command::Run(args) => app::run(&args),
        Command::Validate(args) => app::validate(&args),
        Command::Init(args) => app::init(&args),
    };
    ExitCode::from(status as u8)
}
