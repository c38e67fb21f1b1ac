package dev.stagegate.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ReportFormatTest {

    @Test
    void findsFormatsByNameInAnyCase() {
        assertThat(ReportFormat.fromName("sarif")).isEqualTo(ReportFormat.SARIF);
        assertThat(ReportFormat.fromName("JUnit")).isEqualTo(ReportFormat.JUNIT);
        assertThat(ReportFormat.fromName("GITHUB")).isEqualTo(ReportFormat.GITHUB);
        assertThat(ReportFormat.fromName(" text ")).isEqualTo(ReportFormat.TEXT);
    }

    @Test
    void anUnknownNameListsTheValidOnes() {
        assertThatThrownBy(() -> ReportFormat.fromName("xml"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown report format 'xml'; expected one of text, json, sarif, junit, github");
        assertThatThrownBy(() -> ReportFormat.fromName(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void eachFormatHasItsRendererAndExtension() {
        assertThat(ReportFormat.TEXT.renderer("1.0")).isInstanceOf(TextRenderer.class);
        assertThat(ReportFormat.JSON.renderer("1.0")).isInstanceOf(JsonRenderer.class);
        assertThat(ReportFormat.SARIF.renderer("1.0")).isInstanceOf(SarifRenderer.class);
        assertThat(ReportFormat.JUNIT.renderer("1.0")).isInstanceOf(JUnitRenderer.class);
        assertThat(ReportFormat.GITHUB.renderer("1.0")).isInstanceOf(GithubRenderer.class);
        assertThat(ReportFormat.SARIF.fileExtension()).isEqualTo("sarif");
        assertThat(ReportFormat.JUNIT.fileExtension()).isEqualTo("xml");
        assertThat(ReportFormat.JSON.fileExtension()).isEqualTo("json");
    }

    @Test
    void theVersionReachesTheSarifDriver() {
        assertThat(ReportFormat.SARIF.renderer("9.8.7").render(Verdict.accepted())).contains("\"version\" : \"9.8.7\"");
    }

    @ParameterizedTest
    @EnumSource(ReportFormat.class)
    void namesReadBackAndEveryRendererHandlesAnEmptyVerdict(ReportFormat format) {
        assertThat(ReportFormat.fromName(format.toString())).isEqualTo(format);
        assertThat(format.formatName()).isEqualTo(format.name().toLowerCase(java.util.Locale.ROOT));
        assertThat(format.renderer(null).render(Verdict.accepted())).isNotBlank().endsWith("\n");
    }

    @ParameterizedTest
    @EnumSource(ReportFormat.class)
    void everyFormatCarriesACustomRulesIdAndMessage(ReportFormat format) {
        Verdict verdict = Verdict.of(List.of(Violation.error("prod-replicas", "production runs at least two replicas")
                .at("apps/a/values.yaml", 4, 3)));

        assertThat(format.renderer("1.0").render(verdict))
                .contains("prod-replicas", "production runs at least two replicas");
    }

    @Test
    void textAndJsonNameACustomRuleAsABuiltInOne() throws Exception {
        Verdict verdict = Verdict.of(List.of(Violation.warning("no-latest", "image.tag is latest")
                .at("apps/a/values.yaml", 6, 5).inContext("refs/heads/test", "testing", null)));

        assertThat(new TextRenderer().render(verdict)).isEqualTo(""
                + "warning [no-latest] apps/a/values.yaml:6:5 refs/heads/test (testing): image.tag is latest\n"
                + "stagegate: accepted (0 errors, 1 warning)\n");
        JsonNode violation = new ObjectMapper().readTree(new JsonRenderer().render(verdict)).path("violations").get(0);
        assertThat(violation.path("rule").asText()).isEqualTo("no-latest");
        assertThat(violation.path("severity").asText()).isEqualTo("warning");
        assertThat(violation.path("line").asInt()).isEqualTo(6);
        assertThat(violation.path("column").asInt()).isEqualTo(5);
    }
}
