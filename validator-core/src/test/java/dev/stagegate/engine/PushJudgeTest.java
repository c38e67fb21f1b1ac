package dev.stagegate.engine;

import static dev.stagegate.testing.GitOpsFixture.errors;
import static dev.stagegate.testing.GitOpsFixture.warnings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.ExitStatus;
import dev.stagegate.Outcome;
import dev.stagegate.report.TextRenderer;
import dev.stagegate.testing.GitOpsFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PushJudgeTest {

    @TempDir
    Path dir;

    GitOpsFixture gitops;

    @BeforeEach
    void setUp() {
        gitops = GitOpsFixture.create(dir.resolve("server.git"));
    }

    @AfterEach
    void tearDown() {
        gitops.close();
    }

    @Test
    void promotionThroughEveryStageIsAccepted() {
        gitops.changeOnDevelop("apps/web/values.yaml", "replicas: 3\nimage: web:1.1\n");
        for (String[] step : new String[][] {{"develop", "test"}, {"test", "staging"}}) {
            RevCommit merge = gitops.promotion(step[0], step[1]);
            Outcome outcome = gitops.push(gitops.update(step[1], merge));
            assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.ACCEPTED);
            gitops.repo().setBranch(step[1], merge);
        }
        gitops.passEvidence("staging", "integration");
        Outcome outcome = gitops.push(gitops.update("main", gitops.promotion("staging", "main")));
        assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.ACCEPTED);
    }

    @Test
    void developStraightIntoMainNamesTheSkippedStages() {
        gitops.changeOnDevelop("apps/web/values.yaml", "replicas: 3\nimage: web:1.1\n");
        Outcome outcome = gitops.push(gitops.update("main", gitops.promotion("develop", "main")));
        assertThat(outcome.status()).isEqualTo(ExitStatus.REJECTED);
        assertThat(errors(outcome)).contains("skipped-stage", "missing-evidence");
        assertThat(render(outcome)).contains("not yet in testing, staging").contains("apps/web/values.yaml");
    }

    @Test
    void aBypassByAReleaseManagerIsAuditedAndAccepted() throws Exception {
        RevCommit hotfix = gitops.repo().commitOn("main").file("apps/web/values.yaml", "replicas: 9\n")
                .message("hotfix").create();
        Outcome outcome = gitops.as("release-manager").withPushOption("stagegate.bypass=INC-42 outage")
                .push(gitops.update("main", hotfix));
        assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.ACCEPTED);
        assertThat(warnings(outcome)).contains("skipped-stage", "bypass-used");
        String audit = Files.readString(gitops.repo().directory().resolve("stagegate-audit.log"));
        assertThat(audit).contains("\"user\":\"release-manager\"").contains("INC-42 outage").contains("skipped-stage");
    }

    @Test
    void aBypassFromSomeoneElseChangesNothing() {
        RevCommit hotfix = gitops.repo().commitOn("main").file("apps/web/values.yaml", "replicas: 9\n").create();
        Outcome outcome = gitops.as("mallory").withPushOption("stagegate.bypass=trust me")
                .push(gitops.update("main", hotfix));
        assertThat(outcome.status()).isEqualTo(ExitStatus.REJECTED);
        assertThat(outcome.verdict().notes()).anyMatch(n -> n.contains("not in bypass.users"));
    }

    private static String render(Outcome outcome) {
        return new TextRenderer().render(outcome.verdict());
    }
}
