package dev.stagegate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class AbsoluteFreezeTest {

    private static final AbsoluteFreeze YEAR_END = new AbsoluteFreeze("year-end",
            Instant.parse("2026-12-20T00:00:00Z"), Instant.parse("2027-01-04T00:00:00Z"));

    @Test
    void coversFromItsStartUntilJustBeforeItsEnd() {
        assertThat(YEAR_END.covers(Instant.parse("2026-12-19T23:59:59Z"))).isFalse();
        assertThat(YEAR_END.covers(Instant.parse("2026-12-20T00:00:00Z"))).isTrue();
        assertThat(YEAR_END.covers(Instant.parse("2026-12-31T12:00:00Z"))).isTrue();
        assertThat(YEAR_END.covers(Instant.parse("2027-01-03T23:59:59.999Z"))).isTrue();
        assertThat(YEAR_END.covers(Instant.parse("2027-01-04T00:00:00Z"))).isFalse();
    }

    @Test
    void describesItself() {
        assertThat(YEAR_END.describe()).isEqualTo("year-end (2026-12-20T00:00:00Z until 2027-01-04T00:00:00Z)");
    }

    @Test
    void mustEndAfterItStarts() {
        Instant instant = Instant.parse("2026-12-20T00:00:00Z");

        assertThatThrownBy(() -> new AbsoluteFreeze("empty", instant, instant))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AbsoluteFreeze("backwards", instant, instant.minusSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
