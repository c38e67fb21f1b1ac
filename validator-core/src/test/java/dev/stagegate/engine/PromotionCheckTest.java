package dev.stagegate.engine;

import static dev.stagegate.testing.CustomRuleFixture.rule;
import static dev.stagegate.testing.GitOpsFixture.errors;
import static dev.stagegate.testing.GitOpsFixture.render;
import static dev.stagegate.testing.GitOpsFixture.violations;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.ExitStatus;
import dev.stagegate.Outcome;
import dev.stagegate.PromotionRequest;
import dev.stagegate.Validator;
import dev.stagegate.policy.Policy;
import dev.stagegate.policy.PolicyLoader;
import dev.stagegate.rules.RuleRegistry;
import dev.stagegate.testing.CustomRuleFixture;
import dev.stagegate.testing.GitOpsFixture;
import dev.stagegate.yaml.YamlLimits;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.api.CloneCommand;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.transport.RefSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code check-promotion} in a CI checkout: a non-bare clone of the server repository, whose
 * branches are {@code refs/remotes/origin/*} and which has no notes unless they are fetched.
 */
class PromotionCheckTest {

    @TempDir
    Path dir;

    GitOpsFixture gitops;
    Path checkout;

    /** Server: a change promoted up to staging, with passing integration evidence there. */
    @BeforeEach
    void setUp() {
        gitops = GitOpsFixture.create(dir.resolve("server.git"));
        gitops.changeOnDevelop("apps/web/values.yaml", "replicas: 3\nimage: web:1.1\n");
        gitops.promoteAllTheWay("staging");
        gitops.passEvidence("staging", "integration");
        checkout = dir.resolve("checkout");
    }

    @AfterEach
    void tearDown() {
        gitops.close();
    }

    private CloneCommand cloneCommand() {
        return Git.cloneRepository().setURI(gitops.repo().directory().toUri().toString())
                .setDirectory(checkout.toFile());
    }

    private void cloneWithNotes() throws Exception {
        try (Git git = cloneCommand().call()) {
            git.fetch().setRefSpecs(new RefSpec("+refs/notes/*:refs/notes/*")).call();
        }
    }

    private void cloneWithoutNotes() throws Exception {
        cloneCommand().call().close();
    }

    private Outcome check(String target, String source) {
        return new Validator(Clock.fixed(GitOpsFixture.NOW, ZoneOffset.UTC))
                .checkPromotion(new PromotionRequest(checkout, target, source, Optional.empty()));
    }

    @Test
    void stagingIntoMainWithItsEvidenceFetchedIsAccepted() throws Exception {
        cloneWithNotes();

        Outcome outcome = check("main", "origin/staging");

        assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.ACCEPTED);
        assertThat(outcome.verdict().violations()).as(render(outcome)).isEmpty();
    }

    @Test
    void theTargetMayBeNamedByItsEnvironmentOrFullRef() throws Exception {
        cloneWithNotes();

        assertThat(check("production", "origin/staging").status()).isEqualTo(ExitStatus.ACCEPTED);
        assertThat(check("refs/heads/main", "origin/staging").status()).isEqualTo(ExitStatus.ACCEPTED);
    }

    @Test
    void theRemoteTrackingBranchIsTheTargetNotAStaleLocalOne() throws Exception {
        cloneWithNotes();
        gitops.changeOnDevelop("apps/web/values.yaml", "replicas: 5\n");
        gitops.promoteAllTheWay("staging");
        try (Git git = Git.open(checkout.toFile())) {
            git.fetch().call();
        }

        Outcome outcome = check("main", "origin/staging");

        assertThat(errors(outcome)).containsExactly("missing-evidence");
    }

    @Test
    void developIntoMainIsRejected() throws Exception {
        gitops.changeOnDevelop("apps/web/values.yaml", "replicas: 4\nimage: web:1.2\n");
        cloneWithNotes();

        Outcome outcome = check("main", "origin/develop");

        assertThat(outcome.status()).isEqualTo(ExitStatus.REJECTED);
        assertThat(errors(outcome)).contains("skipped-stage");
        assertThat(render(outcome)).contains("refs/heads/main").contains("not yet in testing, staging");
    }

    @Test
    void withoutFetchedNotesMissingEvidenceSaysHowToFetchThem() throws Exception {
        cloneWithoutNotes();

        Outcome outcome = check("main", "origin/staging");

        assertThat(outcome.status()).isEqualTo(ExitStatus.REJECTED);
        assertThat(errors(outcome)).containsExactly("missing-evidence");
        assertThat(violations(outcome, "missing-evidence")).singleElement().satisfies(v -> assertThat(v.message())
                .startsWith("the evidence notes were not fetched (this clone has no refs/notes/stagegate at all):"
                        + " git fetch origin '+refs/notes/*:refs/notes/*'"));
    }

    @Test
    void aShallowCloneCannotBeJudged() throws Exception {
        cloneCommand().setDepth(1).call().close();

        Outcome outcome = check("main", "origin/staging");

        assertThat(outcome.status()).isEqualTo(ExitStatus.CANNOT_JUDGE);
        assertThat(render(outcome)).contains("shallow clone").contains("fetch-depth: 0");
    }

    @Test
    void anUpstreamBranchThatWasNotFetchedCannotBeJudged() throws Exception {
        try (Git git = cloneCommand().setBranchesToClone(List.of("refs/heads/main")).setBranch("main").call()) {
            git.fetch().setRefSpecs(new RefSpec("+refs/heads/staging:refs/pull/7/head"),
                    new RefSpec("+refs/notes/*:refs/notes/*")).call();
        }

        Outcome outcome = check("main", "refs/pull/7/head");

        assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.CANNOT_JUDGE);
        assertThat(render(outcome)).contains("'staging'").contains("git fetch origin staging");
    }

    @Test
    void anUnknownTargetIsAUsageError() throws Exception {
        cloneWithNotes();

        Outcome outcome = check("qa", "origin/staging");

        assertThat(outcome.status()).isEqualTo(ExitStatus.USAGE_OR_POLICY);
        assertThat(outcome.usageMessage()).contains(
                "unknown target 'qa'; environments: development, testing, staging, production");
    }

    @Test
    void anAbbreviatedTargetSaysWhichEnvironmentItAbbreviates() throws Exception {
        cloneWithNotes();

        Outcome outcome = check("prod", "origin/staging");

        assertThat(outcome.usageMessage()).contains("unknown target 'prod'; environments: development, testing,"
                + " staging, production (did you mean 'production'?)");
    }

    @Test
    void anUnknownTargetCloseToAnEnvironmentSaysWhichOneWasMeant() throws Exception {
        cloneWithNotes();

        Outcome outcome = check("prodution", "origin/staging");

        assertThat(outcome.usageMessage()).contains("unknown target 'prodution'; environments: development, testing,"
                + " staging, production (did you mean 'production'?)");
    }

    @Test
    void anUnknownSourceCannotBeJudged() throws Exception {
        cloneWithNotes();

        assertThat(check("main", "origin/nope").status()).isEqualTo(ExitStatus.CANNOT_JUDGE);
    }
    /** The policy's custom rules judge the promoted files for the target environment, oldObject from its tip. */
    @Nested
    class CustomRules {

        private static final String APP = "config/app.yaml";

        private final CustomRuleFixture noBigDrop = rule("no-big-drop", "config/**",
                "oldObject == null || object.replicas * 2 >= oldObject.replicas")
                .environments("production")
                .messageExpression("'replicas drop from ' + string(oldObject.replicas) + ' to ' + string(object.replicas)");

        /** Production runs 4 replicas; staging, with its evidence, 1. */
        @BeforeEach
        void replicasDropOnTheirWayToProduction() {
            gitops.changeOnDevelop(APP, "replicas: 4\n");
            gitops.promoteAllTheWay("main");
            gitops.changeOnDevelop(APP, "replicas: 1\n");
            gitops.promoteAllTheWay("staging");
            gitops.passEvidence("staging", "integration");
        }

        private Outcome check(String target, String source, CustomRuleFixture... rules) throws Exception {
            Policy policy = CustomRuleFixture.policyWith(GitOpsFixture.POLICY, rules);
            return new PromotionCheck(new PolicyLoader(), RuleRegistry.standard(YamlLimits.DEFAULTS))
                    .run(new PromotionRequest(checkout, target, source, Optional.empty()), Optional.of(policy),
                            GitOpsFixture.NOW);
        }

        @Test
        void aRuleOfTheTargetEnvironmentJudgesThePromotedFilesAgainstTheTargetsTip() throws Exception {
            cloneWithNotes();

            Outcome outcome = check("production", "origin/staging", noBigDrop);

            assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.REJECTED);
            assertThat(errors(outcome)).containsExactly("no-big-drop");
            assertThat(violations(outcome, "no-big-drop")).singleElement().satisfies(v -> {
                assertThat(v.message()).isEqualTo("replicas drop from 4 to 1");
                assertThat(v.file()).isEqualTo(APP);
                assertThat(v.line()).isEqualTo(1);
                assertThat(v.environment()).isEqualTo("production");
            });
        }

        @Test
        void aRuleOfAnotherEnvironmentDoesNotJudgeThePromotion() throws Exception {
            gitops.changeOnDevelop(APP, "replicas: 0\n");
            gitops.promote("develop", "test");
            cloneWithNotes();

            Outcome outcome = check("staging", "origin/test", noBigDrop);

            assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.ACCEPTED);
            assertThat(outcome.verdict().violations()).isEmpty();
        }
    }
}
