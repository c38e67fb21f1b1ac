package dev.stagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.testing.SshKeys;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Approvals end to end: people run {@code stagegate approve --sign-key KEY --push} in their clone,
 * the server's hook judges the notes push (signed lines must verify; unsigned ones must be the
 * pusher's own), and judges the promotion into production by the approvals that count.
 * Production needs two approvals under {@code signatures: required}; keys are made with ssh-keygen.
 */
@Tag("end-to-end")
class ApprovalsIT {

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
                requiresApproval:
                  count: 2
                  from: [release-managers]
            groups:
              release-managers: [alice, bob, carol]
            identities:
              alice: [alice@example.com]
              bob: [bob@example.com]
              carol: [carol@example.com]
            evidence:
              writers: [alice, bob, carol, ci-bot]
              signatures: required
              allowedSigners: .stagegate/allowed_signers
            """;
    private static final String NOTES = "refs/notes/stagegate";

    @TempDir
    Path root;

    private ServerRepository server;
    private Workspace workspace;
    private SshKeys.Key alice;
    private SshKeys.Key bob;
    private SshKeys.Key carol;

    @BeforeEach
    void environmentsWhoseProductionNeedsTwoSignedApprovals() throws IOException {
        GitCli git = GitCli.inHome(root.resolve("home"));
        alice = SshKeys.generate(root.resolve("keys"), "alice");
        bob = SshKeys.generate(root.resolve("keys"), "bob");
        carol = SshKeys.generate(root.resolve("keys"), "carol");
        server = ServerRepository.init(git, root.resolve("server.git"));
        workspace = server.clone(root.resolve("workspace"))
                .write(".stagegate/policy.yaml", POLICY)
                .write(".stagegate/allowed_signers", alice.allowedSignersLine("alice") + bob.allowedSignersLine("bob")
                        + carol.allowedSignersLine("carol"))
                .write("apps/web/values.yaml", "replicas: 2\n")
                .commit("Start the environments");
        workspace.git("push", "--quiet", "origin", "main", "main:develop", "main:staging");
        server.withHookInstalled("--no-cds", "--identity-env", "STAGEGATE_USER");
    }

    /** A change by {@code author} goes through develop into staging; the clone's origin/staging then carries it. */
    private String stagingCarriesAChangeBy(String author) {
        workspace.write("apps/web/values.yaml", "replicas: 3\n");
        workspace.git("add", "--all");
        workspace.git("commit", "--quiet", "--author", author, "--message", "Scale up");
        assertThat(workspace.push(Map.of("STAGEGATE_USER", "dana"), "HEAD:develop").exitCode()).isZero();
        assertThat(workspace.push(Map.of("STAGEGATE_USER", "dana"), "HEAD:staging").exitCode()).isZero();
        workspace.git("fetch", "--quiet", "origin");
        return workspace.id("origin/staging");
    }

    private ProgramResult approve(String account, String... options) {
        String[] command = new String[options.length + 3];
        command[0] = "approve";
        command[1] = "--environment";
        command[2] = "production";
        System.arraycopy(options, 0, command, 3, options.length);
        return workspace.stagegate(Map.of("STAGEGATE_USER", account), command);
    }

    private ProgramResult promoteToProduction() {
        return workspace.push(Map.of("STAGEGATE_USER", "release-bot"), "HEAD:main");
    }

    @Test
    void twoSignedApprovalsPushedByTheirApproversLetThePromotionThrough() {
        String staging = stagingCarriesAChangeBy("Dana <dana@example.com>");
        ProgramResult before = promoteToProduction();
        assertThat(before.exitCode()).as("%s", before).isNotZero();
        assertThat(before.remoteLines()).anyMatch(line -> line.startsWith("error [missing-approval] ")
                && line.contains("production needs 2 approvals from release-managers; 0 count"));

        ProgramResult byAlice = approve("alice", "--sign-key", alice.privateKey().toString(), "--push");
        ProgramResult byBob = approve("bob", "--sign-key", bob.privateKey().toString(), "--comment", "LGTM", "--push");

        assertThat(byAlice.exitCode()).as("%s", byAlice).isZero();
        assertThat(byAlice.output()).contains("note: recorded approval of " + staging + " into production by alice,"
                + " signed (refs/notes/stagegate, pushed to origin)", "note: remote: stagegate: accepted");
        assertThat(byBob.exitCode()).as("%s", byBob).isZero();
        ProgramResult promotion = promoteToProduction();
        assertThat(promotion.exitCode()).as("%s", promotion).isZero();
        ProgramResult list = workspace.stagegate(Map.of(), "evidence", "list", "--commit", "origin/staging");
        assertThat(list.output()).as("%s", list).contains("approved", "alice  signed by alice (SHA256:",
                "bob \"LGTM\"  signed by bob (SHA256:");
    }

    @Test
    void anApprovalByTheAuthorOfTheChangeDoesNotCount() {
        String staging = stagingCarriesAChangeBy("Carol <carol@example.com>");
        assertThat(approve("alice", "--sign-key", alice.privateKey().toString(), "--push").exitCode()).isZero();
        assertThat(approve("carol", "--sign-key", carol.privateKey().toString(), "--push").exitCode()).isZero();

        ProgramResult promotion = promoteToProduction();

        assertThat(promotion.exitCode()).as("%s", promotion).isNotZero();
        assertThat(promotion.remoteLines()).anyMatch(line -> line.startsWith("error [missing-approval] ")
                && line.contains("1 counts (alice)")
                && line.contains("not counted: carol (the author of promoted change " + staging.substring(0, 12) + ")"));
    }

    @Test
    void aBotMayPushAnApprovalAliceSigned() {
        stagingCarriesAChangeBy("Dana <dana@example.com>");

        ProgramResult byBot = approve("ci-bot", "--approver", "alice", "--sign-key", alice.privateKey().toString(),
                "--push");

        assertThat(byBot.exitCode()).as("%s", byBot).isZero();
        assertThat(byBot.output()).contains("note: remote: stagegate: accepted");
        assertThat(server.ref(NOTES)).isNotNull();
    }

    @Test
    void theHookRejectsALineWhoseSignatureWasTamperedWithAndSaysWhy() {
        String staging = stagingCarriesAChangeBy("Dana <dana@example.com>");
        ProgramResult signed = approve("alice", "--sign-key", alice.privateKey().toString(), "--comment", "ship it");
        assertThat(signed.exitCode()).as("%s", signed).isZero();
        String line = workspace.git("notes", "--ref=stagegate", "show", staging).output().strip();
        workspace.git("notes", "--ref=stagegate", "add", "--force", "--message",
                line.replace("\"comment\":\"ship it\"", "\"comment\":\"ship it now\""), staging);

        ProgramResult push = workspace.push(Map.of("STAGEGATE_USER", "alice"), NOTES);

        assertThat(push.exitCode()).as("%s", push).isNotZero();
        assertThat(push.remoteLines()).anyMatch(text -> text.startsWith("error [evidence-tamper] " + NOTES)
                && text.contains("its signature does not verify under .stagegate/policy.yaml")
                && text.contains("does not match this record"));
        assertThat(server.ref(NOTES)).isNull();
    }

    @Test
    void anUnsignedApprovalForSomeoneElseIsRejectedByTheHook() {
        stagingCarriesAChangeBy("Dana <dana@example.com>");

        ProgramResult byBob = approve("bob", "--approver", "alice", "--push");

        assertThat(byBob.exitCode()).as("%s", byBob).isEqualTo(1);
        assertThat(byBob.output()).contains("refused the push (pre-receive hook declined)",
                "approver 'alice' is not the pusher 'bob'; sign the record (--sign-key) to push it on someone's behalf");
        assertThat(server.ref(NOTES)).isNull();
    }
}
