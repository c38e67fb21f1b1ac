package dev.stagegate.badinput;

import static dev.stagegate.testing.GitOpsFixture.render;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.ExitStatus;
import dev.stagegate.Outcome;
import dev.stagegate.report.Violation;
import dev.stagegate.testing.GitOpsFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * The bad-input corpus's repository and verdict assertions: {@link GitOpsFixture}'s four
 * environments, whose policy maps {@code apps/**&#47;values.yaml} and {@code apps/**&#47;values.json}
 * to the application schema. Each family pushes its inputs to {@code develop}, the entry
 * environment, where nothing but the input itself can be at fault.
 */
final class BadInput {

    static final String POLICY = GitOpsFixture.POLICY.replace(
            "    schema: schemas/app-values.schema.json\n",
            "    schema: schemas/app-values.schema.json\n"
                    + "  - files: \"apps/**/values.json\"\n"
                    + "    schema: schemas/app-values.schema.json\n");
    static final String VALUES = "apps/web/values.yaml";
    static final String JSON_VALUES = "apps/web/values.json";
    static final String POLICY_FILE = ".stagegate/policy.yaml";
    static final String DEVELOP = "refs/heads/develop";

    private BadInput() {
    }

    static GitOpsFixture repository(Path directory) {
        return GitOpsFixture.create(directory.resolve("server.git"), POLICY);
    }

    /** A push of develop with one file added or replaced. */
    static Outcome pushToDevelop(GitOpsFixture gitops, String path, byte[] content) {
        RevCommit change = gitops.repo().commitOn("develop").file(path, content).message("change " + path).create();
        return gitops.push(gitops.update("develop", change));
    }

    static Outcome pushToDevelop(GitOpsFixture gitops, String path, String content) {
        return pushToDevelop(gitops, path, content.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The outcome has this exit status and exactly one violation, an error of {@code rule} on
     * {@code ref} with this location ({@code path:line:column}, or null) and message.
     */
    static Violation assertOnlyError(Outcome outcome, ExitStatus status, String rule, String ref, String location,
            String message) {
        assertThat(outcome.status()).as(render(outcome)).isEqualTo(status);
        List<Violation> violations = outcome.verdict().violations();
        assertThat(violations).as(render(outcome)).hasSize(1);
        Violation violation = violations.get(0);
        assertThat(violation.isError()).as(render(outcome)).isTrue();
        assertThat(violation.rule()).as(render(outcome)).isEqualTo(rule);
        assertThat(violation.ref()).as(render(outcome)).isEqualTo(ref);
        assertThat(violation.fileLocation()).as(render(outcome)).isEqualTo(location);
        assertThat(violation.message()).as(render(outcome)).isEqualTo(message);
        return violation;
    }

    /** The same, for a schema-violation of a file pushed to develop (exit status 1). */
    static Violation assertFileRejected(Outcome outcome, String location, String message) {
        return assertOnlyError(outcome, ExitStatus.REJECTED, "schema-violation", DEVELOP, location, message);
    }

    /** A policy pushed to develop that is invalid: policy-invalid, exit status 1. */
    static Violation assertPolicyRejected(Outcome outcome, String location, String message) {
        return assertOnlyError(outcome, ExitStatus.REJECTED, "policy-invalid", DEVELOP, location, message);
    }
}
