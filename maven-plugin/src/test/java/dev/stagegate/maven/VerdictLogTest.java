package dev.stagegate.maven;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.report.MappedFileCount;
import dev.stagegate.report.Verdict;
import dev.stagegate.report.Violation;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.Test;

class VerdictLogTest {

    /** Keeps what would be logged, with its level as Maven prints it. */
    private static final class RecordingLog extends SystemStreamLog {
        final List<String> lines = new ArrayList<>();

        @Override
        public void error(CharSequence content) {
            lines.add("[ERROR] " + content);
        }

        @Override
        public void warn(CharSequence content) {
            lines.add("[WARNING] " + content);
        }

        @Override
        public void info(CharSequence content) {
            lines.add("[INFO] " + content);
        }
    }

    @Test
    void oneLinePerViolationAtItsSeverityThenNotesAndSummary() {
        Verdict verdict = new Verdict(List.of(
                Violation.error("schema-violation", "replicas: expected integer, found string")
                        .at("apps/web/values.yaml", 3, 11),
                Violation.warning("policy-loosened", "writers were added").at(".stagegate/policy.yaml", 20, 3)),
                List.of("policy from the working tree"));
        RecordingLog log = new RecordingLog();

        VerdictLog.write(log, verdict);

        assertThat(log.lines).containsExactly(
                "[ERROR] [schema-violation] apps/web/values.yaml:3:11: replicas: expected integer, found string",
                "[WARNING] [policy-loosened] .stagegate/policy.yaml:20:3: writers were added",
                "[INFO] note: policy from the working tree",
                "[INFO] stagegate: rejected (1 error, 1 warning)");
    }

    @Test
    void validatesMappingCountsAreInfoLinesAfterTheViolations() {
        Verdict verdict = Verdict.of(List.of(Violation.warning("schema-violation", "matches no file")
                        .at(".stagegate/policy.yaml", 21, 5)))
                .withMappings(List.of(new MappedFileCount(0, "app/**/values.yaml", "schemas/app.json", 0)));
        RecordingLog log = new RecordingLog();

        VerdictLog.write(log, verdict);

        assertThat(log.lines).containsExactly(
                "[WARNING] [schema-violation] .stagegate/policy.yaml:21:5: matches no file",
                "[INFO] schemas[0] app/**/values.yaml -> schemas/app.json: 0 files",
                "[INFO] stagegate: accepted (0 errors, 1 warning)");
    }

    @Test
    void anAcceptedVerdictIsItsSummary() {
        RecordingLog log = new RecordingLog();

        VerdictLog.write(log, Verdict.accepted());

        assertThat(log.lines).containsExactly("[INFO] stagegate: accepted (0 errors, 0 warnings)");
    }

    @Test
    void linesStayAscii() {
        assertThat(VerdictLog.line(Violation.error("schema-violation", "bad value \u00e9\ttab")))
                .isEqualTo("[schema-violation] bad value \\u00e9 tab");
    }
}
