#!/usr/bin/env python3
"""The stagegate benchmark (see bench/README.md); bench/run.sh builds the jars and calls this.

Times whole processes, stagegate and its plain counterpart alternately, after a warm-up, and
writes the figures to bench/cache/results-latest.json and bench/RESULTS.md.
"""

import argparse
import datetime
import glob
import hashlib
import json
import os
import platform
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CACHE = os.path.join(HERE, "cache")
BASELINE = os.path.join(HERE, "baseline-pre-receive.sh")
BASELINE_STATUS = os.path.join(HERE, "baseline-status.sh")
AJV = os.path.join(HERE, "node_modules", ".bin", "ajv")
# The launcher the README tells users to run, and the JVM flags it passes (besides its archive).
LAUNCHER = os.path.join(ROOT, "stagegate")
LAUNCHER_FLAGS = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData"]
MIB = 1024 * 1024

SIZES = [("10k", 10_000), ("100k", 100_000), ("1m", 1_000_000)]
# apps: bench's reference repository; clusters: the second shape (gen_repo.py --shape clusters), whose
# scenario and repository names start with "clusters-"
SHAPES = ["apps", "clusters"]
FEATURE_SIZE = "100k"
FEATURE_COMMITS = 10_000
VALIDATE_FILES = 10_000

TARGETS = {
    "promotion": "promotion push (100k commits) within 4x of the plain-git hook",
    "history": "promotion push on 1M commits within 1.3x of the same push on 10k commits",
    "clusters-promotion": "clusters shape: promotion push (100k commits) within 4x of the plain-git hook",
    "clusters-history": "clusters shape: promotion push on the largest repository within 1.3x of the same push "
                        "on 10k commits",
    "feature": "10,000-commit feature push under 5 s",
    "validate": "validate over 10,000 files faster than ajv-cli",
    "validate-as-written": "validate over 10,000 values files written with flow mappings, quoted strings and "
                           "comments faster than ajv-cli",
    "memory": "hook peak RSS under 256 MiB on the 1M-commit repository",
}


# The promotion chain of the benchmarks' policies (bench/rules.py, bench/kubernetes.py), each of
# which adds what it measures.
POLICY_HEAD = """# yaml-language-server: $schema=https://stagegate.dev/schemas/policy-v1.schema.json
apiVersion: stagegate/v1
kind: PromotionPolicy
environments:
  - name: development
    branch: develop
  - name: testing
    branch: test
    promotesFrom: development
  - name: staging
    branch: staging
    promotesFrom: testing
  - name: production
    branch: main
    promotesFrom: staging
"""


def log(message):
    print(message, flush=True)


def generator_hash():
    digest = hashlib.sha256()
    for path in ["gen_repo.py", "fixtures/policy.yaml", "fixtures/policy-clusters.yaml",
                 "fixtures/app-values.schema.json"]:
        with open(os.path.join(HERE, path), "rb") as source:
            digest.update(path.encode() + b"\0" + source.read() + b"\0")
    return digest.hexdigest()[:12]


# ---------------------------------------------------------------- reference repositories

def repository_name(shape, label):
    """How results, scenarios and cache directories name a repository: 100k, clusters-100k."""
    return label if shape == "apps" else "%s-%s" % (shape, label)


def reference_repository(shape, label, commits, feature_commits):
    key = generator_hash()
    label = repository_name(shape, label)
    directory = os.path.join(CACHE, "repo-%s-%s" % (label, key))
    meta_file = os.path.join(directory, "bench.json")
    if os.path.isfile(meta_file):
        with open(meta_file) as meta:
            data = json.load(meta)
        if data.get("complete"):
            log("repository %s: cached (%s)" % (label, os.path.relpath(directory, ROOT)))
            data["cached"] = True
            return directory, data
    for stale in glob.glob(os.path.join(CACHE, "repo-%s-*" % label)):
        log("repository %s: removing %s, made by another generator" % (label, os.path.relpath(stale, ROOT)))
        shutil.rmtree(stale)
    log("repository %s: generating %d commits with git fast-import ..." % (label, commits))
    command = [sys.executable, os.path.join(HERE, "gen_repo.py"), "--shape", shape, "--commits", str(commits),
               "--out", directory]
    if feature_commits:
        command += ["--feature-commits", str(feature_commits)]
    subprocess.run(command, check=True)
    with open(meta_file) as meta:
        data = json.load(meta)
    data["cached"] = False
    return directory, data


# The values files of the validate scenarios: "block" as gen_repo.values() writes them (plain block
# YAML), "as-written" as gen_repo.values_as_written() does (flow collections, quoted strings with
# escapes, comments, a block scalar, UTF-8). The second schema adds what those files add (args).
VALIDATE_STYLES = {
    "block": {"prefix": "validate-", "kind": "validate", "suffix": ""},
    "as-written": {"prefix": "validate-as-written-", "kind": "validate-as-written", "suffix": "-as-written"},
}


def validate_schema(style):
    with open(os.path.join(HERE, "fixtures", "app-values.schema.json")) as source:
        schema = json.load(source)
    if style == "as-written":
        schema["properties"]["args"] = {"description": "The container's arguments.", "type": "array",
                                        "items": {"type": "string"}}
    return schema


def validate_directory(style, files):
    sys.path.insert(0, HERE)
    import gen_repo
    prefix = VALIDATE_STYLES[style]["prefix"]
    directory = os.path.join(CACHE, "%s%d-%s" % (prefix, files, generator_hash()))
    marker = os.path.join(directory, ".complete")
    if os.path.isfile(marker):
        return directory
    # "validate-" also starts the other style's names: a stale directory is this style's when
    # what follows the prefix is its file count
    for stale in glob.glob(os.path.join(CACHE, prefix + "*")):
        if os.path.basename(stale)[len(prefix):].split("-")[0].isdigit():
            shutil.rmtree(stale)
    log("validate: writing %d values files (%s) ..." % (files, style))
    os.makedirs(os.path.join(directory, ".stagegate"))
    os.makedirs(os.path.join(directory, "schemas"))
    shutil.copy(os.path.join(HERE, "fixtures", "policy.yaml"), os.path.join(directory, ".stagegate", "policy.yaml"))
    with open(os.path.join(directory, "schemas", "app-values.schema.json"), "w") as out:
        json.dump(validate_schema(style), out, indent=2)
    write = gen_repo.values if style == "block" else gen_repo.values_as_written
    for n in range(files):
        path = os.path.join(directory, "apps", "team-%02d" % (n // 100), "app-%05d" % n, "values.yaml")
        os.makedirs(os.path.dirname(path))
        with open(path, "w", encoding="utf-8") as out:
            out.write(write(n % gen_repo.APPS, n))
    open(marker, "w").close()
    return directory


def time_validate_scenarios(results, jar, java, warmup, runs, scratch, files):
    """stagegate validate against ajv-cli over the same values files and schema, for each style."""
    if not os.path.exists(AJV):
        results["notes"].append("ajv-cli is not installed (bench/node_modules); validate was not compared")
        log("  NOTE: " + results["notes"][-1])
        return
    # validate runs as the README tells users to run it: through the launcher ./stagegate
    # (its JVM flags and the class-data-sharing archive it keeps next to the jar), on the
    # jar being measured (STAGEGATE_JAR: no rebuild check). One run first builds the archive,
    # so that no timed run (warm-up included) pays for it.
    launcher_env = launcher_environment(jar, java)
    prepare_launcher(launcher_env, scratch)
    for style, naming in VALIDATE_STYLES.items():
        directory = validate_directory(style, files)
        stagegate = {"label": "stagegate", "command": [LAUNCHER, "validate", "--repo", directory],
                     "cwd": directory, "env": launcher_env, "expect": 0}
        ajv = {"label": "ajv-cli", "command": [AJV, "validate", "--spec=draft7", "--all-errors", "-s",
                                               "schemas/app-values.schema.json", "-d", "apps/*/*/values.yaml"],
               "cwd": directory, "env": dict(os.environ), "expect": 0}
        name = "validate-%s-files%s" % ("%dk" % (files // 1000) if files % 1000 == 0 else files, naming["suffix"])
        entry = compare(name, stagegate, ajv, warmup, max(3, runs // 2), scratch)
        entry.update(kind=naming["kind"], files=files, style=style)
        results["scenarios"].append(entry)


# ---------------------------------------------------------------- running processes

TIME = "/usr/bin/time"


class Run:
    def __init__(self, seconds, cpu_seconds, status, max_rss_kib, stdout, stderr):
        self.seconds = seconds
        self.cpu_seconds = cpu_seconds
        self.status = status
        self.max_rss_kib = max_rss_kib
        self.stdout = stdout
        self.stderr = stderr


def launcher_environment(jar, java):
    """The environment in which ./stagegate runs the measured jar with the measured JDK."""
    env = dict(os.environ, STAGEGATE_JAR=jar, JAVA_HOME=os.path.dirname(os.path.dirname(os.path.realpath(java))))
    env.pop("STAGEGATE_CDS", None)
    return env


def prepare_launcher(env, scratch):
    """One launcher run, which builds its class-data-sharing archive for the jar if it has none yet."""
    result = run_process([LAUNCHER, "--version"], ROOT, env, "", scratch)
    if result.status != 0:
        log("  NOTE: ./stagegate --version exited with %s: %s" % (result.status, result.stderr.strip()))


def run_process(command, cwd, env, stdin_text="", scratch=None):
    """One whole process (tree) under /usr/bin/time: wall time, CPU time (user + system of the
    tree), exit status, and peak RSS of its largest process (time -f %M).

    The RSS comes from time and not from this script's own wait4: Linux folds the pre-exec
    memory of a forked child, a copy of this Python process, into ru_maxrss, and time is small."""
    scratch = scratch or tempfile.mkdtemp(prefix="run-", dir=CACHE)
    paths = [os.path.join(scratch, name) for name in ("stdin", "stdout", "stderr", "rss")]
    with open(paths[0], "w") as stdin:
        stdin.write(stdin_text)
    if os.path.exists(paths[3]):
        os.remove(paths[3])
    with open(paths[0]) as stdin, open(paths[1], "wb") as stdout, open(paths[2], "wb") as stderr:
        started = time.perf_counter()
        process = subprocess.Popen([TIME, "-f", "%M", "-o", paths[3], "--"] + command, cwd=cwd, env=env,
                                   stdin=stdin, stdout=stdout, stderr=stderr)
        _, wait_status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(wait_status)
    try:
        with open(paths[3]) as rss:
            max_rss_kib = int(rss.read().strip().splitlines()[-1])
    except (OSError, ValueError, IndexError):
        max_rss_kib = 0
    with open(paths[1], errors="replace") as out, open(paths[2], errors="replace") as err:
        return Run(elapsed, usage.ru_utime + usage.ru_stime, process.returncode, max_rss_kib, out.read(),
                   err.read())


def summary(runs):
    seconds = [run.seconds for run in runs]
    return {
        "n": len(runs),
        "median_ms": round(statistics.median(seconds) * 1000, 1),
        "min_ms": round(min(seconds) * 1000, 1),
        "max_ms": round(max(seconds) * 1000, 1),
        "cpu_median_ms": round(statistics.median(run.cpu_seconds for run in runs) * 1000, 1),
        "max_rss_mib": round(max(run.max_rss_kib for run in runs) / 1024, 1),
        "statuses": sorted(set(run.status for run in runs)),
    }


def busy_fraction(seconds=1.0):
    """Share of all CPUs busy over `seconds` (this script sleeps meanwhile)."""
    def sample():
        fields = [int(value) for value in open("/proc/stat").readline().split()[1:]]
        return sum(fields), fields[3] + fields[4]  # total, idle + iowait
    total_before, idle_before = sample()
    time.sleep(seconds)
    total_after, idle_after = sample()
    total = total_after - total_before
    return 1.0 - (idle_after - idle_before) / total if total else 0.0


def wait_until_idle(limit_seconds):
    """Other work on the machine skews whole-process timings: wait (up to a limit) until the
    CPUs have been nearly idle for a few seconds in a row."""
    if limit_seconds <= 0:
        return None
    started = time.time()
    quiet = 0
    announced = False
    while time.time() - started < limit_seconds:
        busy = busy_fraction()
        quiet = quiet + 1 if busy < 0.10 else 0
        if quiet >= 3:
            return round(time.time() - started)
        if not announced and busy >= 0.10:
            log("    (waiting for the machine to go idle: %.0f%% busy)" % (busy * 100))
            announced = True
    log("    (still busy after %d s; measuring anyway)" % limit_seconds)
    return round(time.time() - started)


IDLE_WAIT = [300]


def cpu_jiffies():
    fields = [int(value) for value in open("/proc/stat").readline().split()[1:]]
    return sum(fields) - fields[3] - fields[4]  # busy: all but idle and iowait


def compare(name, a, b, warmup, runs, scratch, attempts=3):
    """a and b: dict(label, command, cwd, env, stdin, expect). Alternates a, b, a, b, ...

    stdin is the text, or a function of the run's number (0, 1, ... counted over the warm-up, the
    timed runs and any repeated attempt, so that no number comes twice) that gives the text: a side
    whose every run must push something the resident server has not seen before.

    Measures how much CPU the rest of the machine used meanwhile (all busy time minus the
    measured processes' own), and measures again, up to `attempts` times, when that was more
    than a tenth of the machine."""
    for attempt in range(1, attempts + 1):
        waited = wait_until_idle(IDLE_WAIT[0])
        log("  %s: %d warm-up + %d runs each, alternating %s / %s" % (name, warmup, runs, a["label"], b["label"]))
        results = {a["label"]: [], b["label"]: []}
        first_output = {}
        load_before = open("/proc/loadavg").read().split()[0]
        busy_before, own_cpu, started = cpu_jiffies(), 0.0, time.time()
        for i in range(warmup + runs):
            for side in (a, b):
                # a resident server's CPU time belongs to the side it serves, not to "other work"
                resident = side.get("resident")
                resident_before = process_cpu_seconds(resident() if resident else None)
                stdin = side.get("stdin", "")
                if callable(stdin):
                    stdin = stdin((attempt - 1) * (warmup + runs) + i)
                run = run_process(side["command"], side["cwd"], side["env"], stdin, scratch)
                run.cpu_seconds += process_cpu_seconds(resident() if resident else None) - resident_before
                own_cpu += run.cpu_seconds
                first_output.setdefault(side["label"], (run.stdout + run.stderr).strip())
                if i >= warmup:
                    results[side["label"]].append(run)
        elapsed = time.time() - started
        others = (cpu_jiffies() - busy_before) / os.sysconf("SC_CLK_TCK") - own_cpu
        interference = max(0.0, others / (elapsed * os.cpu_count()))
        if interference <= 0.10 or attempt == attempts:
            break
        log("    other work used %.0f%% of the CPUs meanwhile; measuring %s again" % (interference * 100, name))
    entry = {"name": name, "load_average": [load_before, open("/proc/loadavg").read().split()[0]],
             "waited_for_idle_s": waited, "other_cpu_share": round(interference, 3), "attempts": attempt}
    for side in (a, b):
        stats = summary(results[side["label"]])
        stats["expected_status"] = side["expect"]
        stats["as_expected"] = stats["statuses"] == [side["expect"]]
        stats["command"] = " ".join(shlex.quote(word) for word in side["command"])
        stats["output"] = first_output[side["label"]][-1500:]
        entry[side["label"]] = stats
    entry["ratio"] = round(entry[a["label"]]["median_ms"] / entry[b["label"]]["median_ms"], 2)
    line = "    %-22s %s %s  |  %s %s  |  ratio %.2fx  (others used %.0f%% of the CPUs)" % (
        name, a["label"], fmt(entry[a["label"]]), b["label"], fmt(entry[b["label"]]), entry["ratio"],
        100 * entry["other_cpu_share"])
    log(line)
    for side in (a, b):
        if not entry[side["label"]]["as_expected"]:
            log("    WARNING: %s exited %s, expected %s; first output:\n%s" % (
                side["label"], entry[side["label"]]["statuses"], side["expect"],
                indent(entry[side["label"]]["output"])))
    return entry


def fmt(stats):
    return "median %7.1f ms (min %.1f, max %.1f, cpu %.0f) rss %.0f MiB" % (
        stats["median_ms"], stats["min_ms"], stats["max_ms"], stats["cpu_median_ms"], stats["max_rss_mib"])


def indent(text, prefix="      "):
    return "\n".join(prefix + line for line in text.splitlines())


def hook_environment(repo, push):
    """What receive-pack gives a pre-receive hook: the git dir, and the push's quarantine."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("GIT_", "STAGEGATE_", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS"))}
    env.update(GIT_DIR=repo, GIT_OBJECT_DIRECTORY=push["quarantine"],
               GIT_ALTERNATE_OBJECT_DIRECTORIES=os.path.join(repo, "objects"),
               GIT_QUARANTINE_PATH=push["quarantine"])
    return env


def push_line(push):
    return "%s %s %s\n" % (push["old"], push["new"], push["ref"])


def hook_pair(repo, push, expect, hook="pre-receive", shape="apps"):
    env = hook_environment(repo, push)
    stdin = push_line(push)
    resident = (lambda: server_pid(repo)) if hook == "pre-receive" else None
    return ({"label": "stagegate", "command": [os.path.join(repo, "hooks", hook)], "cwd": repo,
             "env": env, "stdin": stdin, "expect": expect, "resident": resident},
            {"label": "baseline", "command": [BASELINE, shape], "cwd": repo, "env": env, "stdin": stdin,
             "expect": expect})


def install_hook(java, jar, repo, server_options=()):
    """Installs the hook twice: as the plain JVM hook (kept as hooks/pre-receive.cold, the cold
    variant) and then with --server (hooks/pre-receive, the variant the targets are judged on),
    passing each of server_options as a --server-java-option. Each repository gets its own
    server directory, so that each server's memory is its own."""
    hooks = os.path.join(repo, "hooks")
    server = ["--server", server_directory(repo)]
    for option in server_options:
        server += ["--server-java-option", option]
    for extra in ([], server):
        result = subprocess.run([java, "-jar", jar, "hook", "install", "--repo", repo] + extra,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if result.returncode != 0:
            sys.exit("hook install failed:\n" + result.stdout)
        if not extra:
            shutil.copy(os.path.join(hooks, "pre-receive"), os.path.join(hooks, "pre-receive.cold"))
    with open(os.path.join(hooks, "pre-receive")) as script:
        text = script.read()
    files = sorted((name, os.path.getsize(os.path.join(hooks, name))) for name in os.listdir(hooks)
                   if not name.endswith(".sample"))
    return {"output": result.stdout.strip(), "script": text, "files": files}


def server_directory(repo):
    return os.path.join(os.path.dirname(repo), "server")


def server_pid(repo):
    """The resident server of a reference repository, or None."""
    marker = "--dir " + server_directory(repo)
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % entry, "rb") as source:
                cmdline = source.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if marker in cmdline and "hook serve" in cmdline:
            return int(entry)
    return None


def process_cpu_seconds(pid):
    """User + system CPU time of a running process (0 when there is none)."""
    if pid is None:
        return 0.0
    try:
        with open("/proc/%d/stat" % pid) as source:
            fields = source.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def stop_server(repo):
    """Stops a resident server left from an earlier run (it may run an older jar), by SIGTERM."""
    pid = server_pid(repo)
    if pid is not None:
        try:
            os.kill(pid, signal.SIGTERM)
        except OSError:
            pass
    for _ in range(100):
        if server_endpoint(repo) is None:
            return
        time.sleep(0.05)


def server_endpoint(repo):
    """Where the resident server listens, once it does: its Unix socket, or the endpoint file
    (port and secret) of a stagegate from before the socket, so that older jars can be timed
    side by side (--jar)."""
    for name in ("socket", "endpoint"):
        path = os.path.join(server_directory(repo), name)
        if os.path.exists(path):
            return path
    return None


def warm_server(repo, push, scratch, requests=100):
    """The server is resident: the hook starts it on the first push, and it serves the pushes
    after that. Start it, wait for its socket, and give it some pushes to compile the hot
    path, as a server that has run for a while has. 100: the server of the 1M repository was
    still warming after 30 (about 29 ms of CPU per push over the next 40, 19 ms after 100),
    while the 10k one had settled."""
    env = hook_environment(repo, push)
    run_process([os.path.join(repo, "hooks", "pre-receive")], repo, env, push_line(push), scratch)
    for _ in range(600):
        if server_endpoint(repo) is not None:
            break
        time.sleep(0.05)
    else:
        log("  WARNING: the resident server of %s did not start; see %s" % (
            repo, os.path.join(server_directory(repo), "server.log")))
    for _ in range(requests):
        run_process([os.path.join(repo, "hooks", "pre-receive")], repo, env, push_line(push), scratch)


def resident_processes(own_pids, markers):
    """Processes the hook left running (a resident server, if stagegate grows one): any process
    started during the timings whose command line names a benchmark repository or hooks jar."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) in own_pids:
            continue
        try:
            with open("/proc/%s/cmdline" % entry, "rb") as source:
                cmdline = source.read().replace(b"\0", b" ").decode(errors="replace")
            if not any(marker in cmdline for marker in markers) or "bench.py" in cmdline:
                continue
            with open("/proc/%s/status" % entry) as source:
                status = dict(line.split(":", 1) for line in source if ":" in line)
            found.append({"pid": int(entry), "cmdline": cmdline[:300],
                          "vm_hwm_mib": round(int(status.get("VmHWM", "0 kB").split()[0]) / 1024, 1),
                          "vm_rss_mib": round(int(status.get("VmRSS", "0 kB").split()[0]) / 1024, 1)})
        except (OSError, ValueError):
            continue
    return found


# ---------------------------------------------------------------- diagnostics: where the time goes

def hook_jvm_command(repo):
    """The java command line of the installed hook script, for diagnostic runs with extra flags."""
    with open(os.path.join(repo, "hooks", "pre-receive.cold")) as script:
        for line in script:
            if line.startswith("exec ") and "java" in line:
                return shlex.split(line)[1:]
    return None


def with_flags(command, flags):
    """`command` (a java command line) with extra JVM flags after its own (so that they win over
    an -Xlog:disable there) and before -jar or the main class."""
    at = command.index("-jar") if "-jar" in command else len(command) - 1
    return command[:at] + flags + command[at:]


def class_load_profile(repo, push, scratch, repeats):
    """Runs the hook with -Xlog:class+load and -Xlog:startuptime: how many classes, from where,
    and when each library's first class loaded (a timeline of the run), median over repeats."""
    command = hook_jvm_command(repo)
    if command is None:
        return {"error": "the hook script has no exec java line"}
    env = hook_environment(repo, push)
    runs = []
    for _ in range(repeats):
        log_file = os.path.join(scratch, "classload.log")
        startup_file = os.path.join(scratch, "startup.log")
        gc_file = os.path.join(scratch, "gc.log")
        for path in (log_file, startup_file, gc_file):
            if os.path.exists(path):
                os.remove(path)
        flags = ["-Xlog:class+load=info:file=%s:uptime" % log_file,
                 "-Xlog:startuptime=info:file=%s:uptime" % startup_file,
                 "-Xlog:gc=info:file=%s:uptime" % gc_file]
        run = run_process(with_flags(command, flags), repo, env, push_line(push), scratch)
        classes = parse_class_log(log_file)
        classes["wall_ms"] = round(run.seconds * 1000, 1)
        classes["status"] = run.status
        classes["create_vm_ms"] = parse_create_vm(startup_file)
        classes["gc"] = parse_gc_log(gc_file)
        runs.append(classes)
    runs.sort(key=lambda r: r["wall_ms"])
    return runs[len(runs) // 2]


GROUPS = [("dev.stagegate", "stagegate"), ("picocli", "picocli"), ("org.eclipse.jgit", "JGit"),
          ("com.fasterxml", "Jackson"), ("org.yaml.snakeyaml", "SnakeYAML"), ("org.everit", "Everit"),
          ("org.json", "org.json"), ("org.slf4j", "slf4j"), ("java.", "JDK"), ("javax.", "JDK"),
          ("jdk.", "JDK"), ("sun.", "JDK"), ("com.sun.", "JDK")]


def group_of(name):
    for prefix, group in GROUPS:
        if name.startswith(prefix):
            return group
    return "other"


def parse_class_log(path):
    pattern = re.compile(r"^\[(\d+\.\d+)s\]\s+(\S+) source: (.*)$")
    total = 0
    by_source = {}
    by_group = {}
    first = {}
    last = 0.0
    try:
        lines = open(path, errors="replace").read().splitlines()
    except OSError:
        return {"error": "no class-load log"}
    for line in lines:
        match = pattern.match(line)
        if not match:
            continue
        uptime, name, source = float(match.group(1)), match.group(2), match.group(3)
        total += 1
        if source.startswith("shared objects file"):
            kind = "CDS archive"
        elif source.startswith("jrt:"):
            kind = "JDK modules (not archived)"
        elif source.startswith(("file:", "jar:")):
            kind = "jar (not archived)"
        else:
            kind = "generated at run time"  # lambdas, proxies, method handles: the source names the host
        by_source[kind] = by_source.get(kind, 0) + 1
        group = group_of(name)
        counts = by_group.setdefault(group, {"classes": 0, "from_archive": 0})
        counts["classes"] += 1
        if kind == "CDS archive":
            counts["from_archive"] += 1
        if group not in first:
            first[group] = {"first_ms": round(uptime * 1000), "first_class": name}
        first[group]["last_ms"] = round(uptime * 1000)
        last = uptime
    timeline = sorted(({"group": group, **times} for group, times in first.items()), key=lambda t: t["first_ms"])
    return {"classes": total, "by_source": by_source, "by_group": by_group, "timeline": timeline,
            "last_class_ms": round(last * 1000)}


def parse_create_vm(path):
    try:
        for line in open(path):
            if "Create VM" in line:
                return round(float(line.rsplit(",", 1)[1].split()[0]) * 1000, 1)
    except (OSError, ValueError, IndexError):
        pass
    return None


def parse_gc_log(path):
    pauses = []
    heap_after = []
    try:
        for line in open(path):
            match = re.search(r"Pause.*?(\d+)M->(\d+)M\((\d+)M\) (\d+\.\d+)ms", line)
            if match:
                heap_after.append(int(match.group(2)))
                pauses.append(float(match.group(4)))
    except OSError:
        return None
    return {"collections": len(pauses), "pause_ms": round(sum(pauses), 1),
            "max_heap_after_gc_mib": max(heap_after) if heap_after else 0}


def jfr_profile_hook(repo, push, scratch, repeats):
    command = hook_jvm_command(repo)
    if command is None:
        return {"error": "the hook script has no exec java line"}
    return jfr_profile(command, repo, hook_environment(repo, push), push_line(push), scratch, repeats)


def jfr_profile(command, cwd, env, stdin, scratch, repeats):
    """Samples the Java threads of `command` (a java command line) with JFR over several runs and
    sums them: the methods at the top of the stack, and the innermost stagegate frame under them
    (which step of the work)."""
    jfr = shutil.which("jfr") or os.path.join(os.path.dirname(os.path.realpath(command[0])), "jfr")
    if not os.path.exists(jfr):
        return {"error": "no jfr tool"}
    settings = "profile"
    profile_jfc = os.path.join(os.path.dirname(os.path.dirname(os.path.realpath(command[0]))), "lib", "jfr",
                               "profile.jfc")
    if os.path.exists(profile_jfc):
        # JFR's profile settings sample every 10 ms (20 ms by default): too few samples in a
        # run of a few hundred milliseconds, so sample every millisecond
        settings = os.path.join(scratch, "sample-1ms.jfc")
        with open(profile_jfc) as source, open(settings, "w") as out:
            out.write(re.sub(r'(<event name="jdk.ExecutionSample">.*?<setting name="period")[^>]*>[^<]*<',
                             r'\1>1 ms<', source.read(), flags=re.S))
    top = {}
    step = {}
    samples = 0
    walls = []
    for n in range(repeats):
        recording = os.path.join(scratch, "profile-%d.jfr" % n)
        flags = ["-XX:StartFlightRecording=filename=%s,settings=%s" % (recording, settings),
                 "-Xlog:jfr+startup=warning"]
        run = run_process(with_flags(command, flags), cwd, env, stdin, scratch)
        walls.append(run.seconds)
        printed = subprocess.run([jfr, "print", "--json", "--stack-depth", "64", "--events",
                                  "jdk.ExecutionSample", recording], stdout=subprocess.PIPE, text=True)
        try:
            events = json.loads(printed.stdout)["recording"]["events"]
        except (ValueError, KeyError):
            continue
        for event in events:
            frames = event["values"]["stackTrace"]["frames"]
            if not frames:
                continue
            samples += 1
            name = frame_name(frames[0])
            top[name] = top.get(name, 0) + 1
            names = [frame_name(f) for f in frames]
            ours = next((n for n in names if n.startswith("dev.stagegate.") and "$$Lambda" not in n), None)
            ours = ours or "(no stagegate frame: JVM start-up, class initialisation, JDK threads)"
            step[ours] = step.get(ours, 0) + 1
    def share(table):
        return [{"frame": name, "samples": count, "percent": round(100.0 * count / samples, 1)}
                for name, count in sorted(table.items(), key=lambda item: -item[1])[:12]]
    return {"runs": repeats, "samples": samples, "wall_ms_with_jfr": round(statistics.median(walls) * 1000),
            "top_frames": share(top), "stagegate_frames": share(step)}


def frame_name(frame):
    method = frame["method"]
    type_name = re.sub(r"\$\$Lambda\$[0-9]+(\+0x[0-9a-f]+)?/(0x)?[0-9a-f]+", "$$Lambda", method["type"]["name"])
    return "%s.%s" % (type_name.replace("/", "."), method["name"])


HEAP_VARIANTS = [[], ["-Xmx160m"], ["-Xmx192m"], ["-Xmn16m"], ["-XX:PretenureSizeThreshold=65536"]]


def heap_variants(repo, push, scratch, variants, repeats):
    """The hook on one push with other heap settings (added after its own, so they win),
    alternating: does it still answer, how fast, with what peak RSS."""
    command = hook_jvm_command(repo)
    if command is None:
        return []
    runs = {index: [] for index in range(len(variants))}
    for _ in range(repeats):
        for index, flags in enumerate(variants):
            runs[index].append(run_process(with_flags(command, flags), repo, hook_environment(repo, push),
                                           push_line(push), scratch))
    rows = []
    for index, flags in enumerate(variants):
        stats = summary(runs[index])
        rows.append({"flags": " ".join(flags) or "(as installed)", "median_ms": stats["median_ms"],
                     "cpu_median_ms": stats["cpu_median_ms"], "max_rss_mib": stats["max_rss_mib"],
                     "statuses": stats["statuses"],
                     "output": (runs[index][0].stdout + runs[index][0].stderr).strip().splitlines()[-1:]})
    return rows


def jvm_floor(java, jar, flags, scratch, runs):
    """The least a JVM hook can cost: java -version, and the jar's --version (picocli, no git)."""
    result = {}
    for label, command in [("java -version (hook flags)", [java] + flags + ["-version"]),
                           ("stagegate --version (hook flags)", [java] + flags + ["-jar", jar, "--version"])]:
        times = [run_process(command, HERE, dict(os.environ), "", scratch).seconds for _ in range(runs)]
        result[label] = round(statistics.median(times) * 1000, 1)
    return result


# ---------------------------------------------------------------- JMH

def run_jmh(jar, quick, repos, scratch):
    if not os.path.isfile(jar):
        return {"error": "no JMH jar at %s" % jar}
    output = os.path.join(scratch, "jmh.json")
    main = repos.get("100k") or next(iter(repos.values()))
    params = ["-p", "repository=%s" % os.path.join(main, "repo.git"),
              "-p", "openRepository=%s" % ",".join(os.path.join(path, "repo.git") for path in repos.values())]
    timing = ["-f", "1", "-wi", "2", "-i", "3", "-w", "1s", "-r", "1s"] if quick else \
             ["-f", "1", "-wi", "3", "-i", "5", "-w", "1s", "-r", "1s"]
    command = ["java", "-jar", jar] + timing + params + ["-rf", "json", "-rff", output]
    log("  " + " ".join(shlex.quote(word) for word in command))
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if result.returncode != 0 or not os.path.isfile(output):
        return {"error": "JMH failed:\n" + result.stdout[-3000:]}
    rows = []
    for benchmark in json.load(open(output)):
        metric = benchmark["primaryMetric"]
        params = {key: re.sub(r".*/repo-([0-9a-z]+)-[0-9a-f]+/repo.git$", r"\1", value)
                  for key, value in benchmark.get("params", {}).items()}
        rows.append({"benchmark": benchmark["benchmark"].replace("dev.stagegate.bench.", ""),
                     "params": params, "mode": benchmark["mode"],
                     "score": metric["score"], "error": metric["scoreError"], "unit": metric["scoreUnit"]})
    return {"command": " ".join(command), "results": rows}


# ---------------------------------------------------------------- machine

def machine():
    def read(path):
        try:
            return open(path).read()
        except OSError:
            return ""
    cpu = re.search(r"model name\s*:\s*(.*)", read("/proc/cpuinfo"))
    memory = re.search(r"MemTotal:\s*(\d+)", read("/proc/meminfo"))
    os_name = re.search(r'PRETTY_NAME="(.*)"', read("/etc/os-release"))
    java_version = subprocess.run(["java", "-version"], stderr=subprocess.PIPE, text=True).stderr.strip()
    return {
        "cpu": cpu.group(1).strip() if cpu else platform.processor(),
        "cores": os.cpu_count(),
        "ram_gib": round(int(memory.group(1)) / 1024 / 1024, 1) if memory else None,
        "os": "%s, kernel %s" % (os_name.group(1) if os_name else platform.system(), platform.release()),
        "jdk": java_version.splitlines()[1] if len(java_version.splitlines()) > 1 else java_version,
        "git": subprocess.run(["git", "--version"], stdout=subprocess.PIPE, text=True).stdout.strip(),
        "node": subprocess.run(["node", "--version"], stdout=subprocess.PIPE, text=True).stdout.strip(),
        "python": platform.python_version(),
        "load_average_at_start": read("/proc/loadavg").split()[:3],
    }


# ---------------------------------------------------------------- main

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer runs, for iterating")
    parser.add_argument("--jar", required=True, help="the stagegate jar the hook is installed from")
    parser.add_argument("--jmh-jar", help="the JMH benchmarks jar (none: skip JMH)")
    parser.add_argument("--sizes", default="10k,100k,1m", help="which reference repositories (10k,100k,1m)")
    parser.add_argument("--shapes", default=",".join(SHAPES),
                        help="which repository shapes (apps,clusters); the feature, validate and status scenarios, "
                             "the diagnostics and JMH need apps")
    parser.add_argument("--runs", type=int, help="timed runs per side (default 15, quick 5)")
    parser.add_argument("--warmup", type=int, help="warm-up runs per side (default 3, quick 1)")
    parser.add_argument("--no-results-md", action="store_true", help="do not rewrite bench/RESULTS.md")
    parser.add_argument("--validate-files", type=int, default=VALIDATE_FILES,
                        help="values files in each validate scenario (default 10,000; fewer to try it out)")
    parser.add_argument("--validate-only", action="store_true",
                        help="only the validate scenarios: no repositories, hook scenarios, diagnostics or JMH")
    parser.add_argument("--idle-wait", type=int, default=300,
                        help="seconds to wait before each scenario for the CPUs to go idle (0: never wait)")
    args = parser.parse_args()
    IDLE_WAIT[0] = args.idle_wait
    runs = args.runs or (5 if args.quick else 15)
    warmup = args.warmup if args.warmup is not None else (1 if args.quick else 3)
    sizes = [size for size in SIZES if size[0] in args.sizes.split(",")]
    shapes = [shape for shape in SHAPES if shape in args.shapes.split(",")]
    os.makedirs(CACHE, exist_ok=True)
    scratch = tempfile.mkdtemp(prefix="scratch-", dir=CACHE)
    java = shutil.which("java")
    jar = os.path.abspath(args.jar)
    started = datetime.datetime.now(datetime.timezone.utc)
    results = {"date": started.strftime("%Y-%m-%d %H:%M UTC"), "mode": "quick" if args.quick else "normal",
               "runs": runs, "warmup": warmup, "machine": machine(), "jar": {"path": os.path.relpath(jar, ROOT),
               "bytes": os.path.getsize(jar)}, "repositories": {}, "scenarios": [], "notes": []}
    log("machine: %(cpu)s, %(cores)s cores, %(ram_gib)s GiB, %(os)s; %(jdk)s; %(git)s" % results["machine"])

    if args.validate_only:
        before = {p for p in os.listdir("/proc") if p.isdigit()}
        log("timing (%d warm-up, %d runs per side):" % (warmup, runs))
        time_validate_scenarios(results, jar, java, warmup, runs, scratch, args.validate_files)
        finish(results, args, scratch, {}, started, before)
        return

    repos = {}  # the apps shape's, by size: the one the feature, status, diagnostics and JMH use
    every_repo = {}  # every shape's, by repository name
    for shape in shapes:
        for label, commits in sizes:
            name = repository_name(shape, label)
            directory, meta = reference_repository(shape, label, commits,
                                                   FEATURE_COMMITS if shape == "apps" and label == FEATURE_SIZE else 0)
            every_repo[name] = directory
            if shape == "apps":
                repos[label] = directory
            repo = os.path.join(directory, "repo.git")
            meta["hook_install"] = install_hook(java, jar, repo)
            results["repositories"][name] = meta
            layout = meta["layout"]
            log("repository %s: %d commits, %s objects in %s pack(s) (%.0f MiB), %d evidence notes; hook: %s" % (
                name, layout["commits"], layout["count_objects"]["in-pack"], layout["count_objects"]["packs"],
                int(layout["count_objects"]["size-pack"]) / 1024, layout["notes"],
                ", ".join("%s %.1f MiB" % (file, size / MIB) for file, size in meta["hook_install"]["files"])))

    log("timing (%d warm-up, %d runs per side):" % (warmup, runs))
    before = {p for p in os.listdir("/proc") if p.isdigit()}
    for shape in shapes:
        for label, _ in sizes:
            time_hook_scenarios(shape, label, every_repo, results, warmup, runs, scratch)
    if not repos:
        finish(results, args, scratch, every_repo, started, before)
        return

    time_validate_scenarios(results, jar, java, warmup, runs, scratch, args.validate_files)
    validate_dir = validate_directory("block", args.validate_files)

    status_check = subprocess.run([java, "-jar", jar, "status", "--help"], stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True)
    status_size = "100k" if "100k" in repos else sizes[-1][0]
    if status_check.returncode != 0 or "stagegate status" not in status_check.stdout:
        results["notes"].append("stagegate status is not available in this jar ('java -jar stagegate.jar status "
                                "--help' shows no status command), so it was not timed")
        log("  NOTE: " + results["notes"][-1])
    else:
        repo = os.path.join(repos[status_size], "repo.git")
        env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
        stagegate = {"label": "stagegate", "command": [java, "-jar", jar, "status", "--repo", repo], "cwd": repo,
                     "env": env, "expect": 0}
        baseline = {"label": "baseline", "command": [BASELINE_STATUS], "cwd": repo, "env": dict(env, GIT_DIR=repo),
                    "expect": 0}
        entry = compare("status-" + status_size, stagegate, baseline, warmup, runs, scratch)
        entry.update(kind="status", size=status_size)
        results["scenarios"].append(entry)

    own = {os.getpid()} | {int(p) for p in before}
    results["resident_processes"] = resident_processes(
        own, [os.path.join(directory, "repo.git") for directory in every_repo.values()] + ["hooks/stagegate"])
    if results["resident_processes"]:
        log("resident processes serving the hook: %s" % results["resident_processes"])
    for directory in every_repo.values():
        stop_server(os.path.join(directory, "repo.git"))

    log("diagnostics: JVM floor, class loading, GC, profile ...")
    wait_until_idle(IDLE_WAIT[0])
    hook_command = hook_jvm_command(os.path.join(repos[sizes[0][0]], "repo.git")) or []
    hook_flags = [word for word in hook_command[1:hook_command.index("-jar")]] if "-jar" in hook_command else []
    diagnostics = {"jvm_floor_ms": jvm_floor(java, jar, hook_flags, scratch, 5 if args.quick else 11),
                   "hook_jvm_flags": hook_flags, "class_loading": {}, "profiles": {}}
    for label, _ in sizes:
        repo = os.path.join(repos[label], "repo.git")
        pushes = results["repositories"][label]["pushes"]
        diagnostics["class_loading"]["promotion-" + label] = class_load_profile(
            repo, pushes["promotion"], scratch, 3 if args.quick else 5)
        if "feature" in pushes:
            diagnostics["class_loading"]["feature-" + label] = class_load_profile(repo, pushes["feature"], scratch, 1)
    largest = sizes[-1][0]
    repo = os.path.join(repos[largest], "repo.git")
    for label in [sizes[0][0], largest] if len(sizes) > 1 else [largest]:
        repo = os.path.join(repos[label], "repo.git")
        diagnostics["profiles"]["promotion-" + label] = jfr_profile_hook(
            repo, results["repositories"][label]["pushes"]["promotion"], scratch, 5 if args.quick else 10)
    clusters = [repository_name("clusters", label) for label, _ in sizes]
    for name in [clusters[-1]] if clusters[-1] in every_repo else []:
        diagnostics["profiles"]["promotion-" + name] = jfr_profile_hook(
            os.path.join(every_repo[name], "repo.git"), results["repositories"][name]["pushes"]["promotion"],
            scratch, 5 if args.quick else 10)
    if FEATURE_SIZE in repos:
        repo = os.path.join(repos[FEATURE_SIZE], "repo.git")
        diagnostics["profiles"]["feature-" + FEATURE_SIZE] = jfr_profile_hook(
            repo, results["repositories"][FEATURE_SIZE]["pushes"]["feature"], scratch, 2 if args.quick else 3)
    if os.path.exists(AJV):
        # validate runs through the launcher (as the scenario above); how much do its flags and
        # archive give over plain java -jar, and would the hook's flags or C2 change the picture?
        # an archive is only valid with the jar it was made for: the hook's archive, its copy
        hook_jar = hook_command[hook_command.index("-jar") + 1] if "-jar" in hook_command else jar
        launcher_env = launcher_environment(jar, java)
        prepare_launcher(launcher_env, scratch)
        launcher_archive = os.path.splitext(jar)[0] + ".jsa"
        launcher_flags = LAUNCHER_FLAGS + ["-XX:SharedArchiveFile=" + launcher_archive, "-Xshare:auto",
                                           "-Xlog:disable"]
        variants = [("./stagegate (the launcher: its flags and CDS archive)", [LAUNCHER]),
                    ("java -jar, no flags", [java, "-jar", jar]),
                    ("the launcher's flags without its CDS archive", [java] + LAUNCHER_FLAGS + ["-jar", jar]),
                    ("with the hook's JVM flags and CDS archive", [java] + hook_flags + ["-jar", hook_jar]),
                    ("C2 allowed, the launcher's CDS archive",
                     [java] + [f for f in launcher_flags if "TieredStopAtLevel" not in f] + ["-jar", jar])]
        rows = []
        for label, prefix in variants:
            env = launcher_env if prefix == [LAUNCHER] else dict(os.environ)
            runs_ = [run_process(prefix + ["validate", "--repo", validate_dir], validate_dir, env, "",
                                 scratch) for _ in range(3 if args.quick else 5)]
            stats = summary(runs_)
            rows.append({"variant": label, "command": " ".join(prefix[1:]), **stats})
            log("  validate %s: %.0f ms (cpu %.0f ms), rss %.0f MiB, exit %s" % (
                label, stats["median_ms"], stats["cpu_median_ms"], stats["max_rss_mib"], stats["statuses"]))
        diagnostics["validate_variants"] = rows
        diagnostics["profiles"]["validate-%dk-files" % (VALIDATE_FILES // 1000)] = jfr_profile(
            [java] + launcher_flags + ["-jar", jar, "validate", "--repo", validate_dir], validate_dir,
            dict(os.environ), "", scratch, 2 if args.quick else 3)
    push = results["repositories"][largest]["pushes"]["promotion"]
    diagnostics["heap_variants"] = {"push": "promotion-" + largest, "rows": heap_variants(
        os.path.join(repos[largest], "repo.git"), push, scratch, HEAP_VARIANTS, 3 if args.quick else 5)}
    results["diagnostics"] = diagnostics
    log("  JVM floor: %s" % diagnostics["jvm_floor_ms"])
    for row in diagnostics["heap_variants"]["rows"]:
        log("  %s with %s: %s ms (cpu %s), peak RSS %s MiB, exit %s" % (
            diagnostics["heap_variants"]["push"], row["flags"], row["median_ms"], row["cpu_median_ms"],
            row["max_rss_mib"], row["statuses"]))
    for name, profile in diagnostics["class_loading"].items():
        log("  %s: %s classes (%s), wall %s ms, Create VM %s ms, GC %s" % (
            name, profile.get("classes"), profile.get("by_source"), profile.get("wall_ms"),
            profile.get("create_vm_ms"), profile.get("gc")))

    if args.jmh_jar:
        log("JMH microbenchmarks:")
        wait_until_idle(IDLE_WAIT[0])
        results["jmh"] = run_jmh(args.jmh_jar, args.quick, repos, scratch)
        for row in results["jmh"].get("results", []):
            log("  %-55s %-40s %10.3f ± %.3f %s" % (row["benchmark"], json.dumps(row["params"]), row["score"],
                                                   row["error"], row["unit"]))
        if "error" in results["jmh"]:
            log("  " + results["jmh"]["error"])

    finish(results, args, scratch, every_repo, started, before)


def time_hook_scenarios(shape, label, every_repo, results, warmup, runs, scratch):
    """The promotion and skipped-stage pushes through the resident server and the promotion
    through the cold hook, on one repository; develop merged into test and the feature push
    where the repository has them (clusters, apps-100k)."""
    name = repository_name(shape, label)
    prefix = "" if shape == "apps" else shape + "-"
    repo = os.path.join(every_repo[name], "repo.git")
    pushes = results["repositories"][name]["pushes"]
    stop_server(repo)
    warm_server(repo, pushes["promotion"], scratch)
    scenarios = [("promotion", "promotion", 0, "pre-receive", ""),
                 ("skipped-stage", "skipped-stage", 1, "pre-receive", ""),
                 ("promotion-cold", "promotion", 0, "pre-receive.cold", "-cold")]
    if "test-merge" in pushes:
        scenarios.append(("test-merge", "test-merge", 0, "pre-receive", ""))
    for kind, push, expect, hook, suffix in scenarios:
        entry = compare(prefix + push + "-" + label + suffix,
                        *hook_pair(repo, pushes[push], expect, hook, shape), warmup, runs, scratch)
        entry.update(kind=kind, size=label, shape=shape,
                     hook="cold JVM" if hook == "pre-receive.cold" else "resident server")
        results["scenarios"].append(entry)
    if "feature" in pushes:
        feature_runs = max(3, runs // 3)
        for suffix, hook in (("", "pre-receive"), ("-cold", "pre-receive.cold")):
            entry = compare(prefix + "feature-" + label + suffix, *hook_pair(repo, pushes["feature"], 0, hook, shape),
                            min(warmup, 1), feature_runs, scratch)
            entry.update(kind="feature" + suffix, size=label, shape=shape, commits=pushes["feature"]["commits"],
                         files_changed=pushes["feature"]["files_changed"],
                         hook="cold JVM" if suffix else "resident server")
            results["scenarios"].append(entry)


def finish(results, args, scratch, every_repo, started, before):
    """Notes the resident servers and stops them (unless done), evaluates the targets and writes the results."""
    if "resident_processes" not in results:
        results["resident_processes"] = resident_processes(
            {os.getpid()} | {int(p) for p in before},
            [os.path.join(directory, "repo.git") for directory in every_repo.values()] + ["hooks/stagegate"])
    for directory in every_repo.values():
        stop_server(os.path.join(directory, "repo.git"))
    results["targets"] = evaluate(results)
    log("targets:")
    for target in results["targets"]:
        log("  [%s] %s: %s" % ("met" if target["met"] else ("MISSED" if target["met"] is False else "n/a"),
                               target["target"], target["figure"]))
    results["load_average_at_end"] = open("/proc/loadavg").read().split()[:3]
    results["seconds"] = round((datetime.datetime.now(datetime.timezone.utc) - started).total_seconds())
    with open(os.path.join(CACHE, "results-latest.json"), "w") as out:
        json.dump(results, out, indent=2)
    shutil.rmtree(scratch, ignore_errors=True)
    if not args.no_results_md:
        import report
        report.write(results, os.path.join(HERE, "RESULTS.md"))
        log("wrote bench/RESULTS.md and bench/cache/results-latest.json")


def find(results, name):
    return next((s for s in results["scenarios"] if s["name"] == name), None)


def evaluate(results):
    targets = []
    for prefix in ("", "clusters-"):
        targets += promotion_targets(results, prefix)
    feature = next((s for s in results["scenarios"] if s.get("kind") == "feature"), None)
    if feature:
        seconds = feature["stagegate"]["median_ms"] / 1000
        targets.append({"id": "feature", "target": TARGETS["feature"], "met": seconds < 5.0
                        and feature["stagegate"]["as_expected"],
                        "figure": "%.2f s median (max %.2f s) for %d commits changing %d values files; %s" % (
                            seconds, feature["stagegate"]["max_ms"] / 1000, feature["commits"],
                            feature["files_changed"], margin(seconds, 5.0, " s"))})
    for kind in ("validate", "validate-as-written"):
        validate = next((s for s in results["scenarios"] if s.get("kind") == kind), None)
        if validate:
            targets.append({"id": kind, "target": TARGETS[kind], "met": validate["ratio"] < 1.0,
                            "figure": "%.0f ms against ajv-cli's %.0f ms (%.2fx) over %d files; %s" % (
                                validate["stagegate"]["median_ms"], validate["ajv-cli"]["median_ms"],
                                validate["ratio"], validate["files"],
                                margin(validate["stagegate"]["median_ms"], validate["ajv-cli"]["median_ms"], " ms"))})
    hook_1m = [s for s in results["scenarios"]
               if s.get("size") == "1m" and s.get("shape", "apps") == "apps" and "stagegate" in s]
    if hook_1m:
        peak = max(s["stagegate"]["max_rss_mib"] for s in hook_1m)
        resident = max([p["vm_hwm_mib"] for p in results.get("resident_processes", [])
                        if "/repo-1m-" in p["cmdline"]] or [0])
        peak = max(peak, resident)
        targets.append({"id": "memory", "target": TARGETS["memory"], "met": peak < 256,
                        "figure": "%.0f MiB, the largest peak over %s%s; %s" % (
                            peak, " and ".join(s["name"] for s in hook_1m),
                            " and resident processes" if resident else "", margin(peak, 256, " MiB"))})
    return targets


def promotion_targets(results, prefix):
    """The promotion push within 4x of plain git on 100k, and on the largest repository within
    1.3x of 10k (1M when it was measured), for one shape (scenario names start with prefix)."""
    targets = []
    promotion = find(results, prefix + "promotion-100k")
    if promotion:
        ratio = promotion["ratio"]
        allowed = 4.0 * promotion["baseline"]["median_ms"]
        targets.append({"id": prefix + "promotion", "target": TARGETS[prefix + "promotion"], "met": ratio <= 4.0,
                        "figure": "%.1fx: %.0f ms against the plain-git hook's %.1f ms; the limit is %.0f ms, %s" % (
                            ratio, promotion["stagegate"]["median_ms"], promotion["baseline"]["median_ms"], allowed,
                            margin(promotion["stagegate"]["median_ms"], allowed, " ms"))})
    small = find(results, prefix + "promotion-10k")
    largest = [label for label, _ in SIZES if label != "10k" and find(results, prefix + "promotion-" + label)]
    if prefix == "" and "1m" not in largest:
        largest = []  # bench's own target is 1M against 10k, nothing less
    if small and largest:
        label = largest[-1]
        large = find(results, prefix + "promotion-" + label)
        ratio = large["stagegate"]["median_ms"] / small["stagegate"]["median_ms"]
        git_ratio = large["baseline"]["median_ms"] / small["baseline"]["median_ms"]
        allowed = 1.3 * small["stagegate"]["median_ms"]
        targets.append({"id": prefix + "history", "target": TARGETS[prefix + "history"], "met": ratio <= 1.3,
                        "figure": "%.2fx: %.0f ms on %s against %.0f ms on 10k (plain git: %.2fx); the limit is "
                                  "%.0f ms, %s" % (ratio, large["stagegate"]["median_ms"], label.upper(),
                                                   small["stagegate"]["median_ms"], git_ratio, allowed,
                                                   margin(large["stagegate"]["median_ms"], allowed, " ms"))})
    return targets


def margin(value, limit, unit):
    if value <= limit:
        return "met with %.2f%s (%.0f%%) to spare" % (limit - value, unit, 100.0 * (limit - value) / limit)
    if value < 2 * limit:
        return "missed by %.2f%s (%.0f%% over)" % (value - limit, unit, 100.0 * (value - limit) / limit)
    return "missed by %.2f%s (%.1f times the limit)" % (value - limit, unit, value / limit)


if __name__ == "__main__":
    main()
