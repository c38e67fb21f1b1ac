package dev.stagegate.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stagegate.schema.CompiledSchema;
import dev.stagegate.schema.SchemaSource;
import dev.stagegate.schema.SchemaValidator;
import dev.stagegate.yaml.LocatedYamlReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ApprovalRecordTest {

    private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
    private static final String VALID = "{\"apiVersion\":\"stagegate/v1\",\"kind\":\"Approval\",\"commit\":\"" + COMMIT
            + "\",\"environment\":\"production\",\"approver\":\"alice\",\"decision\":\"approved\","
            + "\"recordedAt\":\"2026-12-06T10:00:00Z\"}";

    @Test
    void readsTheRecordOfTheContract() throws Exception {
        ApprovalRecord record = ApprovalRecord.parse(VALID);

        assertThat(record.commit()).isEqualTo(COMMIT);
        assertThat(record.environment()).isEqualTo("production");
        assertThat(record.approver()).isEqualTo("alice");
        assertThat(record.principal()).isEqualTo("alice");
        assertThat(record.approved()).isTrue();
        assertThat(record.recordedAt()).isEqualTo(Instant.parse("2026-12-06T10:00:00Z"));
        assertThat(record.comment()).isEmpty();
        assertThat(record.signature()).isEmpty();
    }

    @Test
    void writesWhatItReads() throws Exception {
        ApprovalRecord record = new ApprovalRecord(COMMIT, "production", "bob", ApprovalRecord.Decision.REJECTED,
                Instant.parse("2026-12-06T10:00:00Z"), Optional.of("wait for the migration \"v2\""),
                Optional.of("-----BEGIN SSH SIGNATURE-----\nU1NIU0lH\n-----END SSH SIGNATURE-----"));

        assertThat(ApprovalRecord.parse(record.toJsonLine())).isEqualTo(record);
    }

    @Test
    void eitherKindIsReadByNoteRecord() throws Exception {
        assertThat(NoteRecord.parse(VALID)).isInstanceOf(ApprovalRecord.class);
        assertThat(NoteRecord.parse(VALID.replace("\"kind\":\"Approval\"", "\"kind\":\"TestEvidence\"")
                .replace("\"approver\":\"alice\",\"decision\":\"approved\"", "\"suite\":\"smoke\",\"result\":\"passed\""
                        + ",\"producer\":\"ci-bot\""))).isInstanceOf(EvidenceRecord.class);
        assertThatThrownBy(() -> NoteRecord.parse(VALID.replace("Approval", "Deployment")))
                .hasMessage("kind must be 'TestEvidence' or 'Approval'");
    }

    @Test
    void aCommentOfAThousandCharactersIsTheMost() throws Exception {
        String comment = "é".repeat(1000);

        assertThat(ApprovalRecord.parse(withField("comment", "\"" + comment + "\"")).comment()).contains(comment);
        assertThatThrownBy(() -> ApprovalRecord.parse(withField("comment", "\"" + comment + "x\"")))
                .hasMessage("comment is longer than 1000 characters");
    }

    @Test
    void aLineLongerThanTheLimitIsRefusedBeforeItIsParsed() {
        assertThatThrownBy(() -> NoteRecord.parse(withField("signature", "\"-----BEGIN SSH SIGNATURE-----"
                + "A".repeat(1024 * 1024) + "\"")))
                .hasMessageContaining("line is longer than");
    }

    /** Lines the parser and evidence.schema.json must agree on, so the hook never needs the schema engine. */
    @ParameterizedTest
    @ValueSource(strings = {
        "\"decision\":\"maybe\"",
        "\"decision\":\"rejected\"",
        "\"approver\":\"\"",
        "\"environment\":\"Production\"",
        "\"commit\":\"abc\"",
        "\"recordedAt\":\"today\"",
        "\"comment\":\"fine\"",
        "\"comment\":7",
        "\"suite\":\"smoke\"",
        "\"signature\":\"-----BEGIN SSH SIGNATURE-----\\nU1NIU0lH\\n-----END SSH SIGNATURE-----\"",
        "\"signature\":\"unarmored\"",
    })
    void agreesWithTheEvidenceSchema(String member) throws Exception {
        String name = member.substring(1, member.indexOf('"', 1));
        String line = VALID.contains("\"" + name + "\"")
                ? VALID.replaceFirst("\"" + name + "\":\"[^\"]*\"", java.util.regex.Matcher.quoteReplacement(member))
                : withField(name, member.substring(member.indexOf(':') + 1));
        CompiledSchema schema = new SchemaValidator(SchemaSource.bundled()).load("evidence.schema.json");
        boolean schemaValid = schema.validate(new LocatedYamlReader()
                .read(line.getBytes(StandardCharsets.UTF_8), "line.json").get(0)).isEmpty();
        boolean parserValid;
        try {
            NoteRecord.parse(line);
            parserValid = true;
        } catch (InvalidEvidenceException e) {
            parserValid = false;
        }
        assertThat(parserValid).as(line).isEqualTo(schemaValid);
    }

    private static String withField(String name, String json) {
        return VALID.substring(0, VALID.length() - 1) + ",\"" + name + "\":" + json + "}";
    }
}
