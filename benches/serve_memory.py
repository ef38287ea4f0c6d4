#!/usr/bin/env python3
"""serve's memory against build's, and the editor's preview right after a save (issue 22).

    cargo build --release --example gen_handbook
    ./target/release/examples/gen_handbook 10000 7 /tmp/hb10k
    python3 benches/serve_memory.py /tmp/hb10k/handbok/content \\
        område-01/avsnitt-001/arbetsmiljö-steg-för-steg.md old=/tmp/handbok-main new=target/release/handbok

Each NAME=BINARY is measured in turn, round by round (ROUNDS, default 3), so the machine's drift
hits them alike; medians are reported. Per binary and round:
  - build: `handbok build` under `/usr/bin/time -v`, its peak RSS;
  - serve: `handbok serve --port 0` over a copy of the content folder (saves write to it); its
    VmHWM (/proc/PID/status) once it serves (the first build done, search index included), then
    SAVES (default 3) saves of PAGE, each a word added at the end of the file. After each save,
    as soon as the page is served with the word (the search index is brought up to date next),
    the editor's preview request (`POST /__handbok/api/preview`, unsaved text) is sent and
    timed; the search index's catch-up time is what serve logs ("Search index up to date in
    N ms"; a binary that does not log it builds the index holding the editor's session, so its
    preview waits for it). VmHWM is read again after the last save's index is in place.
Not run by CI. Prints a Markdown table, with the load average before and after.
"""

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import http.client

ROUNDS = int(os.environ.get("ROUNDS", "3"))
SAVES = int(os.environ.get("SAVES", "3"))
WAIT = 120.0


def vm_hwm(pid):
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(r"VmHWM:\s+(\d+) kB", f.read()).group(1)) // 1024


def build_peak(binary, content, out):
    run = subprocess.run(
        ["/usr/bin/time", "-v", binary, "build", "--content", content, "--out", out],
        capture_output=True,
        text=True,
    )
    if run.returncode != 0:
        sys.exit(f"{binary} build failed:\n{run.stderr[-2000:]}")
    return int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", run.stderr).group(1)) // 1024


def request(port, method, path, body=None, headers=None, timeout=WAIT):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    conn.request(method, urllib.parse.quote(path, safe="/?=&%"), body=body, headers=headers or {})
    answer = conn.getresponse()
    data = answer.read()
    conn.close()
    return answer.status, data


class Serve:
    def __init__(self, binary, content):
        self.dir = tempfile.mkdtemp(prefix="handbok-serve-memory-")
        self.content = os.path.join(self.dir, "content")
        shutil.copytree(content, self.content, symlinks=True)
        self.proc = subprocess.Popen(
            [binary, "serve", "--port", "0", "--content", self.content],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.index_times = []
        self.index_event = threading.Condition()
        threading.Thread(target=self._read_stderr, daemon=True).start()
        deadline = time.monotonic() + WAIT
        self.port = None
        for line in self.proc.stdout:
            m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
            if m:
                self.port = int(m.group(1))
                break
            if time.monotonic() > deadline:
                break
        if self.port is None:
            self.stop()
            sys.exit(f"{binary} serve printed no address")
        threading.Thread(target=lambda: [None for _ in self.proc.stdout], daemon=True).start()
        with open(os.path.join(self.content, ".handbok", "server.json")) as f:
            self.token = json.load(f)["token"]

    def _read_stderr(self):
        for line in self.proc.stderr:
            m = re.search(r"Search index up to date in (\d+) ms", line)
            if m:
                with self.index_event:
                    self.index_times.append(int(m.group(1)))
                    self.index_event.notify_all()

    def wait_index(self, count, wait):
        """Wait until serve has logged `count` index catch-ups; False if not within `wait` s."""
        deadline = time.monotonic() + wait
        with self.index_event:
            while len(self.index_times) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self.index_event.wait(left)
        return True

    def api(self, path, body):
        origin = f"http://127.0.0.1:{self.port}"
        return request(
            self.port,
            "POST",
            f"/__handbok/api/{path}",
            json.dumps(body).encode(),
            {"Origin": origin, "X-Handbok-Token": self.token, "Content-Type": "application/json"},
        )

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


def measure_serve(binary, content, page, round_no, logs_index):
    serve = Serve(binary, content)
    try:
        started = vm_hwm(serve.proc.pid)
        path = os.path.join(serve.content, page)
        with open(path, encoding="utf-8") as f:
            original = f.read()
        status, body = request(
            serve.port,
            "GET",
            f"/__handbok/api/page?sida={urllib.parse.quote(page)}",
            headers={"X-Handbok-Token": serve.token},
        )
        if status != 200:
            sys.exit(f"{binary}: the editor cannot open {page} ({status}): {body[:300]!r}")
        output = "/" + json.loads(body)["output"].lstrip("/")
        previews, indexes = [], []
        for save in range(SAVES):
            word = f"zq{round_no}x{save}y{int(time.time() * 1000) % 100000}"
            text = original.rstrip("\n") + f" {word}\n"
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            saved = time.monotonic()
            while True:
                status, body = request(serve.port, "GET", output)
                if status == 200 and word.encode() in body:
                    break
                if time.monotonic() - saved > WAIT:
                    sys.exit(f"{binary}: the saved word was not served")
                time.sleep(0.005)
            # The page is in place: serve now brings the search index up to date.
            asked = time.monotonic()
            unsaved = f"zp{round_no}x{save}"
            status, body = serve.api("preview", {"source": page, "text": text + f"{unsaved}.\n"})
            answered = time.monotonic()
            if status != 200 or unsaved.encode() not in body:
                sys.exit(f"{binary}: the preview failed ({status}): {body[:300]!r}")
            previews.append((answered - asked) * 1000)
            # A binary that has never logged a catch-up is given 30 s to, then not asked again.
            if logs_index.get(binary, True) and serve.wait_index(save + 1, WAIT if logs_index.get(binary) else 30):
                logs_index[binary] = True
                indexes.append(serve.index_times[save])
            else:
                logs_index[binary] = False
            original = text
        after = vm_hwm(serve.proc.pid)
        return started, after, previews, indexes
    finally:
        serve.stop()


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    content, page = sys.argv[1], sys.argv[2]
    binaries = [arg.split("=", 1) for arg in sys.argv[3:]]
    results = {name: {"build": [], "start": [], "after": [], "preview": [], "index": []} for name, _ in binaries}
    logs_index = {}
    load_before = open("/proc/loadavg").read().split()[:3]
    out = tempfile.mkdtemp(prefix="handbok-serve-memory-out-")
    try:
        for round_no in range(ROUNDS):
            for name, binary in binaries:
                r = results[name]
                r["build"].append(build_peak(binary, content, os.path.join(out, name)))
                start, after, previews, indexes = measure_serve(binary, content, page, round_no, logs_index)
                r["start"].append(start)
                r["after"].append(after)
                r["preview"].extend(previews)
                r["index"].extend(indexes)
                print(f"round {round_no} {name}: {json.dumps({k: v[-SAVES:] for k, v in r.items()})}", file=sys.stderr)
    finally:
        shutil.rmtree(out, ignore_errors=True)
    load_after = open("/proc/loadavg").read().split()[:3]
    med = statistics.median
    print(f"{ROUNDS} rounds, {SAVES} saves each; load average before {' '.join(load_before)}, after {' '.join(load_after)}")
    print()
    print("| binary | build peak RSS | serve VmHWM after start-up | serve VmHWM after saves | serve / build | preview right after a save | search index catch-up |")
    print("|---|---|---|---|---|---|---|")
    for name, _ in binaries:
        r = results[name]
        build, after = med(r["build"]), med(r["after"])
        index = f"{med(r['index']):.0f} ms" if r["index"] else "not logged (held the session)"
        print(
            f"| {name} | {build:.0f} MB | {med(r['start']):.0f} MB | {after:.0f} MB | {after / build:.2f}× | "
            f"{med(r['preview']):.0f} ms ({min(r['preview']):.0f}–{max(r['preview']):.0f}) | {index} |"
        )


if __name__ == "__main__":
    main()
