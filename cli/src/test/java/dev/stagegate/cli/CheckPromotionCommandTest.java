package dev.stagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.PromotionRequest;
import dev.stagegate.Validator;
import dev.stagegate.report.TextRenderer;
import dev.stagegate.report.Verdict;
import dev.stagegate.testing.GitOpsFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckPromotionCommandTest {

    @TempDir
    Path directory;

    /** The options name a repository and files that exist: the command checks that before it asks the engine. */
    @BeforeEach
    void repository() throws Exception {
        Git.init().setDirectory(directory.toFile()).call().close();
    }

    private final ScriptedEngine engine = ScriptedEngine.accepting();
    private final InProcessStagegate stagegate = new InProcessStagegate(engine);

    @Test
    void promotesHeadByDefault() {
        InProcessStagegate.Run run = stagegate.in(directory).run("check-promotion", "--target", "staging");

        assertThat(run.status()).isZero();
        assertThat(run.stdout()).isEqualTo(new TextRenderer().render(Verdict.accepted()));
        assertThat(engine.lastRequest(PromotionRequest.class))
                .isEqualTo(new PromotionRequest(directory, "staging", "HEAD", Optional.empty()));
    }

    @Test
    void passesSourceRepositoryAndPolicy() throws IOException {
        Files.createDirectories(directory.resolve("checkout"));
        Path policy = Files.writeString(directory.resolve("policy.yaml"), "apiVersion: stagegate/v1\n");
        stagegate.in(directory).run("check-promotion", "--target", "main", "--source", "origin/staging",
                "--repo", "checkout", "--policy", policy.toString());

        assertThat(engine.lastRequest(PromotionRequest.class)).isEqualTo(new PromotionRequest(
                directory.resolve("checkout"), "main", "origin/staging", Optional.of(policy)));
    }

    @Test
    void passesTheAllowedSignersFile() {
        stagegate.in(directory).run("check-promotion", "--target", "main", "--allowed-signers", "ci/allowed_signers");

        assertThat(engine.lastRequest(PromotionRequest.class).allowedSignersFile())
                .contains(directory.resolve("ci/allowed_signers"));
    }

    /** A CI checkout, which fetches no notes: the fix it needs is said first. */
    @Test
    void withoutTheNotesFetchedMissingEvidenceLeadsWithTheFetchLine() throws Exception {
        Path checkout = directory.resolve("checkout");
        try (GitOpsFixture server = GitOpsFixture.create(directory.resolve("server.git"))) {
            server.changeOnDevelop("apps/web/values.yaml", "replicas: 3\n");
            server.promoteAllTheWay("staging");
            server.passEvidence("staging", "integration");
            Git.cloneRepository().setURI(server.repo().directory().toUri().toString())
                    .setDirectory(checkout.toFile()).call().close();
        }

        InProcessStagegate.Run run = new InProcessStagegate(Engine.of(new Validator(Clock.systemUTC())))
                .in(checkout).run("check-promotion", "--target", "main", "--source", "origin/staging");

        assertThat(run.status()).as(run.stdout()).isEqualTo(1);
        assertThat(run.stdout().lines().filter(line -> line.startsWith("error [missing-evidence]")))
                .singleElement().satisfies(line -> assertThat(line.substring(line.indexOf(": ") + 2)).startsWith(
                        "the evidence notes were not fetched (this clone has no refs/notes/stagegate at all):"
                                + " git fetch origin '+refs/notes/*:refs/notes/*', then check again"));
    }

    @Test
    void passesTheSchemaLocations() {
        stagegate.in(directory).run("check-promotion", "--target", "main", "--schema-location", "/srv/schemas/k8s");

        assertThat(engine.lastRequest(PromotionRequest.class).schemaLocations()).containsExactly("/srv/schemas/k8s");
    }
}
