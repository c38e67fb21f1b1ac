package dev.stagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.Validator;
import dev.stagegate.testing.GitOpsFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way a command can be called wrongly, with the real engine on a real repository: each is
 * a usage error in one form, {@code stagegate <command>: <what is wrong>} and a hint, exit status
 * 2, on standard error only, never with a rule id or a "rejected" verdict, since no rule judged
 * anything.
 */
class UsageErrorTest {

    @TempDir
    Path dir;

    private GitOpsFixture gitops;
    private Path repository;
    private InProcessStagegate stagegate;

    @BeforeEach
    void setUp() {
        repository = dir.resolve("server.git");
        gitops = GitOpsFixture.create(repository);
        stagegate = new InProcessStagegate(Engine.of(new Validator(Clock.fixed(GitOpsFixture.NOW, ZoneOffset.UTC))))
                .in(dir);
    }

    @AfterEach
    void tearDown() {
        gitops.close();
    }

    private static void assertUsageError(InProcessStagegate.Run run, String command, String message) {
        assertThat(run.status()).as(run.toString()).isEqualTo(2);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr()).startsWith("stagegate " + command + ": " + message)
                .endsWith(System.lineSeparator() + "Try 'stagegate " + command + " --help'." + System.lineSeparator())
                .doesNotContain("[", "rejected");
    }

    @Test
    void checkPromotionToATargetThatIsNoEnvironment() {
        assertUsageError(stagegate.run("check-promotion", "--repo", "server.git", "--target", "prod"),
                "check-promotion", "unknown target 'prod'; environments: development, testing, staging, production"
                        + " (did you mean 'production'?)");
        assertUsageError(stagegate.run("check-promotion", "--repo", "server.git", "--target", "prodution"),
                "check-promotion", "unknown target 'prodution'; environments: development, testing, staging,"
                        + " production (did you mean 'production'?)");
    }

    @Test
    void evidenceRecordFromAReportsDirectoryThatDoesNotExist() {
        assertUsageError(stagegate.run("evidence", "record", "--repo", "server.git", "--commit", "staging",
                "--environment", "staging", "--suite", "integration", "--producer", "ci-bot",
                "--reports", "target/surefire-reports"),
                "evidence record", "--reports " + dir.resolve("target/surefire-reports") + " does not exist");
    }

    @Test
    void evidenceRecordForAnEnvironmentThePolicyDoesNotDefine() {
        assertUsageError(stagegate.run("evidence", "record", "--repo", "server.git", "--commit", "staging",
                "--environment", "stagin", "--suite", "integration", "--producer", "ci-bot", "--result", "passed"),
                "evidence record", "environment 'stagin' is not defined in the policy; environments: development,"
                        + " testing, staging, production (did you mean 'staging'?)");
    }

    @Test
    void evidenceRecordOnACommitThatDoesNotExist() {
        assertUsageError(stagegate.run("evidence", "record", "--repo", "server.git", "--commit", "no-such-commit",
                "--environment", "staging", "--suite", "integration", "--producer", "ci-bot", "--result", "passed"),
                "evidence record", "commit 'no-such-commit' does not exist in " + repository);
    }

    @Test
    void evidenceListOfACommitThatDoesNotExist() {
        gitops.passEvidence("staging", "integration");

        assertUsageError(stagegate.run("evidence", "list", "--repo", "server.git", "--commit", "no-such-commit"),
                "evidence list", "commit 'no-such-commit' does not exist in " + repository);
    }

    @Test
    void validateARepositoryThatDoesNotExist() {
        assertUsageError(stagegate.run("validate", "--repo", "/does/not/exist"),
                "validate", "repository /does/not/exist does not exist");
    }

    @Test
    void validateARevisionThatDoesNotExist() {
        assertUsageError(stagegate.run("validate", "--repo", "server.git", "--rev", "no-such-branch"),
                "validate", "revision 'no-such-branch' does not exist in " + repository);
    }

    @Test
    void anOutputFileInADirectoryThatDoesNotExist() {
        assertUsageError(stagegate.run("check-promotion", "--repo", "server.git", "--target", "testing",
                "--format", "sarif", "--output", "reports/stagegate.sarif"),
                "check-promotion", "cannot write the report to " + dir.resolve("reports/stagegate.sarif")
                        + " (its directory does not exist)");
    }

    @Test
    void aPolicyFileThatDoesNotExist() {
        assertUsageError(stagegate.run("validate", "--repo", "server.git", "--policy", "policy.yaml"),
                "validate", "--policy " + dir.resolve("policy.yaml") + " does not exist");
    }

    @Test
    void everyCommandThatOpensARepositoryRefusesOneThatDoesNotExist() {
        String missing = dir.resolve("nope").toString();
        assertUsageError(stagegate.run("check-promotion", "--repo", missing, "--target", "production"),
                "check-promotion", "repository " + missing + " does not exist");
        assertUsageError(stagegate.run("evidence", "list", "--repo", missing), "evidence list",
                "repository " + missing + " does not exist");
        assertUsageError(stagegate.run("approve", "--repo", missing, "--environment", "production"), "approve",
                "repository " + missing + " does not exist");
        assertUsageError(stagegate.run("policy", "test", "--repo", missing), "policy test",
                "repository " + missing + " does not exist");
        assertUsageError(stagegate.run("status", "--repo", missing), "status",
                "repository " + missing + " does not exist");
    }

    @Test
    void aDirectoryThatIsNoRepositoryIsNamedByItsAbsolutePath() throws IOException {
        Path plain = Files.createDirectories(dir.resolve("plain"));

        assertUsageError(stagegate.run("check-promotion", "--repo", "plain", "--target", "production"),
                "check-promotion", plain + " is not a git repository (nor inside one)");
        assertUsageError(stagegate.in(plain).run("evidence", "list"), "evidence list",
                plain + " is not a git repository (nor inside one); run in a repository or pass --repo DIR");
    }

    @Test
    void approveWithoutAnApprover() {
        assertUsageError(stagegate.run("approve", "--repo", "server.git", "--environment", "production"),
                "approve", "no approver: pass --approver ID");
    }

    @Test
    void aParseErrorHasTheSameForm() {
        assertUsageError(stagegate.run("evidence", "record", "--commit", "HEAD"), "evidence record",
                "Missing required options");
    }
}
