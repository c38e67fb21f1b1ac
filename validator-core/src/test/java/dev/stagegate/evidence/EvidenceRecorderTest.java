package dev.stagegate.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.testing.GitOpsFixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link EvidenceRecorder#appendAndPush} against a bare repository on a local path, through the
 * real git client: the server's hooks judge the push (JGit's in-process transport would run
 * none), and a push that loses a race with another writer is appended again and retried.
 */
class EvidenceRecorderTest {

    private static final String NOTES = GitOpsFixture.NOTES;
    private static final Instant AT = GitOpsFixture.NOW;

    @TempDir
    Path dir;

    GitOpsFixture server;
    Git clone;
    ObjectId staging;

    @BeforeEach
    void aServerAndAClone() throws Exception {
        server = GitOpsFixture.create(dir.resolve("server.git"));
        staging = server.tip("staging");
        clone = Git.cloneRepository().setURI(server.repo().directory().toString())
                .setDirectory(dir.resolve("clone").toFile()).call();
    }

    @AfterEach
    void tearDown() {
        clone.close();
        server.close();
    }

    private static EvidenceRecord record(ObjectId commit, String producer) {
        return new EvidenceRecord(commit.name(), "staging", "integration", EvidenceResult.PASSED, AT, producer,
                Map.of(), Optional.empty(), List.of(), Optional.empty());
    }

    private PushReport recordAndPush(Repository repository, String producer) throws IOException {
        EvidenceRecord record = record(staging, producer);
        return new EvidenceRecorder(repository, NOTES).appendAndPush(record, record.toJsonLine(),
                EvidenceRecorder.committer(producer, AT), server.repo().directory().toString());
    }

    private static void hook(Path hooks, String name, String script) throws IOException {
        Path hook = hooks.resolve(name);
        Files.createDirectories(hooks);
        Files.writeString(hook, "#!/bin/sh\n" + script, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private List<String> serverLines() throws IOException {
        try (RevWalk walk = new RevWalk(server.repo().repository())) {
            return EvidenceStore.open(walk, Optional.ofNullable(server.repo().refOrNull(NOTES))).lines(staging)
                    .stream().map(NoteLine::text).toList();
        }
    }

    @Test
    void aPushTheServersHookRefusesIsRecordedOnNeitherSide() throws IOException {
        hook(server.repo().directory().resolve("hooks"), "pre-receive",
                "echo 'error [evidence-tamper] not in evidence.writers' >&2\nexit 1\n");

        PushReport report = recordAndPush(clone.getRepository(), "intruder");

        assertThat(report.status()).as("%s", report).isEqualTo(PushReport.Status.REFUSED);
        assertThat(report.reason()).isEqualTo("pre-receive hook declined");
        assertThat(report.remoteLines()).containsExactly("error [evidence-tamper] not in evidence.writers");
        assertThat(server.repo().refOrNull(NOTES)).isNull();
        assertThat(clone.getRepository().resolve(NOTES)).isNull();
    }

    @Test
    void aPushTheServersHookAcceptsMovesBothSidesAndKeepsWhatTheHookSaid() throws IOException {
        hook(server.repo().directory().resolve("hooks"), "pre-receive", "echo 'stagegate: accepted' >&2\n");

        PushReport report = recordAndPush(clone.getRepository(), "ci-bot");

        assertThat(report.status()).as("%s", report).isEqualTo(PushReport.Status.ACCEPTED);
        assertThat(report.remoteLines()).containsExactly("stagegate: accepted");
        assertThat(server.repo().refOrNull(NOTES)).isNotNull().isEqualTo(clone.getRepository().resolve(NOTES));
        assertThat(serverLines()).singleElement().asString().contains("\"producer\":\"ci-bot\"");
    }

    @Test
    void anotherWriterPushingFirstIsAppendedAgainAndBothRecordsLand() throws Exception {
        Path other = dir.resolve("other");
        try (Git otherClone = Git.cloneRepository().setURI(server.repo().directory().toString())
                .setDirectory(other.toFile()).call()) {
            EvidenceRecord record = record(staging, "other-bot");
            new EvidenceRecorder(otherClone.getRepository(), NOTES).append(record, record.toJsonLine(),
                    EvidenceRecorder.committer("other-bot", AT));
        }
        // the other writer's push lands after this clone read the server's notes, before its own push
        hook(clone.getRepository().getDirectory().toPath().resolve("hooks"), "pre-push", """
                marker="$(dirname "$0")/raced"
                [ -e "$marker" ] && exit 0
                touch "$marker"
                git --git-dir='%s' push --quiet origin refs/notes/stagegate >&2
                """.formatted(other.resolve(".git")));

        PushReport report = recordAndPush(clone.getRepository(), "ci-bot");

        assertThat(report.status()).as("%s", report).isEqualTo(PushReport.Status.ACCEPTED);
        assertThat(serverLines()).hasSize(2).anyMatch(line -> line.contains("\"producer\":\"other-bot\""))
                .anyMatch(line -> line.contains("\"producer\":\"ci-bot\""));
    }

    @Test
    void aRemoteThatCannotBeReadIsAFailureNotARefusal() throws IOException {
        EvidenceRecord record = record(staging, "ci-bot");
        PushReport report = new EvidenceRecorder(clone.getRepository(), NOTES).appendAndPush(record,
                record.toJsonLine(), EvidenceRecorder.committer("ci-bot", AT), dir.resolve("nowhere.git").toString());

        assertThat(report.status()).isEqualTo(PushReport.Status.FAILED);
        assertThat(report.reason()).startsWith("cannot read refs/notes/stagegate from " + dir.resolve("nowhere.git")
                + ": fatal: ");
        assertThat(clone.getRepository().resolve(NOTES)).isNull();
    }
}
