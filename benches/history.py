#!/usr/bin/env python3
"""What the page history from Git costs a build: a generated handbook of 1,000 pages in a
repository of 1,000 commits, built with its history and (the same files) without it.

    python3 benches/history.py                  # 1,000 pages, 1,000 commits, 7 runs each
    python3 benches/history.py --pages 1000 --commits 1000 --runs 7
    python3 benches/history.py --pages 10000 --commits 1000 --runs 3 --publish-every 10

With `--publish-every K` a second repository has the same commits, but every K-th one (and
the last) is a publication: its message ends with the trailer `Publicerad-av: handbok` that
`handbok publish` writes, so the other commits are hand commits between publications. It is
built too ("with publications"), to measure what grouping the change list by publication and
each page's published versions (with their comparisons) cost.

The corpus comes from examples/gen_handbook.rs (seed 7). The first commit adds every page;
each later commit edits one paragraph of one page (chosen by a fixed random sequence), with
dates a day apart, written with `git fast-import` so making the repository takes seconds. Runs
alternate (with history, without), each into a fresh output folder; the script reports the
median wall time of each, their difference and ratio, peak RSS (/usr/bin/time), how many
comparison pages were written, and the stage times of one `build --timings` run. Nothing here
is run by CI.
"""

import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIME = "/usr/bin/time"


def sh(cmd, cwd=None, stdin=None):
    return subprocess.run(cmd, cwd=cwd, check=True, capture_output=True, input=stdin)


def make_repository(work, pages, commits, publish_every=0, profile="release"):
    gen = ROOT / "target" / profile / "examples" / "gen_handbook"
    sh([str(gen), str(pages), "7", str(work / "gen")])
    repo = work / "repo"
    shutil.copytree(work / "gen" / "handbok", repo)
    files = sorted(p.relative_to(repo).as_posix() for p in (repo / "content").rglob("*.md"))
    sh(["git", "init", "-q", "-b", "main"], cwd=repo)
    rng = random.Random(7)
    texts = {f: (repo / f).read_text(encoding="utf-8") for f in files}
    stream = []
    # The same commits, every `publish_every`-th one (and the last) a publication.
    published_stream = []
    start = 1_700_000_000

    def commit(n, message, changed):
        published = publish_every and (n % publish_every == 0 or n == commits)
        for out, msg in ((stream, message),
                         (published_stream,
                          f"{message}\n\nPublicerad-av: handbok" if published else message)):
            out.append(f"commit refs/heads/main\nmark :{n}\n"
                       f"committer HR <hr@example.se> {start + n * 86_400} +0100\n")
            data = msg.encode()
            out.append(f"data {len(data)}\n{msg}\n")
            if n > 1:
                out.append(f"from :{n - 1}\n")
            for f in changed:
                blob = (texts[f]).encode()
                out.append(f"M 100644 inline {f}\ndata {len(blob)}\n")
                out.append(texts[f] + "\n")

    everything = sorted(p.relative_to(repo).as_posix() for p in repo.rglob("*")
                        if p.is_file() and ".git" not in p.parts)
    for f in everything:
        texts.setdefault(f, (repo / f).read_text(encoding="utf-8"))
    commit(1, "Handboken skapas", everything)
    for n in range(2, commits + 1):
        f = rng.choice(files)
        paragraphs = texts[f].split("\n\n")
        # Running text only (not the front matter, headings, lists, tables or form blocks).
        prose = [i for i, p in enumerate(paragraphs)
                 if i > 0 and p[:1].isalpha() and "\n" not in p.strip()]
        i = rng.choice(prose) if prose else len(paragraphs) - 1
        paragraphs[i] = paragraphs[i].rstrip() + f" Tillägg {n}."
        texts[f] = "\n\n".join(paragraphs)
        (repo / f).write_text(texts[f], encoding="utf-8")
        commit(n, f"Ändring {n}: {Path(f).stem}", [f])
    plain = work / "plain"
    shutil.copytree(repo, plain, ignore=shutil.ignore_patterns(".git"))
    published = None
    if publish_every:
        published = work / "published"
        shutil.copytree(plain, published)
        sh(["git", "init", "-q", "-b", "main"], cwd=published)
        sh(["git", "fast-import", "--quiet"], cwd=published, stdin="".join(published_stream).encode())
        sh(["git", "reset", "-q", "--hard", "main"], cwd=published)
    data = "".join(stream).encode()
    sh(["git", "fast-import", "--quiet"], cwd=repo, stdin=data)
    sh(["git", "reset", "-q", "--hard", "main"], cwd=repo)
    return repo, plain, published


def timed(cmd, cwd):
    full = [TIME, "-f", "@@%M"] + cmd if os.path.exists(TIME) else cmd
    t0 = time.perf_counter()
    p = subprocess.run(full, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{p.stdout[-2000:]}\n{p.stderr[-2000:]}")
    m = re.search(r"@@(\d+)", p.stderr)
    return wall, int(m.group(1)) if m else None, p.stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=1000)
    ap.add_argument("--commits", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--publish-every", type=int, default=0,
                    help="also build a copy whose every K-th commit is a publication")
    ap.add_argument("--profile", default="release",
                    help="cargo profile to build and time (`dev` when a release build is too slow to wait for)")
    args = ap.parse_args()
    flag = ["--release"] if args.profile == "release" else ["--profile", args.profile]
    sh(["cargo", "build", *flag, "--bin", "handbok", "--example", "gen_handbook"], cwd=ROOT)
    folder = "debug" if args.profile == "dev" else args.profile
    binary = str(ROOT / "target" / folder / "handbok")
    with tempfile.TemporaryDirectory(prefix="handbok-history-") as tmp:
        work = Path(tmp)
        t0 = time.perf_counter()
        repo, plain, published = make_repository(work, args.pages, args.commits, args.publish_every, folder)
        made = time.perf_counter() - t0
        count = sh(["git", "rev-list", "--count", "HEAD"], cwd=repo).stdout.decode().strip()
        print(f"repository: {args.pages} pages, {count} commits (made in {made:.1f} s)")
        sites = [("with history", repo), ("without", plain)]
        if published:
            pubs = sh(["git", "log", "--oneline", "--grep=^Publicerad-av: handbok$"], cwd=published)
            print(f"publications: {len(pubs.stdout.splitlines())} (every {args.publish_every}th commit and the last)")
            sites.insert(1, ("with publications", published))
        results = {name: [] for name, _ in sites}
        rss = {name: [] for name, _ in sites}
        for run in range(args.runs):
            for name, site in sites:
                out = work / f"out-{name.replace(' ', '-')}-{run}"
                wall, peak, _ = timed([binary, "build", "--out", str(out)], site)
                results[name].append(wall)
                rss[name].append(peak or 0)
        with_h = statistics.median(results["with history"])
        without = statistics.median(results["without"])
        last = work / f"out-with-history-{args.runs - 1}"
        compared = len(list(last.rglob("*-andringar-*.html")))
        print(f"comparison pages written: {compared}; change list: "
              f"{(last / 'andringar.html').exists()}")
        if published:
            last_pub = work / f"out-with-publications-{args.runs - 1}"
            compared_pub = len(list(last_pub.rglob("*-andringar-*.html")))
            print(f"with publications: comparison pages written: {compared_pub}")
        for name in results:
            runs = ", ".join(f"{w * 1000:.0f}" for w in results[name])
            print(f"{name:>17}: median {statistics.median(results[name]) * 1000:.0f} ms "
                  f"(runs: {runs}); peak RSS median {statistics.median(rss[name]) / 1024:.0f} MB")
        print(f"history costs {(with_h - without) * 1000:.0f} ms per build "
              f"({with_h / without:.2f} × the build without it)")
        if published:
            with_p = statistics.median(results["with publications"])
            print(f"publications cost {(with_p - with_h) * 1000:.0f} ms per build over the same "
                  f"history without them ({with_p / with_h:.2f} ×)")
            _, _, stdout = timed([binary, "build", "--timings", "--out", str(work / "out-timings-pub")],
                                 published)
            print("stage times with publications (`build --timings`):")
            print(stdout)
        _, _, stdout = timed([binary, "build", "--timings", "--out", str(work / "out-timings")], repo)
        print("stage times with history (`build --timings`):")
        print(stdout)


if __name__ == "__main__":
    main()
