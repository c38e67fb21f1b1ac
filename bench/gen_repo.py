#!/usr/bin/env python3
"""Generates one reference environment-per-branch repository for the benchmark.

The repository is streamed into `git fast-import` (no working tree, no per-commit git
process), so a million commits take minutes:

* 5,000 applications at apps/team-NN/app-NNNN/values.yaml (50 teams of 100, so a commit
  rewrites four small trees, not one 5,000-entry tree), a JSON Schema for them, the policy at
  .stagegate/policy.yaml, and environment-specific files under env/ that differ per branch;
* a long linear develop history, one small values change per commit;
* periodic promotions develop -> test -> staging -> main as merge commits whose first
  parent is the target and second the upstream, carrying the upstream's content and keeping
  the target's own env/ files, plus occasional env-only commits on every branch;
* test evidence as git notes under refs/notes/stagegate on every test and staging merge
  (a few per cent of them with a failed run before the passing re-run).

Then `git gc` leaves one pack, a bitmap and a commit-graph, as on a server. Last, the objects
of the pushes the benchmark replays are written into quarantine directories
(objects/tmp_objdir-incoming-*) without moving any ref, the way a pre-receive hook sees them.
Everything is described in bench.json next to the repository.

That is the apps shape, bench's reference repository since the start; --shape clusters
generates a second one that differs in the ways real repositories differ from it (see
history_clusters): other paths, squash promotions with trailers, a policy that requires
evidence from two stages, evidence on every test and staging commit.

Usage: gen_repo.py --commits N --out DIR [--shape apps|clusters] [--feature-commits N]
"""

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import time

APPS = 5000
APPS_PER_TEAM = 100
EVERY_TEST = 20       # develop commits between promotions develop -> test
EVERY_STAGING = 40    # ... test -> staging (with evidence)
EVERY_MAIN = 200      # ... staging -> main
EVERY_ENV = 1000      # ... env-only commits on every branch
BASE_TIME = 1577836800  # 2020-01-01T00:00:00Z
STEP = 60
BRANCHES = ["develop", "test", "staging", "main"]
ENVIRONMENTS = {"develop": "development", "test": "testing", "staging": "staging", "main": "production"}
DEVELOPER = "Dana Developer <dana@example.invalid>"
RELEASER = "Rene Release <rene@example.invalid>"
CI_BOT = "ci-bot <ci-bot@example.invalid>"
HERE = os.path.dirname(os.path.abspath(__file__))


def app_path(app):
    return "apps/team-%02d/app-%04d/values.yaml" % (app // APPS_PER_TEAM, app)


def values(app, version):
    team = app // APPS_PER_TEAM
    return ("# yaml-language-server: $schema=../../../schemas/app-values.schema.json\n"
            "image:\n"
            "  repository: registry.example.com/team-%02d/app-%04d\n"
            "  tag: \"1.%d.0\"\n"
            "replicas: %d\n"
            "resources:\n"
            "  requests:\n"
            "    cpu: %dm\n"
            "    memory: 256Mi\n"
            "  limits:\n"
            "    cpu: \"1\"\n"
            "    memory: 1Gi\n"
            "service:\n"
            "  port: %d\n"
            "env:\n"
            "  LOG_LEVEL: \"info\"\n"
            "  BUILD: \"%d\"\n") % (team, app, version, 1 + (app + version) % 5,
                                    100 + 50 * (version % 8), 8000 + app % 1000, version)


def values_as_written(app, version):
    """The settings of values(), written the way people write values files: flow mappings and
    sequences (one over several lines), single- and double-quoted strings with escapes,
    comments after values and on lines of their own, a block scalar and UTF-8 text."""
    team = app // APPS_PER_TEAM
    port = 8000 + app % 1000
    return ("# yaml-language-server: $schema=../../../schemas/app-values.schema.json\n"
            "# app-%04d, team-%02d \u2014 owned by Zo\u00eb's platform team\n"
            "image: {repository: \"registry.example.com/team-%02d/app-%04d\", tag: \"1.%d.0\"}\n"
            "replicas: %d  # scaled by hand, see the runbook\n"
            "resources:\n"
            "  requests: {cpu: %dm, memory: 256Mi}\n"
            "  limits: {cpu: '1', memory: 1Gi}  # the node pool's ceiling\n"
            "service: {port: %d}\n"
            "args: [\n"
            "  \"--port\", \"%d\",\n"
            "  \"--log-format=json\",  # what the log shipper reads\n"
            "]\n"
            "env:\n"
            "  LOG_LEVEL: 'info'\n"
            "  BUILD: \"%d\"\n"
            "  GREETING: \"caf\\u00e9 \\\"%d\\\"\\n\"\n"
            "  STARTUP: |\n"
            "    echo \"starting app-%04d\"\n"
            "    exec /app/server --port %d\n") % (
                app, team, team, app, version, 1 + (app + version) % 5, 100 + 50 * (version % 8), port, port,
                version, version, app, port)


def env_files(branch, revision):
    environment = ENVIRONMENTS[branch]
    return [
        ("env/cluster.yaml", "cluster: %s-eu-1\nnamespace: shop-%s\nrevision: %d\n"
         % (environment, environment, revision)),
        ("env/ingress.yaml", "host: %s.shop.example.com\ntls: true\n" % environment),
        ("env/secrets/refs.yaml", "vault: secret/%s/shop\n" % environment),
    ]


class Stream:
    """Writes fast-import commands; every commit gets its own, strictly increasing timestamp."""

    def __init__(self, out):
        self.out = out
        self.clock = BASE_TIME
        self.commits = 0

    def data(self, text):
        raw = text.encode()
        self.out.write(b"data %d\n" % len(raw))
        self.out.write(raw)
        self.out.write(b"\n")

    def commit(self, ref, message, changes, who=DEVELOPER, frm=None, merge=None, mark=None):
        self.clock += STEP
        self.commits += 1
        head = "commit %s\n" % ref
        if mark is not None:
            head += "mark :%d\n" % mark
        head += "author %s %d +0000\ncommitter %s %d +0000\n" % (who, self.clock, who, self.clock)
        self.out.write(head.encode())
        self.data(message)
        tail = ""
        if frm is not None:
            tail += "from %s\n" % frm
        if merge is not None:
            tail += "merge %s\n" % merge
        self.out.write(tail.encode())
        for path, content in changes:
            self.out.write(("M 100644 inline %s\n" % path).encode())
            self.data(content)
        self.out.write(b"\n")
        return self.clock


def fast_import(git_dir, args, env=None, answers=False):
    """answers: read what get-mark prints from the process's stdout."""
    return subprocess.Popen(["git", "--git-dir", git_dir, "fast-import", "--quiet", "--done"] + args,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE if answers else None, env=env)


def finish(process, what):
    process.stdin.write(b"done\n")
    process.stdin.close()
    if process.wait() != 0:
        sys.exit("gen_repo: git fast-import failed while writing " + what)


def git(git_dir, *args, env=None, input=None):
    result = subprocess.run(["git", "--git-dir", git_dir] + list(args), env=env, input=input,
                            stdout=subprocess.PIPE, check=True)
    return result.stdout.decode().strip()


def history(git_dir, total, rng):
    """Phase 1: the branches. Returns the marks of the commits that get evidence, and stats."""
    policy = open(os.path.join(HERE, "fixtures", "policy.yaml")).read()
    schema = open(os.path.join(HERE, "fixtures", "app-values.schema.json")).read()
    merges_per_develop = 1.0 / EVERY_TEST + 1.0 / EVERY_STAGING + 1.0 / EVERY_MAIN + 4.0 / EVERY_ENV
    develop_commits = max(EVERY_MAIN, int((total - 20) / (1 + merges_per_develop)))

    marks_file = os.path.join(os.path.dirname(git_dir), "marks.txt")
    process = fast_import(git_dir, ["--active-branches=10", "--export-marks=" + marks_file])
    s = Stream(process.stdin)
    initial = [(".stagegate/policy.yaml", policy), ("schemas/app-values.schema.json", schema),
               ("README.md", "# shop\n\nOne branch per environment: develop -> test -> staging -> main.\n")]
    initial += [(app_path(app), values(app, 0)) for app in range(APPS)]
    initial += env_files("develop", 0)
    s.commit("refs/heads/develop", "Start the shop\n", initial)
    for branch in BRANCHES[1:]:
        s.commit("refs/heads/" + branch, "Settings of %s\n" % branch, env_files(branch, 0),
                 frm="refs/heads/develop")

    version = {branch: [0] * APPS for branch in BRANCHES}
    pending = {branch: set() for branch in BRANCHES}  # apps whose upstream version differs
    env_revision = {branch: 0 for branch in BRANCHES}
    evidence = []  # (mark, environment, recordedAt seconds)
    next_mark = [1]

    def promote(upstream, target, with_evidence):
        changed = sorted(pending[target])
        pending[target].clear()
        changes = []
        for app in changed:
            version[target][app] = version[upstream][app]
            changes.append((app_path(app), values(app, version[target][app])))
        index = BRANCHES.index(target)
        if index + 1 < len(BRANCHES):
            pending[BRANCHES[index + 1]].update(changed)
        mark = None
        if with_evidence:
            mark = next_mark[0]
            next_mark[0] += 1
        when = s.commit("refs/heads/" + target, "Merge branch '%s' into %s\n\nPromotes %d application(s).\n"
                        % (upstream, target, len(changed)), changes, who=RELEASER,
                        merge="refs/heads/" + upstream, mark=mark)
        if with_evidence:
            evidence.append((mark, ENVIRONMENTS[target], when + 900))

    def develop_commit():
        app = rng.randrange(APPS)
        version["develop"][app] += 1
        pending["test"].add(app)
        s.commit("refs/heads/develop", "app-%04d: release 1.%d.0\n" % (app, version["develop"][app]),
                 [(app_path(app), values(app, version["develop"][app]))])

    for i in range(1, develop_commits + 1):
        develop_commit()
        if i % EVERY_TEST == 0:
            promote("develop", "test", True)
        if i % EVERY_STAGING == 0:
            promote("test", "staging", True)
        if i % EVERY_MAIN == 0:
            promote("staging", "main", False)
        if i % EVERY_ENV == 0:
            for branch in BRANCHES:
                env_revision[branch] += 1
                s.commit("refs/heads/" + branch, "Tune the %s cluster\n" % branch,
                         env_files(branch, env_revision[branch])[:1], who=RELEASER)
    # Leave staging ahead of main (the promotion to replay) and develop ahead of staging
    # (the skipped stage to replay).
    for _ in range(3):
        develop_commit()
    promote("develop", "test", True)
    promote("test", "staging", True)
    for _ in range(5):
        develop_commit()
    s.commit("refs/heads/feature/bench", "Start a feature branch\n", [], frm="refs/heads/develop")
    finish(process, "the history")

    marks = {}
    with open(marks_file) as lines:
        for line in lines:
            mark, sha = line.split()
            marks[int(mark[1:])] = sha
    os.remove(marks_file)
    return [(marks[mark], environment, when) for mark, environment, when in evidence], s.commits


# ---------------------------------------------------------------- the clusters shape

REGIONS = ["eu-west-1", "eu-central-1", "eu-north-1", "us-east-1", "us-east-2", "us-west-2",
           "ap-southeast-1", "ap-northeast-1"]
CLUSTERS_EVERY_TEST = 10        # develop commits between squash promotions develop -> test (CI does it)
CLUSTERS_EVERY_STAGING = 120    # ... squash promotions test -> staging
CLUSTERS_EVERY_MAIN = 600       # ... merges of staging into main
CLUSTERS_EVERY_TEST_ENV = 70    # ... env-only commits on test
CLUSTERS_EVERY_STAGING_ENV = 350
CLUSTERS_EVERY_MAIN_ENV = 1500
CLUSTERS_TEST_AHEAD = 4         # test promotions after staging's last one: test runs ahead of staging
CLUSTERS_SUITES = {"test": ("testing", ["integration"]), "staging": ("staging", ["e2e", "smoke"])}


def cluster_path(app):
    return "clusters/%s/svc-%04d/values.yaml" % (REGIONS[app % len(REGIONS)], app)


def cluster_values(app, version):
    return ("# yaml-language-server: $schema=../../../schemas/app-values.schema.json\n"
            "image:\n"
            "  repository: registry.example.com/%s/svc-%04d\n"
            "  tag: \"2.%d.%d\"\n"
            "replicas: %d\n"
            "service:\n"
            "  port: %d\n"
            "env:\n"
            "  REGION: \"%s\"\n") % (REGIONS[app % len(REGIONS)], app, version // 10, version % 10,
                                     2 + (app + version) % 3, 9000 + app % 500, REGIONS[app % len(REGIONS)])


def cluster_env_files(branch, revision):
    environment = ENVIRONMENTS[branch]
    files = [("env/cluster.yaml", "environment: %s\nrevision: %d\n" % (environment, revision)),
             ("env/ingress.yaml", "domain: %s.example.net\n" % environment)]
    files += [("env/regions/%s.yaml" % region, "region: %s\nnodes: %d\n" % (region, 3 + revision % 4))
              for region in REGIONS]
    return files


def history_clusters(git_dir, total, rng):
    """Phase 1 of the clusters shape: what real GitOps repositories do differently from the
    apps shape. 5,000 services under clusters/<region>/<service>/values.yaml (eight region
    trees of 625 entries rather than fifty of 100), a long develop history of one-file commits,
    test and staging moved by squash commits that carry the upstream's content and a
    Promoted-From: trailer (as promotion bots write them) with test running several promotions
    ahead of staging, main moved by merges of staging, env-only commits on every branch, and
    evidence on every test and staging commit, for the policy of fixtures/policy-clusters.yaml
    (main requires evidence from both testing and staging). Returns the evidence to write
    (commit, environment, recordedAt, suites...) and the number of commits."""
    policy = open(os.path.join(HERE, "fixtures", "policy-clusters.yaml")).read()
    schema = open(os.path.join(HERE, "fixtures", "app-values.schema.json")).read()
    per_develop = (1.0 / CLUSTERS_EVERY_TEST + 1.0 / CLUSTERS_EVERY_STAGING + 1.0 / CLUSTERS_EVERY_MAIN
                   + 1.0 / CLUSTERS_EVERY_TEST_ENV + 1.0 / CLUSTERS_EVERY_STAGING_ENV + 1.0 / CLUSTERS_EVERY_MAIN_ENV)
    develop_commits = max(CLUSTERS_EVERY_MAIN, int((total - 40) / (1 + per_develop)))

    marks_file = os.path.join(os.path.dirname(git_dir), "marks.txt")
    process = fast_import(git_dir, ["--active-branches=10", "--export-marks=" + marks_file], answers=True)
    s = Stream(process.stdin)
    marks = {"count": 0}
    evidence = []  # (mark, environment, recordedAt seconds, suites...)
    last = {}      # the mark of each branch's tip

    def commit(branch, message, changes, **kwargs):
        marks["count"] += 1
        mark = marks["count"]
        when = s.commit("refs/heads/" + branch, message, changes, mark=mark, **kwargs)
        last[branch] = mark
        if branch in CLUSTERS_SUITES:
            environment, suites = CLUSTERS_SUITES[branch]
            evidence.append((mark, environment, when + 600, *suites))

    def sha_of(mark):
        process.stdin.write(b"get-mark :%d\n" % mark)
        process.stdin.flush()
        return process.stdout.readline().decode().strip()

    initial = [(".stagegate/policy.yaml", policy), ("schemas/app-values.schema.json", schema),
               ("README.md", "# platform\n\nOne branch per environment: develop -> test -> staging -> main.\n")]
    initial += [(cluster_path(app), cluster_values(app, 0)) for app in range(APPS)]
    initial += cluster_env_files("develop", 0)
    commit("develop", "Start the platform\n", initial)
    for branch in BRANCHES[1:]:
        commit(branch, "Settings of %s\n" % branch, cluster_env_files(branch, 0), frm="refs/heads/develop")

    version = {branch: [0] * APPS for branch in BRANCHES}
    pending = {branch: set() for branch in BRANCHES}
    env_revision = {branch: 0 for branch in BRANCHES}

    def promote(upstream, target):
        changed = sorted(pending[target])
        pending[target].clear()
        changes = []
        for app in changed:
            version[target][app] = version[upstream][app]
            changes.append((cluster_path(app), cluster_values(app, version[target][app])))
        index = BRANCHES.index(target)
        if index + 1 < len(BRANCHES):
            pending[BRANCHES[index + 1]].update(changed)
        if target == "main":
            commit(target, "Merge branch '%s' into %s\n\nReleases %d service(s).\n" % (upstream, target, len(changed)),
                   changes, who=RELEASER, merge="refs/heads/" + upstream)
        else:
            commit(target, "Promote %d service(s) to %s\n\nPromoted-From: %s\n"
                   % (len(changed), ENVIRONMENTS[target], sha_of(last[upstream])), changes, who=CI_BOT)

    def develop_commit():
        app = rng.randrange(APPS)
        version["develop"][app] += 1
        pending["test"].add(app)
        commit("develop", "svc-%04d: release 2.%d.%d\n" % (app, version["develop"][app] // 10,
                                                           version["develop"][app] % 10),
               [(cluster_path(app), cluster_values(app, version["develop"][app]))])

    def tune(branch):
        env_revision[branch] += 1
        commit(branch, "Tune %s\n" % ENVIRONMENTS[branch], cluster_env_files(branch, env_revision[branch])[:1],
               who=RELEASER)

    for i in range(1, develop_commits + 1):
        develop_commit()
        if i % CLUSTERS_EVERY_TEST == 0:
            promote("develop", "test")
        if i % CLUSTERS_EVERY_STAGING == 0:
            promote("test", "staging")
        if i % CLUSTERS_EVERY_MAIN == 0:
            promote("staging", "main")
        for branch, every in (("test", CLUSTERS_EVERY_TEST_ENV), ("staging", CLUSTERS_EVERY_STAGING_ENV),
                              ("main", CLUSTERS_EVERY_MAIN_ENV)):
            if i % every == 0:
                tune(branch)
    # Leave staging ahead of main (the promotion to replay), test ahead of staging, and develop
    # ahead of test (the skipped stage to replay).
    for _ in range(3):
        develop_commit()
    promote("develop", "test")
    promote("test", "staging")
    for _ in range(CLUSTERS_TEST_AHEAD):
        for _ in range(CLUSTERS_EVERY_TEST):
            develop_commit()
        promote("develop", "test")
    for _ in range(5):
        develop_commit()
    finish(process, "the history")

    shas = {}
    with open(marks_file) as lines:
        for line in lines:
            mark, sha = line.split()
            shas[int(mark[1:])] = sha
    os.remove(marks_file)
    return [(shas[mark], *rest) for mark, *rest in evidence], s.commits


def notes(git_dir, evidence):
    """Phase 2: one JSON line per run of each suite (integration unless the entry names them),
    a few per cent with a failed run before the passing re-run."""
    process = fast_import(git_dir, [])
    s = Stream(process.stdin)
    s.clock = max(entry[2] for entry in evidence)
    batch = 1000
    for start in range(0, len(evidence), batch):
        out = s.out
        s.clock += STEP
        out.write(("commit refs/notes/stagegate\ncommitter %s %d +0000\n" % (CI_BOT, s.clock)).encode())
        s.data("Notes added by 'stagegate evidence record'\n")
        for n, (sha, environment, when, *suites) in enumerate(evidence[start:start + batch], start):
            lines = []
            for suite in suites or ["integration"]:
                if n % 23 == 7:
                    lines.append(record(sha, environment, when - 300, "failed", suite))
                lines.append(record(sha, environment, when, "passed", suite))
            out.write(("N inline %s\n" % sha).encode())
            s.data("".join(lines))
        out.write(b"\n")
    finish(process, "the evidence notes")


def record(sha, environment, when, result, suite="integration"):
    return json.dumps({
        "apiVersion": "stagegate/v1", "kind": "TestEvidence", "commit": sha, "environment": environment,
        "suite": suite, "result": result,
        "recordedAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(when)), "producer": "ci-bot",
        "tests": 120, "failures": 0 if result == "passed" else 2, "errors": 0, "skipped": 1,
    }, separators=(",", ":")) + "\n"


def quarantine(git_dir, name):
    """A directory like the one receive-pack writes a push into, and the variables it sets."""
    objects = os.path.join(git_dir, "objects")
    directory = os.path.join(objects, "tmp_objdir-incoming-" + name)
    shutil.rmtree(directory, ignore_errors=True)
    os.makedirs(os.path.join(directory, "pack"))
    env = dict(os.environ, GIT_OBJECT_DIRECTORY=directory, GIT_ALTERNATE_OBJECT_DIRECTORIES=objects,
               GIT_QUARANTINE_PATH=directory)
    return directory, env


def promotion_push(git_dir, name, upstream, target):
    """The merge commit a release engineer pushes: upstream's content, the target's own env/."""
    directory, env = quarantine(git_dir, name)
    old = git(git_dir, "rev-parse", "refs/heads/" + target)
    source = git(git_dir, "rev-parse", "refs/heads/" + upstream)
    target_env = git(git_dir, "rev-parse", old + ":env")
    entries = []
    for line in git(git_dir, "ls-tree", source).splitlines():
        meta, path = line.split("\t", 1)
        if path == "env":
            meta = "040000 tree " + target_env
        entries.append(meta + "\t" + path)
    tree = git(git_dir, "mktree", env=env, input=("\n".join(entries) + "\n").encode())
    commit_env = dict(env, GIT_AUTHOR_NAME="Rene Release", GIT_AUTHOR_EMAIL="rene@example.invalid",
                      GIT_COMMITTER_NAME="Rene Release", GIT_COMMITTER_EMAIL="rene@example.invalid",
                      GIT_AUTHOR_DATE="2030-01-01T00:00:00Z", GIT_COMMITTER_DATE="2030-01-01T00:00:00Z")
    new = git(git_dir, "commit-tree", tree, "-p", old, "-p", source,
              "-m", "Merge branch '%s' into %s" % (upstream, target), env=commit_env)
    return {"old": old, "new": new, "ref": "refs/heads/" + target, "quarantine": directory,
            "upstream": source}


def feature_push(git_dir, count, rng):
    """`count` new commits on feature/bench, each a valid change to one application's values."""
    directory, env = quarantine(git_dir, "feature")
    del env["GIT_QUARANTINE_PATH"]  # fast-import must write the temporary ref below
    old = git(git_dir, "rev-parse", "refs/heads/feature/bench")
    process = fast_import(git_dir, [], env=env)
    s = Stream(process.stdin)
    s.clock = BASE_TIME + 100 * 365 * 86400 // 10
    touched = set()
    for i in range(count):
        app = rng.randrange(APPS)
        touched.add(app)
        s.commit("refs/bench/feature-new", "app-%04d: try build %d\n" % (app, i),
                 [(app_path(app), values(app, 100000 + i))], frm=old if i == 0 else None)
    finish(process, "the feature push")
    new = git(git_dir, "rev-parse", "refs/bench/feature-new")
    git(git_dir, "update-ref", "-d", "refs/bench/feature-new")
    return {"old": old, "new": new, "ref": "refs/heads/feature/bench", "quarantine": directory,
            "commits": count, "files_changed": len(touched)}


def describe(git_dir):
    counts = dict(line.split(": ", 1) for line in git(git_dir, "count-objects", "-v").splitlines())
    pack_dir = os.path.join(git_dir, "objects", "pack")
    packs = sorted((name, os.path.getsize(os.path.join(pack_dir, name))) for name in os.listdir(pack_dir))
    info = os.path.join(git_dir, "objects", "info")
    graph = [name for name in os.listdir(info) if "commit-graph" in name] if os.path.isdir(info) else []
    return {"count_objects": counts, "pack_files": packs, "commit_graph": graph,
            "commits": int(git(git_dir, "rev-list", "--all", "--count")),
            "notes": len(git(git_dir, "ls-tree", "-r", "refs/notes/stagegate").splitlines())}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--commits", type=int, required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--feature-commits", type=int, default=0)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--shape", choices=["apps", "clusters"], default="apps",
                        help="apps: bench's reference repository; clusters: the second shape (history_clusters)")
    args = parser.parse_args()

    args.out = os.path.abspath(args.out)
    shutil.rmtree(args.out, ignore_errors=True)
    os.makedirs(args.out)
    git_dir = os.path.join(args.out, "repo.git")
    subprocess.run(["git", "init", "--quiet", "--bare", "--initial-branch=main", git_dir], check=True)
    rng = random.Random(args.seed)
    started = time.time()
    evidence, commits = (history_clusters if args.shape == "clusters" else history)(git_dir, args.commits, rng)
    imported = time.time()
    notes(git_dir, evidence)
    noted = time.time()
    git(git_dir, "gc", "--quiet")
    collected = time.time()
    meta = {
        "shape": args.shape,
        "requested_commits": args.commits,
        "generated_commits": commits,
        "evidence_notes": len(evidence),
        "seconds": {"fast_import": round(imported - started, 1), "notes": round(noted - imported, 1),
                    "gc": round(collected - noted, 1)},
        "layout": describe(git_dir),
        "pushes": {
            "promotion": promotion_push(git_dir, "promotion", "staging", "main"),
            "skipped-stage": promotion_push(git_dir, "skipped-stage", "develop", "main"),
        },
    }
    if args.shape == "clusters":
        # develop merged into test, which squash commits have moved: accepted, and a merge whose
        # other side meets the old tip's history only at the root
        meta["pushes"]["test-merge"] = promotion_push(git_dir, "test-merge", "develop", "test")
    if args.feature_commits:
        meta["pushes"]["feature"] = feature_push(git_dir, args.feature_commits, random.Random(args.seed + 1))
    meta["seconds"]["total"] = round(time.time() - started, 1)
    meta["complete"] = True
    with open(os.path.join(args.out, "bench.json"), "w") as out:
        json.dump(meta, out, indent=2)
    print("gen_repo: %s: %d commits, %d notes in %.0f s" % (args.out, commits, len(evidence),
                                                            time.time() - started))


if __name__ == "__main__":
    main()
