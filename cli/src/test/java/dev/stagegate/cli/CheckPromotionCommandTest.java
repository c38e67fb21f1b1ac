package dev.stagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.PromotionRequest;
import dev.stagegate.report.TextRenderer;
import dev.stagegate.report.Verdict;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckPromotionCommandTest {

    @TempDir
    Path directory;

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
    void passesSourceRepositoryAndPolicy() {
        stagegate.in(directory).run("check-promotion", "--target", "main", "--source", "origin/staging",
                "--repo", "checkout", "--policy", "/etc/stagegate/policy.yaml");

        assertThat(engine.lastRequest(PromotionRequest.class)).isEqualTo(new PromotionRequest(
                directory.resolve("checkout"), "main", "origin/staging", Optional.of(Path.of("/etc/stagegate/policy.yaml"))));
    }

    @Test
    void passesTheAllowedSignersFile() {
        stagegate.in(directory).run("check-promotion", "--target", "main", "--allowed-signers", "ci/allowed_signers");

        assertThat(engine.lastRequest(PromotionRequest.class).allowedSignersFile())
                .contains(directory.resolve("ci/allowed_signers"));
    }

    @Test
    void passesTheSchemaLocations() {
        stagegate.in(directory).run("check-promotion", "--target", "main", "--schema-location", "/srv/schemas/k8s");

        assertThat(engine.lastRequest(PromotionRequest.class).schemaLocations()).containsExactly("/srv/schemas/k8s");
    }
}
