package dev.stagegate.ruleeval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.report.SourcePosition;
import dev.stagegate.report.Violation;
import dev.stagegate.ruleeval.RuleEvalResult.Result;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RuleEvalTextRendererTest {

    private static final String PATH = "apps/web/values.yaml";

    private final RuleEvalTextRenderer renderer = new RuleEvalTextRenderer();

    @Test
    void oneLinePerRuleAndDocumentThenTheCounts() {
        RuleEvalRun run = new RuleEvalRun(PATH, Optional.of("production"), List.of(
                new RuleEvalResult("floor", Result.FAILS, "at least two replicas", 1, at(4, 3)),
                new RuleEvalResult("no-latest", Result.HOLDS, "", 1, at(1, 1)),
                new RuleEvalResult("registry", Result.ERROR, "cannot be evaluated: no such key: image", 1, at(1, 1)),
                new RuleEvalResult("unreadable", Result.ERROR, "cannot be read as YAML", 0, Optional.empty()),
                new RuleEvalResult("env-only", Result.NOT_APPLIED, "its files (env/**) do not match " + PATH, 0,
                        Optional.empty())),
                List.of(), Optional.empty(), Optional.empty());

        assertThat(renderer.render(run)).isEqualTo("""
                fails [floor] apps/web/values.yaml:4:3: at least two replicas
                holds [no-latest] apps/web/values.yaml:1:1
                error [registry] apps/web/values.yaml:1:1: cannot be evaluated: no such key: image
                error [unreadable] apps/web/values.yaml: cannot be read as YAML
                not applied [env-only]: its files (env/**) do not match apps/web/values.yaml
                rules eval apps/web/values.yaml in production: 1 holds, 1 fails, 2 errors, 1 not applied
                """);
    }

    @Test
    void messagesStayOnOneAsciiLine() {
        RuleEvalRun run = new RuleEvalRun(PATH, Optional.empty(), List.of(
                new RuleEvalResult("floor", Result.FAILS, "r\u00e9plicas\nforged line", 1, at(1, 1))),
                List.of(), Optional.empty(), Optional.empty());

        assertThat(renderer.render(run).lines()).hasSize(2).first().asString()
                .startsWith("fails [floor] apps/web/values.yaml:1:1: r").doesNotContain("\u00e9");
    }

    @Test
    void anInvalidPolicyIsListedProblemByProblem() {
        RuleEvalRun run = new RuleEvalRun(PATH, Optional.empty(), List.of(), List.of(
                Violation.error("policy-invalid", "rule 'floor', expression: syntax error").at(".stagegate/policy.yaml",
                        13, 36)), Optional.empty(), Optional.empty());

        assertThat(renderer.render(run)).isEqualTo("""
                error [policy-invalid] .stagegate/policy.yaml:13:36: rule 'floor', expression: syntax error
                rules eval: the policy is invalid; nothing was evaluated
                """);
    }

    @Test
    void aPolicyWithoutRulesSaysSo() {
        assertThat(renderer.render(new RuleEvalRun(PATH, Optional.empty(), List.of(), List.of(), Optional.empty(),
                Optional.empty()))).isEqualTo("rules eval: the policy has no custom rules (rules:)\n");
    }

    private static Optional<SourcePosition> at(int line, int column) {
        return Optional.of(new SourcePosition(line, column));
    }
}
