package dev.stagegate.status;

import static dev.stagegate.testing.GitOpsFixture.NOTES;
import static dev.stagegate.testing.GitOpsFixture.NOW;
import static dev.stagegate.testing.GitOpsFixture.evidence;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stagegate.ExitStatus;
import dev.stagegate.approval.ApprovalJudgement.NotCounted;
import dev.stagegate.engine.RepositoryUnreadableException;
import dev.stagegate.evidence.ApprovalRecord;
import dev.stagegate.git.RepositoryView.BranchSource;
import dev.stagegate.policy.Policy;
import dev.stagegate.policy.PolicyLoader;
import dev.stagegate.rules.EvidenceJudgement.Finding;
import dev.stagegate.rules.EvidenceJudgement;
import dev.stagegate.testing.GitOpsFixture;
import dev.stagegate.testing.TestRepository;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The board of real repositories built with {@link GitOpsFixture}: develop -> test -> staging
 * -> main, production requiring 'integration' evidence from staging, {@code env/**}
 * environment-specific.
 */
class BoardBuilderTest {

    @TempDir
    Path dir;

    GitOpsFixture gitops;

    @AfterEach
    void tearDown() {
        if (gitops != null) {
            gitops.close();
        }
    }

    private GitOpsFixture fixture() {
        gitops = GitOpsFixture.create(dir.resolve("server.git"));
        return gitops;
    }

    private EnvironmentBoard board() throws IOException {
        return board(gitops.repo().directory());
    }

    private static EnvironmentBoard board(Path repository) throws IOException {
        StatusOutcome outcome = build(repository, Optional.empty());
        assertThat(outcome.status()).as("%s", outcome.outcome().verdict()).isEqualTo(ExitStatus.ACCEPTED);
        return outcome.board().orElseThrow();
    }

    private static StatusOutcome build(Path repository, Optional<Policy> serverPolicy) throws IOException {
        return new BoardBuilder(new PolicyLoader()).build(new StatusRequest(repository, Optional.empty()),
                serverPolicy, NOW);
    }

    private static EnvironmentStatus environment(EnvironmentBoard board, String name) {
        return board.environment(name).orElseThrow();
    }

    private static UpstreamStatus onlyUpstream(EnvironmentBoard board, String name) {
        List<UpstreamStatus> upstreams = environment(board, name).upstreams();
        assertThat(upstreams).hasSize(1);
        return upstreams.get(0);
    }

    @Test
    void environmentsAtTheSameContentAreInSyncInTopologicalOrder() throws IOException {
        fixture();

        EnvironmentBoard board = board();

        assertThat(board.environments()).extracting(EnvironmentStatus::name)
                .containsExactly("development", "testing", "staging", "production");
        assertThat(board.branchSource()).isEqualTo(BranchSource.LOCAL);
        assertThat(board.policySource()).startsWith(".stagegate/policy.yaml at main");
        EnvironmentStatus development = environment(board, "development");
        assertThat(development.isEntry()).isTrue();
        assertThat(development.upstreams()).isEmpty();
        assertThat(development.nextInLine()).isEmpty();
        assertThat(development.tip().orElseThrow().id()).isEqualTo(gitops.tip("develop").name());
        assertThat(development.tip().orElseThrow().subject()).isEqualTo("env settings of develop");
        for (String name : List.of("testing", "staging", "production")) {
            EnvironmentStatus environment = environment(board, name);
            assertThat(environment.notBackPorted()).as(name).isFalse();
            assertThat(environment.skippedStage()).as(name).isFalse();
            assertThat(environment.hasWaiting()).as(name).isFalse();
            UpstreamStatus upstream = environment.upstreams().get(0);
            assertThat(upstream.state()).as(name).isEqualTo(UpstreamState.IN_SYNC);
            assertThat(upstream.carries()).isEqualTo(upstream.tip());
            assertThat(upstream.differingPaths().isEmpty()).isTrue();
            assertThat(upstream.notBroughtBack().isEmpty()).isTrue();
        }
        assertThat(environment(board, "production").contentKey()).isEqualTo(environment(board, "staging").contentKey());
    }

    @Test
    void contentPromotedPartWayWaitsInTheNextUpstream() throws IOException {
        fixture();
        RevCommit stagingContent = gitops.tip("test");
        gitops.changeOnDevelop("apps/web/values.yaml", "replicas: 3\nimage: web:1.1\n");
        gitops.promote("develop", "test");
        gitops.changeOnDevelop("apps/api/values.yaml", "replicas: 1\n");
        gitops.promote("develop", "test");

        EnvironmentBoard board = board();

        assertThat(onlyUpstream(board, "testing").state()).isEqualTo(UpstreamState.IN_SYNC);
        UpstreamStatus staging = onlyUpstream(board, "staging");
        assertThat(staging.state()).isEqualTo(UpstreamState.BEHIND);
        assertThat(staging.carries().orElseThrow().id()).isEqualTo(stagingContent.name());
        assertThat(staging.waiting().commits()).isEqualTo(2);
        assertThat(staging.waiting().atLeast()).isFalse();
        assertThat(staging.waiting().paths().paths()).containsExactly("apps/api/values.yaml", "apps/web/values.yaml");
        assertThat(staging.notBroughtBack().isEmpty()).isTrue();
        assertThat(environment(board, "staging").notBackPorted()).isFalse();
        assertThat(environment(board, "staging").hasWaiting()).isTrue();
        assertThat(environment(board, "staging").nextInLine().orElseThrow().fromEnvironment()).isEqualTo("testing");
        assertThat(onlyUpstream(board, "production").state()).isEqualTo(UpstreamState.IN_SYNC);
    }

    @Test
    void aDirectCommitToMainIsAHotfixNotBackPortedWithItsPathsAndNothingToPromote() throws IOException {
        fixture();
        gitops.repo().commitOn("main").file("apps/web/values.yaml", "replicas: 9\nimage: web:1.0\n")
                .file("env/values.yaml", "environment: production\nregion: eu\n")
                .message("Hotfix straight into production").commitTo("main");

        EnvironmentBoard board = board();

        EnvironmentStatus production = environment(board, "production");
        assertThat(production.notBackPorted()).isTrue();
        assertThat(production.skippedStage()).isFalse();
        assertThat(production.tip().orElseThrow().subject()).isEqualTo("Hotfix straight into production");
        UpstreamStatus staging = onlyUpstream(board, "production");
        assertThat(staging.state()).isEqualTo(UpstreamState.NOT_BACK_PORTED);
        assertThat(staging.foundIn()).isEmpty();
        assertThat(staging.carries()).isEmpty();
        assertThat(staging.differingPaths().paths()).as("env/** differs by design")
                .containsExactly("apps/web/values.yaml");
        assertThat(staging.notBroughtBack().paths()).containsExactly("apps/web/values.yaml");
        assertThat(staging.waiting().isEmpty()).as("staging has nothing production lacks").isTrue();
        assertThat(staging.tipAlreadyPassed()).as("staging's tip is production's content before the hotfix").isTrue();
        assertThat(production.nextInLine()).as("promoting staging's tip would step back and undo the hotfix")
                .isEmpty();
        assertThat(environment(board, "staging").notBackPorted()).isFalse();
    }

    @Test
    void aHotfixNeverBackPortedIsToldApartFromContentWaitingUpstreamAndBlocksItsPromotion() throws IOException {
        fixture();
        gitops.repo().commitOn("main").file("apps/web/values.yaml", "replicas: 9\nimage: web:1.0\n")
                .message("Hotfix").commitTo("main");
        gitops.changeOnDevelop("apps/api/values.yaml", "replicas: 1\n");
        gitops.promote("develop", "test");
        gitops.promote("test", "staging");

        gitops.passEvidence("staging", "integration");

        EnvironmentStatus production = environment(board(), "production");
        UpstreamStatus staging = production.upstreams().get(0);

        assertThat(staging.state()).isEqualTo(UpstreamState.NOT_BACK_PORTED);
        assertThat(staging.tipAlreadyPassed()).isFalse();
        assertThat(staging.differingPaths().paths()).containsExactly("apps/api/values.yaml", "apps/web/values.yaml");
        assertThat(staging.notBroughtBack().paths()).containsExactly("apps/web/values.yaml");
        assertThat(staging.waiting().paths().paths()).containsExactly("apps/api/values.yaml");
        assertThat(staging.waiting().commits()).as("the promotion into staging since main's last content")
                .isEqualTo(1);
        NextInLine next = production.nextInLine().orElseThrow();
        assertThat(next.fromEnvironment()).isEqualTo("staging");
        assertThat(next.evidenceSatisfied()).isTrue();
        assertThat(next.blocked()).as("a promotion of staging's tip would undo the hotfix").hasValueSatisfying(
                blocked -> {
                    assertThat(blocked.reason()).isEqualTo(Blocked.Reason.UNDOES_HOTFIX);
                    assertThat(blocked.paths().paths()).containsExactly("apps/web/values.yaml");
                    assertThat(blocked.environments()).as("where to back-port it").containsExactly("development");
                });
        assertThat(next.ready()).as("passing evidence does not make it ready").isFalse();
    }

    @Test
    void aHotfixBroughtBackThroughTheChainLeavesNothingBehind() throws IOException {
        fixture();
        gitops.repo().commitOn("main").file("apps/web/values.yaml", "replicas: 9\nimage: web:1.0\n")
                .message("Hotfix").commitTo("main");
        gitops.changeOnDevelop("apps/web/values.yaml", "replicas: 9\nimage: web:1.0\n");
        gitops.promote("develop", "test");

        EnvironmentBoard halfWay = board();
        UpstreamStatus notYet = onlyUpstream(halfWay, "production");
        assertThat(notYet.state()).as("back-ported as far as testing: no longer found nowhere upstream")
                .isEqualTo(UpstreamState.SKIPPED_STAGE);
        assertThat(notYet.foundIn().orElseThrow().environment()).isEqualTo("testing");
        assertThat(notYet.skipped()).as("staging does not have it yet").containsExactly("staging");
        assertThat(notYet.notBroughtBack().isEmpty()).isTrue();
        assertThat(environment(halfWay, "production").nextInLine()).as("staging's tip would be a step backwards")
                .isEmpty();

        gitops.promote("test", "staging");
        EnvironmentBoard board = board();

        UpstreamStatus staging = onlyUpstream(board, "production");
        assertThat(staging.state()).isEqualTo(UpstreamState.IN_SYNC);
        assertThat(staging.notBroughtBack().isEmpty()).isTrue();
        assertThat(environment(board, "production").notBackPorted()).isFalse();
    }

    @Test
    void manyDifferingPathsAreCappedAndCounted() throws IOException {
        fixture();
        TestRepository.CommitSpec hotfix = gitops.repo().commitOn("main").message("Many files");
        for (int i = 0; i < PathList.LIMIT + 5; i++) {
            hotfix.file(String.format("apps/app%02d/values.yaml", i), "replicas: 1\n");
        }
        hotfix.commitTo("main");

        UpstreamStatus staging = onlyUpstream(board(), "production");

        assertThat(staging.differingPaths().total()).isEqualTo(PathList.LIMIT + 5);
        assertThat(staging.differingPaths().paths()).hasSize(PathList.LIMIT).first()
                .isEqualTo("apps/app00/values.yaml");
        assertThat(staging.differingPaths().truncated()).isTrue();
    }

    @Test
    void theNextContentShowsTheDecisiveEvidenceRecord() throws IOException {
        fixture();
        gitops.changeOnDevelop("apps/web/values.yaml", "replicas: 3\nimage: web:1.1\n");
        gitops.promote("develop", "test");
        gitops.promote("test", "staging");
        gitops.passEvidence("staging", "integration");

        NextInLine next = environment(board(), "production").nextInLine().orElseThrow();

        assertThat(next.fromEnvironment()).isEqualTo("staging");
        assertThat(next.commit().id()).isEqualTo(gitops.tip("staging").name());
        assertThat(next.alreadyHere()).isFalse();
        assertThat(next.evidenceSatisfied()).isTrue();
        EvidenceJudgement integration = next.evidence().get(0);
        assertThat(integration.requirement().suite()).isEqualTo("integration");
        assertThat(integration.finding()).isEqualTo(Finding.PASSED);
        assertThat(integration.decisive().orElseThrow().producer()).isEqualTo("ci-bot");
        assertThat(integration.decisive().orElseThrow().recordedAt()).isEqualTo(NOW.minusSeconds(3600));
        assertThat(integration.tested().orElseThrow().name()).isEqualTo(gitops.tip("staging").name());
        assertThat(next.approvals()).as("production requires no approval here").isEmpty();
        assertThat(next.approvalsSatisfied()).isTrue();
        assertThat(next.ready()).isTrue();
    }

    @Test
    void approvalsAreJudgedAsMissingApprovalJudgesThemWithWhoIsAwaited() {
        NextInLine next = environment(BoardScenarios.awaitingApprovals(dir.resolve("s.git")), "production")
                .nextInLine().orElseThrow();

        ApprovalStatus approvals = next.approvals().orElseThrow();
        assertThat(approvals.judgement().counted()).extracting(ApprovalRecord::approver).containsExactly("alice");
        assertThat(approvals.judgement().notCounted()).extracting(NotCounted::approver)
                .containsExactlyInAnyOrder("carol", "eve");
        assertThat(approvals.judgement().notCounted()).filteredOn(n -> n.approver().equals("carol"))
                .singleElement().satisfies(carol -> assertThat(carol.reason())
                        .as("the author of the change staging brings").startsWith("the author of promoted change"));
        assertThat(approvals.judgement().rejections()).isEmpty();
        assertThat(approvals.missing()).isEqualTo(1);
        assertThat(approvals.awaited()).containsExactly(
                new ApprovalStatus.Awaited("release-managers", true, List.of("bob")),
                new ApprovalStatus.Awaited("dana", false, List.of("dana")));
        assertThat(approvals.waitingFor()).containsExactly("bob", "dana");
        assertThat(next.approvalsSatisfied()).isFalse();
        assertThat(next.ready()).isFalse();
    }

    @Test
    void aRejectionBlocksThePromotionEvenWithEnoughApprovals() {
        NextInLine next = environment(BoardScenarios.rejected(dir.resolve("s.git")), "production")
                .nextInLine().orElseThrow();

        ApprovalStatus approvals = next.approvals().orElseThrow();
        assertThat(approvals.judgement().counted()).extracting(ApprovalRecord::approver)
                .containsExactly("alice", "dana");
        assertThat(approvals.missing()).isZero();
        assertThat(approvals.judgement().rejections()).extracting(ApprovalRecord::approver).containsExactly("bob");
        assertThat(next.evidenceSatisfied()).isTrue();
        assertThat(next.approvalsSatisfied()).isFalse();
        assertThat(next.ready()).isFalse();
    }

    @Test
    void soakTimeShowsWhenTheRunOfPassesBeganAndWhenItIsReady() {
        NextInLine next = environment(BoardScenarios.awaitingApprovals(dir.resolve("s.git")), "production")
                .nextInLine().orElseThrow();

        EvidenceJudgement deployed = next.evidence().get(1);
        assertThat(deployed.finding()).isEqualTo(Finding.SOAKING);
        assertThat(deployed.passingSince()).contains(BoardScenarios.DEPLOYED_AT);
        assertThat(deployed.readyAt()).contains(BoardScenarios.DEPLOYED_AT.plus(Duration.ofHours(24)));
        assertThat(next.evidenceSatisfied()).isFalse();
    }

    @Test
    void withEvidenceSoakedAndEnoughApprovalsThePromotionIsReady() {
        NextInLine next = environment(BoardScenarios.approvedAndSoaked(dir.resolve("s.git")), "production")
                .nextInLine().orElseThrow();

        assertThat(next.evidence()).extracting(EvidenceJudgement::finding).containsExactly(Finding.PASSED,
                Finding.PASSED);
        assertThat(next.approvals().orElseThrow().judgement().counted()).extracting(ApprovalRecord::approver)
                .containsExactly("alice", "dana");
        assertThat(next.approvals().orElseThrow().awaited()).extracting(ApprovalStatus.Awaited::name)
                .containsExactly("release-managers");
        assertThat(next.ready()).isTrue();
    }

    @Test
    void anApprovalPolicyWithoutNotesSaysSo() throws IOException {
        gitops = GitOpsFixture.create(dir.resolve("server.git"), BoardScenarios.APPROVAL_POLICY.replace("""
                    requiresEvidence:
                      - suite: integration
                        environment: staging
                      - suite: deployed
                        environment: staging
                        minAge: 24h
                """, ""));

        EnvironmentBoard board = board();

        assertThat(board.notes()).anyMatch(note -> note.contains("no refs/notes/stagegate")
                && note.contains("no evidence or approval shows"));
        ApprovalStatus approvals = environment(board, "production").nextInLine().orElseThrow().approvals()
                .orElseThrow();
        assertThat(approvals.judgement().counted()).isEmpty();
        assertThat(approvals.missing()).isEqualTo(2);
    }

    @Test
    void aFailedReRunIsTheDecisiveRecord() throws IOException {
        fixture();
        gitops.changeOnDevelop("apps/web/values.yaml", "replicas: 3\nimage: web:1.1\n");
        gitops.promote("develop", "test");
        gitops.promote("test", "staging");
        gitops.passEvidence("staging", "integration");
        RevCommit tested = gitops.tip("staging");
        gitops.repo().addNote(NOTES, tested, evidence(tested, "staging", "integration", "failed",
                NOW.minusSeconds(600), "ci-bot"));

        EvidenceJudgement integration = environment(board(), "production").nextInLine().orElseThrow()
                .evidence().get(0);

        assertThat(integration.finding()).isEqualTo(Finding.FAILED);
        assertThat(integration.decisive().orElseThrow().recordedAt()).isEqualTo(NOW.minusSeconds(600));
    }

    @Test
    void contentAlreadyHereStillShowsItsEvidence() throws IOException {
        fixture();

        EnvironmentBoard board = board();

        NextInLine next = environment(board, "production").nextInLine().orElseThrow();
        assertThat(next.alreadyHere()).isTrue();
        assertThat(next.evidence()).singleElement()
                .satisfies(judgement -> assertThat(judgement.finding()).isEqualTo(Finding.NO_RECORD));
        assertThat(board.notes()).anyMatch(note -> note.contains("no refs/notes/stagegate"));
        assertThat(environment(board, "staging").nextInLine().orElseThrow().evidence())
                .as("staging requires nothing").isEmpty();
    }

    @Test
    void aMissingBranchIsShownAndItsDownstreamHasNoUpstreamTip() throws IOException {
        fixture();
        gitops.repo().deleteBranch("staging");

        EnvironmentBoard board = board();

        EnvironmentStatus staging = environment(board, "staging");
        assertThat(staging.branchMissing()).isTrue();
        assertThat(staging.tip()).isEmpty();
        assertThat(staging.contentKey()).isEmpty();
        assertThat(staging.upstreams()).isEmpty();
        assertThat(staging.nextInLine().orElseThrow().fromEnvironment()).isEqualTo("testing");
        UpstreamStatus production = onlyUpstream(board, "production");
        assertThat(production.state()).isEqualTo(UpstreamState.UPSTREAM_MISSING);
        assertThat(production.tip()).isEmpty();
        assertThat(environment(board, "production").notBackPorted()).isFalse();
        assertThat(environment(board, "production").nextInLine()).isEmpty();
    }

    @Test
    void aCloneIsReadFromItsRemoteTrackingBranches() throws Exception {
        fixture();
        Path clone = dir.resolve("clone");
        try (Git git = Git.cloneRepository().setURI(gitops.repo().directory().toUri().toString())
                .setDirectory(clone.toFile()).setCloneAllBranches(true).call()) {
            gitops.repo().commitOn("main").file("apps/web/values.yaml", "replicas: 9\n")
                    .message("Hotfix").commitTo("main");
            git.fetch().call();
        }

        EnvironmentBoard board = board(clone);

        assertThat(board.branchSource()).isEqualTo(BranchSource.REMOTE_FIRST);
        assertThat(environment(board, "production").notBackPorted()).as("origin/main has the hotfix, local main not")
                .isTrue();
        assertThat(environment(board, "staging").tip().orElseThrow().id()).isEqualTo(gitops.tip("staging").name());
        assertThat(board.notes()).anyMatch(note -> note.contains("git fetch origin '+refs/notes/*:refs/notes/*'"));
    }

    @Test
    void withUpstreamsAnyContentFromOneUpstreamIsNoSkippedStageAndTheOtherUpstreamsOlderTipIsNotNext()
            throws IOException {
        String policy = """
                apiVersion: stagegate/v1
                kind: PromotionPolicy
                environments:
                  - name: eu
                    branch: eu
                  - name: us
                    branch: us
                  - name: production
                    branch: main
                    promotesFrom: [eu, us]
                    upstreams: any
                environmentSpecificPaths: ["env/**"]
                """;
        gitops = GitOpsFixture.createWithBranches(dir.resolve("server.git"), policy, List.of("eu", "us"));
        gitops.repo().commitOn("eu").file("apps/web/values.yaml", "replicas: 5\n").commitTo("eu");
        gitops.promote("eu", "main");

        EnvironmentBoard board = board();

        EnvironmentStatus production = environment(board, "production");
        assertThat(production.upstreams()).extracting(UpstreamStatus::state)
                .containsExactly(UpstreamState.IN_SYNC, UpstreamState.SKIPPED_STAGE);
        UpstreamStatus us = production.upstreams().get(1);
        assertThat(us.foundIn().orElseThrow().environment()).as("the other upstream").isEqualTo("eu");
        assertThat(us.skipped()).containsExactly("us");
        assertThat(us.tipAlreadyPassed()).as("us's tip is the content production had before").isTrue();
        assertThat(production.notBackPorted()).isFalse();
        assertThat(production.skippedStage()).as("with any, one upstream that carries it is enough").isFalse();
        NextInLine next = production.nextInLine().orElseThrow();
        assertThat(next.fromEnvironment()).as("not us's older tip: the content already here").isEqualTo("eu");
        assertThat(next.alreadyHere()).isTrue();
    }

    @Test
    void withoutAPolicyThereIsNoBoard() throws IOException {
        try (TestRepository repo = TestRepository.bare(dir.resolve("plain.git"))) {
            repo.orphan().file("README.md", "no policy here\n").commitTo("main");

            StatusOutcome outcome = build(repo.directory(), Optional.empty());

            assertThat(outcome.status()).isEqualTo(ExitStatus.USAGE_OR_POLICY);
            assertThat(outcome.board()).isEmpty();
            assertThat(outcome.outcome().verdict().violations()).singleElement()
                    .satisfies(v -> assertThat(v.message()).contains("default branch 'main' has no"
                            + " .stagegate/policy.yaml (repository " + repo.directory().toAbsolutePath().normalize()
                            + "); pass --policy FILE"));
        }
    }

    /**
     * A directory inside a work tree (the project's examples/ in a clone of it) is no
     * repository of its own: git finds the enclosing one, and the message says so, naming both.
     */
    @Test
    void withoutAPolicyTheMessageNamesTheRepositoryFoundAboveADirectoryThatIsNoRepository() throws Exception {
        Path clone = dir.resolve("project");
        try (Git git = Git.init().setDirectory(clone.toFile()).setInitialBranch("main").call()) {
            Files.createDirectories(clone.resolve("examples/gitops-repo/.stagegate"));
            Files.writeString(clone.resolve("README.md"), "a project\n");
            git.add().addFilepattern("README.md").call();
            git.commit().setMessage("start").setAuthor("a", "a@example.com").setCommitter("a", "a@example.com")
                    .setSign(false).call();
        }

        StatusOutcome outcome = build(clone.resolve("examples/gitops-repo"), Optional.empty());

        assertThat(outcome.status()).isEqualTo(ExitStatus.USAGE_OR_POLICY);
        assertThat(outcome.outcome().verdict().violations()).singleElement().satisfies(v -> assertThat(v.message())
                .contains("(repository " + clone.toRealPath() + ", found above "
                        + clone.resolve("examples/gitops-repo").toAbsolutePath().normalize()
                        + ", which is not a repository of its own)"));
    }

    @Test
    void aGivenPolicyGovernsARepositoryWithoutOne() throws IOException {
        Policy policy = new PolicyLoader().load(GitOpsFixture.POLICY.getBytes(StandardCharsets.UTF_8), "policy.yaml")
                .policy().orElseThrow();
        try (TestRepository repo = TestRepository.bare(dir.resolve("plain.git"))) {
            repo.orphan().file("README.md", "no policy here\n").commitTo("main");

            StatusOutcome outcome = build(repo.directory(), Optional.of(policy));

            EnvironmentBoard board = outcome.board().orElseThrow();
            assertThat(board.policySource()).contains("--policy");
            assertThat(environment(board, "development").branchMissing()).isTrue();
            assertThat(environment(board, "production").tip()).isPresent();
        }
    }

    @Test
    void anInvalidPolicyOnTheDefaultBranchFallsBackToTheNewestValidOneWithANote() throws IOException {
        fixture();
        gitops.repo().commitOn("main").file(".stagegate/policy.yaml", "apiVersion: stagegate/v1\nkind: Nonsense\n")
                .message("Break the policy").commitTo("main");

        EnvironmentBoard board = board();

        assertThat(board.environments()).hasSize(4);
        assertThat(board.policySource()).contains(".stagegate/policy.yaml at " + gitops.tip("main").getParent(0)
                .abbreviate(12).name());
        assertThat(board.notes()).anyMatch(note -> note.startsWith("[policy-invalid] the policy governing"));
        assertThat(onlyUpstream(board, "production").differingPaths().paths()).containsExactly(".stagegate/policy.yaml");
    }

    @Test
    void aDirectoryThatIsNoRepositoryCannotBeRead() {
        assertThatThrownBy(() -> build(dir, Optional.empty())).isInstanceOf(RepositoryUnreadableException.class);
    }

    /** The next promotion judged against the target environment's custom rules, as check-promotion would. */
    @Nested
    class CustomRules {

        @Test
        void productionCountsTheFindingsOfItsRulesAsErrorsAndWarningsInTheirModes() {
            EnvironmentBoard board = BoardScenarios.customRules(dir.resolve("rules.git"));

            NextInLine next = environment(board, "production").nextInLine().orElseThrow();
            CustomRuleCounts counts = next.customRules().orElseThrow();
            assertThat(counts.judged()).isEqualTo(2);
            assertThat(counts.errors()).containsExactly(Map.entry("production-replicas", 1));
            assertThat(counts.warnings()).containsExactly(Map.entry("three-replicas", 2));
            assertThat(next.customRulesSatisfied()).isFalse();
            assertThat(next.evidenceSatisfied()).isTrue();
            assertThat(next.ready()).isFalse();
        }

        @Test
        void contentAlreadyHereOrAPolicyWithoutRulesHasNoCounts() throws IOException {
            EnvironmentBoard board = BoardScenarios.customRules(dir.resolve("rules.git"));
            fixture();
            gitops.changeOnDevelop("apps/web/values.yaml", "replicas: 1\n");

            assertThat(environment(board, "staging").nextInLine().orElseThrow().customRules()).isEmpty();
            assertThat(environment(board(), "testing").nextInLine().orElseThrow().customRules()).isEmpty();
        }

        @Test
        void aPromotionOnWhichEveryRuleHoldsIsReady() throws IOException {
            fixture();
            gitops.changeOnDevelop("apps/web/values.yaml", "replicas: 4\n");

            EnvironmentBoard board = build(gitops.repo().directory(), Optional.of(BoardScenarios.CUSTOM_RULES_POLICY))
                    .board().orElseThrow();

            NextInLine next = environment(board, "testing").nextInLine().orElseThrow();
            assertThat(next.customRules().orElseThrow().errors()).isEmpty();
            assertThat(next.customRules().orElseThrow().warnings()).isEmpty();
            assertThat(next.customRules().orElseThrow().judged()).isEqualTo(1);
            assertThat(next.ready()).isTrue();
        }
    }
}
