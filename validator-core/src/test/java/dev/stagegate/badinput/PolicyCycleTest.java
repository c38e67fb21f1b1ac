package dev.stagegate.badinput;

import static dev.stagegate.badinput.BadInput.DEVELOP;
import static dev.stagegate.badinput.BadInput.POLICY_FILE;
import static dev.stagegate.badinput.BadInput.VALUES;
import static dev.stagegate.badinput.BadInput.assertOnlyError;
import static dev.stagegate.badinput.BadInput.assertPolicyRejected;
import static dev.stagegate.badinput.BadInput.pushToDevelop;
import static dev.stagegate.testing.GitOpsFixture.render;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.ExitStatus;
import dev.stagegate.Outcome;
import dev.stagegate.report.Violation;
import dev.stagegate.testing.GitOpsFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Promotion graphs that go round in circles, and YAML that refers to itself: a policy-invalid
 * naming the cycle; when such a policy governs and nothing valid is left, exit status 2.
 */
@Timeout(10)
class PolicyCycleTest {

    static final String SELF_REFERENCE = BadInput.POLICY.replace("promotesFrom: development", "promotesFrom: testing");
    static final String CYCLE = BadInput.POLICY.replace("  - name: development\n    branch: develop\n",
            "  - name: development\n    branch: develop\n    promotesFrom: production\n");
    static final String CYCLE_MESSAGE = "promotion cycle development -> testing -> staging -> production -> development:"
            + " content could never enter it; remove one of these promotesFrom entries"
            + " (here 'testing' promotes from 'development')";

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

    @Test
    void anEnvironmentThatPromotesFromItself() {
        assertPolicyRejected(pushToDevelop(gitops, POLICY_FILE, SELF_REFERENCE), POLICY_FILE + ":8:5",
                "environment 'testing' promotes from itself; name the environment it receives content from,"
                        + " or remove promotesFrom to make it an entry environment");
    }

    @Test
    void aCycleThroughEveryEnvironment() {
        assertPolicyRejected(pushToDevelop(gitops, POLICY_FILE, CYCLE), POLICY_FILE + ":9:5", CYCLE_MESSAGE);
    }

    @Test
    void anAliasToItsOwnAnchor() {
        assertPolicyRejected(pushToDevelop(gitops, POLICY_FILE, "environments: &e [*e]\n"), POLICY_FILE + ":1:19",
                "cannot read the policy: alias *e refers to no anchor defined before it");
    }

    @Test
    void aServerPolicyWithACycleStopsEveryPushWithStatus2() throws IOException {
        Path server = Files.writeString(dir.resolve("server-policy.yaml"), CYCLE);

        assertOnlyError(pushToDevelop(gitops.withServerPolicy(server), VALUES, "replicas: 3\n"),
                ExitStatus.USAGE_OR_POLICY, "policy-invalid", null, server + ":9:5", CYCLE_MESSAGE);
    }

    @Test
    void aBranchWhoseEveryPolicyHasACycleFailsClosedWithStatus2() {
        RevCommit broken = gitops.repo().orphan().filesOf(gitops.tip("develop")).file(POLICY_FILE, CYCLE)
                .message("a cycle from the start").commitTo("develop");

        Outcome outcome = pushToDevelop(gitops, VALUES, "replicas: 3\n");

        assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.USAGE_OR_POLICY);
        assertThat(outcome.verdict().violations()).as(render(outcome)).extracting(Violation::rule, Violation::ref,
                Violation::fileLocation, Violation::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple("policy-invalid", DEVELOP, POLICY_FILE + ":9:5",
                        "the policy governing this update (" + POLICY_FILE + " at develop ("
                                + broken.abbreviate(12).name() + ")) is invalid: " + CYCLE_MESSAGE),
                org.assertj.core.groups.Tuple.tuple("policy-invalid", DEVELOP, null,
                        "no valid policy in the last 200 commits of develop; rejected (fail closed) until a server"
                                + " --policy or a fixed policy governs"));
    }
}
