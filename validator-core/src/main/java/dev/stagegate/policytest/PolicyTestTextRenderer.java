package dev.stagegate.policytest;

import dev.stagegate.report.TextRenderer;
import java.util.ArrayList;
import java.util.List;

/**
 * One line per case, {@code PASS} or {@code FAIL} first; under a failed case, each difference
 * and the verdict the push actually got, as the hook would print it. Problems come first as
 * {@code file:line:column: message}, the way compilers print them, so editors can jump there.
 */
public final class PolicyTestTextRenderer implements PolicyTestRenderer {

    private static final String INDENT = "      ";

    @Override
    public String render(PolicyTestRun run) {
        StringBuilder out = new StringBuilder();
        for (InputProblem problem : run.problems()) {
            out.append(problem.describe()).append('\n');
        }
        run.failure().ifPresent(failure -> out.append("error: ").append(failure).append('\n'));
        for (CaseResult result : run.cases()) {
            render(result, out);
        }
        out.append(summary(run)).append('\n');
        return out.toString();
    }

    private static void render(CaseResult result, StringBuilder out) {
        TestCase testCase = result.testCase();
        switch (result.status()) {
            case PASSED -> out.append("PASS    ").append(testCase.name()).append('\n');
            case FAILED -> {
                out.append("FAIL    ").append(testCase.name()).append("  (").append(testCase.location()).append(")\n");
                for (String difference : result.differences()) {
                    out.append(INDENT).append(difference).append('\n');
                }
                out.append(INDENT).append("actual verdict:\n");
                for (String line : new TextRenderer().lines(result.verdict().orElseThrow())) {
                    out.append(INDENT).append("  ").append(line).append('\n');
                }
            }
            case INVALID -> {
                out.append("INVALID ").append(testCase.name()).append("  (").append(testCase.location()).append(")\n");
                for (InputProblem problem : result.problems()) {
                    out.append(INDENT).append(problem.describe()).append('\n');
                }
            }
            case ERROR -> {
                out.append("ERROR   ").append(testCase.name()).append("  (").append(testCase.location()).append(")\n");
                out.append(INDENT).append(result.error().orElse("")).append('\n');
            }
        }
    }

    /** The closing line, such as {@code policy test: 6 passed, 1 failed (7 cases)}. */
    static String summary(PolicyTestRun run) {
        List<String> counts = new ArrayList<>();
        counts.add(run.count(CaseResult.Status.PASSED) + " passed");
        counts.add(run.count(CaseResult.Status.FAILED) + " failed");
        if (run.count(CaseResult.Status.INVALID) > 0) {
            counts.add(run.count(CaseResult.Status.INVALID) + " invalid");
        }
        if (run.count(CaseResult.Status.ERROR) > 0) {
            counts.add(run.count(CaseResult.Status.ERROR) + " error" + (run.count(CaseResult.Status.ERROR) == 1 ? "" : "s"));
        }
        String summary = "policy test: " + String.join(", ", counts) + " (" + run.cases().size() + " case"
                + (run.cases().size() == 1 ? "" : "s") + ")";
        if (!run.problems().isEmpty()) {
            summary += "; " + run.problems().size() + " problem" + (run.problems().size() == 1 ? "" : "s")
                    + " in the test files or the policy";
        }
        return summary;
    }
}
