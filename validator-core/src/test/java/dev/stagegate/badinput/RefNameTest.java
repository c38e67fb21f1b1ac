package dev.stagegate.badinput;

import static dev.stagegate.badinput.BadInput.VALUES;
import static dev.stagegate.badinput.BadInput.assertOnlyError;
import static dev.stagegate.testing.GitOpsFixture.render;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.ExitStatus;
import dev.stagegate.Outcome;
import dev.stagegate.git.RefUpdate;
import dev.stagegate.testing.GitOpsFixture;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Ref names git accepts but few expect: unicode, thousands of characters, look-alikes of an
 * environment branch. Judged like any other ref, and printed as plain ASCII. (CLI's
 * OddRefNameIT pushes the same names with the real git client.)
 */
@Timeout(10)
class RefNameTest {

    static final String UNICODE = "refs/heads/feature/\u00fcn\u00efc\u00f6d\u00e9-\u2603";
    static final String LONG = "refs/heads/" + ("x".repeat(200) + "/").repeat(20) + "end";
    /** "main" with a Cyrillic a: a different branch to git and to every deployment tool. */
    static final String LOOK_ALIKE = "refs/heads/m\u0430in";

    @TempDir
    Path dir;

    GitOpsFixture gitops;

    @BeforeEach
    void setUp() {
        gitops = BadInput.repository(dir);
    }

    @AfterEach
    void tearDown() {
        gitops.close();
    }

    private Outcome create(String ref, ObjectId commit) {
        return gitops.push(new RefUpdate(ObjectId.zeroId(), commit, ref));
    }

    static List<String> oddNames() {
        return List.of(UNICODE, LONG, LOOK_ALIKE, "refs/tags/v1.0.0-rc.1+build.7", "refs/pull/42/head");
    }

    @ParameterizedTest
    @MethodSource("oddNames")
    void anOddButLegalNameIsJudgedLikeAnyOther(String ref) {
        Outcome outcome = create(ref, gitops.change("develop", VALUES, "replicas: 3\n"));

        assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.ACCEPTED);
        assertThat(outcome.verdict().violations()).as(render(outcome)).isEmpty();
    }

    @Test
    void aUnicodeNameIsPrintedAsAscii() {
        Outcome outcome = create(UNICODE, gitops.change("develop", VALUES, "replicas: 0\n"));

        assertThat(outcome.status()).isEqualTo(ExitStatus.REJECTED);
        assertThat(render(outcome)).startsWith("error [schema-violation] " + VALUES
                + ":1:1 refs/heads/feature/\\u00fcn\\u00efc\\u00f6d\\u00e9-\\u2603 ")
                .matches("\\p{ASCII}*");
    }

    @Test
    void aBranchNamedHead() {
        assertOnlyError(create("refs/heads/HEAD", gitops.tip("develop")), ExitStatus.REJECTED, "ref-shadowing",
                "refs/heads/HEAD", null,
                "a branch named HEAD is not allowed: every git client would confuse it with the symbolic HEAD");
    }

    @Test
    void aTagNamedLikeAnEnvironmentBranch() {
        assertOnlyError(create("refs/tags/main", gitops.tip("develop")), ExitStatus.REJECTED, "ref-shadowing",
                "refs/tags/main", null, "refs/tags/main has the short name of branch 'main' of environment production;"
                        + " deployment tools may resolve it instead of the branch; choose another name");
    }
}
