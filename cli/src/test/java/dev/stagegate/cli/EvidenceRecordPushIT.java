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
 * {@code stagegate evidence record --push} into a bare repository on a local path with the hook
 * installed: the server's hook judges the push as it judges a user's {@code git push}, and the
 * command prints the server's verdict and exits with it.
 */
@Tag("end-to-end")
class EvidenceRecordPushIT {

    private static final String POLICY = """
            apiVersion: stagegate/v1
            kind: PromotionPolicy
            environments:
              - name: development
                branch: develop
              - name: staging
                branch: staging
                promotesFrom: development
            evidence:
              writers: [ci-bot]
            """;
    private static final String NOTES = "refs/notes/stagegate";

    @TempDir
    Path root;

    private ServerRepository server;
    private Workspace workspace;

    @BeforeEach
    void environmentsWithOnlyCiBotAsAnEvidenceWriter() throws IOException {
        GitCli git = GitCli.inHome(root.resolve("home"));
        server = ServerRepository.init(git, root.resolve("server.git"));
        workspace = server.clone(root.resolve("workspace"))
                .write(".stagegate/policy.yaml", POLICY)
                .write("apps/web/values.yaml", "replicas: 2\n")
                .commit("Start the environments");
        workspace.git("push", "--quiet", "origin", "main", "main:develop", "main:staging");
        workspace.git("fetch", "--quiet", "origin");
        server.withHookInstalled("--no-cds", "--identity-env", "STAGEGATE_USER");
    }

    /** {@code evidence record --push REMOTE} by {@code account}, who is also the record's producer. */
    private ProgramResult recordAndPush(String account, String remote) {
        return workspace.stagegate(Map.of("STAGEGATE_USER", account), "evidence", "record",
                "--commit", "origin/staging", "--environment", "staging", "--suite", "integration",
                "--result", "passed", "--push", remote);
    }

    private String localNotes() {
        ProgramResult result = workspace.git("for-each-ref", "--format=%(objectname)", NOTES);
        return result.output().isBlank() ? null : result.output().strip();
    }

    @Test
    void aRecordTheHookRefusesIsNotRecordedAndTheCommandSaysWhy() {
        ProgramResult record = recordAndPush("intruder", server.directory().toString());

        assertThat(record.exitCode()).as("%s", record).isEqualTo(1);
        assertThat(record.output()).as("%s", record)
                .contains("error [stagegate] refs/notes/stagegate: " + server.directory() + " refused the push"
                        + " (pre-receive hook declined), so 'integration' passed in staging on "
                        + workspace.id("origin/staging") + " is not recorded; see the server's remote: lines")
                .contains("note: remote: error [evidence-tamper] refs/notes/stagegate ")
                .contains("intruder may not update refs/notes/stagegate: not in evidence.writers")
                .contains("note: remote: stagegate: rejected (1 error, 0 warnings)")
                .doesNotContain("stagegate: accepted");
        assertThat(server.ref(NOTES)).isNull();
        assertThat(localNotes()).isNull();
    }

    @Test
    void aRecordTheHookAcceptsLandsOnBothSidesAndTheCommandPrintsTheServersVerdict() {
        ProgramResult record = recordAndPush("ci-bot", "origin");

        assertThat(record.exitCode()).as("%s", record).isZero();
        assertThat(record.output()).as("%s", record)
                .contains("note: recorded 'integration' passed in staging on " + workspace.id("origin/staging")
                        + " (refs/notes/stagegate, pushed to origin)")
                .contains("note: remote: stagegate: accepted (0 errors, 0 warnings)")
                .contains("stagegate: accepted (0 errors, 0 warnings)");
        assertThat(server.ref(NOTES)).isNotNull().isEqualTo(localNotes());
    }

    @Test
    void aSecondRecordIsAppendedOnTopOfTheServersNotes() {
        assertThat(recordAndPush("ci-bot", "origin").exitCode()).isZero();
        String first = server.ref(NOTES);

        ProgramResult second = recordAndPush("ci-bot", server.directory().toString());

        assertThat(second.exitCode()).as("%s", second).isZero();
        assertThat(server.ref(NOTES)).isNotEqualTo(first).isEqualTo(localNotes());
        assertThat(workspace.git("notes", "--ref=stagegate", "show", "origin/staging").output().lines()
                .filter(line -> line.contains("\"result\":\"passed\""))).hasSize(2);
    }
}
