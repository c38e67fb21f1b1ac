#!/usr/bin/env python3
"""What custom CEL rules cost (issue 15, "Speed"; docs/rules.md; bench/README.md).

Builds its own small repositories (no reference repository needed) and times whole processes,
alternating, after a warm-up (bench.compare):

  push       a promotion into production (main fast-forwarded to staging) that changes 100 values
             files of a repository of 1,000 applications, under the same policy with the five rules
             below and without rules, through the cold hook (`hook install` without `--server`) and
             through the resident server's hook. Limits: at most +20 ms (cold) and +2 ms (server).
             The resident server remembers files that passed their schema and files on which every
             rule held (keyed by their contents, among others), so it is timed twice: a repeated
             push (every run the same commit: from the second on, both sides answer from memory),
             and a first judgement (every run, warm-up included, pushes a commit of its own whose
             100 files hold contents the server has not seen; both sides get the same contents, so
             neither is helped by memory). main does not move, so the transition rule compares
             each run with the same old versions, which the server remembers parsed, as it does
             between two promotions onto the same tip. Before the first judgement, each server judges
             FRESH_WARMING such commits, as a server that has run for a while has compiled the
             path that judges new files (the repeated push's warm-up compiles only the memory's).
  validate   `./stagegate validate --environment production` over 10,000 values files, with the five
             rules and without (`--policy` outside the tree: the same files). Limit: 1.3x.
  no-rules   with --baseline-jar (a jar built from main, before custom rules): the policy without
             rules, this jar against the baseline, cold hook, server hook and validate. A policy
             without rules must not be slower; judged within NO_RULES_TOLERANCE, the noise of
             whole-process timings on a shared machine.

The five rules are the cookbook's typical ones (docs/rules.md: 1, 3, 4, 6, 9): a replica floor, the
company registry, limits present, a replica cut of at most half (oldObject) and a tag allow-list per
environment; every one applies to every changed file in production. Before timing, it checks the
verdicts: both policies accept the push and the files, and with one of the 100 files on a single
replica the rules policy rejects the push with production-replicas (so the timings measure rules
that run). A jar without custom rules (the baseline, or this branch before the feature is merged)
cannot load the rules policy: the rules scenarios are then skipped and said so, and the rest runs.

    python3 bench/rules.py --jar cli/target-bench/stagegate.jar [--baseline-jar main.jar]
                           [--runs 15] [--warmup 3] [--files 10000] [--push-files 100]

Prints the section for RESULTS.md (which it does not edit) and writes bench/cache/rules-latest.json;
exits 1 when a limit is missed or a side's exit status was not the expected one.
"""

import argparse
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import bench  # noqa: E402
import gen_repo  # noqa: E402

APPS = 1_000
COLD_LIMIT_MS = 20
SERVER_LIMIT_MS = 2
VALIDATE_LIMIT = 1.3
NO_RULES_TOLERANCE = 1.05
ATTEMPTS = 3  # bench.compare's: a repeated attempt must push contents that are new again
FRESH_WARMING = 20
FRESH_BUILD = 1_000_000  # BUILD values from here on: no other commit of the repository has them
SECTION_BEGIN = "<!-- rules:begin (written by bench/rules.py) -->"
SECTION_END = "<!-- rules:end -->"

POLICY = bench.POLICY_HEAD + """environmentSpecificPaths: ["env/**"]
schemas:
  - files: "apps/**/values.yaml"
    schema: schemas/app-values.schema.json
"""

# docs/rules.md, cookbook 1, 3, 4, 6 and 9, as a platform team writes them
RULES = r"""rules:
  - id: production-replicas
    environments: [production]
    files: "apps/**/values.yaml"
    expression: "object.replicas >= 2"
    fieldPath: replicas
    message: "production runs at least two replicas"
  - id: company-registry
    environments: [production]
    files: "apps/**/values.yaml"
    expression: 'object.image.repository.startsWith("registry.example.com/")'
    fieldPath: image.repository
    message: "production pulls images only from registry.example.com"
  - id: production-limits
    environments: [production]
    files: "apps/**/values.yaml"
    expression: |-
      has(object.resources) && has(object.resources.limits)
        && has(object.resources.limits.cpu) && has(object.resources.limits.memory)
    fieldPath: resources
    message: "production sets CPU and memory limits (resources.limits.cpu and .memory)"
  - id: replicas-cut-by-half
    files: "apps/**/values.yaml"
    expression: "oldObject == null || object.replicas * 2 >= oldObject.replicas"
    fieldPath: replicas
    messageExpression: |-
      'replicas cut from ' + string(oldObject.replicas) + ' to ' + string(object.replicas)
        + ' in one push: at most by half'
  - id: release-tags
    files: "apps/**/values.yaml"
    expression: |-
      environment in ['staging', 'production']
        ? object.image.tag.matches('^[0-9]+\\.[0-9]+\\.[0-9]+$')
        : object.image.tag.matches('^[0-9]+\\.[0-9]+\\.[0-9]+(-[0-9A-Za-z.]+)?$')
    fieldPath: image.tag
    message: "only release versions in staging and production"
"""


def values(app, version, replicas=None, build=None):
    """A values file as gen_repo writes them, which every one of the five rules accepts: two to
    four replicas (a version bump adds one at most), the company registry, limits, a release tag.
    build: another env.BUILD, so that the same settings make a file the server has not seen."""
    text = gen_repo.values(app, version)
    if build is not None:
        text = re.sub(r'(?m)^  BUILD: "\d+"$', '  BUILD: "%d"' % build, text)
    return re.sub(r"(?m)^replicas: \d+$", "replicas: %d" % (replicas or 2 + (app + version) % 3), text)


def app_path(app):
    return "apps/team-%02d/app-%04d/values.yaml" % (app // 100, app)


def schema_text():
    with open(os.path.join(HERE, "fixtures", "app-values.schema.json")) as source:
        return source.read()


def fast_import_blob(path, text):
    data = text.encode()
    return b"M 100644 inline %s\ndata %d\n%s\n" % (path.encode(), len(data), data)


def build_repository(directory, policy, changed, bad_app=None, fresh=0):
    """A bare repository: commit A (APPS applications) on every environment branch; commit B, the
    first `changed` applications at their next version, on develop, test and staging; main stays
    at A. Then `fresh` commits F1, F2, ... on top of B (the tip of develop, test and staging), each
    with those files at B's settings but a BUILD of its own: each a promotion into production with
    contents seen nowhere else. With bad_app, also commit C (B with that application on one
    replica), on no branch. Returns the repository, the push A -> B, C (or None) and F1, F2, ..."""
    repo = os.path.join(directory, "repo.git")
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", repo], check=True)
    stream = [b"commit refs/heads/main\nmark :1\ncommitter Rene Release <rene@example.invalid> 1893456000 +0000\n"
              b"data 7\ninitial\n",
              fast_import_blob(".stagegate/policy.yaml", policy),
              fast_import_blob("schemas/app-values.schema.json", schema_text()),
              fast_import_blob("env/values.yaml", "environment: production\n")]
    stream += [fast_import_blob(app_path(app), values(app, 1)) for app in range(APPS)]
    stream.append(b"\ncommit refs/heads/staging\nmark :2\ncommitter Dana Developer <dana@example.invalid> "
                  b"1893459600 +0000\ndata 12\nnew versions\nfrom :1\n")
    stream += [fast_import_blob(app_path(app), values(app, 2)) for app in range(changed)]
    if bad_app is not None:
        stream.append(b"\ncommit refs/heads/bench-bad\nmark :3\ncommitter Dana Developer <dana@example.invalid> "
                      b"1893463200 +0000\ndata 12\none replica\nfrom :2\n")
        stream.append(fast_import_blob(app_path(bad_app), values(bad_app, 2, replicas=1)))
    tip = 2
    for number in range(fresh):
        mark = 100 + number
        stream.append(b"\ncommit refs/heads/staging\nmark :%d\ncommitter Dana Developer <dana@example.invalid> "
                      b"%d +0000\ndata 10\nnew builds\nfrom :%d\n" % (mark, 1893466800 + 60 * number, tip))
        stream += [fast_import_blob(app_path(app), values(app, 2, build=FRESH_BUILD + number))
                   for app in range(changed)]
        tip = mark
    stream.append(b"\nreset refs/heads/develop\nfrom :%d\n\nreset refs/heads/test\nfrom :%d\n\n" % (tip, tip))
    subprocess.run(["git", "--git-dir", repo, "fast-import", "--quiet"], input=b"".join(stream), check=True)
    a = gen_repo.git(repo, "rev-parse", "refs/heads/main")
    b = gen_repo.git(repo, "rev-parse", "refs/heads/staging~%d" % fresh)
    fresh_commits = gen_repo.git(repo, "rev-list", "--reverse", "--first-parent", "-n", str(fresh),
                                 "refs/heads/staging").split() if fresh else []
    c = None
    if bad_app is not None:
        c = gen_repo.git(repo, "rev-parse", "refs/heads/bench-bad")
        gen_repo.git(repo, "update-ref", "-d", "refs/heads/bench-bad")
    quarantine, _ = gen_repo.quarantine(repo, "rules")
    return repo, {"old": a, "new": b, "ref": "refs/heads/main", "quarantine": quarantine}, c, fresh_commits


def hook_side(label, repo, push, hook, expect=0):
    resident = (lambda: bench.server_pid(repo)) if hook == "pre-receive" else None
    return {"label": label, "command": [os.path.join(repo, "hooks", hook)], "cwd": repo,
            "env": bench.hook_environment(repo, push), "stdin": bench.push_line(push), "expect": expect,
            "resident": resident}


def first_judgement_side(label, repo, push, fresh):
    """The resident server's hook, each run pushing main -> the next of `fresh` (see build_repository)."""
    side = hook_side(label, repo, push, "pre-receive")
    side["stdin"] = lambda number: bench.push_line(dict(push, new=fresh[number]))
    return side


def warm_first_judgements(repo, push, fresh, scratch):
    """Has the resident server judge each of `fresh` once (all accepted)."""
    for commit in fresh:
        run = run_hook(repo, dict(push, new=commit), "pre-receive", scratch)
        check(run.status == 0, "%s: a push of new contents should be accepted, the hook exited %d:\n%s" % (
            repo, run.status, run.stdout + run.stderr))


def run_hook(repo, push, hook, scratch):
    side = hook_side("", repo, push, hook)
    return bench.run_process(side["command"], repo, side["env"], side["stdin"], scratch)


def knows_rules(java, jar, scratch):
    """Whether the jar loads a policy with custom rules (a jar from before them refuses it)."""
    policy = os.path.join(scratch, "probe-policy.yaml")
    with open(policy, "w") as out:
        out.write(POLICY + RULES)
    probe = os.path.join(scratch, "probe")
    os.makedirs(os.path.join(probe, "schemas"), exist_ok=True)
    with open(os.path.join(probe, "schemas", "app-values.schema.json"), "w") as out:
        out.write(schema_text())
    result = subprocess.run([java, "-jar", jar, "validate", "--repo", probe, "--policy", policy],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if result.returncode != 0:
        bench.log("  %s does not load a policy with rules (exit %d):\n%s" % (
            jar, result.returncode, bench.indent(result.stdout.strip()[-800:])))
    return result.returncode == 0


CEL_PACKAGES = ("dev.cel.", "dev.stagegate.customrules.", "com.google.protobuf.", "com.google.common.")


def cel_classes(repo, push, scratch):
    """One cold-hook push with -Xlog:class+load: how many classes it loads, and how many of them are
    CEL's or what CEL brings (customrules, protobuf, Guava), which a push without rules must not load."""
    log_file = os.path.join(scratch, "rules-classload.log")
    if os.path.exists(log_file):
        os.remove(log_file)
    command = bench.with_flags(bench.hook_jvm_command(repo), ["-Xlog:class+load=info:file=%s" % log_file])
    run = bench.run_process(command, repo, bench.hook_environment(repo, push), bench.push_line(push), scratch)
    check(run.status == 0, "the class-load run of %s exited %d:\n%s" % (repo, run.status, run.stdout + run.stderr))
    loaded = [match.group(1) for match in (re.search(r"\] (\S+) source: ", line)
                                           for line in open(log_file, errors="replace")) if match]
    return {"classes": len(loaded), "cel": sum(1 for name in loaded if name.startswith(CEL_PACKAGES))}


def peak_rss_mib(pid):
    """A running process's peak resident size (VmHWM), or None."""
    try:
        with open("/proc/%d/status" % pid) as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except (OSError, TypeError, ValueError):
        pass
    return None


def check(condition, message):
    if not condition:
        sys.exit("rules.py: " + message)


def prepare_push(java, jar, directory, policy, push_files, bad_app=None, scratch=None, fresh=0, server_options=()):
    """A repository with the push, the hooks installed for `jar`, and the push's verdict checked:
    accepted, and (bad_app) rejected with production-replicas when one file has a single replica.
    Returns the repository, the push and the `fresh` commits of new contents (build_repository)."""
    repo, push, bad, fresh_commits = build_repository(directory, policy, push_files, bad_app, fresh)
    bench.install_hook(java, jar, repo, server_options)
    accepted = run_hook(repo, push, "pre-receive.cold", scratch)
    check(accepted.status == 0, "%s: the push should be accepted, the hook exited %d:\n%s" % (
        directory, accepted.status, accepted.stdout + accepted.stderr))
    if fresh_commits:
        last = run_hook(repo, dict(push, new=fresh_commits[-1]), "pre-receive.cold", scratch)
        check(last.status == 0, "%s: a push of new contents should be accepted, the hook exited %d:\n%s" % (
            directory, last.status, last.stdout + last.stderr))
    if bad is not None:
        staging = gen_repo.git(repo, "rev-parse", "refs/heads/staging")
        gen_repo.git(repo, "update-ref", "refs/heads/staging", bad)
        rejected = run_hook(repo, dict(push, new=bad), "pre-receive.cold", scratch)
        gen_repo.git(repo, "update-ref", "refs/heads/staging", staging)
        output = rejected.stdout + rejected.stderr
        check(rejected.status == 1 and "production-replicas" in output,
              "%s: a file on one replica should be rejected with production-replicas, the hook exited %d:\n%s" % (
                  directory, rejected.status, output))
        bench.log("  %s: the push is accepted; with %s on one replica it is rejected:\n%s" % (
            os.path.basename(directory), app_path(bad_app),
            bench.indent("\n".join(line for line in output.splitlines() if "production-replicas" in line))))
    return repo, push, fresh_commits


def validate_directory(scratch, files):
    """`files` values files that every rule accepts, and the two policies beside (not in) the tree."""
    directory = os.path.join(scratch, "validate")
    os.makedirs(os.path.join(directory, "schemas"))
    with open(os.path.join(directory, "schemas", "app-values.schema.json"), "w") as out:
        out.write(schema_text())
    for app in range(files):
        path = os.path.join(directory, "apps", "team-%02d" % (app // 100), "app-%05d" % app, "values.yaml")
        os.makedirs(os.path.dirname(path))
        with open(path, "w") as out:
            out.write(values(app % gen_repo.APPS, app))
    policies = {}
    for name, text in (("plain", POLICY), ("rules", POLICY + RULES)):
        policies[name] = os.path.join(scratch, "policy-%s.yaml" % name)
        with open(policies[name], "w") as out:
            out.write(text)
    return directory, policies


def check_validate_rejects(env, directory, policy, scratch):
    """With one file on a single replica, validate with the rules rejects it with production-replicas:
    the rules run on the files the timings validate."""
    path = os.path.join(directory, "apps", "team-00", "app-00000", "values.yaml")
    original = open(path).read()
    with open(path, "w") as out:
        out.write(values(0, 0, replicas=1))
    try:
        run = bench.run_process(validate_side("", env, directory, policy)["command"], directory, env, "", scratch)
    finally:
        with open(path, "w") as out:
            out.write(original)
    output = run.stdout + run.stderr
    check(run.status == 1 and "production-replicas" in output,
          "validate with the rules should reject a file on one replica with production-replicas, it exited %d:\n%s"
          % (run.status, output[-2000:]))


def validate_side(label, env, directory, policy):
    return {"label": label, "command": [bench.LAUNCHER, "validate", "--repo", directory, "--policy", policy,
                                        "--environment", "production"],
            "cwd": directory, "env": env, "expect": 0}


def difference(entry, a, b):
    entry["difference_ms"] = round(entry[a]["median_ms"] - entry[b]["median_ms"], 1)
    return entry


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--jar", required=True, help="the stagegate jar with custom rules")
    parser.add_argument("--baseline-jar", help="a jar built from main: the no-rules comparison")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--files", type=int, default=10_000, help="values files for validate")
    parser.add_argument("--push-files", type=int, default=100, help="values files the push changes")
    parser.add_argument("--idle-wait", type=int, default=300)
    parser.add_argument("--fresh-warming", type=int, default=FRESH_WARMING,
                        help="first judgements each server makes before the timed ones (a C2 server needs more)")
    parser.add_argument("--server-java-option", action="append", default=[],
                        help="a JVM option for the resident servers of --jar (hook install --server-java-option)")
    args = parser.parse_args()
    check(args.push_files <= APPS, "--push-files is at most %d" % APPS)
    bench.IDLE_WAIT[0] = args.idle_wait
    java = shutil.which("java")
    jar = os.path.abspath(args.jar)
    baseline_jar = os.path.abspath(args.baseline_jar) if args.baseline_jar else None
    results = {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
               "machine": bench.machine(), "runs": args.runs, "warmup": args.warmup, "files": args.files,
               "push_files": args.push_files, "apps": APPS, "jar": jar, "baseline_jar": baseline_jar,
               "server_java_options": args.server_java_option, "fresh_warming": args.fresh_warming,
               "scenarios": {}, "skipped": []}
    bench.log("machine: %(cpu)s, %(cores)s cores, %(ram_gib)s GiB, %(os)s; %(jdk)s; %(git)s" % results["machine"])
    os.makedirs(bench.CACHE, exist_ok=True)
    scratch = tempfile.mkdtemp(prefix="rules-", dir=bench.CACHE)
    repos = []
    scenarios = results["scenarios"]
    try:
        rules_known = knows_rules(java, jar, scratch)
        if not rules_known:
            results["skipped"].append("the rules scenarios: %s does not load a policy with custom rules" % jar)
        bench.log("push: building the repositories (%d applications, %d changed) ..." % (APPS, args.push_files))
        fresh = args.fresh_warming + ATTEMPTS * (args.warmup + args.runs) if rules_known else 0
        check(fresh < 190, "--fresh-warming plus three times the runs must stay under 190 (the history search depth)")
        plain, plain_push, plain_fresh = prepare_push(java, jar, os.path.join(scratch, "plain"), POLICY,
                                                      args.push_files, scratch=scratch, fresh=fresh,
                                                      server_options=args.server_java_option)
        repos.append(plain)
        pushes = {"plain": (plain, plain_push)}
        fresh_commits = {"plain": plain_fresh}
        if rules_known:
            rules_repo, rules_push, fresh_commits["rules"] = prepare_push(
                java, jar, os.path.join(scratch, "rules"), POLICY + RULES, args.push_files,
                bad_app=args.push_files // 2, scratch=scratch, fresh=fresh, server_options=args.server_java_option)
            pushes["rules"] = (rules_repo, rules_push)
            repos.append(rules_repo)
        if baseline_jar:
            # the same commits as the plain repository, fresh ones included: a larger pack opens slower
            pushes["baseline"] = prepare_push(java, baseline_jar, os.path.join(scratch, "baseline"), POLICY,
                                              args.push_files, scratch=scratch, fresh=fresh)[:2]
            repos.append(pushes["baseline"][0])
        results["classes"] = {name: cel_classes(repo, push, scratch) for name, (repo, push) in pushes.items()}
        bench.log("  classes loaded by one cold push (of them CEL's): %s" % ", ".join(
            "%s %d (%d)" % (name, count["classes"], count["cel"]) for name, count in results["classes"].items()))
        for repo, push in pushes.values():
            bench.warm_server(repo, push, scratch)

        if rules_known:
            for hook, name in (("pre-receive.cold", "push-cold"), ("pre-receive", "push-server")):
                scenarios[name] = difference(bench.compare(
                    "rules-" + name, hook_side("rules", *pushes["rules"], hook),
                    hook_side("no rules", plain, plain_push, hook), args.warmup, args.runs, scratch),
                    "rules", "no rules")
            bench.log("  first judgements: each server judges %d commits of new contents first ..." % args.fresh_warming)
            for name in ("rules", "plain"):
                warm_first_judgements(*pushes[name], fresh_commits[name][:args.fresh_warming], scratch)
            scenarios["push-server-first"] = difference(bench.compare(
                "rules-push-server-first",
                first_judgement_side("rules", *pushes["rules"], fresh_commits["rules"][args.fresh_warming:]),
                first_judgement_side("no rules", plain, plain_push, fresh_commits["plain"][args.fresh_warming:]),
                args.warmup, args.runs, scratch, attempts=ATTEMPTS), "rules", "no rules")
        if baseline_jar:
            for hook, name in (("pre-receive.cold", "no-rules-push-cold"), ("pre-receive", "no-rules-push-server")):
                scenarios[name] = difference(bench.compare(
                    "rules-" + name, hook_side("this jar", plain, plain_push, hook),
                    hook_side("baseline", *pushes["baseline"], hook), args.warmup, args.runs, scratch),
                    "this jar", "baseline")

        bench.log("validate: writing %d values files ..." % args.files)
        directory, policies = validate_directory(scratch, args.files)
        env = bench.launcher_environment(jar, java)
        bench.prepare_launcher(env, scratch)
        if rules_known:
            check_validate_rejects(env, directory, policies["rules"], scratch)
            scenarios["validate"] = bench.compare(
                "rules-validate", validate_side("rules", env, directory, policies["rules"]),
                validate_side("no rules", env, directory, policies["plain"]),
                args.warmup, max(3, args.runs // 2), scratch)
        if baseline_jar:
            baseline_env = bench.launcher_environment(baseline_jar, java)
            bench.prepare_launcher(baseline_env, scratch)
            # the baseline has no --environment: both sides run without it on the policy without rules
            plain_validate = ["validate", "--repo", directory, "--policy", policies["plain"]]
            scenarios["no-rules-validate"] = bench.compare(
                "rules-no-rules-validate",
                {"label": "this jar", "command": [bench.LAUNCHER] + plain_validate, "cwd": directory, "env": env,
                 "expect": 0},
                {"label": "baseline", "command": [bench.LAUNCHER] + plain_validate, "cwd": directory,
                 "env": baseline_env, "expect": 0},
                args.warmup, max(3, args.runs // 2), scratch)
        results["server_peak_rss_mib"] = {name: peak_rss_mib(bench.server_pid(repo))
                                          for name, (repo, _) in pushes.items()}
    finally:
        for repo in repos:
            bench.stop_server(repo)
        shutil.rmtree(scratch, ignore_errors=True)
    for note in results["skipped"]:
        bench.log("  SKIPPED " + note)
    with open(os.path.join(bench.CACHE, "rules-latest.json"), "w") as out:
        json.dump(results, out, indent=2)
    bench.log("wrote bench/cache/rules-latest.json")
    text = section(results)
    print(text)
    unmet = [line for line in text.splitlines() if "**missed**" in line or "not as expected" in line]
    sys.exit(1 if unmet else 0)


def section(results):
    m = results["machine"]
    scenarios = results["scenarios"]
    out = [SECTION_BEGIN,
           "Measured by `bench/rules.py` on %s (%d warm-up and %d timed runs per side, alternating; validate "
           "%d timed runs) on %s, %s cores, %s, %s. The policy is the four environments with a schema "
           "for `apps/**/values.yaml`; **rules** adds five custom rules (docs/rules.md 1, 3, 4, 6, 9: replica "
           "floor, company registry, limits present, replica cut at most half with `oldObject`, tag allow-list "
           "by `environment`), each applying to every changed file in production. The push fast-forwards main "
           "to staging, changing %d values files of %d applications; both policies accept it, and the rules "
           "policy rejects it with `production-replicas` when one of the files is on one replica. The resident "
           "server remembers files that passed their schema and files on which every rule held: in the "
           "repeated push every run pushes the same commit, so from the second run on both sides answer from "
           "memory; in the first judgement every run pushes a commit of its own whose %d files hold contents "
           "the server has not seen (the same on both sides), after %d such pushes to warm the server; main "
           "stays where it is, so the versions the transition rule compares with are the same every run, "
           "and the server keeps them parsed.\n" % (
               results["date"], results["warmup"], results["runs"], max(3, results["runs"] // 2), m["cpu"],
               m["cores"], m["jdk"], m["git"], results["push_files"], results["apps"], results["push_files"],
               results["fresh_warming"]),
           "| scenario (first / second) | first | second | difference, ratio | limit | other load |",
           "| --- | --- | --- | --- | --- | --- |"]

    def row(name, label, a, b, limit_text, met):
        entry = scenarios.get(name)
        if entry is None:
            return
        expected = entry[a]["as_expected"] and entry[b]["as_expected"]
        verdict = ("met" if met(entry) else "**missed**") if expected else "**not as expected** (exit status)"
        out.append("| %s | %.1f ms | %.1f ms | %+.1f ms, %.2fx | %s, %s | %.0f%% |" % (
            label, entry[a]["median_ms"], entry[b]["median_ms"], entry[a]["median_ms"] - entry[b]["median_ms"],
            entry["ratio"], limit_text, verdict, 100 * entry["other_cpu_share"]))

    row("push-cold", "push, cold hook: 5 rules / none", "rules", "no rules", "+%d ms" % COLD_LIMIT_MS,
        lambda e: e["difference_ms"] <= COLD_LIMIT_MS)
    row("push-server", "push, resident server, repeated push (passes remembered): 5 rules / none", "rules",
        "no rules", "+%d ms" % SERVER_LIMIT_MS, lambda e: e["difference_ms"] <= SERVER_LIMIT_MS)
    row("push-server-first", "push, resident server, first judgement (new contents every run): 5 rules / none",
        "rules", "no rules", "+%d ms" % SERVER_LIMIT_MS, lambda e: e["difference_ms"] <= SERVER_LIMIT_MS)
    row("validate", "validate %d files --environment production: 5 rules / none" % results["files"], "rules",
        "no rules", "%.1fx" % VALIDATE_LIMIT, lambda e: e["ratio"] <= VALIDATE_LIMIT)
    tolerance = "not slower (%.2fx)" % NO_RULES_TOLERANCE
    row("no-rules-push-cold", "no rules, push, cold hook: this jar / baseline", "this jar", "baseline", tolerance,
        lambda e: e["ratio"] <= NO_RULES_TOLERANCE)
    row("no-rules-push-server", "no rules, push, resident server: this jar / baseline", "this jar", "baseline",
        tolerance, lambda e: e["ratio"] <= NO_RULES_TOLERANCE)
    row("no-rules-validate", "no rules, validate %d files: this jar / baseline" % results["files"], "this jar",
        "baseline", tolerance, lambda e: e["ratio"] <= NO_RULES_TOLERANCE)
    classes = results.get("classes", {})
    if classes:
        plain = classes["plain"]
        out.append("\nClasses loaded by one cold-hook push: without rules %d, of them %d of CEL, protobuf, Guava or "
                   "`customrules` (%s: none may load without rules)%s." % (
                       plain["classes"], plain["cel"], "met" if plain["cel"] == 0 else "**missed**",
                       "; with the five rules %d, of them %d" % (classes["rules"]["classes"], classes["rules"]["cel"])
                       if "rules" in classes else ""))
    rss = results.get("server_peak_rss_mib", {})
    if rss:
        out.append("\nPeak resident size of each resident server at the end of the run (VmHWM): %s." % ", ".join(
            "%s %s MiB" % (name, value) for name, value in rss.items()))
    if results["server_java_options"]:
        out.append("\nThe servers of the measured jar ran with `hook install --server-java-option` %s." % ", ".join(
            "`%s`" % option for option in results["server_java_options"]))
    if results["baseline_jar"] is None:
        out.append("\nNo `--baseline-jar`: the no-rules comparison with main was not run.")
    for note in results["skipped"]:
        out.append("\nSkipped: %s." % note)
    out.append(SECTION_END)
    return "\n".join(out)


if __name__ == "__main__":
    main()
