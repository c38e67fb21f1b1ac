package dev.stagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Notes trees written by hand with the real git client ({@code git hash-object}, {@code git mktree},
 * {@code git commit-tree}) and pushed through the installed hook: layouts in which git and
 * stagegate would not read the same records are refused, and the layout git itself chooses as the
 * notes grow is accepted, with the records git shows being those stagegate reads.
 */
@Tag("end-to-end")
class NotesTreeLayoutIT {

    private static final String POLICY = """
            apiVersion: stagegate/v1
            kind: PromotionPolicy
            environments:
              - name: staging
                branch: staging
              - name: production
                branch: main
                promotesFrom: staging
                requiresEvidence:
                  - suite: integration
                    environment: staging
            environmentSpecificPaths: ["env/**"]
            evidence:
              writers: [ci-bot, release-manager]
              trustedProducers: [ci-bot]
            """;
    private static final Map<String, String> CI_BOT = Map.of("STAGEGATE_USER", "ci-bot");
    private static final Map<String, String> RELEASE_MANAGER = Map.of("STAGEGATE_USER", "release-manager");
    private static final String NOTES = "refs/notes/stagegate";

    @TempDir
    Path root;

    private GitCli git;
    private ServerRepository server;
    private Workspace workspace;
    private String tested;

    @BeforeEach
    void aChangeOnStaging() throws IOException {
        git = GitCli.inHome(root.resolve("home"));
        server = ServerRepository.init(git, root.resolve("server.git"));
        workspace = server.clone(root.resolve("workspace"))
                .write(".stagegate/policy.yaml", POLICY)
                .write("apps/web/values.yaml", "replicas: 2\n")
                .write("env/values.yaml", "environment: any\n")
                .commit("Start the environments");
        workspace.git("push", "--quiet", "origin", "main", "main:staging");
        server.withHookInstalled("--no-cds", "--identity-env", "STAGEGATE_USER");
        workspace.git("checkout", "--quiet", "-B", "staging", "origin/staging");
        workspace.write("apps/web/values.yaml", "replicas: 3\n").commit("Scale to 3");
        assertAccepted(workspace.push("staging"));
        tested = workspace.id("staging");
    }

    private String record(String result, String recordedAt) {
        return "{\"apiVersion\":\"stagegate/v1\",\"kind\":\"TestEvidence\",\"commit\":\"" + tested + "\","
                + "\"environment\":\"staging\",\"suite\":\"integration\",\"result\":\"" + result + "\","
                + "\"recordedAt\":\"" + recordedAt + "\",\"producer\":\"ci-bot\"}";
    }

    /** ci-bot records a pass and then a failed re-run that revokes it, each an accepted push. */
    private String passThenFail() {
        String passed = record("passed", "2026-11-27T10:00:00Z");
        workspace.git("notes", "--ref=stagegate", "append", "-m", passed, tested);
        assertAccepted(workspace.push(CI_BOT, NOTES));
        workspace.git("notes", "--ref=stagegate", "append", "-m", record("failed", "2026-11-27T10:30:00Z"), tested);
        assertAccepted(workspace.push(CI_BOT, NOTES));
        return passed;
    }

    private ProgramResult promoteStagingToMain() {
        workspace.git("checkout", "--quiet", "-B", "main", "origin/main");
        workspace.git("merge", "--quiet", "--no-ff", "--no-edit", "staging");
        return workspace.push(RELEASE_MANAGER, "main");
    }

    /** {@code git mktree} in {@code directory}, fed {@code ls-tree}-style lines; the new tree's id. */
    private String mktree(Path directory, List<String> lines) {
        return gitWithInput(directory, String.join("\n", lines) + "\n", "mktree");
    }

    private String mktree(String... lines) {
        return mktree(workspace.directory(), List.of(lines));
    }

    /** {@code git hash-object -w} in {@code directory}; the new blob's id. */
    private String hashObject(Path directory, String content) {
        return gitWithInput(directory, content, "hash-object", "-w", "--stdin");
    }

    private String gitWithInput(Path directory, String input, String... args) {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        ProgramResult result = git.program(directory, Map.of(), command, input);
        assertThat(result.exitCode()).as("%s", result).isZero();
        return result.output().strip();
    }

    /** Points the local notes ref at a commit of {@code tree} on top of it, as a user with plumbing would. */
    private void commitNotesTree(String tree) {
        String commit = workspace.git("commit-tree", tree, "-p", NOTES, "-m", "Rearrange the notes").output().strip();
        workspace.git("update-ref", NOTES, commit);
    }

    @Test
    void aFailedRecordHiddenBehindAFannedOutHalfOfItsNoteIsRefused() {
        String passed = passThenFail();
        assertRejected(promoteStagingToMain(), "error [missing-evidence] refs/heads/main (production)");
        String fanOut = tested.substring(0, 2);
        String failedHalf = hashObject(workspace.directory(), record("failed", "2026-11-27T10:30:00Z") + "\n");
        String passedHalf = mktree("100644 blob " + hashObject(workspace.directory(), passed + "\n") + "\t"
                + tested.substring(2));
        // release-manager may write notes, but only ci-bot's records count: splitting ci-bot's note
        // in two adds no line and removes none, so before this check the hook saw nothing to refuse
        commitNotesTree(mktree("040000 tree " + passedHalf + "\t" + fanOut,
                "100644 blob " + failedHalf + "\t" + tested));

        ProgramResult push = workspace.push(RELEASE_MANAGER, NOTES);

        assertRejected(push, "error [evidence-tamper] refs/notes/stagegate");
        assertThat(String.join("\n", push.remoteLines())).contains("the top level holds notes ('" + tested
                + "') beside fan-out directories ('" + fanOut + "/')", "write evidence with git notes");

        // Had the tree landed (here fetched into the server, past the hook): git still shows the failed
        // re-run, stagegate reads only the fanned-out half, and the promotion would go through.
        git.git(server.directory(), "fetch", "--quiet", workspace.directory().toString(), NOTES + ":" + NOTES);
        assertThat(git.git(server.directory(), "notes", "--ref=stagegate", "show", tested).output())
                .contains("\"result\":\"failed\"");
        assertThat(linesStagegateReads(tested)).containsExactly(passed);
        assertAccepted(workspace.push(RELEASE_MANAGER, "main"));
    }

    @Test
    void aNoteMovedIntoAOneCharacterDirectoryIsRefused() {
        passThenFail();
        String note = workspace.git("rev-parse", NOTES + ":" + tested).output().strip();
        String oneCharacter = mktree("100644 blob " + note + "\t" + tested.substring(1));
        commitNotesTree(mktree("040000 tree " + oneCharacter + "\t" + tested.charAt(0)));

        ProgramResult push = workspace.push(RELEASE_MANAGER, NOTES);

        assertRejected(push, "error [evidence-tamper] refs/notes/stagegate");
        assertThat(String.join("\n", push.remoteLines()))
                .contains("'" + tested.charAt(0) + "/' is not a fan-out directory");
        assertRejected(promoteStagingToMain(), "error [missing-evidence] refs/heads/main (production)");
    }

    @Test
    void theFanOutGitChoosesAsTheNotesGrowIsAcceptedAndReadAsGitReadsIt() throws IOException {
        // 300 flat notes on other objects, written on the server where no hook runs
        String seed = hashObject(server.directory(), "seed\n");
        List<String> flat = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            flat.add("100644 blob " + seed + "\t" + sha1("seeded object " + i));
        }
        String flatTree = mktree(server.directory(), flat);
        String seeded = git.git(server.directory(), "commit-tree", flatTree, "-m", "Seed").output().strip();
        git.git(server.directory(), "update-ref", NOTES, seeded);
        workspace.git("fetch", "--quiet", "origin", NOTES + ":" + NOTES);
        String passed = record("passed", "2026-11-27T10:00:00Z");

        workspace.git("notes", "--ref=stagegate", "append", "-m", passed, tested);

        assertThat(workspace.git("ls-tree", NOTES).output().lines())
                .as("git wrote the notes into fan-out directories").allMatch(line -> line.startsWith("040000 tree "));
        assertAccepted(workspace.push(CI_BOT, NOTES));
        List<String> gitShows = git.git(server.directory(), "notes", "--ref=stagegate", "show", tested).output()
                .lines().filter(line -> !line.isBlank()).toList();
        assertThat(gitShows).containsExactly(passed);
        assertThat(linesStagegateReads(tested)).isEqualTo(gitShows);
        assertAccepted(promoteStagingToMain());
    }

    /** The note lines on {@code commit} as {@code stagegate evidence list} reads them on the server. */
    private List<String> linesStagegateReads(String commit) {
        ProgramResult list = workspace.stagegate(Map.of(), "evidence", "list", "--repo", server.directory().toString(),
                "--commit", commit, "--format", "json");
        assertThat(list.exitCode()).as("%s", list).isZero();
        try {
            List<String> lines = new ArrayList<>();
            for (JsonNode entry : new ObjectMapper().readTree(list.output()).get("evidence")) {
                lines.add(entry.get("line").asText());
            }
            return lines;
        } catch (IOException e) {
            throw new AssertionError("evidence list printed no JSON: " + list, e);
        }
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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
