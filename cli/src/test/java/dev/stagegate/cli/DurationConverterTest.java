package dev.stagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {

    @Test
    void readsMillisecondsSecondsAndMinutes() {
        assertThat(DurationConverter.parse("1500ms")).isEqualTo(Duration.ofMillis(1500));
        assertThat(DurationConverter.parse("4s")).isEqualTo(Duration.ofSeconds(4));
        assertThat(DurationConverter.parse("2m")).isEqualTo(Duration.ofMinutes(2));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "4", "0s", "-1s", "4 s", "1h", "PT4S", "9999999999s"})
    void refusesAnythingElse(String value) {
        assertThatThrownBy(() -> DurationConverter.parse(value))
                .isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("is not a duration");
    }

    @Test
    void formatsAsAUserWouldTypeIt() {
        assertThat(DurationConverter.format(Duration.ofSeconds(4))).isEqualTo("4s");
        assertThat(DurationConverter.format(Duration.ofMinutes(2))).isEqualTo("120s");
        assertThat(DurationConverter.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    }
}
