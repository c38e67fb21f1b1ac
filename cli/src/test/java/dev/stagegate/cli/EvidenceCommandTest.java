package dev.stagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.EvidenceRequest;
import dev.stagegate.evidence.EvidenceResult;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvidenceCommandTest {

    @TempDir
    Path dir;

    @Test
    void recordTakesTheProducerFromTheIdentityVariables() {
        ScriptedEngine engine = ScriptedEngine.accepting();
        InProcessStagegate stagegate = new InProcessStagegate(engine).in(dir).env("GL_USERNAME", "ci-bot");

        int status = stagegate.run("evidence", "record", "--commit", "HEAD", "--environment", "testing",
                "--suite", "integration", "--result", "passed").status();

        assertThat(status).isZero();
        EvidenceRequest request = engine.lastRequest(EvidenceRequest.class);
        assertThat(request.producer()).contains("ci-bot");
        assertThat(request.result()).contains(EvidenceResult.PASSED);
        assertThat(request.repository()).isEqualTo(dir.toAbsolutePath().normalize());
    }

    @Test
    void recordNeedsReportsOrAResult() {
        InProcessStagegate stagegate = new InProcessStagegate(ScriptedEngine.accepting()).in(dir);
        assertThat(stagegate.run("evidence", "record", "--commit", "HEAD", "--environment", "testing",
                "--suite", "integration").status()).isEqualTo(2);
        assertThat(stagegate.run("evidence", "record", "--commit", "HEAD", "--environment", "testing",
                "--suite", "integration", "--result", "maybe").status()).isEqualTo(2);
    }

    @Test
    void listRejectsAnUnknownFormat() {
        InProcessStagegate stagegate = new InProcessStagegate(ScriptedEngine.accepting()).in(dir);
        assertThat(stagegate.run("evidence", "list", "--format", "xml").status()).isEqualTo(2);
    }
}
