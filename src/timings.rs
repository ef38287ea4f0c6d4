//! Wall time per pipeline stage and the peak memory, for `handbok build --timings` and the
//! benchmark.

use std::time::{Duration, Instant};

/// Wall time per pipeline stage, in the order the stages ran.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    /// Each stage's name and how long it took.
    pub stages: Vec<(&'static str, Duration)>,
    last: Option<Instant>,
}

impl Timings {
    /// Start the clock for the first stage.
    pub fn start() -> Timings {
        Timings {
            stages: Vec::new(),
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

    /// One line per stage, e.g. `  markdown      12.3 ms`, then the total.
    pub fn report(&self) -> String {
        let mut out = String::new();
        let mut total = Duration::ZERO;
        for (name, d) in &self.stages {
            out.push_str(&format!("  {name:<10} {:>9.1} ms\n", d.as_secs_f64() * 1e3));
            total += *d;
        }
        out.push_str(&format!("  {:<10} {:>9.1} ms", "total", total.as_secs_f64() * 1e3));
        if let Some(bytes) = peak_memory() {
            out.push_str(&format!("\n  {:<10} {:>9.1} MiB", "peak mem", bytes as f64 / 1048576.0));
        }
        out
    }
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
