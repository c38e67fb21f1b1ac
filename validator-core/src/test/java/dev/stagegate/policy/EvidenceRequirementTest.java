package dev.stagegate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EvidenceRequirementTest {

    @ParameterizedTest
    @CsvSource({"PT30S, 30s", "PT90S, 90s", "PT15M, 15m", "PT72H, 3d", "PT36H, 36h", "PT168H, 7d"})
    void describesTheMaxAgeInTheLargestWholeUnit(Duration maxAge, String spelled) {
        assertThat(new EvidenceRequirement("smoke", "staging", maxAge).describe())
                .isEqualTo("smoke from staging (at most " + spelled + " old)");
    }

    @Test
    void describesARequirementWithoutMaxAge() {
        assertThat(new EvidenceRequirement("integration", "testing", null).describe())
                .isEqualTo("integration from testing");
    }

    @Test
    void aMaxAgeMustBePositive() {
        assertThatThrownBy(() -> new EvidenceRequirement("smoke", "staging", Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EvidenceRequirement("smoke", "staging", Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
