package dev.stagegate.engine;

import dev.stagegate.ExitStatus;
import dev.stagegate.Outcome;
import dev.stagegate.ValidateRequest;
import dev.stagegate.git.CommitFiles;
import dev.stagegate.git.FileTooLargeException;
import dev.stagegate.git.PathSet;
import dev.stagegate.git.RevisionFiles;
import dev.stagegate.git.WorkingTreeFiles;
import dev.stagegate.kubernetes.ManifestCheck;
import dev.stagegate.kubernetes.ServerSchemaLocations;
import dev.stagegate.policy.Environment;
import dev.stagegate.policy.CustomRuleDescriptions;
import dev.stagegate.policy.Policy;
import dev.stagegate.policy.PolicyLoadResult;
import dev.stagegate.policy.PolicyLoader;
import dev.stagegate.policy.RuleIds;
import dev.stagegate.report.Verdict;
import dev.stagegate.report.Violation;
import dev.stagegate.rules.CustomRuleCheck;
import dev.stagegate.schema.FileSchemaCheck;
import dev.stagegate.schema.SchemaMappingCheck;
import dev.stagegate.yaml.ParsedFiles;
import dev.stagegate.yaml.YamlLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * {@code stagegate validate}: loads the policy, then checks every file it maps to a schema,
 * in the working tree or at a revision (read from the object database, so a bare repository
 * or {@code --rev origin/main} needs no checkout), and says how many files each mapping
 * matched ({@link SchemaMappingCheck}); with a {@code kubernetes} section, every manifest too,
 * with counts per kind ({@link ManifestCheck}); and the policy's custom rules on every file they
 * match ({@link CustomRuleCheck}), for the environment asked for or named by the revision.
 */
public final class RepositoryValidation {

    /**
     * Files checked per slice when the policy has custom rules ({@link #checkWithRules}): enough
     * to keep every core busy, few enough that their documents stay small.
     */
    private static final int SLICE_FILES = 512;
    private static final long SLICE_SOURCE_BYTES = 8L << 20;

    private final PolicyLoader loader;
    private final YamlLimits limits;

    public RepositoryValidation(PolicyLoader loader, YamlLimits limits) {
        this.loader = loader;
        this.limits = limits;
    }

    public Outcome run(ValidateRequest request) throws IOException {
        try {
            ServerSchemaLocations.parse(request.schemaLocations());
        } catch (IllegalArgumentException e) {
            return new Outcome(Verdict.of(List.of(Violation.error(RuleIds.POLICY_INVALID, e.getMessage()))),
                    ExitStatus.USAGE_OR_POLICY);
        }
        if (request.revision().isEmpty() && !RepositoryOpener.isBare(request.repository())) {
            return validate(new WorkingTreeFiles(request.repository()), request);
        }
        try (Repository repository = RepositoryOpener.open(request.repository());
                ObjectReader reader = repository.newObjectReader();
                RevWalk walk = new RevWalk(reader)) {
            String revision = request.revision().orElse("HEAD");
            ObjectId id = repository.resolve(revision);
            if (id == null) {
                return Outcome.usageError("revision '" + revision + "' does not exist in " + request.repository());
            }
            return validate(new CommitFiles(reader, walk.parseCommit(id)), request);
        }
    }

    private Outcome validate(RevisionFiles files, ValidateRequest request) throws IOException {
        PolicyLoadResult loaded;
        if (request.policyFile().isPresent()) {
            Path file = request.policyFile().get();
            if (!Files.isRegularFile(file)) {
                return policyMissing("the policy file " + file + " does not exist");
            }
            loaded = loader.load(Files.readAllBytes(file), file.toString());
        } else {
            byte[] content;
            try {
                content = files.read(PolicyLoader.DEFAULT_PATH, loader.maxBytes());
                loaded = loader.load(content, PolicyLoader.DEFAULT_PATH);
            } catch (NoSuchFileException e) {
                return policyMissing("no policy at " + PolicyLoader.DEFAULT_PATH + " in " + files.describe()
                        + " of " + request.repository() + "; create one (see docs/policy.md) or pass --policy FILE");
            } catch (FileTooLargeException e) {
                loaded = loader.tooLarge(e.size(), PolicyLoader.DEFAULT_PATH);
            }
        }
        return validate(files, request, loaded);
    }

    /** Judges {@code files} under the policy as loaded: its problems, else what it checks. */
    Outcome validate(RevisionFiles files, ValidateRequest request, PolicyLoadResult loaded) throws IOException {
        List<Violation> violations = new ArrayList<>(loaded.problems());
        if (!loaded.valid()) {
            return new Outcome(Verdict.of(violations), ExitStatus.USAGE_OR_POLICY);
        }
        Policy policy = loaded.policy().orElseThrow();
        Optional<Environment> environment = Optional.empty();
        if (request.environment().isPresent()) {
            environment = policy.environment(request.environment().get());
            if (environment.isEmpty()) {
                return Outcome.usageError(policy.unknownEnvironment(request.environment().get()));
            }
        } else if (request.revision().isPresent()) {
            environment = policy.environmentOfBranch(branchNamed(request.revision().get()));
        }
        FileSchemaCheck check = new FileSchemaCheck(policy.schemas(), limits);
        // only a policy with rules reaches the custom rules
        Findings findings;
        List<String> mapped;
        if (policy.customRules().isEmpty()) {
            mapped = check.mappedPaths(files);
            findings = new Findings(check.check(files, mapped), List.of());
        } else {
            // one walk of the files for both checks: a checkout's walk is most of a small validate
            PathSet mappedSet = check.mappedSet();
            PathSet judgedSet = CustomRuleCheck.filesJudged(policy, environment.map(Environment::name));
            PathSet eitherSet = mappedSet.union(judgedSet);
            List<String> either = files.paths(eitherSet);
            mapped = only(either, mappedSet, eitherSet);
            findings = checkWithRules(policy, files, environment, check, either, mapped,
                    only(either, judgedSet, eitherSet));
        }
        violations.addAll(findings.schema());
        SchemaMappingCheck.Result mappings = new SchemaMappingCheck(policy.schemas(), policy.path(), limits)
                .check(files, mapped);
        violations.addAll(mappings.findings());
        violations.addAll(findings.customRules());
        Verdict verdict = Verdict.of(violations).withMappings(mappings.counts());
        if (policy.kubernetes().isPresent()) {
            ManifestCheck.Result manifests = new ManifestCheck(policy.kubernetes().get(),
                    ServerSchemaLocations.parse(request.schemaLocations()).templates(), limits).checkAll(files);
            verdict = Verdict.of(concat(violations, manifests.violations())).withMappings(mappings.counts())
                    .withManifests(manifests.summary());
        }
        return Outcome.of(verdict.withCustomRules(CustomRuleDescriptions.of(policy)));
    }

    /**
     * The paths of {@code set} among those of {@code union}, which holds it; without matching
     * them again when {@code set} has every glob of the union (often both checks name the same
     * files), since matching globs is much of a large {@code validate}.
     */
    private static List<String> only(List<String> paths, PathSet set, PathSet union) {
        if (set.hasEveryGlobOf(union)) {
            return paths;
        }
        return paths.stream().filter(set::contains).toList();
    }

    /** What the schema check and the custom rules found, each in path order. */
    private record Findings(List<Violation> schema, List<Violation> customRules) {
    }

    /**
     * The schema check of {@code mapped}, and the custom rules of {@code environment} (with none,
     * those without {@code environments}) on every file they match, in their modes (validate
     * reports what the hook would). A slice of the files at a time: the schema check keeps the
     * documents it parsed for the rules, so each file is parsed once, and no more than a slice's
     * documents are held.
     *
     * @param sorted every path that either check looks at, in order
     */
    private Findings checkWithRules(Policy policy, RevisionFiles files, Optional<Environment> environment,
            FileSchemaCheck check, List<String> sorted, List<String> mapped, List<String> judgedPaths) {
        CustomRuleCheck rules = new CustomRuleCheck(limits);
        Optional<String> name = environment.map(Environment::name);
        String branch = environment.map(Environment::branch).orElse("");
        Set<String> judged = new HashSet<>(judgedPaths);
        Set<String> mappedSet = new HashSet<>(mapped);
        List<Violation> schema = new ArrayList<>();
        List<Violation> customRules = new ArrayList<>();
        for (int start = 0; start < sorted.size(); start += SLICE_FILES) {
            List<String> slice = sorted.subList(start, Math.min(sorted.size(), start + SLICE_FILES));
            ParsedFiles parsed = ParsedFiles.keeping(judged::contains, SLICE_SOURCE_BYTES);
            schema.addAll(check.check(files, slice.stream().filter(mappedSet::contains).toList(), parsed));
            for (Violation violation : rules.checkPaths(policy, files, slice.stream().filter(judged::contains).toList(),
                    parsed, name, branch)) {
                customRules.add(RuleRunner.inMode(violation, policy.modeOf(violation.rule())));
            }
        }
        return new Findings(schema, customRules);
    }

    /** The branch a revision such as {@code main}, {@code origin/main} or {@code refs/heads/main} names. */
    private static String branchNamed(String revision) {
        String shortened = Repository.shortenRefName(revision);
        return shortened.startsWith("origin/") ? shortened.substring("origin/".length()) : shortened;
    }

    private static List<Violation> concat(List<Violation> first, List<Violation> second) {
        List<Violation> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private static Outcome policyMissing(String message) {
        return new Outcome(Verdict.of(List.of(Violation.error(RuleIds.POLICY_INVALID, message))),
                ExitStatus.USAGE_OR_POLICY);
    }
}
