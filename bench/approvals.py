#!/usr/bin/env python3
"""What approvals and signed records cost a promotion push (issue 12; bench/README.md).

For each cached apps-shape reference repository (100k, and 1m when cached) it makes three copies
with the same shape of change, one commit on every environment branch, and prepares the same
promotion push (staging merged into main) in each:

  plain      the reference policy (production needs `integration` evidence from staging),
             the evidence unsigned, as the main benchmark has it;
  approvals  a policy where production also needs two approvals from release-managers and
             every record must be signed (`evidence.signatures: required`, an allowed-signers
             file with ed25519 keys for alice, bob and ci-bot); the staging commit carries the
             integration evidence signed by ci-bot and approvals signed by alice and bob;
  unsigned   the approvals policy with `signatures: off` and the same records unsigned: the
             difference to `approvals` is what the signature checks alone cost.

It checks with `check-promotion` that the approvals copy is accepted and that one approval
short it is rejected with missing-approval, so that the timings measure a real verdict. Then
it times, alternating (bench.compare): approvals against plain and against unsigned, with the
cold hook and with the resident server's, and the approvals hooks against the plain-git hook.
The hook keeps the signatures it verified (stagegate-verified-signatures), so the timed pushes,
like a server's after the notes push, read those verdicts; each record's first check is timed
apart, with the verdicts forgotten before every run. bench/cache/ is only read: the copies hard-link its pack files.

    python3 bench/approvals.py --jar cli/target-bench/stagegate.jar [--runs 15] [--sizes 100k,1m]
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
import report  # noqa: E402

SIGNERS = ["alice", "bob", "ci-bot"]
APPROVERS = ["alice", "bob"]
APPROVAL_POLICY = """
    requiresApproval:
      count: 2
      from: [release-managers]
groups:
  release-managers: [alice, bob, carol]
"""
SIGNED_EVIDENCE = """  signatures: required
  allowedSigners: .stagegate/allowed_signers
"""
# the same approvals without signatures: what the signature checks alone cost is the difference
UNSIGNED_EVIDENCE = """  signatures: "off"
"""
ALLOWED_SIGNERS = ".stagegate/allowed_signers"
# who commits the change on the environment branches: none of the approvers, so that
# notAuthor (on by default) leaves both approvals counting
POLICY_AUTHOR = {"GIT_AUTHOR_NAME": "Pat Platform", "GIT_AUTHOR_EMAIL": "pat@example.invalid",
                 "GIT_COMMITTER_NAME": "Pat Platform", "GIT_COMMITTER_EMAIL": "pat@example.invalid",
                 "GIT_AUTHOR_DATE": "2029-12-31T00:00:00Z", "GIT_COMMITTER_DATE": "2029-12-31T00:00:00Z"}
BRANCHES = ["develop", "test", "staging", "main"]


def git(repo, *args, env=None, input=None):
    return gen_repo.git(repo, *args, env=dict(os.environ, **(env or {})), input=input)


def copy_reference(source, target):
    """A private copy of a cached repository: its packs and commit-graph hard-linked (git never
    writes those files in place), everything else copied; no quarantines, hooks or server."""
    def copy(src, dst):
        inside = os.path.relpath(src, source).split(os.sep)
        if inside[0] == "objects" and inside[1] in ("pack", "info"):
            os.link(src, dst)
        else:
            shutil.copy2(src, dst)

    def ignore(directory, names):
        if os.path.basename(directory) == "hooks":
            return names
        return [name for name in names if name.startswith("tmp_objdir-")]
    shutil.copytree(source, target, copy_function=copy, ignore=ignore)


def make_keys(scratch):
    keys = {}
    directory = os.path.join(scratch, "keys")
    os.makedirs(directory)
    for name in SIGNERS:
        key = os.path.join(directory, name)
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", key], check=True)
        with open(key + ".pub") as public:
            keys[name] = (key, " ".join(public.read().split()[:2]))
    return keys


def signed(record, key):
    """The record with a `signature` member: ssh-keygen's SSHSIG over its RFC 8785 form (sorted
    members, no whitespace; the same as JCS for these records of strings and small integers)."""
    payload = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    result = subprocess.run(["ssh-keygen", "-Y", "sign", "-n", "stagegate", "-f", key], input=payload,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=True)
    return dict(record, signature="\n".join(result.stdout.decode().strip().splitlines()))


def commit_on_branches(repo, files):
    """One commit on every environment branch that writes `files` ({path: text})."""
    index = os.path.join(repo, "bench-index")
    env = dict(POLICY_AUTHOR, GIT_INDEX_FILE=index)
    for branch in BRANCHES:
        tip = git(repo, "rev-parse", "refs/heads/" + branch)
        git(repo, "read-tree", tip, env=env)
        for path, text in files.items():
            blob = git(repo, "hash-object", "-w", "--stdin", input=text.encode())
            git(repo, "update-index", "--add", "--cacheinfo", "100644,%s,%s" % (blob, path), env=env)
        tree = git(repo, "write-tree", env=env)
        commit = git(repo, "commit-tree", tree, "-p", tip, "-m", "Policy: production approvals and signed records",
                     env=env)
        git(repo, "update-ref", "refs/heads/" + branch, commit, tip)
    os.remove(index)


def append_note(repo, commit, record):
    line = json.dumps(record, separators=(",", ":"), ensure_ascii=False)
    git(repo, "notes", "--ref=stagegate", "append", "-m", line, commit,
        env={"GIT_COMMITTER_NAME": "ci-bot", "GIT_COMMITTER_EMAIL": "ci-bot@example.invalid"})


def check_promotion(java, jar, repo, source):
    result = subprocess.run([java, "-jar", jar, "check-promotion", "--repo", repo, "--target", "production",
                             "--source", source], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return result.returncode, result.stdout.strip()


def prepare(java, jar, reference, directory, keys, approvals, signatures=True):
    """A copy of `reference` with the change on every branch, the staging commit's records, the
    promotion push in a quarantine and the hooks installed; checks the verdict."""
    repo = os.path.join(directory, "repo.git")
    copy_reference(os.path.join(reference, "repo.git"), repo)
    policy = git(repo, "show", "refs/heads/main:.stagegate/policy.yaml")
    signers = "".join('%s namespaces="stagegate" %s\n' % (name, keys[name][1]) for name in SIGNERS)
    if approvals:
        anchor = "        environment: staging\n"
        if anchor not in policy + "\n" or not policy.rstrip().endswith("trustedProducers: [ci-bot]"):
            sys.exit("approvals.py: the reference policy is not the one this script extends:\n" + policy)
        policy = policy.replace(anchor.rstrip("\n"), anchor + APPROVAL_POLICY.strip("\n"), 1)
        policy = policy.rstrip("\n") + "\n" + (SIGNED_EVIDENCE if signatures else UNSIGNED_EVIDENCE)
    else:
        # a comment: the plain copy's promotion then carries a policy change too, which the hook
        # reads and compares (policy-invalid, policy-loosened) whichever policy it is
        policy = policy.rstrip("\n") + "\n# the reference policy, unchanged\n"
    # the plain copy gets the same file, unused, so that both copies change the same way
    commit_on_branches(repo, {".stagegate/policy.yaml": policy + ("" if policy.endswith("\n") else "\n"),
                              ALLOWED_SIGNERS: signers})
    staging = git(repo, "rev-parse", "refs/heads/staging")
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    evidence = json.loads(gen_repo.record(staging, "staging", 0, "passed"))
    evidence["recordedAt"] = now
    verdicts = {}
    if not approvals:
        append_note(repo, staging, evidence)
    else:
        sign = (lambda record, key: signed(record, key)) if signatures else (lambda record, key: record)
        append_note(repo, staging, sign(evidence, keys["ci-bot"][0]))
        for n, approver in enumerate(APPROVERS):
            if n == len(APPROVERS) - 1:
                verdicts["one approval short"] = check_promotion(java, jar, repo, staging)
            append_note(repo, staging, sign({
                "apiVersion": "stagegate/v1", "kind": "Approval", "commit": staging, "environment": "production",
                "approver": approver, "decision": "approved", "recordedAt": now}, keys[approver][0]))
    verdicts["as measured"] = check_promotion(java, jar, repo, staging)
    expected = {"as measured": 0, "one approval short": 1}
    for name, (status, output) in verdicts.items():
        bench.log("  %s %s: check-promotion exit %d\n%s" % (os.path.basename(directory), name, status,
                                                            bench.indent(output)))
        if status != expected[name] or (name == "one approval short" and "missing-approval" not in output):
            sys.exit("approvals.py: %s, %s: expected exit %d%s" % (
                directory, name, expected[name], " with missing-approval" if expected[name] else ""))
    push = gen_repo.promotion_push(repo, "promotion", "staging", "main")
    bench.install_hook(java, jar, repo)
    # an earlier push has met the new policy, as on a real server: the hook validates a policy
    # blob against the schema once and remembers it (ValidatedPolicies)
    bench.run_process(side("", repo, push, "pre-receive.cold")["command"], repo, bench.hook_environment(repo, push),
                      bench.push_line(push), directory)
    return repo, push


def side(label, repo, push, hook):
    resident = (lambda: bench.server_pid(repo)) if hook == "pre-receive" else None
    return {"label": label, "command": [os.path.join(repo, "hooks", hook)], "cwd": repo,
            "env": bench.hook_environment(repo, push), "stdin": bench.push_line(push), "expect": 0,
            "resident": resident}


def forgetting(entry):
    """The side run with the hook's verified signatures forgotten first: each record's first
    check, as a cold hook makes it when the record's notes push did not pass this hook."""
    entry = dict(entry)
    entry["command"] = ["/bin/sh", "-c", 'rm -f "$GIT_DIR/stagegate-verified-signatures"; exec "$0"',
                        entry["command"][0]]
    return entry


def baseline(repo, push):
    return {"label": "plain git", "command": [bench.BASELINE], "cwd": repo, "env": bench.hook_environment(repo, push),
            "stdin": bench.push_line(push), "expect": 0}


def server_hwm_mib(repo):
    pid = bench.server_pid(repo)
    try:
        with open("/proc/%d/status" % pid) as status:
            return round(int(next(line for line in status if line.startswith("VmHWM")).split()[1]) / 1024, 1)
    except (TypeError, OSError, StopIteration):
        return None


def loaded_classes(repo, push, scratch):
    """The classes the cold hook loads on one push (-Xlog:class+load), with where they came from."""
    log_file = os.path.join(scratch, "approvals-classload.log")
    if os.path.exists(log_file):
        os.remove(log_file)
    command = bench.with_flags(bench.hook_jvm_command(repo), ["-Xlog:class+load=info:file=%s" % log_file])
    run = bench.run_process(command, repo, bench.hook_environment(repo, push), bench.push_line(push), scratch)
    classes = {}
    for line in open(log_file, errors="replace"):
        match = re.search(r"\] (\S+) source: (.*)$", line)
        if match:
            classes[match.group(1)] = "CDS archive" if match.group(2).startswith("shared objects file") else \
                "jrt" if match.group(2).startswith("jrt:") else "jar" if match.group(2).startswith(("jar:", "file:")) \
                else "generated"
    return run, classes


def class_difference(plain, plain_push, signed_repo, signed_push, scratch):
    """What the approvals push loads that the plain one does not: counts by package and source,
    and the cold hooks' JFR samples by stagegate frame."""
    _, plain_classes = loaded_classes(plain, plain_push, scratch)
    run, signed_classes = loaded_classes(signed_repo, signed_push, scratch)
    extra = {name: source for name, source in signed_classes.items() if name not in plain_classes}
    packages = {}
    for name, source in extra.items():
        package = ".".join(name.split(".")[:4 if name.startswith(("sun.security.", "dev.stagegate.")) else 3])
        counts = packages.setdefault(package, {})
        counts[source] = counts.get(source, 0) + 1
    by_source = {}
    for source in extra.values():
        by_source[source] = by_source.get(source, 0) + 1
    return {"plain_classes": len(plain_classes), "approvals_classes": len(signed_classes), "extra": len(extra),
            "extra_by_source": by_source,
            "extra_by_package": dict(sorted(packages.items(), key=lambda item: -sum(item[1].values()))),
            "profile": bench.jfr_profile_hook(signed_repo, signed_push, scratch, 5),
            "plain_profile": bench.jfr_profile_hook(plain, plain_push, scratch, 5)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--jar", required=True)
    parser.add_argument("--sizes", default="100k,1m", help="apps-shape repositories, those cached")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--idle-wait", type=int, default=300)
    parser.add_argument("--profile", action="store_true", help="only the class-load and JFR diagnostics")
    parser.add_argument("--no-results-md", action="store_true", help="leave bench/RESULTS.md alone")
    args = parser.parse_args()
    bench.IDLE_WAIT[0] = args.idle_wait
    java = shutil.which("java")
    jar = os.path.abspath(args.jar)
    key = bench.generator_hash()
    results = {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
               "machine": bench.machine(), "runs": args.runs, "warmup": args.warmup, "sizes": {}}
    bench.log("machine: %(cpu)s, %(cores)s cores, %(ram_gib)s GiB, %(os)s; %(jdk)s; %(git)s" % results["machine"])
    scratch = tempfile.mkdtemp(prefix="approvals-", dir=bench.CACHE)
    try:
        keys = make_keys(scratch)
        for label in args.sizes.split(","):
            reference = os.path.join(bench.CACHE, "repo-%s-%s" % (label, key))
            if not os.path.isfile(os.path.join(reference, "bench.json")):
                bench.log("%s: not cached (bench/run.sh makes it); skipped" % label)
                continue
            bench.log("%s: preparing the plain and approvals copies ..." % label)
            plain, plain_push = prepare(java, jar, reference, os.path.join(scratch, "plain-" + label), keys, False)
            signed_repo, signed_push = prepare(java, jar, reference, os.path.join(scratch, "approvals-" + label),
                                               keys, True)
            unsigned, unsigned_push = prepare(java, jar, reference, os.path.join(scratch, "unsigned-" + label),
                                              keys, True, signatures=False)
            results["sizes"][label] = entries = {}
            entries["diagnostics"] = class_difference(plain, plain_push, signed_repo, signed_push, scratch)
            bench.log(json.dumps(entries["diagnostics"], indent=1))
            if args.profile:
                continue
            for repo, push in ((plain, plain_push), (signed_repo, signed_push), (unsigned, unsigned_push)):
                bench.warm_server(repo, push, scratch)
            pairs = [("cold", side("approvals", signed_repo, signed_push, "pre-receive.cold"),
                      side("plain", plain, plain_push, "pre-receive.cold")),
                     ("server", side("approvals", signed_repo, signed_push, "pre-receive"),
                      side("plain", plain, plain_push, "pre-receive")),
                     ("cold-vs-git", side("approvals", signed_repo, signed_push, "pre-receive.cold"),
                      baseline(signed_repo, signed_push)),
                     ("server-vs-git", side("approvals", signed_repo, signed_push, "pre-receive"),
                      baseline(signed_repo, signed_push)),
                     ("signatures-cold", side("approvals", signed_repo, signed_push, "pre-receive.cold"),
                      side("unsigned", unsigned, unsigned_push, "pre-receive.cold")),
                     ("signatures-server", side("approvals", signed_repo, signed_push, "pre-receive"),
                      side("unsigned", unsigned, unsigned_push, "pre-receive")),
                     ("signatures-first-check", forgetting(side("approvals", signed_repo, signed_push,
                                                                "pre-receive.cold")),
                      forgetting(side("unsigned", unsigned, unsigned_push, "pre-receive.cold")))]
            for name, a, b in pairs:
                entries[name] = bench.compare("approvals-%s-%s" % (name, label), a, b, args.warmup, args.runs,
                                              scratch)
                if b["label"] in ("plain", "unsigned"):
                    entries[name]["difference_ms"] = round(
                        entries[name]["approvals"]["median_ms"] - entries[name][b["label"]]["median_ms"], 1)
            entries["server_vm_hwm_mib"] = {"approvals": server_hwm_mib(signed_repo), "plain": server_hwm_mib(plain)}
            for repo in (plain, signed_repo, unsigned):
                bench.stop_server(repo)
            bench.log("%s: signed - unsigned approvals: cold %+.1f ms (first check %+.1f ms), server %+.1f ms; "
                      "approvals - plain: cold %+.1f ms,"
                      " server %+.1f ms; approvals / plain git: cold %.2fx, server %.2fx; servers' peak RSS %s MiB" % (
                          label, entries["signatures-cold"]["difference_ms"],
                          entries["signatures-first-check"]["difference_ms"],
                          entries["signatures-server"]["difference_ms"],
                          entries["cold"]["difference_ms"], entries["server"]["difference_ms"],
                          entries["cold-vs-git"]["ratio"], entries["server-vs-git"]["ratio"],
                          entries["server_vm_hwm_mib"]))
    finally:
        for directory in os.listdir(scratch):
            if os.path.isdir(os.path.join(scratch, directory, "repo.git")):
                bench.stop_server(os.path.join(scratch, directory, "repo.git"))
        shutil.rmtree(scratch, ignore_errors=True)
    with open(os.path.join(bench.CACHE, "approvals-latest.json"), "w") as out:
        json.dump(results, out, indent=2)
    bench.log("wrote bench/cache/approvals-latest.json")
    if not args.profile and not args.no_results_md and results["sizes"]:
        write_results_md(results, os.path.join(HERE, "RESULTS.md"))
        bench.log("wrote the approvals section of bench/RESULTS.md")


COLD_LIMIT_MS = 20
SERVER_LIMIT_MS = 2


def section(results):
    """The approvals section of RESULTS.md, between report.py's approvals markers."""
    m = results["machine"]
    out = [report.APPROVALS_BEGIN,
           "Measured by `bench/approvals.py` on %s (%d warm-up and %d timed runs per side, alternating) on %s, "
           "%s cores, %s, %s. The same promotion push (staging merged into main) in two copies of each reference "
           "repository, each with one commit on every environment branch: **plain**, the reference policy "
           "(production needs `integration` evidence from staging, unsigned); **approvals**, production also "
           "needs two approvals from `release-managers` and `evidence.signatures: required` "
           "(`.stagegate/allowed_signers`, ed25519 keys), the staging commit carrying the integration evidence "
           "signed by ci-bot and approvals signed by alice and bob: three signatures verified per push. "
           "`check-promotion` accepts that push, and rejects it with `missing-approval` one approval short. "
           "Limits (issue 12): signature checks add at most %d ms to the cold hook's push, %d ms to the "
           "resident server's; and `quality.md`'s 4x of the plain-git hook, which the main benchmark judges on the "
           "resident server's hook (a cold JVM is about 25 times plain git with or without approvals).\n" % (
               results["date"], results["warmup"], results["runs"], m["cpu"], m["cores"], m["jdk"], m["git"],
               COLD_LIMIT_MS, SERVER_LIMIT_MS),
           "The signature checks alone are the difference between **approvals** and a third copy, "
           "**unsigned**: the same approvals policy and records with `signatures: off` and no signatures. "
           "The hook keeps the signatures it verified in the git directory, so a record is checked once per "
           "server, when its notes push passes the hook; the cold rows read those verdicts, and the *first "
           "check* rows forget them before every run (both sides run through `sh -c 'rm -f ...; exec hook'`).\n",
           "| repository | hook | unsigned | approvals (signed) | signature checks | limit | other load |",
           "| --- | --- | --- | --- | --- | --- | --- |"]
    verdicts = []
    for label, entries in results["sizes"].items():
        for hook, limit in (("cold", COLD_LIMIT_MS), ("first-check", COLD_LIMIT_MS), ("server", SERVER_LIMIT_MS)):
            entry = entries["signatures-" + hook]
            met = entry["difference_ms"] <= limit
            verdicts.append("signature checks, %s %s: %+.1f ms (%s)" % (label, hook, entry["difference_ms"],
                                                                         "met" if met else "**missed**"))
            out.append("| %s | %s | %.1f ms | %.1f ms | %+.1f ms | %d ms, %s | %.0f%% |" % (
                label, {"cold": "cold JVM", "first-check": "cold JVM, each record's first check",
                        "server": "resident server"}[hook], entry["unsigned"]["median_ms"],
                entry["approvals"]["median_ms"], entry["difference_ms"], limit, "met" if met else "**missed**",
                100 * entry["other_cpu_share"]))
    out += ["\nApprovals and signatures together, against the reference policy:\n",
            "| repository | hook | plain | approvals | approvals − plain | approvals / plain git | "
            "peak RSS plain / approvals | other load |",
            "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for label, entries in results["sizes"].items():
        hwm = entries["server_vm_hwm_mib"]
        for hook, limit, rss in (("cold", COLD_LIMIT_MS, None), ("server", SERVER_LIMIT_MS, hwm)):
            entry, git_entry = entries[hook], entries[hook + "-vs-git"]
            rss_text = "%.0f / %.0f MiB" % (rss["plain"], rss["approvals"]) if rss and rss["plain"] else \
                "%.0f / %.0f MiB" % (entry["plain"]["max_rss_mib"], entry["approvals"]["max_rss_mib"])
            out.append("| %s | %s | %.1f ms | %.1f ms | %+.1f ms | %.2fx of %.1f ms (%s) | %s%s | %.0f%% |" % (
                label, "cold JVM" if hook == "cold" else "resident server", entry["plain"]["median_ms"],
                entry["approvals"]["median_ms"], entry["difference_ms"],
                git_entry["ratio"], git_entry["plain git"]["median_ms"],
                "met" if git_entry["ratio"] <= 4 else "missed" if hook == "server" else "not judged", rss_text, " (server VmHWM)" if rss else "",
                100 * max(entry["other_cpu_share"], git_entry["other_cpu_share"])))
    out.append("\nResult: %s. Where the cold hook's extra time goes, from one push with `-Xlog:class+load` and "
               "JFR samples over five:\n" % "; ".join(verdicts))
    for label, entries in results["sizes"].items():
        d = entries["diagnostics"]
        packages = ", ".join("%s %d (%s)" % (name, sum(sources.values()), "/".join(sorted(sources)))
                             for name, sources in list(d["extra_by_package"].items())[:6])
        frames = {row["frame"].rsplit(".", 2)[-2] + "." + row["frame"].rsplit(".", 1)[-1]: row["percent"]
                  for row in d["profile"]["stagegate_frames"] if ".signature." in row["frame"]}
        out.append("- %s: %d classes loaded against %d (%d the plain push does not load: %s; by package: %s); "
                   "signature frames in the samples: %s." % (
                       label, d["approvals_classes"], d["plain_classes"], d["extra"],
                       ", ".join("%d %s" % (n, source) for source, n in sorted(d["extra_by_source"].items())),
                       packages, ", ".join("`%s` %.0f%%" % item for item in frames.items()) or "none"))
    out.append(report.APPROVALS_END)
    return "\n".join(out)


def write_results_md(results, path):
    text = open(path).read() if os.path.exists(path) else ""
    heading = "## Approvals and signed records\n\n"
    block = re.compile(re.escape(report.APPROVALS_BEGIN) + r".*?" + re.escape(report.APPROVALS_END), re.S)
    if block.search(text):
        text = block.sub(lambda _: section(results), text)
    elif "\n## Timings" in text:
        text = text.replace("\n## Timings", "\n" + heading + section(results) + "\n\n## Timings", 1)
    else:
        text = text.rstrip("\n") + "\n\n" + heading + section(results) + "\n"
    with open(path, "w") as out:
        out.write(text)


if __name__ == "__main__":
    main()
