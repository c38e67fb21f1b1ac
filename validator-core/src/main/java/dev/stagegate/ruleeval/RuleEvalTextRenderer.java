package dev.stagegate.ruleeval;

import dev.stagegate.report.TextRenderer;
import dev.stagegate.report.Violation;

/**
 * One line per rule and document, in the form of stagegate's other text output
 * ({@code <result> [<rule>] <path:line:column>: <message>}), then a count:
 *
 * <pre>
 * fails [prod-replicas] apps/a/values.yaml:4:3: production runs at least two replicas
 * holds [no-latest] apps/a/values.yaml:1:1
 * not applied [prod-only]: it judges only environments production; give --environment to apply it
 * rules eval apps/a/values.yaml: 1 holds, 1 fails, 0 errors, 1 not applied
 * </pre>
 *
 * A policy that cannot be used is listed problem by problem, as {@code validate} lists them.
 */
public final class RuleEvalTextRenderer {

    public String render(RuleEvalRun run) {
        StringBuilder out = new StringBuilder();
        if (run.failure().isPresent()) {
            return "rules eval: stagegate failed: " + TextRenderer.ascii(run.failure().get()) + "\n";
        }
        if (!run.policyProblems().isEmpty()) {
            for (Violation problem : run.policyProblems()) {
                out.append(TextRenderer.line(problem)).append('\n');
            }
            return out.append("rules eval: the policy is invalid; nothing was evaluated\n").toString();
        }
        if (run.results().isEmpty()) {
            return "rules eval: the policy has no custom rules (rules:)\n";
        }
        for (RuleEvalResult result : run.results()) {
            out.append(line(run.path(), result)).append('\n');
        }
        String summary = "rules eval " + run.path() + run.environment().map(environment -> " in " + environment)
                .orElse("") + ": " + run.count(RuleEvalResult.Result.HOLDS) + " holds, "
                + run.count(RuleEvalResult.Result.FAILS) + " fails, "
                + plural(run.count(RuleEvalResult.Result.ERROR), "error") + ", "
                + run.count(RuleEvalResult.Result.NOT_APPLIED) + " not applied";
        return out.append(TextRenderer.ascii(summary)).append('\n').toString();
    }

    private static String line(String path, RuleEvalResult result) {
        StringBuilder line = new StringBuilder(result.result().label()).append(" [").append(result.ruleId()).append(']');
        if (result.position().isPresent()) {
            line.append(' ').append(path).append(':').append(result.position().get().line()).append(':')
                    .append(result.position().get().column());
        } else if (result.result() != RuleEvalResult.Result.NOT_APPLIED) {
            line.append(' ').append(path);
        }
        if (!result.message().isEmpty()) {
            line.append(": ").append(result.message());
        }
        return TextRenderer.ascii(line.toString());
    }

    private static String plural(long count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }
}
