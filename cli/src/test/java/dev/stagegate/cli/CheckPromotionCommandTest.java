package dev.stagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.PromotionRequest;
import dev.stagegate.report.TextRenderer;
import dev.stagegate.report.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
