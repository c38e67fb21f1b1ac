package dev.stagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may push evidence is decided by the policies that govern the environments, never by a
 * feature branch's: whoever can push a branch can give it any valid policy, and that must
 * neither lock the evidence ref nor open it.
 */
@Tag("end-to-end")
class EvidenceWritersIT {

    private static final String POLICY = """
            apiVersion: stagegate/v1
            kind: PromotionPolicy
            environments:
              - name: development
                branch: develop
              - name: staging
                branch: staging
                promotesFrom: development
              - name: production
                branch: main
                promotesFrom: staging
                requiresEvidence:
                  - suite: integration
                    environment: staging
            environmentSpecificPaths: ["env/**"]
            evidence:
              writers: [ci-bot]
            """;
    private static final Map<String, String> CI_BOT = Map.of("STAGEGATE_USER", "ci-bot");
    private static final Map<String, String> MALLORY = Map.of("STAGEGATE_USER", "mallory");

    @TempDir
    Path root;

    private Workspace workspace;

    @BeforeEach
    void environmentsWhosePoliciesAdmitOnlyTheCiBot() throws IOException {
        GitCli git = GitCli.inHome(root.resolve("home"));
        ServerRepository server = ServerRepository.init(git, root.resolve("server.git"));
        workspace = server.clone(root.resolve("workspace"))
                .write(".stagegate/policy.yaml", POLICY)
                .write("apps/web/values.yaml", "replicas: 2\n")
                .write("env/values.yaml", "environment: any\n")
                .commit("Start the environments");
        workspace.git("push", "--quiet", "origin", "main", "main:develop", "main:staging");
        server.withHookInstalled("--no-cds", "--identity-env", "STAGEGATE_USER");
    }

    /** A feature branch, pushed by anyone, whose policy sets its own evidence writers. */
    private void featureBranchWithWriters(String branch, String writers) {
        workspace.branch(branch)
                .write(".stagegate/policy.yaml", POLICY.replace("writers: [ci-bot]", "writers: " + writers))
                .commit("Our own evidence writers");
        ProgramResult push = workspace.push(MALLORY, branch);
        assertThat(push.exitCode()).as("a valid policy on a feature branch is accepted: %s", push).isZero();
    }

    /** Records a passing integration run on staging's tip, by {@code producer}, and pushes the notes as them. */
    private ProgramResult pushEvidenceAs(String producer, Map<String, String> pusher) {
        ProgramResult record = workspace.stagegate(Map.of(), "evidence", "record", "--commit", "origin/staging",
                "--environment", "staging", "--suite", "integration", "--result", "passed", "--producer", producer);
        assertThat(record.exitCode()).as("%s", record).isZero();
        return workspace.push(pusher, "refs/notes/stagegate");
    }

    @Test
    void aFeatureBranchsPolicyWithNoWritersDoesNotBlockTheCiBot() {
        featureBranchWithWriters("feature/lockout", "[]");

        ProgramResult push = pushEvidenceAs("ci-bot", CI_BOT);

        assertThat(push.exitCode()).as("%s", push).isZero();
        assertThat(push.remoteLines()).as("%s", push).anyMatch(line -> line.startsWith("stagegate: accepted"));
    }

    @Test
    void aFeatureBranchsPolicyCannotAdmitAWriter() {
        featureBranchWithWriters("feature/open-up", "[ci-bot, mallory]");

        ProgramResult push = pushEvidenceAs("mallory", MALLORY);

        assertThat(push.exitCode()).as("%s", push).isNotZero();
        assertThat(push.output()).as("%s", push).contains("pre-receive hook declined");
        assertThat(push.remoteLines()).as("%s", push).anyMatch(line -> line.startsWith(
                "error [evidence-tamper] refs/notes/stagegate") && line.contains("mallory may not update"));
    }
}
