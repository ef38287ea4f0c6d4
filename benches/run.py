#!/usr/bin/env python3
"""Benchmark handbok against Hugo, Zola and mdBook on the same synthetic Swedish handbook.

One command from a clean checkout:

    python3 benches/run.py                 # N = 100, 1000, 10000; 5 runs each
    python3 benches/run.py --sizes 100,1000 --runs 7 --markdown benches/last.md

It builds the release binary and the generator (examples/gen_handbook.rs), generates the
corpus per N (seed 7) laid out for every tool, then per N and tool: clean builds (output
removed before each run, untimed), whole-process wall time (median), user+sys CPU, peak RSS
(/usr/bin/time), output size. For handbok also: the stage times from `build --timings`,
`handbok check`, one rebuild after a one-file change (examples/rebuild_time.rs, the same
in-memory build serve runs), and the page weight (HTML + the CSS and JS each page links).
Peers that are not installed are reported as "not installed"; `--peers hugo` leaves mdBook out
(it takes ~8 minutes per 10,000-page build). Every run writes a fresh output folder (see
SETTLE_S). With both 1,000 and 10,000 in --sizes, the two are also built alternately for the
linearity ratio, which cancels the machine's drift in speed. Nothing here is run by CI.
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIME = "/usr/bin/time"


def sh(cmd, cwd=None, check=True):
    return subprocess.run(cmd, cwd=cwd, check=check, capture_output=True, text=True)


def timed(cmd, cwd=None):
    """Run cmd once; return (wall s, cpu s, peak RSS KiB or None, stdout)."""
    use_time = os.path.exists(TIME)
    full = [TIME, "-f", "@@%U %S %M"] + cmd if use_time else cmd
    t0 = time.perf_counter()
    p = subprocess.run(full, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{p.stdout[-2000:]}\n{p.stderr[-2000:]}")
    cpu, rss = None, None
    if use_time:
        m = re.search(r"@@([\d.]+) ([\d.]+) (\d+)", p.stderr)
        if m:
            cpu = float(m.group(1)) + float(m.group(2))
            rss = int(m.group(3))
    return wall, cpu, rss, p.stdout


def du(path):
    total, files = 0, 0
    for dirpath, _, names in os.walk(path):
        for n in names:
            total += os.path.getsize(os.path.join(dirpath, n))
            files += 1
    return total, files


def rmtree(path):
    if os.path.exists(path):
        shutil.rmtree(path)


# ext4 skips inodes freed in the last ~30 s when it creates files, and that search is slow when
# thousands were just freed: a build right after `rm -rf` of a 10,000-file site spent 70% of its
# time in the kernel's `recently_deleted` (perf). So every run writes a fresh folder, old
# outputs are removed only between sizes, and the script waits SETTLE_S after removing them.
SETTLE_S = 35


def measure(cmd_for, out, runs, cwd=None):
    """Run `cmd_for(output folder)` `runs` times, each into a fresh folder `out`-1, -2, …;
    `out` itself ends up holding the last run's output."""
    rows = []
    for k in range(1, runs + 1):
        fresh = Path(f"{out}-{k}")
        rows.append(timed(cmd_for(fresh), cwd))
    rmtree(out)
    os.rename(f"{out}-{runs}", out)
    walls = [r[0] for r in rows]
    cpus = [r[1] for r in rows if r[1] is not None]
    rsss = [r[2] for r in rows if r[2] is not None]
    size = du(out)
    return {
        "wall": statistics.median(walls),
        "min": min(walls),
        "cpu": statistics.median(cpus) if cpus else None,
        "rss": max(rsss) if rsss else None,
        "size": size,
        "stdouts": [r[3] for r in rows],
    }


def page_weight(out):
    """Largest HTML + linked CSS + JS of any reading page, in bytes, and of any print view
    (`<body class="print-view">`: a talk's pages or the whole handbook on one page, which holds
    every page it prints by design). The search code and index load on use and are not linked."""
    worst = {"page": (0, None), "print": (0, None)}
    fonts = False
    cache = {}
    for dirpath, _, names in os.walk(out):
        for n in names:
            if n.endswith(".css"):
                with open(os.path.join(dirpath, n), encoding="utf-8", errors="replace") as f:
                    fonts |= "@font-face" in f.read()
            if not n.endswith(".html"):
                continue
            path = os.path.join(dirpath, n)
            html = open(path, encoding="utf-8").read()
            total = len(html.encode())
            refs = re.findall(r'<link[^>]+rel="stylesheet"[^>]*href="([^"]+)"', html)
            refs += re.findall(r'<script[^>]+src="([^"]+)"', html)
            for ref in refs:
                target = os.path.normpath(os.path.join(dirpath, ref.split("?")[0]))
                if target not in cache:
                    cache[target] = os.path.getsize(target) if os.path.exists(target) else 0
                total += cache[target]
            kind = "print" if '<body class="print-view"' in html else "page"
            if total > worst[kind][0]:
                worst[kind] = (total, os.path.relpath(path, out))
    return worst, fonts


def stage_medians(stdouts):
    stages = {}
    for s in stdouts:
        for name, ms in re.findall(r"^\s+(\w+)\s+([\d.]+) ms$", s, re.M):
            stages.setdefault(name, []).append(float(ms))
    return {k: statistics.median(v) for k, v in stages.items()}


def peers(wanted):
    found = {}
    for name in ["hugo", "zola", "mdbook"]:
        found[name] = shutil.which(name) if name in wanted else None
    return found


def fmt_s(x):
    return "–" if x is None else f"{x:.3f}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="100,1000,10000")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--peer-runs", type=int, help="runs per peer (default: --runs)")
    ap.add_argument("--work", default=str(ROOT / "target" / "bench"))
    ap.add_argument("--markdown", help="also write the tables to this Markdown file")
    ap.add_argument("--peers", default="hugo,zola,mdbook",
                    help="peers to run when installed (mdBook takes ~8 min per 10,000-page build)")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)

    print("Building release binary and generator ...", flush=True)
    sh(["cargo", "build", "--release", "--bin", "handbok", "--example", "gen_handbook",
        "--example", "rebuild_time"], cwd=ROOT)
    hb = str(ROOT / "target" / "release" / "handbok")
    gen = str(ROOT / "target" / "release" / "examples" / "gen_handbook")
    rebuild = str(ROOT / "target" / "release" / "examples" / "rebuild_time")
    found = peers(args.peers.split(","))
    versions = {"handbok": sh([hb, "--version"]).stdout.strip()}
    for name, path in found.items():
        versions[name] = sh([path, "version" if name == "hugo" else "--version"], check=False).stdout.strip() \
            if path else "not installed"

    lines = []
    say = lambda s="": (print(s, flush=True), lines.append(s))
    say(f"Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; host: {os.cpu_count()} CPUs; "
        f"load average at start: {os.getloadavg()[0]:.1f}")
    say(f"Command: python3 benches/run.py --sizes {args.sizes} --runs {args.runs} --seed {args.seed} "
        f"--peer-runs {args.peer_runs or args.runs} --peers {args.peers}")
    say("Versions: " + "; ".join(f"{k}: {v}" for k, v in versions.items()))
    say()
    per_page = {}
    for n in sizes:
        corpus = work / f"n{n}"
        if corpus.exists():
            rmtree(corpus)
            time.sleep(SETTLE_S)
        sh([gen, str(n), str(args.seed), str(corpus)])
        content = corpus / "handbok" / "content"
        out = corpus / "out-handbok"
        runs = args.runs
        r = {}
        pr = args.peer_runs or runs
        r["handbok"] = measure(lambda o: [hb, "build", "--timings", "--content", str(content), "--out", str(o)],
                               out, runs)
        weight, fonts = page_weight(out)
        stages = stage_medians(r["handbok"]["stdouts"])
        chk = [timed([hb, "check", "--content", str(content)])[0] for _ in range(runs)]
        rb = sh([rebuild, str(content)]).stdout.strip()
        if found["hugo"]:
            r["hugo"] = measure(lambda o: [found["hugo"], "--quiet", "-s", str(corpus / "hugo"), "-d", str(o)],
                                corpus / "out-hugo", pr)
        if found["zola"]:
            r["zola"] = measure(lambda o: [found["zola"], "--root", str(corpus / "zola"), "build", "-o", str(o)],
                                corpus / "out-zola", pr)
        if found["mdbook"]:
            r["mdbook"] = measure(lambda o: [found["mdbook"], "build", str(corpus / "mdbook"), "-d", str(o)],
                                  corpus / "out-mdbook", pr)
        per_page[n] = r["handbok"]["wall"] / n
        say(f"### N = {n} pages ({runs} clean builds of handbok, {pr} of each peer; median)")
        say()
        say("| tool | wall s (median) | wall s (min) | CPU s (user+sys) | peak RSS MiB | output MiB (files) | handbok/peer wall |")
        say("|---|---:|---:|---:|---:|---:|---:|")
        for tool in ["handbok", "hugo", "zola", "mdbook"]:
            if tool not in r:
                say(f"| {tool} | not installed | | | | | |")
                continue
            x = r[tool]
            rss = "–" if x["rss"] is None else f"{x['rss'] / 1024:.0f}"
            ratio = "" if tool == "handbok" else f"{r['handbok']['wall'] / x['wall']:.2f}"
            say(f"| {tool} | {fmt_s(x['wall'])} | {fmt_s(x['min'])} | {fmt_s(x['cpu'])} | {rss} | "
                f"{x['size'][0] / 2**20:.1f} ({x['size'][1]}) | {ratio} |")
        say()
        say("handbok stages (ms, median): " + ", ".join(f"{k} {v:.1f}" for k, v in stages.items()))
        say(f"handbok check: {statistics.median(chk):.3f} s median")
        say(f"rebuild after a one-file change: {rb}")
        say(f"page weight (HTML + linked CSS + JS): max {weight['page'][0] / 1024:.1f} KiB on a reading page "
            f"({weight['page'][1]}), {weight['print'][0] / 1024:.1f} KiB on a print view ({weight['print'][1]}); "
            f"web fonts: {'yes' if fonts else 'none'}")
        say()
        # The outputs of every run go before the next size's runs create theirs.
        for old in corpus.glob("out-*"):
            rmtree(old)
        time.sleep(SETTLE_S)
    if 1000 in per_page and 10000 in per_page:
        say(f"Linearity: per-page wall at 10,000 / per-page at 1,000 = {per_page[10000] / per_page[1000]:.2f} "
            "from the tables above (target ≤ 1.3)")
        # The machine's speed drifts over minutes; alternating the two sizes cancels that.
        pairs = {1000: [], 10000: []}
        for k in range(args.runs):
            for n in (1000, 10000):
                content = work / f"n{n}" / "handbok" / "content"
                out = work / f"n{n}" / f"lin-{k}"
                pairs[n].append(timed([hb, "build", "--content", str(content), "--out", str(out)])[0])
        ratio = (statistics.median(pairs[10000]) / 10000) / (statistics.median(pairs[1000]) / 1000)
        say(f"Linearity, 1,000 and 10,000 built alternately {args.runs} times each: median "
            f"{statistics.median(pairs[1000]):.3f} s and {statistics.median(pairs[10000]):.3f} s, "
            f"per-page ratio {ratio:.2f} (target ≤ 1.3)")
    for n in sizes:
        rmtree(work / f"n{n}")
    if args.markdown:
        Path(args.markdown).write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
