package dev.stagegate.git;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SortedPathsTest {

    @Test
    void pathsComeInOrderEachOnce() {
        assertThat(SortedPaths.of(List.of("b/x", "a/y", "b/x", "a/y", "a"))).containsExactly("a", "a/y", "b/x");
    }

    @Test
    void noPathsGiveNone() {
        assertThat(SortedPaths.of(List.of())).isEmpty();
    }
}
