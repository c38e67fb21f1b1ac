package dev.stagegate.badinput;

import static dev.stagegate.badinput.BadInput.VALUES;
import static dev.stagegate.badinput.BadInput.assertOnlyError;
import static dev.stagegate.testing.GitOpsFixture.NOTES;
import static dev.stagegate.testing.GitOpsFixture.NOW;
import static dev.stagegate.testing.GitOpsFixture.evidence;
import static dev.stagegate.testing.GitOpsFixture.render;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.ExitStatus;
import dev.stagegate.Outcome;
import dev.stagegate.PushRequest;
import dev.stagegate.Pusher;
import dev.stagegate.Validator;
import dev.stagegate.git.RefUpdate;
import dev.stagegate.policy.RuleIds;
import dev.stagegate.report.Violation;
import dev.stagegate.rules.Rule;
import dev.stagegate.rules.RuleRegistry;
import dev.stagegate.rules.UpdateContext;
import dev.stagegate.testing.GitOpsFixture;
import dev.stagegate.yaml.YamlLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults inside the engine: an object missing from the store, a rule that throws, an audit
 * log that cannot be written. Each rejects the push with a clear message and exit status 3
 * (fail closed), never a stack trace and never an accept. The hook-level faults (deadline,
 * unreadable server policy, a full disk) are end-to-end tests in the CLI (HookFaultIT).
 */
@Timeout(10)
class EngineFaultTest {

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

    private Path looseObject(ObjectId id) {
        return gitops.repo().directory().resolve("objects").resolve(id.name().substring(0, 2))
                .resolve(id.name().substring(2));
    }

    @Test
    void theUpstreamTipMissingFromTheObjectStore() throws IOException {
        gitops.changeOnDevelop(VALUES, "replicas: 3\n");
        RevCommit test = gitops.promote("develop", "test");
        RevCommit promotion = gitops.promotion("test", "staging");
        Files.delete(looseObject(test));

        assertOnlyError(gitops.push(gitops.update("staging", promotion)), ExitStatus.CANNOT_JUDGE, "stagegate", null,
                null, "an object is missing from the repository (Missing commit " + test.name()
                        + "); it cannot be judged, so it is rejected");
    }

    @Test
    void aCommitMissingInsideAnEnvironmentsHistoryIsNotTheEndOfIt() throws IOException {
        gitops.changeOnDevelop(VALUES, "replicas: 3\n");
        gitops.promote("develop", "test");
        RevCommit rerun = gitops.promote("test", "staging");
        gitops.repo().addNote(NOTES, rerun, evidence(rerun, "staging", "integration", "failed", NOW.minusSeconds(600),
                "ci-bot"));
        // staging's own settings change on top: the same content, with an older pass recorded on it
        RevCommit settings = gitops.repo().commitOn("staging").file("env/values.yaml", "environment: staging-eu\n")
                .message("staging settings").commitTo("staging");
        gitops.repo().addNote(NOTES, settings, evidence(settings, "staging", "integration", "passed",
                NOW.minusSeconds(3600), "ci-bot"));
        RevCommit promotion = gitops.squashPromotion("staging", "main");
        // the newer failed run sits on a commit the repository lost: the search must not stop above it
        Files.delete(looseObject(rerun));

        assertOnlyError(gitops.push(gitops.update("main", promotion)), ExitStatus.CANNOT_JUDGE, "stagegate", null,
                null, "cannot read the repository: commit " + rerun.name() + " (" + settings.name() + "~1) is"
                        + " missing from the repository: a damaged history could hide an environment's commits or"
                        + " evidence, so it cannot be judged");
    }

    @Test
    void aRuleThatThrows() {
        Outcome outcome = pushWithExtraRule(() -> new IllegalStateException("index out of step"));

        assertOnlyError(outcome, ExitStatus.CANNOT_JUDGE, "stagegate", null, null, "internal error"
                + " (IllegalStateException: index out of step); rejected to fail closed; run with --debug and report it");
        assertThat(outcome.cause()).containsInstanceOf(IllegalStateException.class);
    }

    @Test
    void aRuleThatRecursesWithoutEnd() {
        Outcome outcome = pushWithExtraRule(StackOverflowError::new);

        assertOnlyError(outcome, ExitStatus.CANNOT_JUDGE, "stagegate", null, null,
                "internal error (StackOverflowError); rejected to fail closed; run with --debug and report it");
    }

    @Test
    void anAuditLogThatCannotBeWrittenRejectsTheBypass() throws IOException {
        Path auditLog = Files.createDirectory(gitops.repo().directory().resolve("stagegate-audit.log"));
        RevCommit hotfix = gitops.change("main", VALUES, "replicas: 9\n");

        Outcome outcome = gitops.as("release-manager").withPushOption("stagegate.bypass=INC-1 hotfix")
                .push(gitops.update("main", hotfix));

        assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.CANNOT_JUDGE);
        assertThat(GitOpsFixture.errors(outcome)).as(render(outcome)).containsExactly("bypass-used");
        assertThat(GitOpsFixture.violations(outcome, "bypass-used")).filteredOn(Violation::isError).singleElement()
                .satisfies(v -> assertThat(v.message()).startsWith("the bypass cannot be recorded in " + auditLog + " (")
                        .endsWith("), so the push is rejected"));
        try (var entries = Files.list(auditLog)) {
            assertThat(entries).isEmpty();
        }
    }

    /** A push of a valid change to develop, judged with the standard rules and a schema-violation check with a bug. */
    private Outcome pushWithExtraRule(Supplier<? extends Throwable> failure) {
        Rule failing = new Rule() {
            @Override
            public String id() {
                return RuleIds.SCHEMA_VIOLATION;
            }

            @Override
            public String summary() {
                return "a schema check with a bug";
            }

            @Override
            public List<Violation> check(UpdateContext update) {
                Throwable thrown = failure.get();
                if (thrown instanceof Error error) {
                    throw error;
                }
                throw (RuntimeException) thrown;
            }
        };
        Validator validator = new Validator(Clock.fixed(GitOpsFixture.NOW, ZoneOffset.UTC), YamlLimits.DEFAULTS,
                RuleRegistry.standard(YamlLimits.DEFAULTS).plus(failing));
        RefUpdate update = gitops.update("develop", gitops.change("develop", VALUES, "replicas: 3\n"));
        return validator.preReceive(new PushRequest(gitops.repo().repository(), List.of(update),
                new Pusher(Optional.of("alice")), List.of(), Optional.empty(), dir.resolve("audit.log")));
    }
}
