package dev.stagegate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClosestNameTest {

    private static final List<String> ENVIRONMENTS = List.of("development", "testing", "staging", "production");

    @Test
    void aTypoMeansTheNearestName() {
        assertThat(ClosestName.meant("stagin", ENVIRONMENTS)).contains("staging");
    }

    @Test
    void anAbbreviationMeansTheOnlyNameItBegins() {
        assertThat(ClosestName.meant("prod", ENVIRONMENTS)).contains("production");
    }

    @Test
    void anAbbreviationOfSeveralNamesMeansNone() {
        assertThat(ClosestName.meant("prod", List.of("prod-eu", "prod-us"))).isEmpty();
    }

    @Test
    void somethingElseMeansNone() {
        assertThat(ClosestName.meant("qa", ENVIRONMENTS)).isEmpty();
        assertThat(ClosestName.meant("", ENVIRONMENTS)).isEmpty();
    }
}
