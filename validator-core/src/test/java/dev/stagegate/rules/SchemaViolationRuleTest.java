package dev.stagegate.rules;

import static dev.stagegate.testing.GitOpsFixture.errors;
import static dev.stagegate.testing.GitOpsFixture.render;
import static dev.stagegate.testing.GitOpsFixture.violations;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.ExitStatus;
import dev.stagegate.Outcome;
import dev.stagegate.testing.GitOpsFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fixture maps apps/**&#47;values.yaml to a schema: replicas (integer, at least 1) required, image a string. */
class SchemaViolationRuleTest {

    private static final String RULE = "schema-violation";
    private static final String WEB = "apps/web/values.yaml";

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

    private static void assertAccepted(Outcome outcome) {
        assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.ACCEPTED);
        assertThat(outcome.verdict().violations()).as(render(outcome)).isEmpty();
    }

    @Test
    void aChangedFileThatFailsItsSchemaIsRejectedAtPathLineColumn() {
        RevCommit change = gitops.change("develop", WEB, "image: web:1.2\nreplicas: 0\n");

        Outcome outcome = gitops.push(gitops.update("develop", change));

        assertThat(outcome.status()).isEqualTo(ExitStatus.REJECTED);
        assertThat(errors(outcome)).containsExactly(RULE);
        assertThat(violations(outcome, RULE)).singleElement().satisfies(v -> {
            assertThat(v.ref()).isEqualTo("refs/heads/develop");
            assertThat(v.file()).isEqualTo(WEB);
            assertThat(v.line()).isEqualTo(2);
            assertThat(v.column()).isPositive();
        });
        assertThat(render(outcome)).contains(WEB + ":2:");
    }

    /**
     * A directory whose name is not UTF-8 (Latin-1 "café"): the file under it is checked like
     * any other. It was once looked up by its name encoded as UTF-8 again, not found, and
     * skipped, so an invalid file passed.
     */
    @Test
    void aFileUnderADirectoryNamedInLatin1IsChecked() throws Exception {
        RevCommit change;
        Repository repository = gitops.repo().repository();
        try (ObjectInserter inserter = repository.newObjectInserter(); ObjectReader reader = repository.newObjectReader()) {
            DirCache index = DirCache.newInCore();
            DirCacheBuilder builder = index.builder();
            RevCommit tip = gitops.tip("develop");
            builder.addTree(new byte[0], DirCacheEntry.STAGE_0, reader, tip.getTree());
            DirCacheEntry entry = new DirCacheEntry("apps/caf\u00e9/values.yaml".getBytes(StandardCharsets.ISO_8859_1),
                    DirCacheEntry.STAGE_0);
            entry.setFileMode(FileMode.REGULAR_FILE);
            entry.setObjectId(inserter.insert(Constants.OBJ_BLOB, "image: web:1.2\nreplicas: 0\n".getBytes(
                    StandardCharsets.UTF_8)));
            builder.add(entry);
            builder.finish();
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(index.writeTree(inserter));
            commit.setParentIds(tip);
            PersonIdent ident = new PersonIdent("Test", "test@example.invalid");
            commit.setAuthor(ident);
            commit.setCommitter(ident);
            commit.setMessage("a service in a Latin-1 directory\n");
            ObjectId id = inserter.insert(commit);
            inserter.flush();
            change = gitops.repo().parse(id);
        }

        Outcome outcome = gitops.push(gitops.update("develop", change));

        assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.REJECTED);
        assertThat(violations(outcome, RULE)).singleElement()
                .satisfies(v -> assertThat(v.file()).endsWith("/values.yaml").startsWith("apps/caf"));
    }

    @Test
    void everyProblemIsOneViolation() {
        RevCommit change = gitops.change("develop", WEB, "image: 7\nsize: large\n");

        Outcome outcome = gitops.push(gitops.update("develop", change));

        assertThat(violations(outcome, RULE)).hasSizeGreaterThanOrEqualTo(3)
                .allSatisfy(v -> assertThat(v.file()).isEqualTo(WEB));
    }

    @Test
    void aFileThatIsNotYamlIsRejected() {
        RevCommit change = gitops.change("develop", WEB, "replicas: [2\n");

        Outcome outcome = gitops.push(gitops.update("develop", change));

        assertThat(errors(outcome)).containsExactly(RULE);
        assertThat(violations(outcome, RULE)).allSatisfy(v -> assertThat(v.file()).isEqualTo(WEB));
    }

    @Test
    void aValidChangeIsAccepted() {
        assertAccepted(gitops.push(gitops.update("develop", gitops.change("develop", WEB, "replicas: 4\n"))));
    }

    @Test
    void filesTheSchemasDoNotMapAreNotChecked() {
        assertAccepted(gitops.push(gitops.update("develop",
                gitops.change("develop", "apps/web/notes.yaml", "replicas: [broken\n"))));
    }

    @Test
    void anUnchangedBrokenFileIsNotJudgedAgain() {
        gitops.repo().commitOn("develop").file(WEB, "replicas: none\n").commitTo("develop");
        RevCommit unrelated = gitops.change("develop", "apps/api/values.yaml", "replicas: 1\n");

        assertAccepted(gitops.push(gitops.update("develop", unrelated)));
    }

    @Test
    void aNewBranchIsComparedWithTheDefaultBranch() {
        gitops.repo().commitOn("main").file(WEB, "replicas: none\n").commitTo("main");
        RevCommit valid = gitops.repo().commitOn("main").file("apps/api/values.yaml", "replicas: 1\n").create();
        RevCommit broken = gitops.repo().commitOn("main").file("apps/api/values.yaml", "replicas: -1\n").create();

        assertAccepted(gitops.push(gitops.update("feature/api", valid)));
        Outcome outcome = gitops.push(gitops.update("feature/api", broken));
        assertThat(errors(outcome)).containsExactly(RULE);
        assertThat(violations(outcome, RULE)).singleElement()
                .satisfies(v -> assertThat(v.file()).isEqualTo("apps/api/values.yaml"));
    }

    @Test
    void aSymlinkMatchedByASchemaIsRejected() {
        RevCommit change = gitops.repo().commitOn("develop").symlink("apps/api/values.yaml", "../web/values.yaml")
                .create();

        Outcome outcome = gitops.push(gitops.update("develop", change));

        assertThat(errors(outcome)).containsExactly(RULE);
        assertThat(render(outcome)).contains("apps/api/values.yaml");
    }

    @Test
    void theSchemaIsReadFromThePushedRevision() {
        RevCommit change = gitops.repo().commitOn("develop")
                .file("schemas/app-values.schema.json", GitOpsFixture.APP_SCHEMA.replace("\"minimum\": 1", "\"minimum\": 0"))
                .file(WEB, "replicas: 0\n").create();

        assertAccepted(gitops.push(gitops.update("develop", change)));
    }

    @Test
    void modeWarnMakesItAWarning() {
        gitops.close();
        gitops = GitOpsFixture.create(dir.resolve("warn.git"), GitOpsFixture.policyPlus("mode: warn\n"));

        Outcome outcome = gitops.push(gitops.update("develop", gitops.change("develop", WEB, "replicas: 0\n")));

        assertThat(outcome.status()).isEqualTo(ExitStatus.ACCEPTED);
        assertThat(GitOpsFixture.warnings(outcome)).containsExactly(RULE);
    }
}
