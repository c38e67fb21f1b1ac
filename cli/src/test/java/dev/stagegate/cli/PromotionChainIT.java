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
 * The whole chain develop -> test -> staging -> main through the hook that {@code hook install}
 * writes, run by git itself, with evidence recorded on the way; and each way a push gets
 * rejected, asserting the exit of {@code git push} and the {@code remote:} lines.
 */
@Tag("end-to-end")
class PromotionChainIT {

    private static final String POLICY = """
            apiVersion: stagegate/v1
            kind: PromotionPolicy
            environments:
              - name: development
                branch: develop
              - name: testing
                branch: test
                promotesFrom: development
              - name: staging
                branch: staging
                promotesFrom: testing
              - name: production
                branch: main
                promotesFrom: staging
                requiresEvidence:
                  - suite: integration
                    environment: staging
                freezes:
                  - name: year-end
                    from: 2026-12-20T00:00:00Z
                    until: 2027-01-04T00:00:00Z
            environmentSpecificPaths: ["env/**"]
            schemas:
              - files: "apps/**/values.yaml"
                schema: schemas/values.schema.json
            evidence:
              writers: [ci-bot]
            """;
    private static final String SCHEMA = """
            {"$schema": "http://json-schema.org/draft-07/schema#",
             "type": "object",
             "properties": {"replicas": {"type": "integer", "minimum": 1}},
             "additionalProperties": false}
            """;
    private static final Map<String, String> CI_BOT = Map.of("STAGEGATE_USER", "ci-bot");

    @TempDir
    Path root;

    private ServerRepository server;
    private Workspace workspace;

    @BeforeEach
    void everyEnvironmentAtTheSameContent() throws IOException {
        GitCli git = GitCli.inHome(root.resolve("home"));
        server = ServerRepository.init(git, root.resolve("server.git"))
                .withHookInstalled("--identity-env", "STAGEGATE_USER", "--trust-clock-env");
        workspace = server.clone(root.resolve("workspace"))
                .write(".stagegate/policy.yaml", POLICY)
                .write("schemas/values.schema.json", SCHEMA)
                .write("apps/web/values.yaml", "replicas: 2\n")
                .write("env/values.yaml", "environment: any\n")
                .commit("Start the environments");
        for (String branch : new String[] {"main", "main:develop", "main:test", "main:staging"}) {
            ProgramResult push = workspace.push(branch);
            assertThat(push.exitCode()).as("%s", push).isZero();
        }
    }

    /** Merges origin/FROM into a local TO tracking origin/TO, the way a promotion pull request does. */
    private void mergeLocally(String from, String to) {
        workspace.git("fetch", "--quiet", "origin");
        workspace.git("checkout", "--quiet", "-B", to, "origin/" + to);
        workspace.git("merge", "--quiet", "--no-ff", "--no-edit", "origin/" + from);
    }

    private ProgramResult promote(String from, String to) {
        mergeLocally(from, to);
        return workspace.push(to);
    }

    private void changeOnDevelop(String replicas) {
        workspace.git("fetch", "--quiet", "origin");
        workspace.git("checkout", "--quiet", "-B", "develop", "origin/develop");
        workspace.write("apps/web/values.yaml", "replicas: " + replicas + "\n").commit("Scale to " + replicas);
        ProgramResult push = workspace.push("develop");
        assertThat(push.exitCode()).as("%s", push).isZero();
    }

    private ProgramResult recordEvidenceOnStaging(String result) {
        workspace.git("fetch", "--quiet", "origin");
        ProgramResult record = workspace.stagegate(Map.of(), "evidence", "record", "--commit", "origin/staging",
                "--environment", "staging", "--suite", "integration", "--result", result, "--producer", "ci-bot");
        assertThat(record.exitCode()).as("%s", record).isZero();
        return workspace.push(CI_BOT, "refs/notes/stagegate");
    }

    @Test
    void aChangeTravelsTheWholeChainWithEvidence() {
        changeOnDevelop("3");
        assertAccepted(promote("develop", "test"));
        assertAccepted(promote("test", "staging"));

        ProgramResult withoutEvidence = promote("staging", "main");
        assertRejected(withoutEvidence, "error [missing-evidence] refs/heads/main (production)");

        assertAccepted(recordEvidenceOnStaging("passed"));
        assertAccepted(workspace.push("main"));
        ProgramResult list = workspace.stagegate(Map.of(), "evidence", "list");
        assertThat(list.output()).contains("staging", "integration", "passed", "ci-bot");
    }

    @Test
    void aFailedRunKeepsTheChangeOutOfProduction() {
        changeOnDevelop("4");
        assertAccepted(promote("develop", "test"));
        assertAccepted(promote("test", "staging"));
        assertAccepted(recordEvidenceOnStaging("failed"));

        assertRejected(promote("staging", "main"), "is 'failed'");
    }

    @Test
    void developStraightIntoMainIsRejectedNamingTheSkippedStages() {
        changeOnDevelop("5");
        ProgramResult push = promote("develop", "main");
        assertRejected(push, "error [skipped-stage]");
        assertThat(String.join("\n", push.remoteLines())).contains("not yet in testing, staging", "apps/web/values.yaml");
    }

    @Test
    void aDirectCommitToProductionIsRejected() {
        workspace.git("checkout", "--quiet", "-B", "main", "origin/main");
        workspace.write("apps/web/values.yaml", "replicas: 9\n").commit("Hotfix straight into production");
        assertRejected(workspace.push("main"), "error [skipped-stage]");
    }

    @Test
    void rewritingAnEnvironmentIsRejected() {
        changeOnDevelop("6");
        workspace.git("commit", "--quiet", "--amend", "--message", "Rewritten");
        assertRejected(workspace.push("--force", "develop"), "error [force-push] refs/heads/develop");
    }

    @Test
    void deletingAnEnvironmentIsRejected() {
        assertRejected(workspace.push(":staging"), "error [branch-deletion] refs/heads/staging");
    }

    @Test
    void nothingLandsOnAFrozenEnvironment() {
        changeOnDevelop("7");
        assertAccepted(promote("develop", "test"));
        assertAccepted(promote("test", "staging"));
        assertAccepted(recordEvidenceOnStaging("passed"));
        mergeLocally("staging", "main");
        ProgramResult push = workspace.push(Map.of("STAGEGATE_NOW", "2026-12-24T10:00:00Z"), "main");
        assertRejected(push, "error [freeze-window] refs/heads/main (production)");
    }

    @Test
    void evidenceFromSomeoneElseIsRefused() {
        workspace.git("fetch", "--quiet", "origin");
        ProgramResult record = workspace.stagegate(Map.of(), "evidence", "record", "--commit", "origin/staging",
                "--environment", "staging", "--suite", "integration", "--result", "passed", "--producer", "ci-bot");
        assertThat(record.exitCode()).as("%s", record).isZero();
        ProgramResult push = workspace.push(Map.of("STAGEGATE_USER", "mallory"), "refs/notes/stagegate");
        assertRejected(push, "error [evidence-tamper] refs/notes/stagegate");
        assertThat(String.join("\n", push.remoteLines())).contains("not in evidence.writers");
    }

    @Test
    void aBrokenNoteIsRefused() {
        workspace.git("fetch", "--quiet", "origin");
        workspace.git("notes", "--ref=stagegate", "add", "-m", "{\"not\": \"evidence\"}", "origin/staging");
        assertRejected(workspace.push(CI_BOT, "refs/notes/stagegate"), "not valid evidence");
    }

    @Test
    void anInvalidPolicyIsRejectedWithItsLocation() {
        workspace.git("checkout", "--quiet", "-B", "develop", "origin/develop");
        workspace.write(".stagegate/policy.yaml", POLICY.replace("  - name: testing\n", "  - name: testing\n    colour: red\n"))
                .commit("Break the policy");
        ProgramResult push = workspace.push("develop");
        assertRejected(push, "error [policy-invalid] .stagegate/policy.yaml:7:5");
    }

    @Test
    void objectsThatStayInTheQuarantineAsAPackAreSeen() {
        workspace.git("-C", server.directory().toString(), "config", "receive.unpackLimit", "1");
        changeOnDevelop("8");
        assertAccepted(promote("develop", "test"));
        workspace.git("checkout", "--quiet", "-B", "main", "origin/main");
        workspace.write("apps/web/values.yaml", "replicas: 10\n").commit("Skip every stage");
        assertRejected(workspace.push("main"), "error [skipped-stage]");
    }

    private static void assertAccepted(ProgramResult push) {
        assertThat(push.exitCode()).as("%s", push).isZero();
        assertThat(push.remoteLines()).as("%s", push).anyMatch(line -> line.startsWith("stagegate: accepted"));
    }

    private static void assertRejected(ProgramResult push, String expectedLine) {
        assertThat(push.exitCode()).as("%s", push).isNotZero();
        assertThat(push.output()).as("%s", push).contains("pre-receive hook declined");
        assertThat(push.remoteLines()).as("%s", push).anyMatch(line -> line.contains(expectedLine));
    }
}
