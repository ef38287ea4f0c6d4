//! The `handbok` binary: parse the command line, run the library, print diagnostics, exit
//! 0 (success), 1 (content or theme errors, or warnings with `check --strict`) or 2 (usage
//! errors, from clap).

mod cli;

use std::process::ExitCode;
#[cfg(feature = "serve")]
use std::sync::mpsc;

use clap::Parser;
use handbok::diag::{Diagnostics, Message};
use handbok::init::GitSetup;
use handbok::theme::Strings;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    if matches!(
        cli.command,
        Some(cli::Command::Build(_) | cli::Command::Check(_) | cli::Command::Publish(_))
    ) {
        keep_freed_memory();
    }
    match &cli.command {
        Some(cli::Command::Build(args)) => build(args),
        Some(cli::Command::Check(args)) => check(args),
        Some(cli::Command::Serve(args)) => serve(args),
        Some(cli::Command::Init(args)) => init(args),
        Some(cli::Command::Import(args)) => import(args),
        Some(cli::Command::Publish(args)) => publish(args),
        None => start_here(),
    }
}

/// For a command that builds once and exits: glibc's allocator keeps the memory one stage
/// frees for the next instead of giving it back and faulting it in again, and grows its heaps
/// in 16 MiB steps. A 10,000-page build spent a tenth of its CPU in page faults and `mprotect`
/// (heap growth) with the defaults; its peak memory is the same, and a 20 MB page's is lower
/// (179 against 210 MiB; a 64 MiB step made it 253). `serve` keeps the defaults: it gives
/// memory back after every build (`malloc_trim` in serve/rebuild.rs).
fn keep_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets two of the allocator's thresholds, before any thread starts.
    unsafe {
        libc::mallopt(libc::M_TRIM_THRESHOLD, 1 << 30);
        libc::mallopt(libc::M_TOP_PAD, 16 << 20);
    }
}

/// `handbok` alone (a double-click): preview the handbook in this folder (or the program's
/// folder) and open the browser; elsewhere say what a handbook folder is and wait for Enter,
/// so a window that closes by itself can still be read.
fn start_here() -> ExitCode {
    let here = std::env::current_dir().ok();
    let beside_program = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(std::path::Path::to_path_buf));
    let found = [here.clone(), beside_program]
        .into_iter()
        .flatten()
        .map(|dir| dir.join("content"))
        .find(|content| content.join("site.yml").is_file() || content.join("index.md").is_file());
    let Some(content) = found else {
        let place = here.map(|h| h.display().to_string()).unwrap_or_default();
        println!(
            "handbok hittar ingen handbok i {place}.\n\n\
             En handboksmapp är en mapp som innehåller mappen content. I content ligger handbokens\n\
             sidor (filer som slutar på .md) och inställningarna i site.yml.\n\n\
             Så kommer du igång:\n  \
             - Har du en handbok: lägg programmet handbok i handbokens mapp, bredvid mappen content,\n    \
               och dubbelklicka på det där. Handboken öppnas i webbläsaren, där du också redigerar den.\n  \
             - Vill du börja en ny handbok: öppna en terminal i den här mappen och skriv\n      \
               handbok init min-handbok\n    \
               Då skapas mappen min-handbok med en liten handbok att utgå från.\n\n\
             No handbook here. A handbook folder holds a folder named content with the pages (.md files)\n\
             and site.yml. Start handbok in that folder, or make a new handbook with `handbok init DIR`.\n"
        );
        println!("Tryck Enter för att stänga. (Press Enter to close.)");
        let mut line = String::new();
        let _ = std::io::stdin().read_line(&mut line);
        return ExitCode::from(2);
    };
    let args = cli::ServeArgs {
        site: cli::SourceArgs {
            content,
            theme: None,
            lang: None,
        },
        port: None,
        open: true,
    };
    serve(&args)
}

/// The string table every message of this run is worded by: the language of `--lang`, else
/// of `HANDBOK_LANG`, else the handbook's own (site.yml's `language`), else Swedish.
fn strings(lang: Option<&str>, content: &std::path::Path) -> Strings {
    let chosen = lang
        .map(str::to_string)
        .or_else(|| std::env::var("HANDBOK_LANG").ok())
        .or_else(|| {
            let text = std::fs::read_to_string(content.join("site.yml")).ok()?;
            handbok::config::SiteConfig::parse(&text, std::path::Path::new("site.yml"))
                .ok()
                .map(|c| c.language)
        })
        .filter(|l| handbok::config::SUPPORTED_LANGUAGES.contains(&l.as_str()))
        .unwrap_or_else(|| "sv".to_string());
    handbok::theme::Theme::builtin(&chosen)
        .or_else(|| handbok::theme::Theme::builtin("sv"))
        .map(|t| t.strings)
        .unwrap_or_default()
}

/// Every diagnostic, sorted, worded by `strings`, on standard error.
fn print(diags: Diagnostics, strings: &Strings) {
    for d in diags.sorted() {
        eprintln!("{}\n", d.render(strings));
    }
}

/// A line of the command line's own, worded by `strings`.
fn say(strings: &Strings, message: Message) -> String {
    message.words(strings)
}

fn build(args: &cli::BuildArgs) -> ExitCode {
    let strings = strings(args.site.lang.as_deref(), &args.site.content);
    let mut diags = Diagnostics::new();
    let result = handbok::build_timed(&args.site.options(), &mut diags);
    let (errors, warnings) = (diags.error_count(), diags.warning_count());
    print(diags, &strings);
    match result {
        Some((summary, timings)) if errors == 0 => {
            if args.timings {
                println!("Stage times:\n{}", timings.report());
            }
            println!("{}", say(&strings, summary.message(&args.site.out)));
            if warnings > 0 {
                println!(
                    "{}",
                    say(&strings, Message::new("cli_build_warnings").arg("warnings", warnings))
                );
            }
            ExitCode::SUCCESS
        }
        _ => {
            let failed = Message::new("cli_build_failed")
                .arg("errors", errors)
                .arg("warnings", warnings);
            eprintln!("{}", say(&strings, failed));
            ExitCode::from(1)
        }
    }
}

fn check(args: &cli::CheckArgs) -> ExitCode {
    let strings = strings(args.site.lang.as_deref(), &args.site.content);
    let mut diags = Diagnostics::new();
    let result = handbok::check(&args.site.options(), &mut diags);
    let (errors, warnings) = (diags.error_count(), diags.warning_count());
    print(diags, &strings);
    let checked = |key| {
        Message::new(key)
            .arg("pages", result.as_ref().map_or(0, |s| s.pages))
            .arg("warnings", warnings)
    };
    match result {
        Some(_) if errors == 0 && (warnings == 0 || !args.strict) => {
            println!("{}", say(&strings, checked("cli_checked")));
            ExitCode::SUCCESS
        }
        Some(_) if errors == 0 => {
            eprintln!("{}", say(&strings, checked("cli_checked_strict")));
            ExitCode::from(1)
        }
        _ => {
            let failed = Message::new("cli_check_failed")
                .arg("errors", errors)
                .arg("warnings", warnings);
            eprintln!("{}", say(&strings, failed));
            ExitCode::from(1)
        }
    }
}

/// `handbok serve` in a binary built without the `serve` feature.
#[cfg(not(feature = "serve"))]
fn serve(_args: &cli::ServeArgs) -> ExitCode {
    eprintln!(
        "error: this handbok was built without `serve` (cargo feature \"serve\"); build it with default features"
    );
    ExitCode::from(2)
}

#[cfg(feature = "serve")]
fn serve(args: &cli::ServeArgs) -> ExitCode {
    // A second start in the same handbook (a second double-click) opens the running server.
    if let Some(link) = handbok::serve::open_running(&args.site.content) {
        println!(
            "handbok körs redan för den här handboken. Här är en ny engångslänk till den:\n  {link}\n\
             (handbok already runs for this handbook; a new one-time link to it is above.)"
        );
        if args.open {
            open_browser(&link);
        }
        return ExitCode::SUCCESS;
    }
    let mut options = handbok::serve::ServeOptions::new(args.site.options());
    options.port = args.port;
    options.lang = args
        .site
        .lang
        .clone()
        .or_else(|| std::env::var("HANDBOK_LANG").ok())
        .filter(|l| handbok::config::SUPPORTED_LANGUAGES.contains(&l.as_str()));
    let server = match handbok::serve::Server::start(options) {
        Ok(s) => s,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(1);
        }
    };
    let url = server.url();
    println!("Serving the handbook at {url}");
    let link = match server.one_time_url() {
        Ok(link) => link,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(1);
        }
    };
    println!(
        "Open the handbook with its editor through this one-time link (it works once; run handbok\n\
         again in this folder for a new one):\n  {link}"
    );
    println!(
        "Edit pages in the browser (the edit link on every page), or edit the files in {} and save;\n\
         open pages reload. Press Ctrl-C (or close this window) to stop.",
        args.site.content.display()
    );
    if let Some(notice) = server.undelivered_notice() {
        println!("{notice}");
    }
    if args.open {
        open_browser(&link);
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

/// `handbok publish` in a handbok built without the `history` feature: publishing commits with
/// Git, which is not built in.
#[cfg(not(feature = "history"))]
fn publish(_args: &cli::PublishArgs) -> ExitCode {
    eprintln!(
        "error: this handbok was built without Git support (the `history` feature), so `publish` is not built in\n\
         = hint: use a handbok built with its default features to publish"
    );
    ExitCode::from(2)
}

/// `handbok publish`: every line it prints comes from the theme's string table, in the
/// language of `--lang`, `HANDBOK_LANG` or the handbook.
#[cfg(feature = "history")]
fn publish(args: &cli::PublishArgs) -> ExitCode {
    use handbok::publish::{Change, Options};
    let strings = &strings(args.site.lang.as_deref(), &args.site.content);
    let options = Options {
        content: args.site.content.clone(),
        theme: args.site.theme.clone(),
        sentence: args.message.clone(),
        dry_run: args.dry_run,
        strict: args.strict,
    };
    let outcome = handbok::publish::publish(&options, &handbok::output::FsWriter);
    print(outcome.diagnostics, strings);
    if !outcome.changes.is_empty() {
        println!("{}", Message::new("publish_changes_heading").words(strings));
        for change in &outcome.changes {
            let line = match change {
                Change::New(p) => Message::new("publish_change_new").arg("path", p.as_str()),
                Change::Changed(p) => Message::new("publish_change_changed").arg("path", p.as_str()),
                Change::Deleted(p) => Message::new("publish_change_deleted").arg("path", p.as_str()),
                Change::Renamed(from, to) => Message::new("publish_change_renamed")
                    .arg("from", from.as_str())
                    .arg("path", to.as_str()),
            };
            println!("  {}", line.words(strings));
        }
    }
    let code = outcome.status.exit_code();
    for message in &outcome.messages {
        if code == 0 {
            println!("{}", message.words(strings));
        } else {
            eprintln!("{}", message.words(strings));
        }
    }
    ExitCode::from(code)
}

#[cfg(feature = "serve")]
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
        Ok((files, git)) => {
            for f in &files {
                println!("created {}", f.display());
            }
            let dir = args.dir.display();
            match git {
                GitSetup::Committed => println!(
                    "\nThe handbook is a Git repository with a first commit (\"{}\"); every page keeps its history.",
                    handbok::init::FIRST_COMMIT
                ),
                GitSetup::NoIdentity => println!(
                    "\nThe handbook is a Git repository, but nothing is committed: Git does not know who you are.\n\
                     Tell it once, then commit the first version:\n  \
                     git config --global user.name \"Ditt Namn\"\n  \
                     git config --global user.email din.adress@example.se\n  \
                     cd {dir} && git add -A && git commit -m \"Personalhandboken skapas\""
                ),
                GitSetup::InsideRepository(repo) => println!(
                    "\n{dir} is inside the Git repository at {}; its history is kept there.",
                    repo.display()
                ),
                GitSetup::Failed(why) => eprintln!(
                    "warning: the handbook works, but it could not be made a Git repository ({why}); \
                     run `git init` in {dir} to keep its history"
                ),
                GitSetup::NotBuiltIn => println!(
                    "\nThis handbok was built without Git support (the `history` feature), so {dir} is not a \
                     Git repository; run `git init` there to keep its history."
                ),
            }
            println!("\nA new handbook is in {dir}. Next:\n  cd {dir}\n  handbok serve --open");
            ExitCode::SUCCESS
        }
        Err(d) => {
            eprintln!("{}", d.render(&strings(None, &args.dir)));
            ExitCode::from(1)
        }
    }
}

/// `handbok import`: convert, write all or nothing, then check the pages written.
fn import(args: &cli::ImportArgs) -> ExitCode {
    use handbok::import;
    let shown = args.file.display();
    let fail = |message: String| {
        eprintln!("fel: {shown}: {message}\nInget skrevs.");
        ExitCode::from(1)
    };
    let size = match std::fs::metadata(&args.file) {
        Ok(m) => m.len(),
        Err(e) => return fail(format!("filen kan inte läsas ({e})")),
    };
    if size > import::MAX_FILE_BYTES as u64 {
        return fail(
            import::ImportError::TooLarge {
                bytes: usize::try_from(size).unwrap_or(usize::MAX),
            }
            .to_string(),
        );
    }
    let bytes = match std::fs::read(&args.file) {
        Ok(b) => b,
        Err(e) => return fail(format!("filen kan inte läsas ({e})")),
    };
    let name = args
        .file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let changes = match (args.accept_changes, args.reject_changes) {
        (true, _) => import::Changes::Accept,
        (_, true) => import::Changes::Reject,
        _ => import::Changes::Refuse,
    };
    let options = import::Options {
        changes,
        split: args.split,
        section: args.to.clone(),
        pages: import::write::existing_pages(&args.content),
    };
    let converted = match import::convert(&bytes, &name, &options) {
        Ok(c) => c,
        Err(e) => return fail(e.to_string()),
    };
    let written = match import::write::write(&args.content, &args.to, &converted, args.replace) {
        Ok(w) => w,
        Err(e) => return fail(e.to_string()),
    };
    for w in &converted.warnings {
        eprintln!("varning: {w}");
    }
    for w in &written {
        println!("skapade {}", args.content.join(w).display());
    }
    // What `handbok check --strict` says about the pages written.
    let mut diags = Diagnostics::new();
    let options = handbok::BuildOptions {
        content: args.content.clone(),
        theme: None,
        out: std::path::PathBuf::from("public"),
        preview: false,
        history_from: None,
    };
    let _ = handbok::check(&options, &mut diags);
    let ours: Vec<_> = diags
        .sorted()
        .into_iter()
        .filter(|d| written.iter().any(|w| d.path.ends_with(w) && w.ends_with(".md")))
        .collect();
    if ours.is_empty() {
        println!("Den importerade texten klarar `handbok check --strict`.");
    } else {
        let strings = strings(None, &args.content);
        for d in &ours {
            eprintln!("{}\n", d.render(&strings));
        }
        println!(
            "Importen sparades, men `handbok check --strict` har {} anmärkning(ar) om den (se ovan): rätta dem i redigeraren.",
            ours.len()
        );
    }
    ExitCode::SUCCESS
}
