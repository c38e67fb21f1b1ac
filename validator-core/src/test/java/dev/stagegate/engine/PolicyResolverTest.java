package dev.stagegate.engine;

import static dev.stagegate.testing.GitOpsFixture.errors;
import static dev.stagegate.testing.GitOpsFixture.render;
import static dev.stagegate.testing.GitOpsFixture.warnings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.ExitStatus;
import dev.stagegate.Outcome;
import dev.stagegate.git.RefUpdate;
import dev.stagegate.git.RepositoryView;
import dev.stagegate.policy.Policy;
import dev.stagegate.policy.PolicyLoader;
import dev.stagegate.testing.GitOpsFixture;
import dev.stagegate.testing.TestRepository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyResolverTest {

    private static final String POLICY_FILE = ".stagegate/policy.yaml";
    private static final String INVALID = GitOpsFixture.policyPlus("mode: sometimes\n");

    @TempDir
    Path dir;

    GitOpsFixture gitops;
    RepositoryView view;

    @AfterEach
    void tearDown() {
        if (view != null) {
            view.close();
        }
        if (gitops != null) {
            gitops.close();
        }
    }

    private PolicyResolver resolver(Optional<Policy> serverPolicy) {
        view = new RepositoryView(gitops.repo().repository(), RepositoryView.BranchSource.LOCAL);
        return new PolicyResolver(view, new PolicyLoader(), serverPolicy);
    }

    private PolicyResolver resolver() {
        return resolver(Optional.empty());
    }

    private void repository() {
        gitops = GitOpsFixture.create(dir.resolve("server.git"));
    }

    /** Gives {@code branch} a policy whose bypass users name it, so tests can tell policies apart. */
    private void ownPolicyOn(String branch) {
        gitops.repo().commitOn(branch).file(POLICY_FILE,
                GitOpsFixture.POLICY.replace("users: [release-manager]", "users: [" + branch + "-lead]"))
                .commitTo(branch);
    }

    private RefUpdate creation(String ref) {
        return new RefUpdate(ObjectId.zeroId(), gitops.tip("main"), ref);
    }

    @Test
    void theServerPolicyGovernsEveryUpdate() throws IOException {
        repository();
        Policy server = new PolicyLoader().load(GitOpsFixture.policyPlus("mode: warn\n").getBytes(), "server.yaml")
                .policy().orElseThrow();
        PolicyResolver resolver = resolver(Optional.of(server));

        for (RefUpdate update : List.of(gitops.update("develop", gitops.tip("develop")),
                creation("refs/tags/v1"), creation("refs/heads/new"))) {
            GoverningPolicy governing = resolver.forUpdate(update);
            assertThat(governing.policy()).contains(server);
            assertThat(governing.source()).isEqualTo("the server policy");
        }
    }

    @Test
    void theUpdatedBranchsPolicyBeforeThePushGoverns() throws IOException {
        repository();
        ownPolicyOn("test");
        RevCommit edit = gitops.repo().commitOn("test").file(POLICY_FILE, GitOpsFixture.POLICY).create();

        GoverningPolicy governing = resolver().forUpdate(gitops.update("test", edit));

        assertThat(governing.policy().orElseThrow().bypassUsers()).containsExactly("test-lead");
        assertThat(governing.source()).startsWith(POLICY_FILE + " at test (" + gitops.tip("test").abbreviate(12).name());
        assertThat(governing.problems()).isEmpty();
        assertThat(governing.status()).isEqualTo(ExitStatus.ACCEPTED);
    }

    @Test
    void aNewBranchATagAndABranchWithoutPolicyAreGovernedByTheDefaultBranch() throws IOException {
        repository();
        ownPolicyOn("main");
        gitops.repo().orphan().file("README.md", "no policy here\n").commitTo("docs");
        PolicyResolver resolver = resolver();

        for (RefUpdate update : List.of(creation("refs/heads/feature/x"), creation("refs/tags/v1.0"),
                gitops.update("docs", gitops.change("docs", "README.md", "still none\n")))) {
            GoverningPolicy governing = resolver.forUpdate(update);
            assertThat(governing.policy().orElseThrow().bypassUsers()).as(update.refName())
                    .containsExactly("main-lead");
            assertThat(governing.source()).startsWith(POLICY_FILE + " at main");
        }
    }

    @Test
    void withNoPolicyAnywhereNothingGovernsAndThePushIsAcceptedWithANote() throws IOException {
        gitops = null;
        try (TestRepository repo = TestRepository.bare(dir.resolve("plain.git"))) {
            repo.orphan().file("README.md", "hello\n").commitTo("main");
            try (RepositoryView plain = new RepositoryView(repo.repository(), RepositoryView.BranchSource.LOCAL)) {
                GoverningPolicy governing = new PolicyResolver(plain, new PolicyLoader(), Optional.empty())
                        .forUpdate(new RefUpdate(repo.tip("main"), repo.commitOn("main").file("a", "b").create(),
                                "refs/heads/main"));

                assertThat(governing.policy()).isEmpty();
                assertThat(governing.unusable()).isFalse();
            }
        }
    }

    @Test
    void anInvalidPolicyFallsBackToTheNewestValidOneOfItsBranch() throws IOException {
        repository();
        ownPolicyOn("staging");
        RevCommit newestValid = gitops.tip("staging");
        gitops.repo().commitOn("staging").file(POLICY_FILE, INVALID).commitTo("staging");
        gitops.repo().commitOn("staging").file("env/values.yaml", "environment: staging\nx: 1\n").commitTo("staging");

        GoverningPolicy governing = resolver().forUpdate(gitops.update("staging",
                gitops.change("staging", "env/values.yaml", "environment: staging\nx: 2\n")));

        assertThat(governing.policy().orElseThrow().bypassUsers()).containsExactly("staging-lead");
        assertThat(governing.source()).isEqualTo(POLICY_FILE + " at " + newestValid.abbreviate(12).name()
                + " on staging");
        assertThat(governing.status()).isEqualTo(ExitStatus.ACCEPTED);
        assertThat(governing.problems()).isNotEmpty().allSatisfy(v -> {
            assertThat(v.rule()).isEqualTo("policy-invalid");
            assertThat(v.isError()).as("a warning, so that the push repairing the policy can land").isFalse();
        });
    }

    @Test
    void withNoValidPolicyTheUpdateCannotBeGoverned() throws IOException {
        repository();
        gitops.repo().orphan().file(POLICY_FILE, INVALID).commitTo("develop");

        GoverningPolicy governing = resolver().forUpdate(gitops.update("develop",
                gitops.change("develop", "apps/web/values.yaml", "replicas: 3\n")));

        assertThat(governing.policy()).isEmpty();
        assertThat(governing.unusable()).isTrue();
        assertThat(governing.status()).isEqualTo(ExitStatus.USAGE_OR_POLICY);
    }

    @Test
    void theNotesRefIsGovernedByTheDefaultBranchsPolicyAndThoseOfTheBranchesItNames() throws IOException {
        repository();
        ownPolicyOn("develop");
        ownPolicyOn("main");
        gitops.repo().commitOn("develop").commitTo("feature/x");
        ownPolicyOn("feature/x");

        NotesRefPolicies governing = resolver().notesRefPolicies();

        assertThat(governing.policies()).extracting(Policy::bypassUsers).containsExactlyInAnyOrder(
                Set.of("develop-lead"), Set.of("main-lead"), Set.of("release-manager"));
        assertThat(governing.problems()).isEmpty();
        assertThat(governing.status()).isEqualTo(ExitStatus.ACCEPTED);
    }

    @Test
    void withAServerPolicyTheNotesRefIsGovernedByItAlone() throws IOException {
        repository();
        ownPolicyOn("staging");
        Policy server = new PolicyLoader().load(GitOpsFixture.policyPlus("mode: warn\n").getBytes(), "server.yaml")
                .policy().orElseThrow();

        assertThat(resolver(Optional.of(server)).notesRefPolicies().policies()).containsExactly(server);
    }

    @Test
    void aPushIsJudgedByThePolicyItReplaces() {
        repository();
        String noEvidenceNeeded = GitOpsFixture.POLICY.replace("""
                    requiresEvidence:
                      - suite: integration
                        environment: staging
                """, "");
        gitops.repo().commitOn("develop").file(POLICY_FILE, noEvidenceNeeded).commitTo("develop");
        gitops.promote("develop", "test");
        gitops.promote("test", "staging");

        Outcome outcome = gitops.push(gitops.update("main", gitops.promotion("staging", "main")));

        assertThat(outcome.status()).isEqualTo(ExitStatus.REJECTED);
        assertThat(errors(outcome)).containsExactly("missing-evidence");
        assertThat(warnings(outcome)).containsExactly("policy-loosened");
        assertThat(render(outcome)).contains("removes the 'integration' evidence requirement of production");
    }

    @Test
    void anInvalidServerPolicyStopsTheRunWithStatus2() throws IOException {
        repository();
        Path server = dir.resolve("server-policy.yaml");
        Files.writeString(server, INVALID);

        Outcome outcome = gitops.withServerPolicy(server).push(gitops.update("develop",
                gitops.change("develop", "apps/web/values.yaml", "replicas: 3\n")));

        assertThat(outcome.status()).isEqualTo(ExitStatus.USAGE_OR_POLICY);
        assertThat(errors(outcome)).containsOnly("policy-invalid");
    }

    @Test
    void aServerPolicyOverridesTheRepositorysPolicy() throws IOException {
        repository();
        Path server = dir.resolve("server-policy.yaml");
        Files.writeString(server, GitOpsFixture.policyPlus("ruleModes:\n  skipped-stage: warn\n"));
        RevCommit hotfix = gitops.change("main", "apps/web/values.yaml", "replicas: 9\n");

        Outcome outcome = gitops.withServerPolicy(server).push(gitops.update("main", hotfix));

        assertThat(warnings(outcome)).contains("skipped-stage");
        assertThat(errors(outcome)).containsExactly("missing-evidence");
    }
}
