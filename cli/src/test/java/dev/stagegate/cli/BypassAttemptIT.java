package dev.stagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Ways to get content into an environment without going through the stages, each a real
 * {@code git push} through the installed hook that must be rejected. (Skipping a stage outright,
 * force-pushing, deleting, evidence from a non-writer and a bypass by someone else are in
 * PromotionChainIT and PromotionPushIT.)
 */
@Tag("end-to-end")
class BypassAttemptIT {

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
            environmentSpecificPaths: ["env/**"]
            schemas:
              - files: "apps/**/values.yaml"
                schema: schemas/values.schema.json
            evidence:
              writers: [ci-bot, release-manager]
            bypass:
              users: [release-manager]
            """;
    private static final String SCHEMA = """
            {"$schema": "http://json-schema.org/draft-07/schema#",
             "type": "object",
             "properties": {"replicas": {"type": "integer", "minimum": 1}},
             "additionalProperties": false}
            """;
    private static final Map<String, String> CI_BOT = Map.of("STAGEGATE_USER", "ci-bot");
    private static final Map<String, String> RELEASE_MANAGER = Map.of("STAGEGATE_USER", "release-manager");
    private static final String VALUES = "apps/web/values.yaml";

    @TempDir
    Path root;

    private ServerRepository server;
    private Workspace workspace;
    private Path auditLog;

    @BeforeEach
    void everyEnvironmentAtTheSameContent() throws IOException {
        GitCli git = GitCli.inHome(root.resolve("home"));
        auditLog = root.resolve("audit.log");
        server = ServerRepository.init(git, root.resolve("server.git"));
        workspace = server.clone(root.resolve("workspace"))
                .write(".stagegate/policy.yaml", POLICY)
                .write("schemas/values.schema.json", SCHEMA)
                .write(VALUES, "replicas: 2\n")
                .write("env/values.yaml", "environment: any\n")
                .commit("Start the environments");
        // the environments exist before the hook does, so setting them up costs no hook runs
        workspace.git("push", "--quiet", "origin", "main", "main:develop", "main:test", "main:staging");
        server.withHookInstalled("--no-cds", "--identity-env", "STAGEGATE_USER", "--audit-log", auditLog.toString());
    }

    private void checkout(String branch) {
        workspace.git("fetch", "--quiet", "origin");
        workspace.git("checkout", "--quiet", "-B", branch, "origin/" + branch);
    }

    private void mergeLocally(String from, String to) {
        checkout(to);
        workspace.git("merge", "--quiet", "--no-ff", "--no-edit", "origin/" + from);
    }

    private void changeOnDevelop(String replicas) {
        checkout("develop");
        workspace.write(VALUES, "replicas: " + replicas + "\n").commit("Scale to " + replicas);
        assertAccepted(workspace.push("develop"));
    }

    /** develop -> test -> staging, each an accepted push. */
    private void changeUpToStaging(String replicas) {
        changeOnDevelop(replicas);
        mergeLocally("develop", "test");
        assertAccepted(workspace.push("test"));
        mergeLocally("test", "staging");
        assertAccepted(workspace.push("staging"));
    }

    private ProgramResult recordEvidence(String commit, Map<String, String> pusher, String producer) {
        ProgramResult record = workspace.stagegate(Map.of(), "evidence", "record", "--commit", commit,
                "--environment", "staging", "--suite", "integration", "--result", "passed", "--producer", producer);
        assertThat(record.exitCode()).as("%s", record).isZero();
        return workspace.push(pusher, "refs/notes/stagegate");
    }

    @Test
    void editingThePolicyInThePushThatReliesOnTheEdit() {
        checkout("main");
        workspace.write(".stagegate/policy.yaml", POLICY.replace("    promotesFrom: staging\n", ""))
                .write(VALUES, "replicas: 7\n")
                .commit("Make production an entry environment and scale it");

        ProgramResult push = workspace.push("main");

        assertRejected(push, "error [skipped-stage] refs/heads/main (production)");
        assertThat(push.remoteLines()).anyMatch(line -> line.startsWith(
                "warning [policy-loosened] .stagegate/policy.yaml refs/heads/main (production)"));
    }

    @Test
    void droppingTheSchemaInThePushThatBreaksIt() {
        checkout("develop");
        workspace.write(".stagegate/policy.yaml", POLICY.replace("""
                schemas:
                  - files: "apps/**/values.yaml"
                    schema: schemas/values.schema.json
                """, ""))
                .write(VALUES, "replicas: 0\n")
                .commit("No more schema, and zero replicas");

        assertRejected(workspace.push("develop"), "error [schema-violation] apps/web/values.yaml:1:1 refs/heads/develop");
    }

    @ParameterizedTest
    @ValueSource(strings = {".stagegate/**", ".stagegate/policy.yaml", "**/*.yaml", "**"})
    void makingThePolicyEnvironmentSpecific(String glob) {
        checkout("develop");
        workspace.write(".stagegate/policy.yaml", POLICY.replace("[\"env/**\"]", "[\"env/**\", \"" + glob + "\"]"))
                .commit("Let each environment keep its own policy");

        assertRejected(workspace.push("develop"), "error [policy-invalid] .stagegate/policy.yaml:18:");
    }

    @Test
    void stagingAndProductionInOneAtomicPush() {
        changeOnDevelop("3");
        mergeLocally("develop", "test");
        assertAccepted(workspace.push("test"));
        String stagingBefore = server.ref("refs/heads/staging");
        String mainBefore = server.ref("refs/heads/main");
        mergeLocally("test", "staging");
        workspace.git("checkout", "--quiet", "-B", "main", "origin/main");
        workspace.git("merge", "--quiet", "--no-ff", "--no-edit", "staging");

        ProgramResult push = workspace.push("--atomic", "staging", "main");

        assertRejected(push, "error [skipped-stage] refs/heads/main (production)");
        assertThat(server.ref("refs/heads/staging")).isEqualTo(stagingBefore);
        assertThat(server.ref("refs/heads/main")).isEqualTo(mainBefore);
    }

    @Test
    void evidencePushedWithThePromotionItVouchesFor() {
        changeUpToStaging("3");
        recordOnStaging("passed");
        mergeLocally("staging", "main");

        assertRejected(workspace.push(CI_BOT, "--atomic", "refs/notes/stagegate", "main"),
                "error [missing-evidence] refs/heads/main (production)");
    }

    @Test
    void evidenceOnACommitWithTheSameContentThatNoStageCarries() {
        changeUpToStaging("3");
        workspace.git("checkout", "--quiet", "-B", "lookalike", "origin/staging");
        workspace.git("commit", "--quiet", "--allow-empty", "--message", "Same content, never in staging");
        assertAccepted(workspace.push("lookalike"));
        assertAccepted(recordEvidence("lookalike", CI_BOT, "ci-bot"));

        mergeLocally("staging", "main");

        assertRejected(workspace.push("main"), "error [missing-evidence] refs/heads/main (production)");
    }

    @Test
    void evidenceInTheNameOfAnotherProducer() {
        changeUpToStaging("3");

        ProgramResult push = recordEvidence("origin/staging", RELEASE_MANAGER, "ci-bot");

        assertRejected(push, "error [evidence-tamper] refs/notes/stagegate");
        assertThat(String.join("\n", push.remoteLines())).contains("producer 'ci-bot' is not the pusher 'release-manager'");
    }

    @Test
    void removingAFailedRecord() {
        changeUpToStaging("3");
        recordOnStaging("failed");
        assertAccepted(workspace.push(CI_BOT, "refs/notes/stagegate"));
        workspace.git("notes", "--ref=stagegate", "remove", "origin/staging");
        recordOnStaging("passed");

        ProgramResult push = workspace.push(CI_BOT, "refs/notes/stagegate");

        assertRejected(push, "error [evidence-tamper] refs/notes/stagegate");
        assertThat(String.join("\n", push.remoteLines())).contains("the push removes or changes an evidence record");
    }

    @Test
    void rewritingTheEvidenceHistory() {
        changeUpToStaging("3");
        recordOnStaging("failed");
        assertAccepted(workspace.push(CI_BOT, "refs/notes/stagegate"));
        workspace.git("update-ref", "-d", "refs/notes/stagegate");
        recordOnStaging("passed");

        ProgramResult push = workspace.push(CI_BOT, "--force", "refs/notes/stagegate");

        assertRejected(push, "error [evidence-tamper] refs/notes/stagegate");
        assertThat(String.join("\n", push.remoteLines())).contains("(not a fast-forward)");
    }

    private void recordOnStaging(String result) {
        ProgramResult record = workspace.stagegate(Map.of(), "evidence", "record", "--commit", "origin/staging",
                "--environment", "staging", "--suite", "integration", "--result", result, "--producer", "ci-bot");
        assertThat(record.exitCode()).as("%s", record).isZero();
    }

    @Test
    void deletingTheEvidenceNotesEvenWithAnAuditedBypass() {
        changeUpToStaging("3");
        assertAccepted(recordEvidence("origin/staging", CI_BOT, "ci-bot"));

        ProgramResult push = workspace.push(RELEASE_MANAGER, "-o", "stagegate.bypass=INC-9 clean up",
                ":refs/notes/stagegate");

        assertRejected(push, "error [evidence-tamper] refs/notes/stagegate");
        assertThat(String.join("\n", push.remoteLines())).contains("deleting refs/notes/stagegate");
        assertThat(server.ref("refs/notes/stagegate")).isNotNull();
        assertThat(auditLog).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {"stagegate.bypass", "stagegate.bypass=", "stagegate.bypass=   "})
    void aBypassWithoutAReason(String option) {
        checkout("main");
        workspace.write(VALUES, "replicas: 9\n").commit("Hotfix straight into production");

        ProgramResult push = workspace.push(RELEASE_MANAGER, "-o", option, "main");

        assertRejected(push, "error [skipped-stage] refs/heads/main (production)");
        assertThat(push.remoteLines()).contains(
                "note: bypass ignored: give a reason, as in git push -o stagegate.bypass=\"hotfix INC-123\"");
        assertThat(auditLog).doesNotExist();
    }

    @Test
    void aBypassUnderAnIdentityTheHostDoesNotVouchFor() {
        checkout("main");
        workspace.write(VALUES, "replicas: 9\n").commit("Hotfix straight into production");

        ProgramResult push = workspace.push(Map.of("GL_USERNAME", "release-manager", "REMOTE_USER", "release-manager"),
                "-o", "stagegate.bypass=INC-7 trust me", "main");

        assertRejected(push, "error [skipped-stage] refs/heads/main (production)");
        assertThat(push.remoteLines()).contains("note: bypass ignored: an anonymous pusher is not in bypass.users of"
                + " the policy governing refs/heads/main");
        assertThat(auditLog).doesNotExist();
    }

    @Test
    void aPromotionMergeThatSmugglesAnExtraChange() {
        changeUpToStaging("3");
        checkout("main");
        workspace.git("merge", "--quiet", "--no-ff", "--no-commit", "origin/staging");
        workspace.write("apps/api/values.yaml", "replicas: 1\n");
        workspace.git("add", "--all");
        workspace.git("commit", "--quiet", "--no-edit");
        assertAccepted(recordEvidence("origin/staging", CI_BOT, "ci-bot"));

        ProgramResult push = workspace.push("main");

        assertRejected(push, "error [skipped-stage] refs/heads/main (production)");
        assertThat(String.join("\n", push.remoteLines())).contains("differs from staging in apps/api/values.yaml");
    }

    @Test
    void aPromotedFromTrailerNamingACommitOutsideTheUpstream() {
        changeOnDevelop("4");
        String developTip = workspace.id("origin/develop");
        checkout("main");
        workspace.git("checkout", "--quiet", "origin/develop", "--", VALUES);
        workspace.git("commit", "--quiet", "--message", "Promote\n\nPromoted-From: " + developTip);

        assertRejected(workspace.push("main"), "error [skipped-stage] refs/heads/main (production)");
    }

    @Test
    void unvettedContentUnderATagInThePushThatPromotesIt() {
        checkout("main");
        workspace.write(VALUES, "replicas: 8\n").commit("Unvetted");

        ProgramResult push = workspace.push("--atomic", "HEAD:refs/tags/vetted", "HEAD:refs/remotes/origin/staging",
                "main");

        assertRejected(push, "error [skipped-stage] refs/heads/main (production)");
        assertThat(server.ref("refs/tags/vetted")).isNull();
    }

    @Test
    void unvettedContentUnderOtherRefsBeforeItIsPromoted() {
        checkout("main");
        workspace.write(VALUES, "replicas: 8\n").commit("Unvetted");
        assertAccepted(workspace.push("HEAD:refs/tags/vetted"));
        assertAccepted(workspace.push("HEAD:refs/heads/staging-candidate"));
        assertAccepted(workspace.push("HEAD:refs/remotes/origin/staging"));

        assertRejected(workspace.push("main"), "error [skipped-stage] refs/heads/main (production)");
        assertRejected(workspace.push("HEAD:refs/tags/staging"), "error [ref-shadowing] refs/tags/staging");
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
