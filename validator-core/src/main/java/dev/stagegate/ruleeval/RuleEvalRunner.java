package dev.stagegate.ruleeval;

import dev.stagegate.policy.CustomRule;
import dev.stagegate.policy.Environment;
import dev.stagegate.policy.Policy;
import dev.stagegate.policy.PolicyLoadResult;
import dev.stagegate.policy.PolicyLoader;
import dev.stagegate.report.SourcePosition;
import dev.stagegate.report.Violation;
import dev.stagegate.rules.CustomRuleEvaluator;
import dev.stagegate.rules.RuleOutcome;
import dev.stagegate.yaml.LocatedYamlReader;
import dev.stagegate.yaml.YamlDocument;
import dev.stagegate.yaml.YamlLimits;
import dev.stagegate.yaml.YamlReadException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs {@code rules eval}: loads the policy, checks the environment, evaluates every custom rule
 * on the file with {@link CustomRuleEvaluator}, and says for each rule that did not apply why
 * not: its environments, its files, or (per document) its kinds.
 */
public final class RuleEvalRunner {

    private final PolicyLoader loader;
    private final YamlLimits limits;

    public RuleEvalRunner(PolicyLoader loader, YamlLimits limits) {
        this.loader = loader;
        this.limits = limits;
    }

    public RuleEvalRun run(RuleEvalRequest request) throws IOException {
        PolicyLoadResult loaded = load(request);
        if (!loaded.valid()) {
            return RuleEvalRun.invalidPolicy(request, loaded.errors());
        }
        Policy policy = loaded.policy().orElseThrow();
        Optional<Environment> environment = Optional.empty();
        if (request.environment().isPresent()) {
            environment = policy.environment(request.environment().get());
            if (environment.isEmpty()) {
                return RuleEvalRun.usageError(request, policy.unknownEnvironment(request.environment().get()));
            }
        }
        if (policy.customRules().isEmpty()) {
            return RuleEvalRun.of(request, List.of());
        }
        String branch = environment.map(Environment::branch).orElse("");
        CustomRuleEvaluator evaluator = new CustomRuleEvaluator(limits);
        List<RuleOutcome> outcomes;
        List<SourcePosition> starts;
        // an old version left out would be oldObject null, which transition rules take as a new file: a pass
        Optional<String> tooLarge = tooLarge(request.file()).or(() -> request.oldFile().flatMap(
                old -> tooLarge(old).map(why -> "its old version (--old): " + why)));
        if (tooLarge.isPresent()) {
            outcomes = evaluator.cannotJudge(policy.customRules(), request.path(), request.environment(),
                    tooLarge.get());
            starts = List.of();
        } else {
            byte[] content = Files.readAllBytes(request.file());
            Optional<byte[]> old = request.oldFile().isPresent()
                    ? Optional.of(Files.readAllBytes(request.oldFile().get())) : Optional.empty();
            Optional<List<YamlDocument>> documents = documents(content, request.path());
            List<CustomRule> applicable = evaluator.applicable(policy.customRules(), request.path(),
                    request.environment());
            CustomRuleEvaluator.PreviousVersion previous = evaluator.previousVersion(applicable, request.path(), old,
                    Optional.empty());
            // a file that is no YAML: the evaluator reads it again to say why, for each rule
            outcomes = documents.isPresent()
                    ? evaluator.evaluateApplicable(applicable, request.path(), documents.get(), previous,
                            request.environment(), branch)
                    : evaluator.evaluateApplicable(applicable, request.path(), content, previous,
                            request.environment(), branch);
            starts = documents.map(read -> read.stream().map(document -> document.positionOf("")).toList())
                    .orElse(List.of());
        }
        List<RuleEvalResult> results = new ArrayList<>();
        for (CustomRule rule : policy.customRules()) {
            results.addAll(resultsOf(rule, request, outcomes, starts));
        }
        return RuleEvalRun.of(request, results);
    }

    private PolicyLoadResult load(RuleEvalRequest request) throws IOException {
        Path file = request.policyFile().orElse(request.repository().resolve(PolicyLoader.DEFAULT_PATH));
        String name = request.policyFile().map(Path::toString).orElse(PolicyLoader.DEFAULT_PATH);
        if (!Files.isRegularFile(file)) {
            return new PolicyLoadResult(Optional.empty(), List.of(Violation.error("policy-invalid",
                    "no policy at " + file + "; create one (see docs/policy.md) or pass --policy FILE")));
        }
        long size = Files.size(file);
        if (size > loader.maxBytes()) {
            return loader.tooLarge(size, name);
        }
        return loader.load(Files.readAllBytes(file), name);
    }

    /** Why a file is not read at all: larger than the limit every checked file has. */
    private Optional<String> tooLarge(Path file) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return size > limits.maxBytes()
                ? Optional.of("the file is " + size + " bytes, more than the limit of " + limits.maxBytes()
                        + " bytes, so it cannot be judged")
                : Optional.empty();
    }

    /** The file's documents, read once for the rules and for where each starts; empty when it is no YAML. */
    private Optional<List<YamlDocument>> documents(byte[] content, String path) {
        try {
            return Optional.of(new LocatedYamlReader(limits).read(content, path));
        } catch (YamlReadException e) {
            return Optional.empty();
        }
    }

    /**
     * The rule's results: one saying why it does not apply to the file at all, else one per
     * outcome, and for each document its {@code kinds} passed over, one saying so. A file that
     * cannot be read has outcomes about the whole file (document 0).
     */
    private static List<RuleEvalResult> resultsOf(CustomRule rule, RuleEvalRequest request,
            List<RuleOutcome> outcomes, List<SourcePosition> starts) {
        Optional<String> excluded = excludedBy(rule, request);
        if (excluded.isPresent()) {
            return List.of(notApplied(rule, excluded.get(), 0, Optional.empty()));
        }
        List<RuleOutcome> own = outcomes.stream().filter(outcome -> outcome.ruleId().equals(rule.id())).toList();
        if (starts.isEmpty()) {
            return own.isEmpty() ? List.of(notApplied(rule, "the file has no YAML document", 0, Optional.empty()))
                    : own.stream().map(outcome -> resultOf(outcome, 0)).toList();
        }
        List<RuleEvalResult> results = new ArrayList<>();
        for (int index = 0; index < starts.size(); index++) {
            int document = index;
            List<RuleOutcome> onDocument = own.stream().filter(outcome -> outcome.document() == document).toList();
            if (onDocument.isEmpty()) {
                results.add(notApplied(rule, "the document is not of its kinds (" + String.join(", ", rule.kinds())
                        + ")", index + 1, Optional.of(starts.get(index))));
            }
            for (RuleOutcome outcome : onDocument) {
                results.add(resultOf(outcome, index + 1));
            }
        }
        return results;
    }

    private static RuleEvalResult notApplied(CustomRule rule, String why, int document,
            Optional<SourcePosition> position) {
        return new RuleEvalResult(rule.id(), RuleEvalResult.Result.NOT_APPLIED, why, document, position);
    }

    /** Why the rule does not judge this file in this environment at all, if it does not. */
    private static Optional<String> excludedBy(CustomRule rule, RuleEvalRequest request) {
        if (!rule.environments().isEmpty()) {
            String named = String.join(", ", rule.environments());
            if (request.environment().isEmpty()) {
                return Optional.of("it judges only environments " + named + "; give --environment to apply it");
            }
            if (!rule.judges(request.environment().get())) {
                return Optional.of("it judges only environments " + named + ", not " + request.environment().get());
            }
        }
        if (!rule.fileSet().contains(request.path())) {
            return Optional.of("its files (" + String.join(", ", rule.files()) + ") do not match " + request.path());
        }
        return Optional.empty();
    }

    private static RuleEvalResult resultOf(RuleOutcome outcome, int document) {
        RuleEvalResult.Result result = switch (outcome.status()) {
            case HOLDS -> RuleEvalResult.Result.HOLDS;
            case FAILS -> RuleEvalResult.Result.FAILS;
            case ERROR, INVALID -> RuleEvalResult.Result.ERROR;
        };
        return new RuleEvalResult(outcome.ruleId(), result, outcome.message(), document,
                Optional.of(outcome.position()));
    }
}
