package dev.stagegate.rules;

import static dev.stagegate.testing.GitOpsFixture.errors;
import static dev.stagegate.testing.GitOpsFixture.render;
import static dev.stagegate.testing.GitOpsFixture.violations;
import static dev.stagegate.testing.GitOpsFixture.warnings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.ExitStatus;
import dev.stagegate.Outcome;
import dev.stagegate.report.Violation;
import dev.stagegate.testing.GitOpsFixture;
import dev.stagegate.testing.TestRepository;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SkippedStageRuleTest {

    private static final String RULE = "skipped-stage";
    private static final String NEW_WEB = "replicas: 3\nimage: web:1.1\n";

    @TempDir
    Path dir;

    GitOpsFixture gitops;

    @AfterEach
    void tearDown() {
        if (gitops != null) {
            gitops.close();
        }
    }

    private GitOpsFixture chain() {
        return chain(GitOpsFixture.POLICY);
    }

    private GitOpsFixture chain(String policy) {
        gitops = GitOpsFixture.create(dir.resolve("server.git"), policy);
        return gitops;
    }

    private TestRepository repo() {
        return gitops.repo();
    }

    private static void assertAccepted(Outcome outcome) {
        assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.ACCEPTED);
        assertThat(outcome.verdict().violations()).as(render(outcome)).isEmpty();
    }

    @Nested
    class HowTheContentGotThereDoesNotMatter {

        @Test
        void aFastForwardToTheUpstreamTipIsAccepted() {
            chain();
            RevCommit onTopOfTest = repo().commitOn("test").file("apps/web/values.yaml", NEW_WEB).create();
            repo().setBranch("develop", onTopOfTest);

            assertAccepted(gitops.push(gitops.update("test", onTopOfTest)));
        }

        @Test
        void aMergeCommitIsAccepted() {
            chain();
            gitops.changeOnDevelop("apps/web/values.yaml", NEW_WEB);

            assertAccepted(gitops.push(gitops.update("test", gitops.promotion("develop", "test"))));
        }

        @Test
        void aSquashWithEqualContentIsAccepted() {
            chain();
            gitops.changeOnDevelop("apps/web/values.yaml", NEW_WEB);
            RevCommit squash = gitops.squashPromotion("develop", "test");

            assertThat(squash.getParentCount()).isEqualTo(1);
            assertAccepted(gitops.push(gitops.update("test", squash)));
        }

        @Test
        void aRebaseReplayingEveryUpstreamCommitIsAccepted() {
            chain();
            gitops.changeOnDevelop("apps/web/values.yaml", NEW_WEB);
            gitops.changeOnDevelop("apps/api/values.yaml", "replicas: 1\n");
            RevCommit first = repo().commitOn("test").file("apps/web/values.yaml", NEW_WEB).create();
            RevCommit second = repo().commitOn("test").parents(first).filesOf(first)
                    .file("apps/api/values.yaml", "replicas: 1\n").create();

            assertAccepted(gitops.push(gitops.update("test", second)));
        }
    }

    @Test
    void aMergeOfTheUpstreamTipThatAddsOneFileIsRejectedNamingThePathAndTheCommit() {
        chain();
        gitops.changeOnDevelop("apps/web/values.yaml", NEW_WEB);
        RevCommit merge = repo().commitOn("test").parents(gitops.tip("test"), gitops.tip("develop"))
                .filesOf(gitops.tip("develop")).keep(gitops.tip("test"), "env/**")
                .file("apps/extra/values.yaml", "replicas: 1\n")
                .message("promote develop, and a little extra").create();

        Outcome outcome = gitops.push(gitops.update("test", merge));

        assertThat(outcome.status()).isEqualTo(ExitStatus.REJECTED);
        assertThat(errors(outcome)).containsExactly(RULE);
        Violation violation = violations(outcome, RULE).get(0);
        assertThat(violation.ref()).isEqualTo("refs/heads/test");
        assertThat(violation.environment()).isEqualTo("testing");
        assertThat(violation.message())
                .contains("is not in development")
                .contains("differs from develop in apps/extra/values.yaml")
                .doesNotContain("apps/web/values.yaml")
                .contains(merge.abbreviate(12).name())
                .contains("promote through develop first");
    }

    @Test
    void aDirectCommitOnAnEnvironmentIsRejectedNamingTheCommitThatBroughtIt() {
        chain();
        RevCommit hotfix = repo().commitOn("staging").file("apps/web/values.yaml", "replicas: 9\n")
                .message("quick fix").create();

        Outcome outcome = gitops.push(gitops.update("staging", hotfix));

        assertThat(errors(outcome)).containsExactly(RULE);
        assertThat(render(outcome)).contains("apps/web/values.yaml")
                .contains(hotfix.abbreviate(12).name() + " \"quick fix\"");
    }

    @Test
    void developStraightIntoMainNamesTheStagesItSkips() {
        chain();
        RevCommit change = gitops.changeOnDevelop("apps/web/values.yaml", NEW_WEB);
        RevCommit merge = gitops.promotion("develop", "main");

        Outcome outcome = gitops.push(gitops.update("main", merge));

        assertThat(errors(outcome)).contains(RULE);
        assertThat(violations(outcome, RULE)).singleElement().satisfies(v -> assertThat(v.message())
                .contains("is not in staging")
                .contains("it was found further up the chain, so it is not yet in testing, staging")
                .contains("differs from staging in apps/web/values.yaml")
                .contains("brought by " + change.abbreviate(12).name())
                .doesNotContain(merge.abbreviate(12).name()));
    }

    /**
     * Naming the commits that brought a path is a search like the others, bounded by
     * searchDepth: past it the rejection says which paths differ and names no commit, rather
     * than read the history down to one (where the upstream moved on, there is none to find).
     */
    @Test
    void theCommitsThatBroughtAPathAreLookedForWithinSearchDepth() {
        String policy = GitOpsFixture.policyPlus("promotion:\n  searchDepth: 5\n");
        for (int depth : new int[] {5, 200}) {
            chain(depth == 5 ? policy : GitOpsFixture.POLICY);
            RevCommit change = gitops.changeOnDevelop("apps/web/values.yaml", NEW_WEB);
            for (int i = 0; i < 10; i++) {
                gitops.changeOnDevelop("docs/draft.md", "draft " + i + "\n");
                repo().commitOn("develop").delete("docs/draft.md").message("drop the draft").commitTo("develop");
            }
            RevCommit merge = gitops.promotion("develop", "main");

            Outcome outcome = gitops.push(gitops.update("main", merge));

            String message = violations(outcome, RULE).get(0).message();
            assertThat(message).as("searchDepth " + depth).contains("differs from staging in apps/web/values.yaml");
            if (depth == 5) {
                assertThat(message).doesNotContain("brought by");
            } else {
                assertThat(message).contains("brought by " + change.abbreviate(12).name());
            }
            gitops.close();
            gitops = null;
            dir = dir.resolve("again");
        }
    }

    @Nested
    class EnvironmentSpecificChanges {

        @ParameterizedTest
        @ValueSource(strings = {"develop", "test", "staging", "main"})
        void anEnvironmentOnlyChangeIsAcceptedOnEveryEnvironment(String branch) {
            chain();
            RevCommit change = gitops.change(branch, "env/values.yaml", "environment: tuned\nreplicas: 5\n");

            assertAccepted(gitops.push(gitops.update(branch, change)));
        }

        @Test
        void anEnvironmentOnlyChangeIsAcceptedWhenTheUpstreamBranchDoesNotExist() {
            chain();
            repo().deleteBranch("develop");
            RevCommit change = gitops.change("test", "env/values.yaml", "environment: tuned\n");

            assertAccepted(gitops.push(gitops.update("test", change)));
        }
    }

    @Nested
    class Rollbacks {

        @Test
        void rollingBackToOlderUpstreamContentIsAccepted() {
            chain();
            gitops.changeOnDevelop("apps/web/values.yaml", "replicas: 3\n");
            gitops.changeOnDevelop("apps/web/values.yaml", "replicas: 4\n");
            gitops.promote("develop", "test");
            RevCommit rollback = gitops.change("test", "apps/web/values.yaml", "replicas: 3\n");

            assertAccepted(gitops.push(gitops.update("test", rollback)));
        }

        @Test
        void contentThatLeftTheUpstreamsSearchDepthIsRejected() {
            chain(GitOpsFixture.policyPlus("promotion:\n  searchDepth: 2\n"));
            gitops.changeOnDevelop("apps/web/values.yaml", "replicas: 3\n");
            gitops.changeOnDevelop("apps/web/values.yaml", "replicas: 4\n");
            gitops.changeOnDevelop("apps/web/values.yaml", "replicas: 5\n");
            gitops.changeOnDevelop("apps/web/values.yaml", "replicas: 6\n");

            Outcome tooOld = gitops.push(gitops.update("test",
                    gitops.change("test", "apps/web/values.yaml", "replicas: 3\n")));
            Outcome justInside = gitops.push(gitops.update("test",
                    gitops.change("test", "apps/web/values.yaml", "replicas: 4\n")));

            assertThat(errors(tooOld)).containsExactly(RULE);
            assertThat(render(tooOld)).contains("last 2 first-parent commits");
            assertAccepted(justInside);
        }
    }

    @Nested
    class NewEnvironmentBranches {

        @Test
        void creatingABranchWithTheUpstreamsContentIsAccepted() {
            chain();
            repo().deleteBranch("test");
            RevCommit first = repo().commitOn("develop").file("env/values.yaml", "environment: test\n").create();

            Outcome outcome = gitops.push(gitops.update("test", first));

            assertThat(gitops.update("test", first).isCreation()).isTrue();
            assertAccepted(outcome);
        }

        @Test
        void creatingABranchWithOtherContentIsRejected() {
            chain();
            repo().deleteBranch("test");
            RevCommit first = repo().commitOn("develop").file("apps/web/values.yaml", NEW_WEB).create();

            assertThat(errors(gitops.push(gitops.update("test", first)))).containsExactly(RULE);
        }

        @Test
        void creatingABranchBeforeItsUpstreamIsRejectedNamingTheOrder() {
            chain();
            repo().deleteBranch("develop");
            repo().deleteBranch("test");
            RevCommit first = repo().commitOn("main").file("env/values.yaml", "environment: test\n").create();

            Outcome outcome = gitops.push(gitops.update("test", first));

            assertThat(outcome.status()).isEqualTo(ExitStatus.REJECTED);
            assertThat(violations(outcome, RULE)).singleElement().satisfies(v -> assertThat(v.message())
                    .contains("promotes from development (branch 'develop'), whose branch does not exist yet")
                    .contains("create the branches in promotion order: develop -> test"));
        }
    }

    @Nested
    class Graphs {

        private static final String FAN_POLICY = """
                apiVersion: stagegate/v1
                kind: PromotionPolicy
                environments:
                  - name: integration
                    branch: integration
                  - name: staging-eu
                    branch: staging-eu
                    promotesFrom: integration
                  - name: staging-us
                    branch: staging-us
                    promotesFrom: integration
                  - name: production
                    branch: main
                    promotesFrom: [staging-eu, staging-us]
                    upstreams: all
                  - name: canary
                    branch: canary
                    promotesFrom: [staging-eu, staging-us]
                    upstreams: any
                environmentSpecificPaths:
                  - "env/**"
                """;

        private void fan() {
            gitops = GitOpsFixture.createWithBranches(dir.resolve("fan.git"), FAN_POLICY,
                    List.of("integration", "staging-eu", "staging-us", "canary"));
        }

        @Test
        void fanOutLetsEveryDownstreamTakeTheSameContent() {
            fan();
            gitops.repo().commitOn("integration").file("apps/web/values.yaml", NEW_WEB).commitTo("integration");

            assertAccepted(gitops.push(gitops.update("staging-eu", gitops.promotion("integration", "staging-eu")),
                    gitops.update("staging-us", gitops.promotion("integration", "staging-us"))));
        }

        @Test
        void fanInWithUpstreamsAllNeedsTheContentInEveryUpstream() {
            fan();
            gitops.repo().commitOn("integration").file("apps/web/values.yaml", NEW_WEB).commitTo("integration");
            gitops.promote("integration", "staging-eu");

            Outcome inOne = gitops.push(gitops.update("main", gitops.promotion("staging-eu", "main")));

            assertThat(errors(inOne)).containsExactly(RULE);
            assertThat(violations(inOne, RULE)).singleElement().satisfies(v -> assertThat(v.message())
                    .contains("is not in staging-us").doesNotContain("is not in staging-eu"));

            gitops.promote("integration", "staging-us");
            assertAccepted(gitops.push(gitops.update("main", gitops.promotion("staging-eu", "main"))));
        }

        @Test
        void fanInWithUpstreamsAnyNeedsTheContentInOneUpstream() {
            fan();
            gitops.repo().commitOn("integration").file("apps/web/values.yaml", NEW_WEB).commitTo("integration");

            Outcome inNone = gitops.push(gitops.update("canary", gitops.promotion("integration", "canary")));

            assertThat(violations(inNone, RULE)).singleElement().satisfies(v -> assertThat(v.message())
                    .contains("is not in staging-eu, staging-us").contains("upstreams: any, one must carry it"));

            gitops.promote("integration", "staging-us");
            assertAccepted(gitops.push(gitops.update("canary", gitops.promotion("staging-us", "canary"))));
        }
    }

    /**
     * A fan-in of four upstreams that lack the content: one finding, each upstream named once
     * in promotesFrom order, the paths and commits said once.
     */
    @Nested
    class FourUpstreams {

        private static final String POLICY = """
                apiVersion: stagegate/v1
                kind: PromotionPolicy
                environments:
                  - name: qa
                    branch: qa
                  - name: load-gpu
                    branch: load-gpu
                    promotesFrom: qa
                  - name: integration-gpu
                    branch: integration-gpu
                    promotesFrom: qa
                  - name: load-cpu
                    branch: load-cpu
                    promotesFrom: qa
                  - name: integration-cpu
                    branch: integration-cpu
                    promotesFrom: qa
                  - name: staging
                    branch: staging-eu
                    promotesFrom: [load-gpu, integration-gpu, load-cpu, integration-cpu]
                    upstreams: all
                environmentSpecificPaths:
                  - "env/**"
                """;
        private static final List<String> UPSTREAMS = List.of("load-gpu", "integration-gpu", "load-cpu",
                "integration-cpu");

        @Test
        void contentMissingFromThreeUpstreamsIsOneShortFindingNamingEachOnceInPolicyOrder() {
            gitops = GitOpsFixture.createWithBranches(dir.resolve("fan-in.git"), POLICY,
                    List.of("qa", "load-gpu", "integration-gpu", "load-cpu", "integration-cpu", "staging-eu"));
            RevCommit web = repo().commitOn("qa").file("apps/web/values.yaml", NEW_WEB).message("web 1.1")
                    .commitTo("qa");
            repo().commitOn("qa").file("apps/api/values.yaml", "replicas: 1\n").message("api").commitTo("qa");
            gitops.promote("qa", "integration-gpu");

            Outcome outcome = gitops.push(gitops.update("staging-eu", gitops.promotion("integration-gpu",
                    "staging-eu")));

            assertThat(errors(outcome)).containsExactly(RULE);
            String message = violations(outcome, RULE).get(0).message();
            assertThat(violations(outcome, RULE)).hasSize(1);
            List<String> lacking = List.of("load-gpu", "load-cpu", "integration-cpu");
            for (String upstream : UPSTREAMS) {
                assertThat(message.split("\\b" + upstream + "\\b", -1)).as(upstream + " in: " + message)
                        .hasSize(lacking.contains(upstream) ? 2 : 1);
            }
            assertThat(message.indexOf("load-gpu")).isLessThan(message.indexOf("load-cpu"));
            assertThat(message.indexOf("load-cpu")).isLessThan(message.indexOf("integration-cpu"));
            assertThat(message)
                    .contains("is not in load-gpu, load-cpu, integration-cpu")
                    .contains("differs from them in apps/api/values.yaml, apps/web/values.yaml")
                    .contains(web.abbreviate(12).name())
                    .contains("promote through them first");
            assertThat(message.split("apps/web/values.yaml", -1)).hasSize(2);
            assertThat(message).hasSizeLessThan(400);
        }
    }

    @Nested
    class FastForwardOnly {

        @Test
        void aMergePromotionIsRejected() {
            chain(GitOpsFixture.policyPlus("promotion:\n  fastForwardOnly: true\n"));
            gitops.changeOnDevelop("apps/web/values.yaml", NEW_WEB);

            Outcome outcome = gitops.push(gitops.update("test", gitops.promotion("develop", "test")));

            assertThat(errors(outcome)).containsExactly(RULE);
            assertThat(render(outcome)).contains("fastForwardOnly").contains("must itself be a commit of development");
        }

        @Test
        void theUpstreamTipItselfIsAccepted() {
            chain(GitOpsFixture.policyPlus("promotion:\n  fastForwardOnly: true\n"));
            RevCommit onTopOfTest = repo().commitOn("test").file("apps/web/values.yaml", NEW_WEB).create();
            repo().setBranch("develop", onTopOfTest);

            assertAccepted(gitops.push(gitops.update("test", onTopOfTest)));
        }
    }

    /**
     * After a hotfix bypassed into production, the rejection of a promotion that cannot converge
     * names the production commits staging lacks and the way that works; each step of that way is
     * then accepted.
     */
    @Nested
    class HotfixRecovery {

        private static final String FIX = "replicas: 9\nimage: web:1.0\n";
        private static final String FAST_FORWARD_ONLY = GitOpsFixture.policyPlus(
                "promotion:\n  fastForwardOnly: true\n");

        /** Every branch at main's commit, as fast-forward-only promotion keeps them: one line of history. */
        private void oneLineOfHistory() {
            chain(FAST_FORWARD_ONLY);
            for (String branch : List.of("develop", "test", "staging")) {
                repo().setBranch(branch, gitops.tip("main"));
            }
        }

        private RevCommit hotfixOnMain() {
            return repo().commitOn("main").file("apps/web/values.yaml", FIX).message("hotfix web replicas")
                    .commitTo("main");
        }

        private void acceptAndMove(String branch, RevCommit commit) {
            assertAccepted(gitops.push(gitops.update(branch, commit)));
            repo().setBranch(branch, commit);
        }

        @Test
        void withFastForwardOnlyTheRejectionsNameTheHotfixAndMergingItIntoDevelopConverges() {
            oneLineOfHistory();
            RevCommit hotfix = hotfixOnMain();
            gitops.changeOnDevelop("apps/api/values.yaml", "replicas: 1\n");
            RevCommit fix = repo().commitOn("develop").file("apps/web/values.yaml", FIX).message("fix web replicas")
                    .commitTo("develop");
            repo().setBranch("test", fix);
            repo().setBranch("staging", fix);
            gitops.passEvidence("staging", "integration");
            String hotfixId = hotfix.abbreviate(12).name();

            Outcome merge = gitops.push(gitops.update("main", gitops.promotion("staging", "main")));
            Outcome revert = gitops.push(gitops.update("main", repo().commitOn("main")
                    .file("apps/web/values.yaml", "replicas: 2\nimage: web:1.0\n").message("revert").create()));
            Outcome reset = gitops.push(gitops.update("main", fix));

            for (Outcome rejected : List.of(merge, revert)) {
                assertThat(errors(rejected)).contains(RULE);
                assertThat(violations(rejected, RULE).get(0).message())
                        .contains("must itself be a commit of staging")
                        .contains("'main' carries a commit that staging lacks (never brought back upstream): "
                                + hotfixId + " \"hotfix web replicas\"")
                        .contains("merge it into develop (there: git merge " + hotfixId + ")")
                        .contains("promote develop -> test -> staging -> main, each step a fast-forward")
                        .doesNotContain("promote through staging first");
            }
            assertThat(errors(reset)).containsExactly("force-push");

            RevCommit converged = repo().commitOn("develop").parents(fix, hotfix).message("merge the hotfix").create();
            acceptAndMove("develop", converged);
            acceptAndMove("test", converged);
            acceptAndMove("staging", converged);
            gitops.passEvidence("staging", "integration");
            acceptAndMove("main", converged);
        }

        /**
         * Commits are walked newest first, so with clocks that disagree a commit staging has can
         * come up before the walk learns that staging has it; it must not be named all the same.
         */
        @Test
        void aCommitTheUpstreamHasIsNotNamedWhenCommitTimesAreSkewed() {
            oneLineOfHistory();
            RevCommit root = gitops.tip("main");
            RevCommit hotfix = hotfixOnMain();
            Instant longBefore = Instant.parse("2020-01-01T00:00:00Z");
            RevCommit api = null;
            for (int replicas = 1; replicas <= 8; replicas++) {
                api = repo().commitOn("develop").file("apps/api/values.yaml", "replicas: " + replicas + "\n")
                        .at(longBefore).commitTo("develop");
            }
            RevCommit fix = repo().commitOn("develop").file("apps/web/values.yaml", FIX).at(longBefore)
                    .commitTo("develop");
            repo().setBranch("test", fix);
            repo().setBranch("staging", fix);

            Outcome merge = gitops.push(gitops.update("main", gitops.promotion("staging", "main")));

            assertThat(api.getCommitTime()).isLessThan(root.getCommitTime());
            assertThat(violations(merge, RULE)).singleElement().satisfies(v -> assertThat(v.message())
                    .contains("carries a commit that staging lacks (never brought back upstream): "
                            + hotfix.abbreviate(12).name() + " \"hotfix web replicas\";")
                    .doesNotContain(root.abbreviate(12).name()));
        }

        @Test
        void withoutFastForwardOnlyTheRejectionNamesTheHotfixAndCherryPickingItOntoDevelopConverges() {
            chain();
            RevCommit hotfix = hotfixOnMain();
            gitops.changeOnDevelop("apps/api/values.yaml", "replicas: 1\n");
            gitops.promote("develop", "test");
            gitops.promote("test", "staging");
            gitops.passEvidence("staging", "integration");
            String hotfixId = hotfix.abbreviate(12).name();
            RevCommit mergeKeepingTheHotfix = repo().commitOn("main").parents(hotfix, gitops.tip("staging"))
                    .filesOf(gitops.tip("staging")).keep(hotfix, "env/**").file("apps/web/values.yaml", FIX).create();

            Outcome rejected = gitops.push(gitops.update("main", mergeKeepingTheHotfix));

            assertThat(errors(rejected)).contains(RULE);
            assertThat(violations(rejected, RULE).get(0).message())
                    .contains("differs from staging in apps/web/values.yaml (brought by " + hotfixId)
                    .contains("'main' carries a change found nowhere upstream (never brought back to staging): "
                            + hotfixId + " \"hotfix web replicas\"")
                    .contains("cherry-pick it onto develop (git cherry-pick " + hotfixId + ")")
                    .contains("promote develop -> test -> staging -> main")
                    .contains("to drop it, promote with staging's version of those paths");

            acceptAndMove("develop", repo().commitOn("develop").file("apps/web/values.yaml", FIX)
                    .message("hotfix web replicas (cherry picked from " + hotfix.name() + ")").create());
            acceptAndMove("test", gitops.promotion("develop", "test"));
            acceptAndMove("staging", gitops.promotion("test", "staging"));
            gitops.passEvidence("staging", "integration");
            acceptAndMove("main", gitops.promotion("staging", "main"));
        }

        @Test
        void aHotfixOfSeveralCommitsIsCherryPickedOldestFirstAndPastFiveNamedInPart() {
            for (int count : new int[] {2, 6}) {
                chain();
                List<String> ids = new ArrayList<>();
                for (int i = 1; i <= count; i++) {
                    ids.add(repo().commitOn("main").file("apps/web/values.yaml", "replicas: " + (10 + i) + "\n")
                            .message("hotfix " + i).commitTo("main").abbreviate(12).name());
                }
                gitops.changeOnDevelop("apps/api/values.yaml", "replicas: 1\n");
                gitops.promote("develop", "test");
                gitops.promote("test", "staging");
                RevCommit merge = repo().commitOn("main").parents(gitops.tip("main"), gitops.tip("staging"))
                        .filesOf(gitops.tip("staging")).keep(gitops.tip("main"), "env/**")
                        .file("apps/web/values.yaml", "replicas: " + (10 + count) + "\n").create();

                String message = violations(gitops.push(gitops.update("main", merge)), RULE).get(0).message();

                assertThat(message).as("%d commits", count).contains("'main' carries " + count + " changes found"
                        + " nowhere upstream (never brought back to staging): " + ids.get(count - 1) + " \"hotfix "
                        + count + "\"");
                if (count == 2) {
                    assertThat(message).contains("cherry-pick them onto develop (git cherry-pick " + ids.get(0) + " "
                            + ids.get(1) + ") and promote");
                } else {
                    assertThat(message).contains(ids.get(count - 5)).doesNotContain(ids.get(0))
                            .contains("\"hotfix 2\", ...; to keep them, cherry-pick them onto develop, oldest first,"
                                    + " and promote").doesNotContain("git cherry-pick");
                }
                gitops.close();
                gitops = null;
                dir = dir.resolve("again");
            }
        }

        @Test
        void aHotfixAlreadyBroughtBackIsNotNamed() {
            chain();
            RevCommit hotfix = hotfixOnMain();
            gitops.changeOnDevelop("apps/web/values.yaml", FIX);
            gitops.promote("develop", "test");
            gitops.promote("test", "staging");
            gitops.promote("staging", "main");
            gitops.changeOnDevelop("apps/api/values.yaml", "replicas: 1\n");

            Outcome skipping = gitops.push(gitops.update("main", gitops.promotion("develop", "main")));

            assertThat(violations(skipping, RULE)).singleElement().satisfies(v -> assertThat(v.message())
                    .doesNotContain(hotfix.abbreviate(12).name()).doesNotContain("carries")
                    .contains("promote through staging first"));
        }
    }

    @Test
    void stagingsNewContentCannotVouchForProductionInTheSamePush() {
        chain();
        gitops.changeOnDevelop("apps/web/values.yaml", NEW_WEB);
        gitops.promote("develop", "test");
        RevCommit staging = gitops.promotion("test", "staging");
        RevCommit main = repo().commitOn("main").parents(gitops.tip("main"), staging)
                .filesOf(staging).keep(gitops.tip("main"), "env/**").create();

        Outcome outcome = gitops.push(gitops.update("staging", staging), gitops.update("main", main));

        assertThat(outcome.status()).isEqualTo(ExitStatus.REJECTED);
        assertThat(violations(outcome, RULE)).singleElement()
                .satisfies(v -> assertThat(v.ref()).isEqualTo("refs/heads/main"));
        assertThat(outcome.verdict().violations()).noneMatch(v -> "refs/heads/staging".equals(v.ref()));
    }

    @Test
    void modeWarnMakesItAWarning() {
        chain(GitOpsFixture.policyPlus("mode: warn\n"));
        gitops.changeOnDevelop("apps/web/values.yaml", NEW_WEB);

        Outcome outcome = gitops.push(gitops.update("staging", gitops.promotion("develop", "staging")));

        assertThat(outcome.status()).isEqualTo(ExitStatus.ACCEPTED);
        assertThat(errors(outcome)).isEmpty();
        assertThat(warnings(outcome)).containsExactly(RULE);
    }

    @Test
    void ruleModesOffSilencesIt() {
        chain(GitOpsFixture.policyPlus("ruleModes:\n  skipped-stage: \"off\"\n"));
        gitops.changeOnDevelop("apps/web/values.yaml", NEW_WEB);

        assertAccepted(gitops.push(gitops.update("staging", gitops.promotion("develop", "staging"))));
    }
}
