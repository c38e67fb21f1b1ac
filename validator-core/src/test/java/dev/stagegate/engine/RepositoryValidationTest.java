package dev.stagegate.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.ExitStatus;
import dev.stagegate.Outcome;
import dev.stagegate.ValidateRequest;
import dev.stagegate.Validator;
import dev.stagegate.report.TextRenderer;
import dev.stagegate.testing.GitOpsFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepositoryValidationTest {

    @TempDir
    Path dir;

    private final Validator validator = new Validator(Clock.systemUTC());

    private Outcome validate(Path repository, String revision) {
        return validator.validate(new ValidateRequest(repository, Optional.ofNullable(revision), Optional.empty()));
    }

    @Test
    void validatesARevisionOfABareRepositoryWithoutACheckout() {
        try (GitOpsFixture gitops = GitOpsFixture.create(dir.resolve("server.git"))) {
            RevCommit broken = gitops.repo().commitOn("develop")
                    .file("apps/web/values.yaml", "replicas: many\nimage: web:2\n").commitTo("develop");

            Outcome atDevelop = validate(gitops.repo().directory(), "develop");
            Outcome atMain = validate(gitops.repo().directory(), "main");
            Outcome atCommit = validate(gitops.repo().directory(), broken.name());

            assertThat(atMain.status()).as(render(atMain)).isEqualTo(ExitStatus.ACCEPTED);
            assertThat(atDevelop.status()).isEqualTo(ExitStatus.REJECTED);
            assertThat(render(atDevelop)).contains("error [schema-violation] apps/web/values.yaml:1:1: replicas: expected integer, found string");
            assertThat(atCommit.status()).isEqualTo(ExitStatus.REJECTED);
        }
    }

    @Test
    void aBareRepositoryWithoutRevisionIsValidatedAtHead() {
        try (GitOpsFixture gitops = GitOpsFixture.create(dir.resolve("server.git"))) {
            assertThat(validate(gitops.repo().directory(), null).status()).isEqualTo(ExitStatus.ACCEPTED);
        }
    }

    @Test
    void anUnknownRevisionIsAUsageError() {
        try (GitOpsFixture gitops = GitOpsFixture.create(dir.resolve("server.git"))) {
            Outcome outcome = validate(gitops.repo().directory(), "no-such-branch");
            assertThat(outcome.status()).isEqualTo(ExitStatus.USAGE_OR_POLICY);
            assertThat(outcome.usageMessage()).contains("revision 'no-such-branch' does not exist in "
                    + gitops.repo().directory());
        }
    }

    @Test
    void validatesAWorkingTree() throws IOException {
        write(".stagegate/policy.yaml", GitOpsFixture.POLICY);
        write("schemas/app-values.schema.json", GitOpsFixture.APP_SCHEMA);
        write("apps/web/values.yaml", "replicas: 2\n");
        write("apps/api/values.yaml", "image: api:1\n");
        write("apps/api/notes.yaml", "not: checked\n");

        Outcome outcome = validate(dir, null);

        assertThat(outcome.status()).isEqualTo(ExitStatus.REJECTED);
        assertThat(outcome.verdict().violations()).singleElement()
                .satisfies(v -> assertThat(v.fileLocation()).isEqualTo("apps/api/values.yaml:1:1"))
                .satisfies(v -> assertThat(v.message()).contains("required property 'replicas' is missing"));
    }

    @Test
    void anInvalidPolicyExitsWithStatus2() throws IOException {
        write(".stagegate/policy.yaml", GitOpsFixture.POLICY.replace("promotesFrom: staging", "promotesFrom: qa"));

        Outcome outcome = validate(dir, null);

        assertThat(outcome.status()).isEqualTo(ExitStatus.USAGE_OR_POLICY);
        assertThat(render(outcome)).contains("error [policy-invalid] .stagegate/policy.yaml:");
    }

    @Test
    void noPolicyAtAllExitsWithStatus2() {
        Outcome outcome = validate(dir, null);

        assertThat(outcome.status()).isEqualTo(ExitStatus.USAGE_OR_POLICY);
        assertThat(render(outcome)).contains("no policy at .stagegate/policy.yaml in the working tree of " + dir);
    }

    @Test
    void aPolicyOutsideTheRepositoryOverridesTheOwnOne() throws IOException {
        write(".stagegate/policy.yaml", "not: a policy\n");
        Path server = dir.resolve("server-policy.yaml");
        Files.writeString(server, GitOpsFixture.POLICY.replace("schemas:\n  - files: \"apps/**/values.yaml\"\n"
                + "    schema: schemas/app-values.schema.json\n", ""));

        Outcome outcome = validator.validate(new ValidateRequest(dir, Optional.empty(), Optional.of(server)));

        assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.ACCEPTED);
    }

    private void write(String path, String content) throws IOException {
        Path file = dir.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private static String render(Outcome outcome) {
        return new TextRenderer().render(outcome.verdict());
    }
}
