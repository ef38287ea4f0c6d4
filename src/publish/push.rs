//! Send the publication to the repository's remote with the system `git` (gix does not push
//! yet): the current branch and the new mark. Never asks for a password (a scheduled job has
//! nobody to answer); a rejection or a missing `git` is explained, and the commit stays.

use std::path::Path;
use std::process::{Command, Stdio};

use super::Message;

/// The remote to push to: the current branch's `branch.<name>.remote`, else `origin`, else the
/// only one. `None` when the repository has no remote.
pub fn remote(repo: &gix::Repository) -> Option<String> {
    let names: Vec<String> = repo.remote_names().iter().map(|n| n.to_string()).collect();
    if names.is_empty() {
        return None;
    }
    let configured = repo
        .head_name()
        .ok()
        .flatten()
        .map(|n| n.shorten().to_string())
        .and_then(|branch| {
            repo.config_snapshot()
                .string(format!("branch.{branch}.remote").as_str())
                .map(|r| r.to_string())
        });
    configured
        .filter(|r| names.contains(r))
        .or_else(|| names.iter().find(|n| *n == "origin").cloned())
        .or_else(|| names.first().cloned())
}

/// `git push <remote> HEAD refs/tags/<mark>` in the work tree.
pub fn push(workdir: &Path, remote: &str, mark: &str) -> Result<(), Message> {
    let output = Command::new("git")
        .current_dir(workdir)
        .args(["push", "--quiet", remote, "HEAD", &format!("refs/tags/{mark}")])
        .env("GIT_TERMINAL_PROMPT", "0")
        .env(
            "GIT_SSH_COMMAND",
            std::env::var("GIT_SSH_COMMAND").unwrap_or_else(|_| "ssh -o BatchMode=yes".into()),
        )
        .stdin(Stdio::null())
        .output();
    match output {
        Err(e) => Err(Message::new("publish_push_no_git")
            .arg("remote", remote.to_string())
            .arg("reason", e.to_string())),
        Ok(out) if out.status.success() => Ok(()),
        Ok(out) => {
            let said = String::from_utf8_lossy(&out.stderr);
            let said: Vec<&str> = said.lines().filter(|l| !l.trim().is_empty()).take(6).collect();
            let key = if said.iter().any(|l| l.contains("rejected") || l.contains("fetch first")) {
                "publish_push_rejected"
            } else {
                "publish_push_failed"
            };
            Err(Message::new(key)
                .arg("remote", remote.to_string())
                .arg("reason", said.join(" / ")))
        }
    }
}
