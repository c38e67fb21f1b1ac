package dev.stagegate.badinput;

import static dev.stagegate.badinput.BadInput.POLICY_FILE;
import static dev.stagegate.badinput.BadInput.assertPolicyRejected;
import static dev.stagegate.badinput.BadInput.pushToDevelop;
import static dev.stagegate.testing.GitOpsFixture.errors;
import static dev.stagegate.testing.GitOpsFixture.render;
import static dev.stagegate.testing.GitOpsFixture.violations;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.ExitStatus;
import dev.stagegate.Outcome;
import dev.stagegate.ValidateRequest;
import dev.stagegate.Validator;
import dev.stagegate.testing.GitOpsFixture;
import dev.stagegate.yaml.YamlLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A validator configured with limits smaller than the defaults applies them to every policy it
 * reads (the one a push carries, the one that governs it, the one {@code validate} checks), not
 * only to the files the policy maps to schemas.
 */
class ConfiguredLimitsTest {

    private static final YamlLimits SMALL = new YamlLimits(4096, 1_000, 10_000);
    /** A valid policy of 5,000 bytes: within the default 10 MiB, past the configured 4 KiB. */
    private static final String LARGE_POLICY = padded(BadInput.POLICY, 5000);
    private static final String TOO_LARGE = "the policy is 5000 bytes, more than the limit of 4096 bytes";

    @TempDir
    Path dir;

    GitOpsFixture gitops;

    @BeforeEach
    void setUp() {
        gitops = BadInput.repository(dir).withLimits(SMALL);
    }

    @AfterEach
    void tearDown() {
        gitops.close();
    }

    private static String padded(String policy, int size) {
        String comment = "# " + "x".repeat(size - policy.length() - 3) + "\n";
        return policy + comment;
    }

    @Test
    void aPushedPolicyOverTheConfiguredSize() {
        assertPolicyRejected(pushToDevelop(gitops, POLICY_FILE, LARGE_POLICY), POLICY_FILE + ":1:1", TOO_LARGE);
    }

    @Test
    void aPushedPolicyNestedDeeperThanConfigured() {
        gitops.withLimits(new YamlLimits(SMALL.maxBytes(), 10, SMALL.maxAliasNodes()));
        StringBuilder deep = new StringBuilder(BadInput.POLICY);
        for (int level = 0; level < 20; level++) {
            deep.append("  ".repeat(level)).append("nested").append(level).append(":\n");
        }

        Outcome outcome = pushToDevelop(gitops, POLICY_FILE, deep.append("  ".repeat(20)).append("end: 1\n").toString());

        assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.REJECTED);
        assertThat(violations(outcome, "policy-invalid")).singleElement()
                .satisfies(v -> assertThat(v.message()).contains("nested more than 10 levels deep"));
    }

    @Test
    void aGoverningPolicyOverTheConfiguredSizeGivesWayToTheNewestValidOne() {
        RevCommit valid = gitops.tip("develop");
        gitops.repo().commitOn("develop").file(POLICY_FILE, LARGE_POLICY).commitTo("develop");

        Outcome outcome = pushToDevelop(gitops, "apps/web/values.yaml", "replicas: 3\n");

        assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.ACCEPTED);
        assertThat(render(outcome))
                .contains("warning [policy-invalid] " + POLICY_FILE + ":1:1 refs/heads/develop: the policy governing"
                        + " this update (" + POLICY_FILE + " at develop (")
                .contains(TOO_LARGE)
                .contains("governed instead by the newest valid policy, " + POLICY_FILE + " at "
                        + valid.abbreviate(12).name() + " on develop");
    }

    @Test
    void validateAtARevisionWithAPolicyOverTheConfiguredSize() {
        gitops.repo().commitOn("develop").file(POLICY_FILE, LARGE_POLICY).commitTo("develop");

        Outcome outcome = new Validator(Clock.systemUTC(), SMALL).validate(
                new ValidateRequest(gitops.repo().directory(), Optional.of("develop"), Optional.empty()));

        assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.USAGE_OR_POLICY);
        assertThat(errors(outcome)).containsExactly("policy-invalid");
        assertThat(render(outcome)).contains(POLICY_FILE + ":1:1").contains(TOO_LARGE);
    }

    @Test
    void validateWithAPolicyFileOverTheConfiguredSize() throws IOException {
        Path policy = Files.writeString(dir.resolve("server-policy.yaml"), LARGE_POLICY);

        Outcome outcome = new Validator(Clock.systemUTC(), SMALL).validate(
                new ValidateRequest(gitops.repo().directory(), Optional.of("main"), Optional.of(policy)));

        assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.USAGE_OR_POLICY);
        assertThat(errors(outcome)).containsExactly("policy-invalid");
        assertThat(render(outcome)).contains("5000 bytes, more than the limit of 4096 bytes");
    }

    @Test
    void aServerPolicyOverTheConfiguredSize() throws IOException {
        Path policy = Files.writeString(dir.resolve("server-policy.yaml"), LARGE_POLICY);

        Outcome outcome = gitops.withServerPolicy(policy).push(gitops.update("develop", gitops.tip("develop")));

        assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.USAGE_OR_POLICY);
        assertThat(errors(outcome)).containsExactly("policy-invalid");
        assertThat(render(outcome)).contains("5000 bytes, more than the limit of 4096 bytes");
    }
}
