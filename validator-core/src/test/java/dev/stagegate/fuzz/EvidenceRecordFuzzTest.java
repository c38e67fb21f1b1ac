package dev.stagegate.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.stagegate.evidence.EvidenceRecord;
import dev.stagegate.evidence.InvalidEvidenceException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Timeout;

/**
 * {@link EvidenceRecord#parse} on arbitrary text (as a note line reaches it): a record or
 * {@link InvalidEvidenceException}, nothing else; and a record survives being written and
 * read again unchanged.
 */
@Timeout(10)
class EvidenceRecordFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void parses(byte[] bytes) throws InvalidEvidenceException {
        String line = new String(bytes, StandardCharsets.UTF_8);
        EvidenceRecord record;
        try {
            record = EvidenceRecord.parse(line);
        } catch (InvalidEvidenceException expected) {
            assertThat(expected.getMessage()).isNotBlank();
            return;
        }
        assertThat(EvidenceRecord.parse(record.toJsonLine())).isEqualTo(record);
    }
}
