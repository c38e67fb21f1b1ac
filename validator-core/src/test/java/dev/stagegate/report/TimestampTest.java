package dev.stagegate.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimestampTest {

    @Test
    void dropsTheFractionOfASecond() {
        assertThat(Timestamp.text(Instant.parse("2026-11-27T10:00:05.123456789Z"))).isEqualTo("2026-11-27T10:00:05Z");
    }

    @Test
    void keepsAWholeSecondAsItIs() {
        assertThat(Timestamp.text(Instant.parse("2026-11-27T10:00:00Z"))).isEqualTo("2026-11-27T10:00:00Z");
    }
}
