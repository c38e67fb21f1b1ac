package dev.stagegate.git;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PathSetTest {

    @Test
    void aUnionHoldsThePathsOfEither() {
        PathSet values = PathSet.of(List.of("apps/**/values.yaml"));
        PathSet manifests = PathSet.of(List.of("clusters/**/*.yaml"));

        PathSet both = values.union(manifests);

        assertThat(both.contains("apps/web/values.yaml")).isTrue();
        assertThat(both.contains("clusters/eu/web.yaml")).isTrue();
        assertThat(both.contains("README.md")).isFalse();
        assertThat(both.couldContainInside("clusters")).isTrue();
    }

    @Test
    void aSetHoldsAnotherWhoseGlobsAreAllItsOwn() {
        PathSet values = PathSet.of(List.of("apps/**/values.yaml"));
        PathSet manifests = PathSet.of(List.of("clusters/**/*.yaml"));

        assertThat(values.hasEveryGlobOf(values.union(values))).isTrue();
        assertThat(values.union(manifests).hasEveryGlobOf(values)).isTrue();
        assertThat(values.hasEveryGlobOf(values.union(manifests))).isFalse();
        assertThat(values.hasEveryGlobOf(PathSet.EMPTY)).isTrue();
    }
}
