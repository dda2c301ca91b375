#!/usr/bin/env python
# Copyright (c) 2026 Mattermost EMM contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reconcile N Mattermost app configurations in Intune (the Graph emulator) with ansible-playbook.

At each size N (default 50, 500 and 2,000) the tenant holds five groups and the Mattermost iOS
app. N policies (iOS only, so one Graph object each, assigned to one or two groups by name) are
the tenant host's inventory variables, reconciled by `mattermost.emm.app_config` in one task:

- first run: every policy is created and assigned;
- no-change run: nothing to do;
- 10 % changed: one policy in ten has another serverUrl.

For each run it prints the wall time of the whole `ansible-playbook` command and what the
emulator received: top-level HTTP requests, `$batch` envelopes and the writes inside them, token
requests, and GETs (pages) by kind of path. A playbook with one `ping` task on the same inventory
gives Ansible's own floor at that size. The floor and the no-change run are repeated (--repeat)
and their median shown. At one size (default 500) the same no-change job, written as an
`ansible.builtin.uri` loop (a token, then one GET filtered by name per policy), is timed too,
with the module's speed-up over it (target: at least 50 times).

All of it runs once per emulator latency (--latencies, default 0 and 0.15 s: the emulator's
`--latency`, a Graph-like round trip per HTTP request). The closing comparison prints, per
latency, the no-change run against Ansible's floor plus its requests times the latency, and the
uri loop: at Graph's latency the no-change run should cost the floor plus its handful of round
trips, while the uri loop pays one round trip per policy.

Checks, which make the script exit with 1 when one fails: the no-change run reports changed=0,
sends no write, lists each kind of object once (its pages) and asks for at most one token (none
when the first run's token is still in the provider's token cache); every write goes inside a
`$batch`; the first and 10 % runs write exactly what they should; the speed-up at N=500 and
latency 0 reaches its target. Timings depend on the machine's load; the load average is printed.
The token cache lives in a temporary directory of the script's own (XDG_RUNTIME_DIR).

The emulator is started on 127.0.0.1 as a subprocess and stopped at the end, also on error,
Ctrl-C or SIGTERM, which also kill any ansible-playbook still running and its workers.
The uri loop costs 0.3 to 0.6 s per policy, depending on the machine (3 to 5 minutes at 500).

    .venv/bin/python benchmarks/intune_bench.py [--sizes 50,500,2000] [--uri-size 500] [--skip-uri] [--repeat 3]
                                                [--latencies 0,0.15]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import re
import select
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
COLLECTIONS = os.path.join(REPO, "collections")

GROUPS = [f"Mattermost bench group {number}" for number in range(1, 6)]
IOS_APP = {"@odata.type": "#microsoft.graph.iosStoreApp", "displayName": "Mattermost", "bundleId": "com.mattermost.rn"}
PROVIDER = {"type": "intune", "tenant_id": "bench.example.com", "client_id": "emulator-client",
            "client_secret": "emulator-secret"}
TENANT = "bench_tenant"
INVENTORY = "inventory.json"
CHANGED_SHARE = 10  # one policy in ten changes in the third run
SPEED_UP_TARGET = 50  # uri loop / module no-change, at TARGET_SIZE
TARGET_SIZE = 500
START_TIMEOUT = 30  # seconds for the emulator to print its URL
MODULE_TIMEOUT = 1200  # seconds for one ansible-playbook run of the module
URI_TIMEOUT = 3600  # seconds for the uri loop
KILL_PASSES = 10  # looks for processes still appearing below one being killed
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)
TOKEN_PATH = re.compile(r"/oauth2/v2\.0/token$")
RECAP = re.compile(rf"^{TENANT}\s+:\s+ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.MULTILINE)

FIRST, NO_CHANGE, CHANGED, FLOOR, URI = "first (create)", "no change", "10% changed", "ping (floor)", "uri loop"

PING_PLAYBOOK = """\
- name: Ansible's floor, with the same inventory
  hosts: emm_tenants
  gather_facts: false
  tasks:
    - name: One trivial module
      ansible.builtin.ping:
"""

MODULE_PLAYBOOK = """\
- name: Reconcile the Mattermost app configurations
  hosts: emm_tenants
  gather_facts: false
  tasks:
    - name: Every policy in one call
      mattermost.emm.app_config:
        provider: "{{ provider }}"
        platforms: [ios]
        configurations: "{{ policies }}"
"""

URI_PLAYBOOK = """\
- name: Check the Mattermost app configurations one by one
  hosts: emm_tenants
  gather_facts: false
  tasks:
    - name: Get a Graph token
      ansible.builtin.uri:
        url: "{{ provider.login_url }}/{{ provider.tenant_id }}/oauth2/v2.0/token"
        method: POST
        body_format: form-urlencoded
        body:
          grant_type: client_credentials
          client_id: "{{ provider.client_id }}"
          client_secret: "{{ provider.client_secret }}"
          scope: https://graph.microsoft.com/.default
      register: token
      no_log: true

    - name: Look each policy up by name
      ansible.builtin.uri:
        url: "{{ provider.graph_url }}/beta/deviceAppManagement/mobileAppConfigurations?$filter={{ query | urlencode }}"
        headers:
          Authorization: "Bearer {{ token.json.access_token }}"
      vars:
        query: "displayName eq '{{ item.name }} (iOS)'"
      loop: "{{ policies }}"
      loop_control:
        label: "{{ item.name }}"
      register: found
      failed_when: found.json.value | length != 1
"""


# Signals -----------------------------------------------------------------------------------

class Signals:
    """SIGINT and SIGTERM raise KeyboardInterrupt, so that the clean-up code stops every process
    the script started. While a child is being started they are held until it can be stopped."""

    def __init__(self) -> None:
        self.holding = False
        self.received: int | None = None

    def install(self) -> None:
        signal.signal(signal.SIGINT, self.handle)
        signal.signal(signal.SIGTERM, self.handle)

    def handle(self, signum: int, _frame) -> None:
        if self.holding:
            self.received = signum
        else:
            raise KeyboardInterrupt(f"signal {signum}")

    @contextlib.contextmanager
    def held(self):
        self.holding = True
        try:
            yield
        finally:
            self.holding = False
        if self.received is not None:
            raise KeyboardInterrupt(f"signal {self.received}")


SIGNALS = Signals()


# The emulator ------------------------------------------------------------------------------

class Emulator:
    """`python -m tests.emulator` in a subprocess, with its control plane."""

    def __init__(self, page_size: int, latency: float = 0.0):
        self.page_size = page_size
        self.latency = latency
        self.process: subprocess.Popen | None = None
        self.base_url = ""

    def __enter__(self) -> Emulator:
        argv = [sys.executable, "-m", "tests.emulator", "--host", "127.0.0.1", "--port", "0",
                "--page-size", str(self.page_size), "--latency", str(self.latency)]
        try:
            with SIGNALS.held():
                self.process = subprocess.Popen(  # stopped in __exit__
                    argv, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
            self.base_url = self._first_line()
        except BaseException:
            if self.process is not None:
                self.__exit__()
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process.stdout.close()

    def _first_line(self) -> str:
        ready = select.select([self.process.stdout], [], [], START_TIMEOUT)[0]
        line = self.process.stdout.readline().strip() if ready else ""
        if not line.startswith("http://"):
            raise RuntimeError(f"the emulator did not print its URL within {START_TIMEOUT} s (got {line!r})")
        return line

    def control(self, method: str, path: str, body: dict | None = None) -> dict:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"{self.base_url}/_emulator/{path}", data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as answer:
            text = answer.read()
        return json.loads(text) if text.strip() else {}

    def fresh_tenant(self) -> None:
        self.control("POST", "reset")
        self.control("POST", "seed", {"groups": [{"displayName": name} for name in GROUPS], "mobileApps": [IOS_APP]})

    def take_log(self) -> list[dict]:
        entries = self.control("GET", "requests")["value"]
        self.control("DELETE", "requests")
        return entries


# Policies and inventory --------------------------------------------------------------------

def policies(count: int, changed: bool = False) -> list[dict]:
    """`count` policies; with `changed`, one in ten points at another server."""
    result = []
    for index in range(count):
        moved = changed and index % CHANGED_SHARE == 0
        groups = [{"group": GROUPS[index % len(GROUPS)]}]
        if index % 2:
            groups.append({"group": GROUPS[(index + 1) % len(GROUPS)]})
        result.append({
            "name": f"Mattermost bench {index:05d}",
            "config": {
                "serverUrl": f"https://{'moved' if moved else 'chat'}{index % 7}.example.com",
                "serverName": "Bench Chat",
                "inAppPinCode": index % 3 == 0,
                "jailbreakProtection": True,
            },
            "groups": groups,
        })
    return result


def write_inventory(workdir: str, emulator: Emulator, items: list[dict]) -> None:
    """One tenant host whose variables are the provider and the policies, as users keep them."""
    tenant = {
        "ansible_connection": "local",
        "ansible_python_interpreter": sys.executable,
        "provider": dict(PROVIDER, graph_url=emulator.base_url, login_url=emulator.base_url),
        "policies": items,
    }
    with open(os.path.join(workdir, INVENTORY), "w", encoding="utf-8") as stream:
        json.dump({"emm_tenants": {"hosts": {TENANT: tenant}}}, stream)


# Running ansible-playbook ------------------------------------------------------------------

@dataclass
class Run:
    """ansible-playbook runs of one kind and what the emulator received during the last one."""

    size: int
    label: str
    times: list[float]
    changed: int
    log: list[dict] = field(default_factory=list)
    latency: float = 0.0

    @property
    def seconds(self) -> float:
        return statistics.median(self.times)


def descendants(root: int) -> set[int]:
    """Every live process below `root`, read from /proc (none where there is no /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else ():
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as stream:
                parent = int(stream.read().rpartition(")")[2].split()[1])
        except (OSError, ValueError, IndexError):
            continue  # a process that just ended
        children.setdefault(parent, []).append(int(entry))
    found: set[int] = set()
    pending = [root]
    while pending:
        for child in children.get(pending.pop(), ()):
            if child not in found:
                found.add(child)
                pending.append(child)
    return found


def kill_tree(root: int) -> None:
    """Kills `root` and every process below it. Ansible's workers start sessions of their own, so
    killing the process group is not enough; each process is frozen first so that none starts
    another one unseen, then all are killed."""
    frozen: set[int] = set()
    for attempt in range(KILL_PASSES):
        found = ({root} | descendants(root)) - frozen
        if not found:
            break
        for pid in found:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGSTOP)
        frozen |= found
        if attempt == KILL_PASSES - 1:
            print(f"warning: processes below {root} still appeared after {KILL_PASSES} passes", file=sys.stderr)
    for pid in frozen:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def run_command(argv: list[str], cwd: str, env: dict, timeout: float) -> tuple[int, str]:
    """Runs argv in a session of its own (out of reach of the terminal's Ctrl-C); it and every
    process below it are killed on timeout, error or signal."""
    process = None
    try:
        with SIGNALS.held():
            process = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                       text=True, start_new_session=True)
        output = process.communicate(timeout=timeout)[0]
    except BaseException:
        if process is not None:
            kill_tree(process.pid)
            process.wait()
            process.stdout.close()
        raise
    return process.returncode, output


def run_playbook(workdir: str, text: str, timeout: float) -> tuple[float, int]:
    """(wall seconds, tasks changed) of one ansible-playbook run; raises when the play fails."""
    path = os.path.join(workdir, "playbook.yml")
    with open(path, "w", encoding="utf-8") as stream:
        stream.write(text)
    runtime = os.path.join(workdir, "runtime")  # the provider's token cache, the script's own
    os.makedirs(runtime, mode=0o700, exist_ok=True)
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS, ANSIBLE_NOCOLOR="1", ANSIBLE_RETRY_FILES_ENABLED="0",
               XDG_RUNTIME_DIR=runtime)
    argv = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", INVENTORY, path]
    start = time.perf_counter()
    returncode, output = run_command(argv, workdir, env, timeout)
    seconds = time.perf_counter() - start
    recap = RECAP.search(output)
    if returncode != 0 or recap is None or int(recap.group(4)):
        raise RuntimeError(f"ansible-playbook failed (exit {returncode}):\n{output[-3000:]}")
    return seconds, int(recap.group(2))


def measure(emulator: Emulator, workdir: str, size: int, label: str, playbook: str, repeat: int = 1) -> Run:
    """Runs `playbook` `repeat` times on the inventory already written."""
    run = Run(size, label, [], 0, latency=emulator.latency)
    for attempt in range(repeat):
        emulator.take_log()
        seconds, run.changed = run_playbook(workdir, playbook, URI_TIMEOUT if label == URI else MODULE_TIMEOUT)
        run.times.append(seconds)
        print(f"  latency {emulator.latency:.2f} s N={size:<5} {label:<15} {attempt + 1}/{repeat} {seconds:7.2f} s",
              flush=True)
    run.log = emulator.take_log()
    return run


# Reading the request log -------------------------------------------------------------------

def path_kind(entry: dict) -> str:
    """A GET's kind of path: the collection, `/{id}` for an object, `?$filter` for a query."""
    segments = ["{id}" if UUID.fullmatch(part) else part for part in entry["path"].split("/")[2:]]
    while len(segments) > 1 and segments[0] in ("deviceAppManagement", "deviceManagement"):
        segments = segments[1:]
    return "/".join(segments) + ("?$filter" if "$filter" in (entry.get("query") or {}) else "")


@dataclass
class Traffic:
    """What one run sent, from the emulator's request log."""

    top_level: int
    envelopes: int
    inner_writes: int
    bare_writes: int
    tokens: int
    pages: Counter
    list_starts: Counter

    @classmethod
    def of(cls, log: list[dict]) -> Traffic:
        top = [entry for entry in log if not entry["batch"]]
        gets = [entry for entry in top if entry["method"] == "GET"]
        return cls(
            top_level=len(top),
            envelopes=sum(entry["path"].endswith("/$batch") for entry in top),
            inner_writes=sum(entry["batch"] and entry["write"] for entry in log),
            bare_writes=sum(entry["write"] for entry in top),
            tokens=sum(bool(TOKEN_PATH.search(entry["path"])) for entry in top),
            pages=Counter(path_kind(entry) for entry in gets),
            list_starts=Counter(path_kind(entry) for entry in gets if "$skiptoken" not in (entry.get("query") or {})),
        )

    def gets_text(self) -> str:
        return ", ".join(f"{kind} {count}" for kind, count in sorted(self.pages.items())) or "-"


# Checks ------------------------------------------------------------------------------------

def check_no_change(run: Run, page_size: int) -> list[str]:
    traffic = Traffic.of(run.log)
    expected_pages = max(1, math.ceil(run.size / page_size))
    problems = []
    if run.changed:
        problems.append(f"reported changed={run.changed}")
    if traffic.inner_writes or traffic.bare_writes:
        problems.append(f"sent {traffic.inner_writes + traffic.bare_writes} writes")
    if traffic.tokens > 1:
        problems.append(f"asked for {traffic.tokens} tokens")
    for kind, starts in traffic.list_starts.items():
        if starts > 1 or "{id}" in kind:
            problems.append(f"read {kind} {starts} times")
    if traffic.pages["mobileAppConfigurations"] != expected_pages:
        problems.append(f"read {traffic.pages['mobileAppConfigurations']} pages of policies, not {expected_pages}")
    if traffic.top_level != traffic.tokens + sum(traffic.pages.values()):
        problems.append("sent requests other than the token and the lists")
    return problems


def check_writes(run: Run, expected_writes: int) -> list[str]:
    traffic = Traffic.of(run.log)
    problems = []
    if traffic.bare_writes:
        problems.append(f"{traffic.bare_writes} writes outside $batch")
    if traffic.inner_writes != expected_writes:
        problems.append(f"{traffic.inner_writes} writes, not {expected_writes}")
    if not run.changed:
        problems.append("reported no change")
    return problems


def check_uri(run: Run) -> list[str]:
    traffic = Traffic.of(run.log)
    if traffic.pages.get("mobileAppConfigurations?$filter") != run.size or traffic.inner_writes or traffic.tokens != 1:
        return [f"unexpected traffic: {traffic.gets_text()}"]
    return []


# The runs ----------------------------------------------------------------------------------

def module_runs(emulator: Emulator, workdir: str, size: int, args: argparse.Namespace, problems: list[str]) -> list[Run]:
    """Floor and no-change (repeated), first and 10 % changed runs at one size, checked."""
    emulator.fresh_tenant()
    write_inventory(workdir, emulator, policies(size))
    floor = measure(emulator, workdir, size, FLOOR, PING_PLAYBOOK, args.repeat)
    first = measure(emulator, workdir, size, FIRST, MODULE_PLAYBOOK)
    same = measure(emulator, workdir, size, NO_CHANGE, MODULE_PLAYBOOK, args.repeat)
    write_inventory(workdir, emulator, policies(size, changed=True))
    moved = measure(emulator, workdir, size, CHANGED, MODULE_PLAYBOOK)
    where = f"latency {emulator.latency:.2f} s N={size}"
    problems += [f"{where} {FIRST}: {problem}" for problem in check_writes(first, 2 * size)]
    problems += [f"{where} {NO_CHANGE}: {problem}" for problem in check_no_change(same, args.page_size)]
    problems += [f"{where} {CHANGED}: {problem}" for problem in check_writes(moved, math.ceil(size / CHANGED_SHARE))]
    return [floor, first, same, moved]


def uri_run(emulator: Emulator, workdir: str, size: int, problems: list[str]) -> Run:
    """The uri loop, on the tenant the module runs at this size left (every policy present)."""
    run = measure(emulator, workdir, size, URI, URI_PLAYBOOK)
    problems += [f"latency {emulator.latency:.2f} s N={size} {URI}: {problem}" for problem in check_uri(run)]
    return run


# Report ------------------------------------------------------------------------------------

def print_table(runs: list[Run]) -> None:
    header = (f"{'N':>6}  {'run':<16}{'wall s':>8}{'changed':>9}{'requests':>10}{'$batch':>8}{'writes':>8}"
              f"{'token':>7}  GETs (pages) by kind")
    print(header)
    print("-" * len(header))
    for run in runs:
        traffic = Traffic.of(run.log)
        print(f"{run.size:>6}  {run.label:<16}{run.seconds:>8.2f}{run.changed:>9}{traffic.top_level:>10}"
              f"{traffic.envelopes:>8}{traffic.inner_writes:>8}{traffic.tokens:>7}  {traffic.gets_text()}")
    print("requests: top-level HTTP requests (token and $batch envelopes included); writes: inside $batch; "
          f"{FLOOR} and {NO_CHANGE}: median of the repeats")


def print_scaling(runs: list[Run], page_size: int) -> None:
    print(f"\n{NO_CHANGE} module run by size, against Ansible's floor (the same inventory, one ping task):")
    floors = {run.size: run.seconds for run in runs if run.label == FLOOR}
    for run in (run for run in runs if run.label == NO_CHANGE):
        traffic = Traffic.of(run.log)
        spread = f"{min(run.times):.2f}-{max(run.times):.2f}"
        print(f"  N={run.size:<5} {run.seconds:6.2f} s (runs {spread} s), {traffic.top_level:3} requests "
              f"({sum(traffic.pages.values())} GET pages of up to {page_size}, {traffic.tokens} token); "
              f"floor {floors[run.size]:.2f} s, module above it {run.seconds - floors[run.size]:5.2f} s")


def print_speed_up(runs: list[Run], uri: Run, problems: list[str]) -> None:
    module = next(run for run in runs if run.label == NO_CHANGE and run.size == uri.size)
    speed_up = uri.seconds / module.seconds
    print(f"\nN={uri.size}: uri loop {uri.seconds:.1f} s ({uri.seconds / uri.size * 1000:.0f} ms per policy), "
          f"module {NO_CHANGE} {module.seconds:.2f} s: speed-up {speed_up:.0f}x (target {SPEED_UP_TARGET}x)")
    if uri.size != TARGET_SIZE:
        print(f"  (the {SPEED_UP_TARGET}x target is set for N={TARGET_SIZE})")
    elif speed_up < SPEED_UP_TARGET:
        problems.append(f"latency {uri.latency:.2f} s: speed-up {speed_up:.1f}x is under the {SPEED_UP_TARGET}x target")


def print_latency_comparison(runs: list[Run]) -> None:
    """Per latency and size: the no-change run against the floor plus its round trips, and the uri loop."""
    print("\nno-change run and uri loop by emulator latency (seconds per HTTP request):")
    print(f"  {'latency':>7} {'N':>6} {'floor':>7} {'requests':>9} {'floor + requests x latency':>27} "
          f"{'no change':>10} {'uri loop':>9} {'speed-up':>9}")
    floors = {(run.latency, run.size): run.seconds for run in runs if run.label == FLOOR}
    uris = {(run.latency, run.size): run.seconds for run in runs if run.label == URI}
    for run in (run for run in runs if run.label == NO_CHANGE):
        key = (run.latency, run.size)
        requests = Traffic.of(run.log).top_level
        uri = uris.get(key)
        uri_text = f"{uri:9.1f}" if uri else f"{'-':>9}"
        speed_text = f"{uri / run.seconds:8.0f}x" if uri else f"{'-':>9}"
        print(f"  {run.latency:7.2f} {run.size:6} {floors[key]:7.2f} {requests:9} "
              f"{floors[key] + requests * run.latency:27.2f} {run.seconds:10.2f} {uri_text} {speed_text}")


def load_text() -> str:
    return "load average " + " ".join(f"{load:.2f}" for load in os.getloadavg()) + f" on {os.cpu_count()} CPUs"


# Main --------------------------------------------------------------------------------------

def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,500,2000", help="comma-separated numbers of policies (default: %(default)s)")
    parser.add_argument("--uri-size", type=int, default=500, help="N for the uri loop comparison (default: %(default)s)")
    parser.add_argument("--skip-uri", action="store_true", help="do not run the uri loop")
    parser.add_argument("--repeat", type=int, default=3, help="floor and no-change runs per size, median shown (default: %(default)s)")
    parser.add_argument("--page-size", type=int, default=100, help="the emulator's page size (default: %(default)s)")
    parser.add_argument("--latencies", default="0,0.15",
                        help="comma-separated emulator latencies in seconds per request (default: %(default)s)")
    args = parser.parse_args()
    try:
        args.latencies = sorted({float(value) for value in args.latencies.split(",") if value.strip()})
    except ValueError:
        parser.error(f"--latencies takes seconds separated by commas, got {args.latencies!r}")
    args.sizes = sorted({int(size) for size in args.sizes.split(",") if size.strip()})
    if not args.skip_uri:
        args.sizes = sorted(set(args.sizes) | {args.uri_size})
    if min(args.sizes) < 1 or args.repeat < 1 or args.page_size < 1 or not args.latencies or min(args.latencies) < 0:
        parser.error("sizes, --repeat and --page-size must be positive, --latencies at least one number >= 0")
    return args


def latency_runs(args: argparse.Namespace, latency: float, problems: list[str]) -> tuple[list[Run], Run | None]:
    """Every size's module runs and the uri loop, against one emulator with this latency."""
    runs: list[Run] = []
    uri: Run | None = None
    with Emulator(args.page_size, latency) as emulator, tempfile.TemporaryDirectory(prefix="intune-bench-") as workdir:
        print(f"emulator at {emulator.base_url}, latency {latency:.2f} s, page size {args.page_size}; {load_text()}")
        write_inventory(workdir, emulator, policies(1))
        run_playbook(workdir, PING_PLAYBOOK, MODULE_TIMEOUT)  # warm-up, not measured: fills the OS caches
        for size in args.sizes:
            runs += module_runs(emulator, workdir, size, args, problems)
            if size == args.uri_size and not args.skip_uri:
                uri = uri_run(emulator, workdir, size, problems)
    return runs, uri


def main() -> int:
    args = parse_args()
    SIGNALS.install()
    problems: list[str] = []
    every_run: list[Run] = []
    for latency in args.latencies:
        runs, uri = latency_runs(args, latency, problems)
        print(f"done; {load_text()}\n\nlatency {latency:.2f} s:")
        print_table(runs + ([uri] if uri else []))
        print_scaling(runs, args.page_size)
        if uri is not None:
            print_speed_up(runs, uri, problems)
        every_run += runs + ([uri] if uri else [])
        print()
    print_latency_comparison(every_run)
    print("\nchecks: " + ("all passed" if not problems else "FAILED"))
    for problem in problems:
        print(f"  - {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
