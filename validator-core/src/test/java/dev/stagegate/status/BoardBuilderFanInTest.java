package dev.stagegate.status;

import static dev.stagegate.testing.FanInFixture.PRODS;
import static dev.stagegate.testing.FanInFixture.STAGINGS;
import static dev.stagegate.testing.FanInFixture.TESTS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.ExitStatus;
import dev.stagegate.policy.PolicyLoader;
import dev.stagegate.testing.FanInFixture;
import dev.stagegate.testing.GitOpsFixture;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The board of issue 13's shape ({@link FanInFixture}: main -> qa -> four tests -> three
 * stagings with {@code upstreams: all} -> three prods) tells the three ways an environment
 * can differ from an upstream apart: <em>behind</em> (the upstream has newer content),
 * <em>skipped a stage</em> (its content is found further up the chain) and <em>hotfix not
 * back-ported</em> (found nowhere upstream); and never offers a step backwards, or a
 * promotion that would undo a hotfix, as next in line.
 */
class BoardBuilderFanInTest {

    @TempDir
    Path dir;

    GitOpsFixture gitops;

    @BeforeEach
    void twelveEnvironmentsAtTheSameContent() {
        gitops = FanInFixture.create(dir.resolve("server.git"));
    }

    @AfterEach
    void tearDown() {
        gitops.close();
    }

    @Test
    void behindAnUpstreamWithNewerContentOffersItsTip() throws IOException {
        FanInFixture.changeOnMain(gitops, "apps/web/values.yaml", "replicas: 3\n");
        gitops.promote("main", "qa");

        EnvironmentStatus test = environment(board(), "test-eu-west");

        UpstreamStatus qa = test.upstreams().get(0);
        assertThat(qa.state()).isEqualTo(UpstreamState.BEHIND);
        assertThat(qa.waiting().paths().paths()).containsExactly("apps/web/values.yaml");
        assertThat(test.skippedStage()).isFalse();
        assertThat(test.notBackPorted()).isFalse();
        NextInLine next = test.nextInLine().orElseThrow();
        assertThat(next.fromEnvironment()).isEqualTo("qa");
        assertThat(next.commit().id()).isEqualTo(gitops.tip("qa").name());
        assertThat(next.blocked()).isEmpty();
        assertThat(next.ready()).isTrue();
    }

    /**
     * Staging took qa's change from three tests while test-us-west never got it (a bypass, or
     * a policy that allowed it then): against test-us-west that is a skipped stage, not a
     * hotfix, and test-us-west's tip, the content staging had before, is not next in line.
     */
    @Test
    void contentFoundFurtherUpIsASkippedStageAndTheSkippedUpstreamsOlderTipIsNeverNext() throws IOException {
        FanInFixture.changeOnMain(gitops, "apps/web/values.yaml", "replicas: 3\n");
        gitops.promote("main", "qa");
        FanInFixture.promote(gitops, "qa", TESTS.subList(0, 3));
        gitops.promote("test-eu-west", "staging-eu-west");

        EnvironmentStatus staging = environment(board(), "staging-eu-west");

        assertThat(staging.upstreams()).extracting(UpstreamStatus::state).containsExactly(UpstreamState.IN_SYNC,
                UpstreamState.IN_SYNC, UpstreamState.IN_SYNC, UpstreamState.SKIPPED_STAGE);
        UpstreamStatus usWest = staging.upstreams().get(3);
        assertThat(usWest.foundIn().orElseThrow().environment()).isEqualTo("qa");
        assertThat(usWest.foundIn().orElseThrow().commit().id()).isEqualTo(gitops.tip("qa").name());
        assertThat(usWest.skipped()).containsExactly("test-us-west");
        assertThat(usWest.notBroughtBack().isEmpty()).as("no hotfix: nothing was changed on staging").isTrue();
        assertThat(usWest.differingPaths().paths()).containsExactly("apps/web/values.yaml");
        assertThat(usWest.tipAlreadyPassed()).isTrue();
        assertThat(usWest.waiting().isEmpty()).as("test-us-west holds nothing staging lacks").isTrue();
        assertThat(staging.skippedStage()).isTrue();
        assertThat(staging.skippedStages()).containsExactly("test-us-west");
        assertThat(staging.notBackPorted()).isFalse();
        NextInLine next = staging.nextInLine().orElseThrow();
        assertThat(next.fromEnvironment()).as("not test-us-west: its tip is a step backwards")
                .isEqualTo("test-eu-west");
        assertThat(next.alreadyHere()).isTrue();
    }

    /**
     * test-us-west skipped qa's first change but took a newer one since: against it staging
     * skipped a stage, yet its tip is newer content, not a step backwards. It is offered, and
     * blocked because upstreams: all needs it in the three other tests first.
     */
    @Test
    void aSkippedUpstreamWhoseTipIsNewerContentIsOfferedNotTakenForAStepBackwards() throws IOException {
        FanInFixture.changeOnMain(gitops, "apps/web/values.yaml", "replicas: 3\n");
        gitops.promote("main", "qa");
        FanInFixture.promote(gitops, "qa", TESTS.subList(0, 3));
        gitops.promote("test-eu-west", "staging-eu-west");
        FanInFixture.changeOnMain(gitops, "apps/api/values.yaml", "replicas: 1\n");
        gitops.promote("main", "qa");
        gitops.promote("qa", "test-us-west");

        EnvironmentStatus staging = environment(board(), "staging-eu-west");

        UpstreamStatus usWest = staging.upstreams().get(3);
        assertThat(usWest.state()).isEqualTo(UpstreamState.SKIPPED_STAGE);
        assertThat(usWest.tipAlreadyPassed()).isFalse();
        assertThat(usWest.waiting().paths().paths()).contains("apps/api/values.yaml");
        NextInLine next = staging.nextInLine().orElseThrow();
        assertThat(next.fromEnvironment()).isEqualTo("test-us-west");
        assertThat(next.alreadyHere()).isFalse();
        assertThat(next.blocked().orElseThrow().environments())
                .containsExactly("test-eu-west", "test-eu-central", "test-us-east");
    }

    @Test
    void contentThatSkippedSeveralStagesNamesThemAllNearestFirst() throws IOException {
        FanInFixture.changeOnMain(gitops, "apps/web/values.yaml", "replicas: 3\n");
        gitops.promote("main", "qa");
        gitops.promote("qa", "prod-eu-west");

        UpstreamStatus staging = environment(board(), "prod-eu-west").upstreams().get(0);

        assertThat(staging.state()).isEqualTo(UpstreamState.SKIPPED_STAGE);
        assertThat(staging.foundIn().orElseThrow().environment()).isEqualTo("qa");
        List<String> skipped = new ArrayList<>(List.of("staging-eu-west"));
        skipped.addAll(TESTS);
        assertThat(staging.skipped()).isEqualTo(skipped);
    }

    /**
     * A hotfix straight into prod-eu-west, then new content promoted normally up to
     * staging-eu-west with passing evidence: the promotion of staging's tip would undo the
     * hotfix, so it is offered blocked, with where to back-port it, and never as ready.
     */
    @Test
    void contentFoundNowhereUpstreamIsAHotfixWhosePromotionOverItIsBlocked() throws IOException {
        gitops.repo().commitOn("prod-eu-west").file("apps/web/values.yaml", "replicas: 9\n").message("Hotfix")
                .commitTo("prod-eu-west");
        FanInFixture.changeOnMain(gitops, "apps/api/values.yaml", "replicas: 1\n");
        gitops.promote("main", "qa");
        FanInFixture.promote(gitops, "qa", TESTS);
        gitops.promote("test-eu-west", "staging-eu-west");
        gitops.passEvidence("staging-eu-west", "smoke");

        EnvironmentStatus prod = environment(board(), "prod-eu-west");

        UpstreamStatus staging = prod.upstreams().get(0);
        assertThat(staging.state()).isEqualTo(UpstreamState.NOT_BACK_PORTED);
        assertThat(staging.foundIn()).isEmpty();
        assertThat(staging.notBroughtBack().paths()).containsExactly("apps/web/values.yaml");
        assertThat(staging.waiting().paths().paths()).containsExactly("apps/api/values.yaml");
        assertThat(prod.notBackPorted()).isTrue();
        assertThat(prod.skippedStage()).isFalse();
        NextInLine next = prod.nextInLine().orElseThrow();
        assertThat(next.fromEnvironment()).isEqualTo("staging-eu-west");
        assertThat(next.evidenceSatisfied()).isTrue();
        Blocked blocked = next.blocked().orElseThrow();
        assertThat(blocked.reason()).isEqualTo(Blocked.Reason.UNDOES_HOTFIX);
        assertThat(blocked.environments()).containsExactly("main");
        assertThat(blocked.paths().paths()).containsExactly("apps/web/values.yaml");
        assertThat(next.ready()).isFalse();
    }

    @Test
    void aHotfixBackPortedThroughTheChainUnblocksThePromotion() throws IOException {
        gitops.repo().commitOn("prod-eu-west").file("apps/web/values.yaml", "replicas: 9\n").message("Hotfix")
                .commitTo("prod-eu-west");
        gitops.repo().commitOn("main").file("apps/web/values.yaml", "replicas: 9\n")
                .file("apps/api/values.yaml", "replicas: 1\n").message("the hotfix back-ported, and a change")
                .commitTo("main");
        gitops.promote("main", "qa");
        FanInFixture.promote(gitops, "qa", TESTS);
        gitops.promote("test-eu-west", "staging-eu-west");
        gitops.passEvidence("staging-eu-west", "smoke");

        EnvironmentStatus prod = environment(board(), "prod-eu-west");

        assertThat(prod.upstreams().get(0).state()).as("prod's content is in no upstream commit")
                .isEqualTo(UpstreamState.NOT_BACK_PORTED);
        assertThat(prod.upstreams().get(0).notBroughtBack().isEmpty()).as("but staging has the fix").isTrue();
        NextInLine next = prod.nextInLine().orElseThrow();
        assertThat(next.blocked()).isEmpty();
        assertThat(next.ready()).isTrue();
    }

    /** With upstreams: all, content one test has and another lacks is offered blocked, naming the one that lacks it. */
    @Test
    void withUpstreamsAllContentNotYetInEveryUpstreamIsBlockedNamingThoseThatLackIt() throws IOException {
        FanInFixture.changeOnMain(gitops, "apps/web/values.yaml", "replicas: 3\n");
        gitops.promote("main", "qa");
        FanInFixture.promote(gitops, "qa", TESTS.subList(0, 3));

        EnvironmentStatus staging = environment(board(), "staging-us-east");

        assertThat(staging.upstreams()).extracting(UpstreamStatus::state).containsExactly(UpstreamState.BEHIND,
                UpstreamState.BEHIND, UpstreamState.BEHIND, UpstreamState.IN_SYNC);
        NextInLine next = staging.nextInLine().orElseThrow();
        assertThat(next.fromEnvironment()).isEqualTo("test-eu-west");
        assertThat(next.blocked()).hasValueSatisfying(blocked -> {
            assertThat(blocked.reason()).isEqualTo(Blocked.Reason.NOT_IN_EVERY_UPSTREAM);
            assertThat(blocked.environments()).containsExactly("test-us-west");
        });

        gitops.promote("qa", "test-us-west");
        assertThat(environment(board(), "staging-us-east").nextInLine().orElseThrow().blocked()).isEmpty();
    }

    @Test
    void theBoardListsTwelveEnvironmentsUpstreamsFirst() throws IOException {
        EnvironmentBoard board = board();

        List<String> expected = new ArrayList<>(List.of("main", "qa"));
        expected.addAll(TESTS);
        expected.addAll(STAGINGS);
        expected.addAll(PRODS);
        assertThat(board.environments()).extracting(EnvironmentStatus::name).containsExactlyElementsOf(expected);
        assertThat(board.environments()).allSatisfy(environment -> {
            assertThat(environment.notBackPorted()).isFalse();
            assertThat(environment.skippedStage()).isFalse();
        });
    }

    private EnvironmentBoard board() throws IOException {
        StatusOutcome outcome = new BoardBuilder(new PolicyLoader()).build(
                new StatusRequest(gitops.repo().directory(), Optional.empty()), Optional.empty(), GitOpsFixture.NOW);
        assertThat(outcome.status()).as("%s", outcome.outcome().verdict()).isEqualTo(ExitStatus.ACCEPTED);
        return outcome.board().orElseThrow();
    }

    private static EnvironmentStatus environment(EnvironmentBoard board, String name) {
        return board.environment(name).orElseThrow();
    }
}
