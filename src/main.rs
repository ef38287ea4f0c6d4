//! The `handbok` binary: parse the command line, run the library, print diagnostics, exit
//! 0 (success), 1 (content or theme errors, or warnings with `check --strict`) or 2 (usage
//! errors, from clap).

mod cli;

use std::process::ExitCode;
use std::sync::mpsc;

use clap::Parser;
use handbok::diag::Diagnostics;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match &cli.command {
        cli::Command::Build(args) => build(args),
        cli::Command::Check(args) => check(args),
        cli::Command::Serve(args) => serve(args),
        cli::Command::Init(args) => init(args),
    }
}

fn print(diags: Diagnostics) {
    for d in diags.sorted() {
        eprintln!("{d}\n");
    }
}

fn build(args: &cli::BuildArgs) -> ExitCode {
    let mut diags = Diagnostics::new();
    let result = handbok::build_timed(&args.site.options(), &mut diags);
    let (errors, warnings) = (diags.error_count(), diags.warning_count());
    print(diags);
    match result {
        Some((summary, timings)) if errors == 0 => {
            if args.timings {
                println!("Stage times:\n{}", timings.report());
            }
            println!("{}", summary.line(&args.site.out));
            if warnings > 0 {
                println!("{warnings} warning(s); see above");
            }
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("{errors} error(s), {warnings} warning(s); nothing was written");
            ExitCode::from(1)
        }
    }
}

fn check(args: &cli::CheckArgs) -> ExitCode {
    let mut diags = Diagnostics::new();
    let result = handbok::check(&args.site.options(), &mut diags);
    let (errors, warnings) = (diags.error_count(), diags.warning_count());
    print(diags);
    match result {
        Some(summary) if errors == 0 && (warnings == 0 || !args.strict) => {
            println!("Checked {} pages: no errors, {warnings} warning(s)", summary.pages);
            ExitCode::SUCCESS
        }
        Some(summary) if errors == 0 => {
            eprintln!(
                "Checked {} pages: no errors, {warnings} warning(s); --strict fails on warnings",
                summary.pages
            );
            ExitCode::from(1)
        }
        _ => {
            eprintln!("{errors} error(s), {warnings} warning(s)");
            ExitCode::from(1)
        }
    }
}

fn serve(args: &cli::ServeArgs) -> ExitCode {
    let mut options = handbok::serve::ServeOptions::new(args.site.options());
    options.port = args.port;
    let server = match handbok::serve::Server::start(options) {
        Ok(s) => s,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(1);
        }
    };
    let url = server.url();
    println!("Serving the handbook at {url}");
    println!(
        "Edit files in {} and save; open pages reload. Press Ctrl-C to stop.",
        args.site.content.display()
    );
    if args.open {
        open_browser(&url);
    }
    let (tx, rx) = mpsc::channel();
    if let Err(e) = ctrlc::set_handler(move || {
        let _ = tx.send(());
    }) {
        eprintln!("warning: cannot catch Ctrl-C ({e}); stop with the terminal's kill instead");
    }
    let _ = rx.recv();
    eprintln!("Stopping…");
    server.stop();
    ExitCode::SUCCESS
}

fn open_browser(url: &str) {
    let mut command = if cfg!(target_os = "windows") {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else {
        std::process::Command::new("xdg-open")
    };
    let opened = command
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if opened.is_err() {
        eprintln!("Could not open a browser; open {url} yourself");
    }
}

fn init(args: &cli::InitArgs) -> ExitCode {
    match handbok::init::init(&args.dir) {
        Ok(files) => {
            for f in &files {
                println!("created {}", f.display());
            }
            let dir = args.dir.display();
            println!("\nA new handbook is in {dir}. Next:\n  cd {dir}\n  handbok serve --open");
            ExitCode::SUCCESS
        }
        Err(d) => {
            eprintln!("{d}");
            ExitCode::from(1)
        }
    }
}
