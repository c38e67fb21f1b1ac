"""Writes bench/RESULTS.md from the figures bench.py measured.

Everything between the analysis markers of an existing RESULTS.md is kept, so that the
written explanation of the figures survives a re-run (and should be re-read against them).
"""

import os
import re

BEGIN = "<!-- analysis:begin (kept by bench.py when it rewrites this file) -->"
END = "<!-- analysis:end -->"
# the section bench/approvals.py writes (its own run), kept as it is
APPROVALS_BEGIN = "<!-- approvals:begin (written by bench/approvals.py, kept by bench.py) -->"
APPROVALS_END = "<!-- approvals:end -->"
# the section bench/rules.py prints (its own run, pasted with its reading), kept as it is
RULES_BEGIN = "<!-- rules:begin (written by bench/rules.py) -->"
RULES_END = "<!-- rules:end -->"


def write(results, path):
    analysis = ""
    if os.path.exists(path):
        match = re.search(re.escape(BEGIN) + r"\n(.*?)" + re.escape(END), open(path).read(), re.S)
        if match:
            analysis = match.group(1)
    if not analysis.strip():
        analysis = "_No analysis written yet for these figures._\n"
    approvals = None
    if os.path.exists(path):
        match = re.search(re.escape(APPROVALS_BEGIN) + r".*?" + re.escape(APPROVALS_END), open(path).read(), re.S)
        approvals = match and match.group(0)
    rules = None
    if os.path.exists(path):
        match = re.search(re.escape(RULES_BEGIN) + r".*?" + re.escape(RULES_END), open(path).read(), re.S)
        rules = match and match.group(0)
    out = []
    w = out.append
    m = results["machine"]
    w("# stagegate benchmark results\n")
    w("Measured by `bench/run.sh` (%s mode: %d warm-up and %d timed runs per side, stagegate and its "
      "counterpart alternating) on %s. Raw figures: `bench/cache/results-latest.json` (not committed). "
      "Whole processes, wall-clock; the hook is fed its stdin line with `GIT_DIR` set and the pushed objects "
      "in a quarantine directory (`GIT_OBJECT_DIRECTORY`, `GIT_ALTERNATE_OBJECT_DIRECTORIES`, "
      "`GIT_QUARANTINE_PATH`), as `git receive-pack` runs it; the ref is never moved.\n"
      % (results["mode"], results["warmup"], results["runs"], results["date"]))
    w("## Machine\n")
    w("| | |\n| --- | --- |")
    w("| CPU | %s, %s cores |" % (m["cpu"], m["cores"]))
    w("| RAM | %s GiB |" % m["ram_gib"])
    w("| OS | %s |" % m["os"])
    w("| JDK | %s |" % m["jdk"])
    w("| git | %s |" % m["git"])
    w("| node (ajv-cli) | %s |" % m["node"])
    w("| load average (1, 5, 15 min) | %s at start, %s at end |" % (
        " ".join(m.get("load_average_at_start", [])), " ".join(results.get("load_average_at_end", []))))
    w("| stagegate jar | `%s`, %.1f MiB |" % (results["jar"]["path"], results["jar"]["bytes"] / 1048576))
    w("")
    w("## Targets (quality.md, Speed)\n")
    w("| target | result | figure |\n| --- | --- | --- |")
    for target in results["targets"]:
        verdict = "**met**" if target["met"] else "**missed**"
        w("| %s | %s | %s |" % (target["target"], verdict, target["figure"]))
    w("")
    w("## Analysis\n")
    w(BEGIN)
    w(analysis.rstrip("\n"))
    w(END)
    w("")
    if approvals:
        w("## Approvals and signed records\n")
        w(approvals)
        w("")
    if rules:
        w("## Custom rules (CEL)\n")
        w(rules)
        w("")
    w("## Timings\n")
    w("Medians of whole processes (wall clock); min and max in brackets; CPU time is the median user + system "
      "time of the process tree; RSS is the largest peak resident set of any process the command ran "
      "(`/usr/bin/time -f %M`, max over the runs); other load is the share of the machine's CPU time that "
      "other processes used during the scenario (a scenario is measured again, up to three times, when it is "
      "above 10%).\n")
    w("| scenario | stagegate | counterpart | ratio | CPU time (stagegate / counterpart) | stagegate RSS | "
      "counterpart RSS | exit (expected) | other load |")
    w("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for s in results["scenarios"]:
        other = [key for key in s if isinstance(s[key], dict) and key != "stagegate"][0]
        a, b = s["stagegate"], s[other]
        w("| %s | %.0f ms (%.0f-%.0f) | %s %.0f ms (%.0f-%.0f) | %.2fx | %.0f / %.0f ms | %.0f MiB | %.0f MiB "
          "| %s/%s (%s)%s | %s%% |" % (
              s["name"], a["median_ms"], a["min_ms"], a["max_ms"], other, b["median_ms"], b["min_ms"],
              b["max_ms"], s["ratio"], a["cpu_median_ms"], b["cpu_median_ms"], a["max_rss_mib"], b["max_rss_mib"],
              ",".join(map(str, a["statuses"])), ",".join(map(str, b["statuses"])), a["expected_status"],
              "" if a["as_expected"] and b["as_expected"] else " **unexpected**",
              "%.0f" % (100 * s.get("other_cpu_share", 0))))
    w("")
    w("Scenarios: *promotion* pushes a merge of staging into main (staging's content, main's own `env/`, "
      "evidence on staging's tip: accepted); *skipped-stage* pushes a merge of develop into main (rejected); "
      "*feature* pushes 10,000 new commits to `feature/bench`, each changing one application's "
      "values file (accepted); *validate* checks 10,000 values files in a directory against the schema "
      "(`./stagegate validate --repo DIR`, the launcher users run, with `STAGEGATE_JAR` naming the measured jar: "
      "C1 only, the serial GC and the class-data-sharing archive it keeps next to the jar; against `ajv validate "
      "--spec=draft7 --all-errors -s schemas/app-values.schema.json -d \"apps/*/*/values.yaml\"`); *status* is "
      "`java -jar stagegate.jar status --repo` against `bench/baseline-status.sh`. The baseline hook is "
      "`bench/baseline-pre-receive.sh`; `java -jar` runs without any start-up flags. Scenarios named "
      "*clusters-...* run on the second repository shape (bench/README.md, *Two shapes*), whose main requires "
      "evidence from both testing and staging (the baseline hook finds the tested test commit through the "
      "`Promoted-From:` trailer); *clusters-test-merge* pushes a merge of develop into test, which squash "
      "commits have moved (accepted).\n")
    for note in results.get("notes", []):
        w("- Note: %s" % note)
    if results.get("notes"):
        w("")
    if results.get("resident_processes"):
        w("Resident processes found serving the hook:\n")
        for process in results["resident_processes"]:
            w("- pid %d, peak RSS %.0f MiB: `%s`" % (process["pid"], process["vm_hwm_mib"], process["cmdline"]))
        w("")
    w("## Reference repositories\n")
    w("Generated by `bench/gen_repo.py` with `git fast-import`, then `git gc` (one pack, bitmap, "
      "commit-graph). 5,000 applications under `apps/team-NN/app-NNNN/values.yaml`, `env/**` per branch, "
      "develop -> test -> staging -> main promoted by merge commits, evidence notes on every test and staging "
      "merge. The *clusters-* repositories: 5,000 services under `clusters/<region>/svc-NNNN/values.yaml` in "
      "8 regions, test and staging moved by squash commits with a `Promoted-From:` trailer, main by merges of "
      "staging, evidence notes on every test and staging commit.\n")
    w("| repository | commits | objects | packs | pack size | .idx size | evidence notes | generated in |")
    w("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for label, repo in results["repositories"].items():
        layout = repo["layout"]
        idx = sum(size for name, size in layout["pack_files"] if name.endswith(".idx"))
        w("| %s | %d | %s | %s | %.0f MiB | %.0f MiB | %d | %s s%s |" % (
            label, layout["commits"], layout["count_objects"]["in-pack"], layout["count_objects"]["packs"],
            int(layout["count_objects"]["size-pack"]) / 1024, idx / 1048576, layout["notes"],
            repo["seconds"]["total"], " (cached)" if repo.get("cached") else ""))
    w("")
    w("Pack files and `git count-objects -v`:\n")
    w("```")
    for label, repo in results["repositories"].items():
        layout = repo["layout"]
        w("%s: %s" % (label, " ".join("%s=%s" % item for item in layout["count_objects"].items())))
        for name, size in layout["pack_files"]:
            w("  objects/pack/%s  %d bytes" % (name, size))
        w("  objects/info: %s" % (", ".join(layout["commit_graph"]) or "no commit-graph"))
    w("```\n")
    first = next(iter(results["repositories"].values()))
    w("The installed hook (`hook install`), as the benchmark ran it:\n")
    w("```")
    w(first["hook_install"]["script"].rstrip())
    w("```")
    w("hooks/: %s\n" % ", ".join("%s (%d bytes)" % (name, size) for name, size in first["hook_install"]["files"]))
    trials = [line.split("socket client ", 1)[1] for repo in results["repositories"].values()
              for line in repo["hook_install"]["output"].splitlines() if line.startswith("stagegate: socket client ")]
    if trials:
        w("The socket clients `hook install --server` found and timed, one line per client and repository: the "
          "median of 7 round trips through bash (`bash -c` and the client, started by the installing JVM) to a "
          "socket that answers as the server does; the fastest is written into the hook. This is the client's own "
          "cost, with no judgement in it:\n")
        w("```")
        for trial in trials:
            w(trial)
        w("```\n")
    diagnostics = results.get("diagnostics")
    if diagnostics:
        w("## Where the time goes\n")
        w("JVM floor with the hook's flags (`%s`), median: %s.\n" % (
            " ".join(diagnostics["hook_jvm_flags"]),
            ", ".join("%s %.0f ms" % item for item in diagnostics["jvm_floor_ms"].items())))
        w("Classes loaded by one hook run (`-Xlog:class+load`, median run of several), where from, and the "
          "uptime at which each library's first and last class loaded (a timeline of the run); "
          "`Create VM` from `-Xlog:startuptime`; collections from `-Xlog:gc`:\n")
        for name, profile in diagnostics["class_loading"].items():
            if "classes" not in profile:
                w("- %s: %s" % (name, profile))
                continue
            gc = profile.get("gc") or {}
            w("**%s**: %d classes in %.0f ms wall (with logging), Create VM %s ms; %s; GC: %s collection(s), "
              "%s ms paused, heap after GC at most %s MiB.\n" % (
                  name, profile["classes"], profile["wall_ms"], profile.get("create_vm_ms"),
                  ", ".join("%d from %s" % (count, source) for source, count in sorted(
                      profile["by_source"].items(), key=lambda item: -item[1])),
                  gc.get("collections"), gc.get("pause_ms"), gc.get("max_heap_after_gc_mib")))
            w("| library | classes | from CDS archive | first loaded at | last loaded at | first class |")
            w("| --- | --- | --- | --- | --- | --- |")
            for entry in profile["timeline"]:
                counts = profile["by_group"].get(entry["group"], {})
                w("| %s | %d | %d | %d ms | %d ms | `%s` |" % (
                    entry["group"], counts.get("classes", 0), counts.get("from_archive", 0), entry["first_ms"],
                    entry["last_ms"], entry["first_class"]))
            w("")
        variants = diagnostics.get("validate_variants")
        if variants:
            w("`validate` over the 10,000 files with other JVM flags (median of a few runs):\n")
            w("| variant | median | CPU | peak RSS | exit |\n| --- | --- | --- | --- | --- |")
            for row in variants:
                w("| %s | %.0f ms | %.0f ms | %.0f MiB | %s |" % (row["variant"], row["median_ms"], row["cpu_median_ms"],
                                                           row["max_rss_mib"], ",".join(map(str, row["statuses"]))))
            w("")
        caps = diagnostics.get("heap_variants")
        if caps and caps["rows"]:
            w("The hook on %s with other heap settings (added after the hook's own flags; alternating, median "
              "of a few runs):\n" % caps["push"])
            w("| extra flags | median | CPU | peak RSS | exit | last line |\n| --- | --- | --- | --- | --- | --- |")
            for row in caps["rows"]:
                w("| `%s` | %.0f ms | %.0f ms | %.0f MiB | %s | %s |" % (
                    row["flags"], row["median_ms"], row["cpu_median_ms"], row["max_rss_mib"],
                    ",".join(map(str, row["statuses"])), " ".join(row["output"])[:120].replace("|", "/")))
            w("")
        for name, profile in diagnostics.get("profiles", {}).items():
            if "samples" not in profile:
                w("- profile %s: %s\n" % (name, profile))
                continue
            w("**JFR profile, %s**: %d execution samples over %d runs (%d ms per run with JFR on). "
              "Innermost stagegate frame of each sample:\n" % (
                  name, profile["samples"], profile["runs"], profile["wall_ms_with_jfr"]))
            w("| stagegate frame | samples |\n| --- | --- |")
            for row in profile["stagegate_frames"]:
                w("| `%s` | %d (%.0f%%) |" % (row["frame"], row["samples"], row["percent"]))
            w("\nTop of stack:\n")
            w("| method | samples |\n| --- | --- |")
            for row in profile["top_frames"]:
                w("| `%s` | %d (%.0f%%) |" % (row["frame"], row["samples"], row["percent"]))
            w("")
    jmh = results.get("jmh")
    if jmh:
        w("## JMH microbenchmarks\n")
        if "error" in jmh:
            w("JMH did not run: %s\n" % jmh["error"].strip().splitlines()[0])
        else:
            w("`%s` (short runs; see bench/README.md for longer ones). `repository` and `openRepository` name the "
              "reference repositories by size.\n" % shorten(
                jmh["command"]))
            w("| benchmark | parameters | score | unit |\n| --- | --- | --- | --- |")
            for row in jmh["results"]:
                params = ", ".join("%s=%s" % (k, v) for k, v in row["params"].items())
                w("| %s | %s | %.2f ± %.2f | %s |" % (row["benchmark"], params, row["score"], row["error"],
                                                      row["unit"]))
            w("")
    with open(path, "w") as target:
        target.write("\n".join(out) + "\n")


def shorten(command):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    return command.replace(root + "/", "")
