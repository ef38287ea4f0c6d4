//! The `handbok` binary: parse the command line, run the library, print diagnostics, exit
//! 0 (success), 1 (content or theme errors) or 2 (usage errors, from clap).

mod cli;

use std::process::ExitCode;

use clap::Parser;
use handbok::diag::Diagnostics;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let mut diags = Diagnostics::new();
    let (result, out) = match &cli.command {
        cli::Command::Build(args) => {
            let built = handbok::build_timed(&args.site.options(), &mut diags).map(|(summary, timings)| {
                if args.timings {
                    println!("Stage times:\n{}", timings.report());
                }
                summary
            });
            (built, Some(args.site.out.clone()))
        }
        cli::Command::Check(args) => (handbok::check(&args.options(), &mut diags), None),
    };
    let errors = diags.error_count();
    let warnings = diags.warning_count();
    for d in diags.sorted() {
        eprintln!("{d}\n");
    }
    match (result, out) {
        (Some(summary), Some(out)) if errors == 0 => {
            println!("{}", summary.line(&out));
            ExitCode::SUCCESS
        }
        (Some(summary), None) if errors == 0 => {
            println!("Checked {} pages: no errors, {warnings} warnings", summary.pages);
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("{errors} error(s), {warnings} warning(s); nothing was written");
            ExitCode::from(1)
        }
    }
}
