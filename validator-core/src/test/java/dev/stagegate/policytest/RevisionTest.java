package dev.stagegate.policytest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.report.SourcePosition;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RevisionTest {

    private static final SourcePosition AT = new SourcePosition(3, 7);

    @Test
    void aBranchNameIsABranch() {
        assertThat(Revision.parse("staging", AT))
                .contains(new Revision("staging", "refs/heads/staging", java.util.List.of(), AT));
        assertThat(Revision.parse("feature/login", AT).orElseThrow().refName()).isEqualTo("refs/heads/feature/login");
    }

    @Test
    void aFullRefNameStaysAsItIs() {
        assertThat(Revision.parse("refs/tags/v1", AT).orElseThrow().refName()).isEqualTo("refs/tags/v1");
    }

    @Test
    void readsHopsAsGitDoes() {
        assertThat(Revision.parse("main~2^2~", AT).orElseThrow().hops()).containsExactly(
                new Revision.Hop(true, 2), new Revision.Hop(false, 2), new Revision.Hop(true, 1));
        assertThat(Revision.parse("main^", AT).orElseThrow().hops()).containsExactly(new Revision.Hop(false, 1));
        assertThat(Revision.parse("main^0", AT).orElseThrow().hops()).containsExactly(new Revision.Hop(false, 0));
    }

    @Test
    void refusesWhatIsNoRevision() {
        assertThat(Revision.parse("~1", AT)).isEmpty();
        assertThat(Revision.parse("main~x", AT)).isEmpty();
        assertThat(Revision.parse("main~99999999999", AT)).isEqualTo(Optional.empty());
    }
}
