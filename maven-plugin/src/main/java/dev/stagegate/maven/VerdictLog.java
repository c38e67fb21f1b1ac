package dev.stagegate.maven;

import dev.stagegate.report.TextRenderer;
import dev.stagegate.report.Verdict;
import dev.stagegate.report.Violation;
import java.util.List;
import org.apache.maven.plugin.logging.Log;

/**
 * A verdict in Maven's log: one line per violation at the level of its severity, with the
 * rule id in brackets and {@code path:line:column} where known, then the mapping counts, the notes
 * and the summary.
 */
final class VerdictLog {

    private static final TextRenderer TEXT = new TextRenderer();

    private VerdictLog() {
    }

    static void write(Log log, Verdict verdict) {
        List<String> lines = TEXT.lines(verdict);
        List<Violation> violations = verdict.violations();
        for (Violation violation : violations) {
            if (violation.isError()) {
                log.error(line(violation));
            } else {
                log.warn(line(violation));
            }
        }
        // after the violations, the text renderer gives validate's mapping counts, the notes and the summary
        for (String line : lines.subList(violations.size(), lines.size())) {
            log.info(line);
        }
    }

    /**
     * The text renderer's line without its leading severity, which Maven's {@code [ERROR]} or
     * {@code [WARNING]} already says: {@code [rule] path:line:column: message}.
     */
    static String line(Violation violation) {
        return TextRenderer.line(violation).substring(violation.severity().label().length() + 1);
    }
}
