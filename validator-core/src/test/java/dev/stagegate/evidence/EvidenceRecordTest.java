package dev.stagegate.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stagegate.schema.CompiledSchema;
import dev.stagegate.schema.SchemaSource;
import dev.stagegate.schema.SchemaValidator;
import dev.stagegate.yaml.LocatedYamlReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EvidenceRecordTest {

    private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
    private static final String VALID = "{\"apiVersion\":\"stagegate/v1\",\"kind\":\"TestEvidence\",\"commit\":\""
            + COMMIT + "\",\"environment\":\"testing\",\"suite\":\"integration\",\"result\":\"passed\","
            + "\"recordedAt\":\"2026-11-27T10:00:00Z\",\"producer\":\"ci-bot\"}";

    @Test
    void readsTheExampleOfTheContract() throws Exception {
        EvidenceRecord record = EvidenceRecord.parse(VALID);
        assertThat(record.commit()).isEqualTo(COMMIT);
        assertThat(record.environment()).isEqualTo("testing");
        assertThat(record.suite()).isEqualTo("integration");
        assertThat(record.passed()).isTrue();
        assertThat(record.recordedAt()).isEqualTo(Instant.parse("2026-11-27T10:00:00Z"));
        assertThat(record.producer()).isEqualTo("ci-bot");
    }

    @Test
    void writesWhatItReads() throws Exception {
        EvidenceRecord record = new EvidenceRecord(COMMIT, "staging", "smoke", EvidenceResult.FAILED,
                Instant.parse("2026-11-27T10:00:00Z"), "ci-bot", Map.of("tests", 3L, "failures", 1L),
                Optional.of("https://ci.example/run/1"),
                List.of(new ReportDigest("TEST-a.xml", "a".repeat(64))), Optional.empty());
        assertThat(EvidenceRecord.parse(record.toJsonLine())).isEqualTo(record);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "not json",
        "[1,2]",
        "{\"apiVersion\":\"stagegate/v2\"}",
        "{} {}",
    })
    void garbageIsNotEvidence(String line) {
        assertThatThrownBy(() -> EvidenceRecord.parse(line)).isInstanceOf(InvalidEvidenceException.class);
    }

    @Test
    void aReportWithAMemberTwiceIsNoEvidence() {
        String line = VALID.substring(0, VALID.length() - 1) + ",\"reports\":[{\"path\":\"a.xml\",\"path\":\"b.xml\","
                + "\"sha256\":\"" + "0".repeat(64) + "\"}]}";

        assertThatThrownBy(() -> EvidenceRecord.parse(line)).hasMessage("duplicate field 'path' in reports");
    }

    /** Lines the parser and evidence.schema.json must agree on, so the hook never needs the schema engine. */
    @ParameterizedTest
    @ValueSource(strings = {
        "{\"commit\":\"ABC\"}",
        "{\"commit\":\"0123\"}",
        "{\"environment\":\"Testing\"}",
        "{\"environment\":\"\"}",
        "{\"suite\":\"\"}",
        "{\"result\":\"skipped\"}",
        "{\"recordedAt\":\"yesterday\"}",
        "{\"producer\":\"\"}",
        "{\"tests\":-1}",
        "{\"tests\":1.5}",
        "{\"tests\":\"3\"}",
        "{\"runUrl\":\"not a uri\"}",
        "{\"reports\":[{\"path\":\"a.xml\"}]}",
        "{\"reports\":[{\"path\":\"a.xml\",\"sha256\":\"xyz\"}]}",
        "{\"extra\":true}",
        "{\"tests\":4,\"failures\":0,\"errors\":0,\"skipped\":1}",
        "{\"runUrl\":\"https://ci.example/1\"}",
        "{\"reports\":[{\"path\":\"a.xml\",\"sha256\":\"" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" + "\"}]}",
        "{\"signature\":\"-----BEGIN SSH SIGNATURE-----\\nU1NIU0lH\\n-----END SSH SIGNATURE-----\"}",
        "{\"signature\":\"not armored\"}",
        "{\"signature\":42}",
        "{\"approver\":\"alice\"}",
    })
    void agreesWithTheEvidenceSchema(String override) throws Exception {
        String line = VALID.substring(0, VALID.length() - 1) + "," + override.substring(1);
        if (override.contains("\"commit\"") || override.contains("\"environment\"") || override.contains("\"suite\"")
                || override.contains("\"result\"") || override.contains("\"recordedAt\"") || override.contains("\"producer\"")) {
            line = replaceField(override);
        }
        CompiledSchema schema = new SchemaValidator(SchemaSource.bundled()).load("evidence.schema.json");
        boolean schemaValid = schema.validate(new LocatedYamlReader()
                .read(line.getBytes(StandardCharsets.UTF_8), "line.json").get(0)).isEmpty();
        boolean parserValid;
        try {
            EvidenceRecord.parse(line);
            parserValid = true;
        } catch (InvalidEvidenceException e) {
            parserValid = false;
        }
        assertThat(parserValid).as(line).isEqualTo(schemaValid);
    }

    private static String replaceField(String override) {
        String name = override.substring(2, override.indexOf('"', 2));
        String value = override.substring(override.indexOf(':') + 1, override.length() - 1);
        return VALID.replaceFirst("\"" + name + "\":\"[^\"]*\"", "\"" + name + "\":" + java.util.regex.Matcher.quoteReplacement(value));
    }
}
