package dev.stagegate.status;

import static dev.stagegate.testing.GitOpsFixture.NOTES;
import static dev.stagegate.testing.GitOpsFixture.NOW;

import dev.stagegate.policy.Policy;
import dev.stagegate.policy.PolicyLoader;
import dev.stagegate.policy.RuleMode;
import dev.stagegate.testing.CustomRuleFixture;
import dev.stagegate.testing.FanInFixture;
import dev.stagegate.testing.GitOpsFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;

/** Boards of {@link GitOpsFixture} repositories in the states the renderers must show. */
final class BoardScenarios {

    private BoardScenarios() {
    }

    /**
     * Production drifted by a hotfix (subject with non-ASCII and markup) that staging never
     * got, while staging holds a newer change with passing evidence, and develop one more
     * change that testing lacks.
     */
    static EnvironmentBoard driftedProduction(Path directory) {
        try (GitOpsFixture gitops = GitOpsFixture.create(directory)) {
            gitops.repo().commitOn("main").file("apps/web/values.yaml", "replicas: 9\nimage: web:1.0\n")
                    .message("Hotfix \u00e9 <b>&\"quoted\"").commitTo("main");
            gitops.changeOnDevelop("apps/api/values.yaml", "replicas: 1\n");
            gitops.promote("develop", "test");
            gitops.promote("test", "staging");
            gitops.passEvidence("staging", "integration");
            gitops.changeOnDevelop("apps/web/values.yaml", "replicas: 4\n");
            return board(gitops);
        }
    }

    /**
     * Production's custom rules: production-replicas (enforced, production only) and
     * three-replicas (warn, every environment), and a rule only for development. Staging holds
     * web on one replica and api on two, with passing evidence, which main lacks.
     */
    static final Policy CUSTOM_RULES_POLICY = CustomRuleFixture.policyWith(GitOpsFixture.POLICY,
            CustomRuleFixture.rule("production-replicas", "apps/**/values.yaml", "object.replicas >= 2")
                    .environments("production"),
            CustomRuleFixture.rule("three-replicas", "apps/**/values.yaml", "object.replicas >= 3")
                    .mode(RuleMode.WARN),
            CustomRuleFixture.rule("development-only", "apps/**/values.yaml", "false").environments("development"));

    static EnvironmentBoard customRules(Path directory) {
        try (GitOpsFixture gitops = GitOpsFixture.create(directory)) {
            gitops.changeOnDevelop("apps/web/values.yaml", "replicas: 1\n");
            gitops.changeOnDevelop("apps/api/values.yaml", "replicas: 2\n");
            gitops.promote("develop", "test");
            gitops.promote("test", "staging");
            gitops.passEvidence("staging", "integration");
            return new BoardBuilder(new PolicyLoader())
                    .build(new StatusRequest(gitops.repo().directory(), Optional.empty()),
                            Optional.of(CUSTOM_RULES_POLICY), GitOpsFixture.NOW)
                    .board().orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@link FanInFixture#createWithEveryState}: issue 13's shape with each way to differ. */
    static EnvironmentBoard fanIn(Path directory) {
        try (GitOpsFixture gitops = FanInFixture.createWithEveryState(directory)) {
            return board(gitops);
        }
    }

    /** Every environment at the same content, but staging's branch deleted. */
    static EnvironmentBoard stagingMissing(Path directory) {
        try (GitOpsFixture gitops = GitOpsFixture.create(directory)) {
            gitops.repo().deleteBranch("staging");
            return board(gitops);
        }
    }

    /** A direct commit to main that touches more files than a board lists. */
    static EnvironmentBoard manyPathsDrifted(Path directory, int files) {
        try (GitOpsFixture gitops = GitOpsFixture.create(directory)) {
            var commit = gitops.repo().commitOn("main").message("Many files");
            for (int i = 0; i < files; i++) {
                commit.file(String.format("apps/app%02d/values.yaml", i), "replicas: 1\n");
            }
            commit.commitTo("main");
            return board(gitops);
        }
    }

    /**
     * Production needs 'integration' from staging, 'deployed' soaked 24h in staging, and two
     * approvals from release-managers (alice, bob, carol) or dana.
     */
    static final String APPROVAL_POLICY = GitOpsFixture.POLICY.replace("""
                requiresEvidence:
                  - suite: integration
                    environment: staging
            """, """
                requiresEvidence:
                  - suite: integration
                    environment: staging
                  - suite: deployed
                    environment: staging
                    minAge: 24h
                requiresApproval:
                  count: 2
                  from: [release-managers, dana]
            """) + """
            groups:
              release-managers: [alice, bob, carol]
            identities:
              alice: [alice@example.com]
              bob: [bob@example.com]
              carol: [carol@example.com]
              dana: [dana@example.com]
            """;

    /** When the 'deployed' run of passes began in {@link #awaitingApprovals}: 3h10m before NOW. */
    static final Instant DEPLOYED_AT = NOW.minus(Duration.ofMinutes(190));
    static final Instant APPROVED_AT = NOW.minus(Duration.ofHours(1));

    /**
     * Staging carries a change carol authored, with integration passed and 'deployed' soaking
     * for 3h10m; alice approved (counts), carol approved (the author: does not count), eve
     * approved (not named by from).
     */
    static EnvironmentBoard awaitingApprovals(Path directory) {
        try (GitOpsFixture gitops = stagingWithAChangeBy(directory, "carol@example.com")) {
            RevCommit staging = gitops.tip("staging");
            gitops.repo().addNote(NOTES, staging,
                    GitOpsFixture.evidence(staging, "staging", "deployed", "passed", DEPLOYED_AT, "ci-bot"),
                    approval(staging, "alice", "approved", APPROVED_AT, null),
                    approval(staging, "carol", "approved", APPROVED_AT, null),
                    approval(staging, "eve", "approved", APPROVED_AT, null));
            return board(gitops);
        }
    }

    /**
     * Enough approvals (alice, dana) and a soak long done, but bob rejected, with a comment
     * that tries to pass for more lines of the board.
     */
    static EnvironmentBoard rejected(Path directory) {
        try (GitOpsFixture gitops = stagingWithAChangeBy(directory, "someone@example.com")) {
            RevCommit staging = gitops.tip("staging");
            gitops.repo().addNote(NOTES, staging,
                    GitOpsFixture.evidence(staging, "staging", "deployed", "passed", NOW.minus(Duration.ofDays(2)),
                            "ci-bot"),
                    approval(staging, "alice", "approved", APPROVED_AT, null),
                    approval(staging, "dana", "approved", APPROVED_AT, null),
                    approval(staging, "bob", "rejected", APPROVED_AT, "not before the freeze\\n  ready  yes"));
            return board(gitops);
        }
    }

    /** Two approvals that count, and both suites passed, 'deployed' two days ago: ready. */
    static EnvironmentBoard approvedAndSoaked(Path directory) {
        try (GitOpsFixture gitops = stagingWithAChangeBy(directory, "someone@example.com")) {
            RevCommit staging = gitops.tip("staging");
            gitops.repo().addNote(NOTES, staging,
                    GitOpsFixture.evidence(staging, "staging", "deployed", "passed", NOW.minus(Duration.ofDays(2)),
                            "ci-bot"),
                    approval(staging, "alice", "approved", APPROVED_AT, null),
                    approval(staging, "dana", "approved", APPROVED_AT.plusSeconds(60), null));
            return board(gitops);
        }
    }

    /** Production needs {@code suites} long-named suites and two approvals; nothing is recorded. */
    static EnvironmentBoard manySuites(Path directory, int suites) {
        StringBuilder requirements = new StringBuilder("    requiresEvidence:\n");
        for (int i = 0; i < suites; i++) {
            requirements.append("      - suite: end-to-end-suite-number-").append(i).append("\n        environment: staging\n");
        }
        String policy = APPROVAL_POLICY.substring(0, APPROVAL_POLICY.indexOf("    requiresEvidence:\n"))
                + requirements + APPROVAL_POLICY.substring(APPROVAL_POLICY.indexOf("    requiresApproval:"));
        try (GitOpsFixture gitops = GitOpsFixture.create(directory, policy)) {
            gitops.changeOnDevelop("apps/web/values.yaml", "replicas: 3\n");
            gitops.promote("develop", "test");
            gitops.promote("test", "staging");
            return board(gitops);
        }
    }

    private static GitOpsFixture stagingWithAChangeBy(Path directory, String authorEmail) {
        GitOpsFixture gitops = GitOpsFixture.create(directory, APPROVAL_POLICY);
        gitops.repo().commitOn("develop").file("apps/web/values.yaml", "replicas: 3\nimage: web:1.1\n")
                .author(authorEmail).message("raise replicas").commitTo("develop");
        gitops.promote("develop", "test");
        gitops.promote("test", "staging");
        gitops.passEvidence("staging", "integration");
        return gitops;
    }

    /** An Approval line into production; {@code comment} is JSON-escaped already, or null for none. */
    static String approval(ObjectId commit, String approver, String decision, Instant at, String comment) {
        return "{\"apiVersion\":\"stagegate/v1\",\"kind\":\"Approval\",\"commit\":\"" + commit.name()
                + "\",\"environment\":\"production\",\"approver\":\"" + approver + "\",\"decision\":\""
                + decision + "\",\"recordedAt\":\"" + at + "\""
                + (comment == null ? "" : ",\"comment\":\"" + comment + "\"") + "}";
    }

    private static EnvironmentBoard board(GitOpsFixture gitops) {
        try {
            return new BoardBuilder(new PolicyLoader())
                    .build(new StatusRequest(gitops.repo().directory(), Optional.empty()), Optional.empty(),
                            GitOpsFixture.NOW)
                    .board().orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
