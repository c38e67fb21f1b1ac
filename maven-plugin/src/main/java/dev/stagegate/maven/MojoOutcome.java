package dev.stagegate.maven;

import dev.stagegate.Outcome;
import dev.stagegate.report.Verdict;
import dev.stagegate.report.Violation;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;

/**
 * Turns the engine's exit status into Maven's two kinds of failure: a rejection (exit 1) is a
 * {@link MojoFailureException}, a configuration problem (exit 2) or a repository that cannot
 * be judged (exit 3) a {@link MojoExecutionException}.
 */
final class MojoOutcome {

    private MojoOutcome() {
    }

    static void enforce(String goal, Outcome outcome, boolean failOnWarning)
            throws MojoExecutionException, MojoFailureException {
        Verdict verdict = outcome.verdict();
        switch (outcome.status()) {
            case ACCEPTED -> {
                if (failOnWarning && verdict.warningCount() > 0) {
                    throw new MojoFailureException(goal + " failed on " + summary(warnings(verdict), "warning")
                            + " (failOnWarning): " + first(warnings(verdict)));
                }
            }
            case REJECTED -> throw new MojoFailureException(goal + " rejected: " + first(errors(verdict)));
            case USAGE_OR_POLICY -> throw new MojoExecutionException(goal + " cannot run: " + first(errors(verdict)));
            case CANNOT_JUDGE -> throw new MojoExecutionException(
                    goal + " cannot judge the repository: " + first(errors(verdict)), outcome.cause().orElse(null));
        }
    }

    private static List<Violation> errors(Verdict verdict) {
        return verdict.violations().stream().filter(Violation::isError).toList();
    }

    private static List<Violation> warnings(Verdict verdict) {
        return verdict.violations().stream().filter(violation -> !violation.isError()).toList();
    }

    /** The first violation's line, and how many more the log above shows. */
    private static String first(List<Violation> violations) {
        if (violations.isEmpty()) {
            return "see the log above";
        }
        String line = VerdictLog.line(violations.get(0));
        return violations.size() == 1 ? line : line + " (and " + (violations.size() - 1) + " more above)";
    }

    private static String summary(List<Violation> violations, String noun) {
        return violations.size() + " " + noun + (violations.size() == 1 ? "" : "s");
    }
}
