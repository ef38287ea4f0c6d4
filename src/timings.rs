//! Wall time per pipeline stage and the peak memory, for `handbok build --timings` and the
//! benchmark.

use std::time::{Duration, Instant};

/// Wall time per pipeline stage, in the order the stages ran. A stage made of branches that
/// run side by side (the Markdown stage and the walk of the Git history) has its wall time as
/// a stage, and each branch's own time beside it: the stages add up to the total, and the
/// slowest branch is the one that held the build up.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    /// Each stage's name and how long it took.
    pub stages: Vec<(&'static str, Duration)>,
    /// The branches of stages that ran them side by side: the stage's name and each branch's
    /// name and own time.
    pub branches: Vec<(&'static str, Vec<(&'static str, Duration)>)>,
    last: Option<Instant>,
}

impl Timings {
    /// Start the clock for the first stage.
    pub fn start() -> Timings {
        Timings {
            stages: Vec::new(),
            branches: Vec::new(),
            last: Some(Instant::now()),
        }
    }

    /// Start the clock again (after time that belongs to no stage).
    pub fn restart(&mut self) {
        self.last = Some(Instant::now());
    }

    /// Close the running stage under `name` and start the next one.
    pub fn mark(&mut self, name: &'static str) {
        let now = Instant::now();
        let since = self.last.map_or(Duration::ZERO, |t| now - t);
        self.stages.push((name, since));
        self.last = Some(now);
    }

    /// Close the running stage under `name`, whose work ran in `branches` side by side (each
    /// with its own time), and start the next one.
    pub fn mark_parallel(&mut self, name: &'static str, branches: Vec<(&'static str, Duration)>) {
        self.mark(name);
        self.branches.push((name, branches));
    }

    /// One line per stage, e.g. `  load          12.3 ms`; under a stage whose branches ran
    /// side by side, one line per branch (`    · git walk     4.0 ms`), the slowest marked as
    /// the one that held the build up; then the total of the stages.
    pub fn report(&self) -> String {
        let mut out = String::new();
        let mut total = Duration::ZERO;
        for (name, d) in &self.stages {
            out.push_str(&format!("  {name:<16} {:>9.1} ms\n", d.as_secs_f64() * 1e3));
            total += *d;
            let Some((_, branches)) = self.branches.iter().find(|(stage, _)| stage == name) else {
                continue;
            };
            let slowest = branches.iter().map(|(_, d)| *d).max();
            for (branch, d) in branches {
                let held = if Some(*d) == slowest {
                    " (held the build up)"
                } else {
                    ""
                };
                out.push_str(&format!("    · {branch:<12} {:>9.1} ms{held}\n", d.as_secs_f64() * 1e3));
            }
        }
        out.push_str(&format!("  {:<16} {:>9.1} ms", "total", total.as_secs_f64() * 1e3));
        if let Some(bytes) = peak_memory() {
            out.push_str(&format!("\n  {:<16} {:>9.1} MiB", "peak mem", bytes as f64 / 1048576.0));
        }
        out
    }
}

/// `work`'s result and how long it took, under `branch`'s name: one branch of a stage whose
/// branches run side by side (see [`Timings::mark_parallel`]).
pub(crate) fn timed<T>(branch: &'static str, work: impl FnOnce() -> T) -> (T, (&'static str, Duration)) {
    let started = Instant::now();
    let result = work();
    (result, (branch, started.elapsed()))
}

/// The process's peak resident memory so far, where the system tells it (Linux: `VmHWM`).
/// Unlike a parent's `wait4` figure it starts at zero with the program, not at the size of the
/// process that started it.
pub fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn branches_are_listed_under_their_stage_and_the_slowest_is_marked() {
        let mut t = Timings {
            stages: vec![("load", Duration::from_millis(2))],
            ..Timings::default()
        };
        t.stages.push(("markdown+git", Duration::from_millis(9)));
        t.branches.push((
            "markdown+git",
            vec![
                ("markdown", Duration::from_millis(5)),
                ("git walk", Duration::from_millis(9)),
            ],
        ));
        let report = t.report();
        let lines: Vec<&str> = report.lines().collect();
        assert!(lines[1].starts_with("  markdown+git"), "{report}");
        assert!(
            lines[2].starts_with("    · markdown") && !lines[2].contains("held"),
            "{report}"
        );
        assert!(
            lines[3].starts_with("    · git walk") && lines[3].ends_with("(held the build up)"),
            "{report}"
        );
        assert!(
            lines[4].starts_with("  total") && lines[4].ends_with("11.0 ms"),
            "{report}"
        );
    }
}
