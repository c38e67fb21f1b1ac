package dev.stagegate.rules;

import dev.stagegate.git.CommitFiles;
import dev.stagegate.git.FileContent;
import dev.stagegate.git.FileKind;
import dev.stagegate.git.FileTooLargeException;
import dev.stagegate.git.PathSet;
import dev.stagegate.git.RevisionFiles;
import dev.stagegate.memo.ProcessMemory;
import dev.stagegate.policy.CustomRule;
import dev.stagegate.policy.Environment;
import dev.stagegate.policy.Policy;
import dev.stagegate.policy.RuleIds;
import dev.stagegate.policy.RuleMode;
import dev.stagegate.report.SourcePosition;
import dev.stagegate.report.Violation;
import dev.stagegate.yaml.YamlLimits;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.ObjectReader;

/**
 * The policy's custom rules (rules-cel.md) as violations: on a branch update of an environment,
 * each document of each file the update adds or modifies, judged by the rules of that
 * environment (as {@code schema-violation} judges changed files), with {@code oldObject} read
 * from the target's tip before the update; in {@code validate}, every file of the revision.
 *
 * <p>A rule that fails or errs is a violation with the rule's own id at {@code path:line:column},
 * so that the engine applies {@code ruleModes}, {@code mode} and the audited bypass to it as to a
 * built-in rule; a rule whose expression no longer compiles is {@code policy-invalid}. Rules that
 * {@code ruleModes} turns off are not evaluated at all.
 *
 * <p>The engine calls this only for a policy with rules: evaluating loads CEL.
 */
public final class CustomRuleCheck {

    private final YamlLimits limits;

    public CustomRuleCheck(YamlLimits limits) {
        this.limits = limits;
    }

    /** The violations of the custom rules on one update; none for other refs, deletions and non-environment branches. */
    public List<Violation> check(UpdateContext update) throws IOException {
        if (!update.update().isBranch() || update.update().isDeletion()) {
            return List.of();
        }
        Optional<Environment> environment = update.environment();
        if (environment.isEmpty()) {
            return List.of();
        }
        Optional<String> name = Optional.of(environment.get().name());
        List<CustomRule> rules = evaluated(update.policy(), name);
        if (rules.isEmpty()) {
            return List.of();
        }
        ObjectReader reader = update.repository().reader();
        RevisionFiles files = new CommitFiles(reader, update.newCommit());
        // the target's tip before the update; a new branch has none, so every oldObject is null
        Optional<RevisionFiles> before = update.update().isCreation() ? Optional.empty()
                : Optional.of(new CommitFiles(reader, update.oldCommit()));
        OptionalLong deadline = update.deadline();
        CustomRuleEvaluator evaluator = deadline.isPresent()
                ? new CustomRuleEvaluator(limits, deadline.getAsLong()) : new CustomRuleEvaluator(limits);
        Collection<String> paths = update.changedFiles();
        if (update.update().isCreation()) {
            // a new environment branch: what it shares with the default branch was judged, if at
            // all, under another environment's rules, so every file these rules match is judged
            Set<String> every = new TreeSet<>(paths);
            every.addAll(files.paths(filesOf(rules)));
            paths = every;
        }
        return judge(evaluator, rules, files, before, paths, name, update.update().branchName());
    }

    /**
     * {@code validate}: every file of {@code files} the rules of {@code environment} match (with
     * no environment, the rules without {@code environments}); {@code oldObject} is null.
     */
    public List<Violation> checkAll(Policy policy, RevisionFiles files, Optional<String> environment, String branch)
            throws IOException {
        List<CustomRule> rules = evaluated(policy, environment);
        if (rules.isEmpty()) {
            return List.of();
        }
        return judge(new CustomRuleEvaluator(limits), rules, files, Optional.empty(), files.paths(filesOf(rules)),
                environment, branch);
    }

    /** The files any of {@code rules} judges. */
    private static PathSet filesOf(List<CustomRule> rules) {
        return PathSet.of(rules.stream().flatMap(rule -> rule.files().stream()).distinct().toList());
    }

    /** The rules of {@code environment} that {@code ruleModes} has not turned off, which are never evaluated. */
    private static List<CustomRule> evaluated(Policy policy, Optional<String> environment) {
        return policy.customRules().stream()
                .filter(rule -> policy.modeOf(rule.id()) != RuleMode.OFF)
                .filter(rule -> rule.judges(environment))
                .toList();
    }

    private List<Violation> judge(CustomRuleEvaluator evaluator, List<CustomRule> rules, RevisionFiles files,
            Optional<RevisionFiles> before, Collection<String> paths, Optional<String> environment, String branch) {
        evaluator.prepare(rules);
        Stream<String> sorted = new TreeSet<>(paths).stream();
        // files are independent: where the revisions allow it (a working tree), judge them on
        // every core, as the schema check does, keeping the sorted order of the findings
        if (files.supportsConcurrentReads() && before.map(RevisionFiles::supportsConcurrentReads).orElse(true)) {
            sorted = sorted.parallel();
        }
        return sorted.map(path -> judgePath(evaluator, rules, files, before, path, environment, branch))
                .flatMap(List::stream)
                .toList();
    }

    private List<Violation> judgePath(CustomRuleEvaluator evaluator, List<CustomRule> rules, RevisionFiles files,
            Optional<RevisionFiles> before, String path, Optional<String> environment, String branch) {
        List<RuleOutcome> outcomes;
        try {
            if (evaluator.applicable(rules, path, environment).isEmpty()) {
                return linkWhereRulesLook(evaluator, rules, files, path);
            }
            outcomes = judgeFile(evaluator, rules, files, before, path, environment, branch);
        } catch (IOException e) {
            outcomes = evaluator.cannotJudge(rules, path, environment, "cannot be read from "
                    + files.describe() + " (" + e.getClass().getSimpleName() + "), so it cannot be judged");
        }
        List<Violation> violations = new ArrayList<>();
        for (RuleOutcome outcome : outcomes) {
            if (!outcome.holds()) {
                String rule = outcome.status() == RuleOutcome.Status.INVALID ? RuleIds.POLICY_INVALID
                        : outcome.ruleId();
                violations.add(Violation.error(rule, outcome.message()).at(path, outcome.position()));
            }
        }
        return violations;
    }

    /**
     * A symbolic link or submodule at a path under which a rule's {@code files} could match:
     * Argo CD, Helm and kustomize follow a link to a directory inside the repository, so the
     * files behind it would reach the environment unjudged. Each such rule reports it.
     */
    private static List<Violation> linkWhereRulesLook(CustomRuleEvaluator evaluator, List<CustomRule> rules,
            RevisionFiles files, String path) throws IOException {
        List<CustomRule> looking = rules.stream()
                .filter(rule -> evaluator.fileSet(rule).couldContainInside(path)).toList();
        if (looking.isEmpty()) {
            return List.of();
        }
        Optional<FileKind> kind = files.kind(path);
        if (kind.isEmpty() || kind.get() != FileKind.SYMLINK && kind.get() != FileKind.SUBMODULE) {
            return List.of();
        }
        String what = kind.get() == FileKind.SYMLINK ? "a symbolic link" : "a submodule";
        List<Violation> violations = new ArrayList<>();
        for (CustomRule rule : looking) {
            violations.add(Violation.error(rule.id(), "is " + what + " where custom rule " + rule.id()
                    + " judges files (" + String.join(", ", rule.files()) + "): what it stands for cannot be"
                    + " judged through it; commit the files themselves").at(path, SourcePosition.START));
        }
        return violations;
    }

    /**
     * The outcomes on one file. In the resident server a file whose content (and old version,
     * when a rule reads {@code oldObject}) passed these rules before is known by its blob ids
     * and not read again.
     */
    private List<RuleOutcome> judgeFile(CustomRuleEvaluator evaluator, List<CustomRule> rules, RevisionFiles files,
            Optional<RevisionFiles> before, String path, Optional<String> environment, String branch)
            throws IOException {
        boolean readsOld = before.isPresent()
                && CustomRuleEvaluator.readsOldObject(evaluator.applicable(rules, path, environment));
        Optional<String> contentId = ProcessMemory.enabled() ? files.contentId(path) : Optional.empty();
        Optional<String> oldId = !readsOld ? Optional.of("")
                : before.get().kind(path).isEmpty() ? Optional.of("") : before.get().contentId(path);
        if (contentId.isEmpty() || oldId.isEmpty()) {
            return readAndJudge(evaluator, rules, files, before, readsOld, path, environment, branch);
        }
        String memoKey = evaluator.memoKey(rules, path, contentId.get(), oldId.get(), environment, branch)
                .orElseThrow();
        Optional<List<RuleOutcome>> known = evaluator.remembered(memoKey);
        if (known.isPresent()) {
            return known.get();
        }
        List<RuleOutcome> outcomes = readAndJudge(evaluator, rules, files, before, readsOld, path, environment,
                branch);
        evaluator.rememberIfPassed(memoKey, outcomes);
        return outcomes;
    }

    /**
     * Whatever keeps the file from being read is an error of each rule that would judge it (an
     * {@link IOException} other than the size, by {@link #judgePath}).
     */
    private List<RuleOutcome> readAndJudge(CustomRuleEvaluator evaluator, List<CustomRule> rules,
            RevisionFiles files, Optional<RevisionFiles> before, boolean readsOld, String path,
            Optional<String> environment, String branch) throws IOException {
        Optional<FileContent> file;
        try {
            file = files.readFile(path, limits.maxBytes());
        } catch (FileTooLargeException e) {
            return evaluator.cannotJudge(rules, path, environment, "is " + e.size()
                    + " bytes, more than the limit of " + e.limit() + " bytes for a checked file; split it up");
        }
        if (file.isEmpty()) {
            return List.of();
        }
        if (!file.get().isFile()) {
            return evaluator.cannotJudge(rules, path, environment, "is a "
                    + file.get().otherKind().name().toLowerCase(Locale.ROOT) + ", not a regular file, so custom"
                    + " rules cannot judge it; commit the content itself");
        }
        return judgeContent(evaluator, rules, file.get(), before, readsOld, path, environment, branch);
    }

    private List<RuleOutcome> judgeContent(CustomRuleEvaluator evaluator, List<CustomRule> rules, FileContent file,
            Optional<RevisionFiles> before, boolean readsOld, String path, Optional<String> environment,
            String branch) throws IOException {
        if (!readsOld) {
            return evaluator.evaluate(rules, path, file.bytes(), Optional.empty(), environment, branch);
        }
        Optional<FileContent> old;
        try {
            old = before.get().readFile(path, limits.maxBytes());
        } catch (FileTooLargeException e) {
            return evaluator.evaluate(rules, path, file.bytes(), Optional.empty(),
                    Optional.of("is " + e.size() + " bytes, more than the limit of " + e.limit()), environment, branch);
        }
        if (old.isPresent() && !old.get().isFile()) {
            return evaluator.evaluate(rules, path, file.bytes(), Optional.empty(), Optional.of("is a "
                    + old.get().otherKind().name().toLowerCase(Locale.ROOT) + ", not a regular file"), environment,
                    branch);
        }
        return evaluator.evaluate(rules, path, file.bytes(), old.map(FileContent::bytes), Optional.empty(),
                environment, branch);
    }
}
