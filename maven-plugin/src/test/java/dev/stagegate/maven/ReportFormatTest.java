package dev.stagegate.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stagegate.report.Verdict;
import dev.stagegate.report.Violation;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportFormatTest {

    private static final Verdict REJECTED = Verdict.of(List.of(
            Violation.error("schema-violation", "replicas must be an integer").at("apps/web/values.yaml", 3, 11)));

    @Test
    void namesAreTakenAsUsersTypeThem() {
        assertThat(ReportFormat.named("json")).isEqualTo(ReportFormat.JSON);
        assertThat(ReportFormat.named(" JSON ")).isEqualTo(ReportFormat.JSON);
        assertThat(ReportFormat.named("text")).isEqualTo(ReportFormat.TEXT);
    }

    @Test
    void anUnknownNameListsTheFormats() {
        assertThatThrownBy(() -> ReportFormat.named("xml"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("format must be one of text, json, not 'xml'");
    }

    @Test
    void jsonIsTheContractsObject() {
        assertThat(ReportFormat.JSON.renderer().render(REJECTED))
                .contains("\"decision\" : \"reject\"")
                .contains("\"file\" : \"apps/web/values.yaml\"")
                .contains("\"line\" : 3");
    }

    @Test
    void textIsTheCommandLinesOutput() {
        assertThat(ReportFormat.TEXT.renderer().render(REJECTED)).isEqualTo(
                "error [schema-violation] apps/web/values.yaml:3:11: replicas must be an integer\n"
                        + "stagegate: rejected (1 error, 0 warnings)\n");
    }
}
