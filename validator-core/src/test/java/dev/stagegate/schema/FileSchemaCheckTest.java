package dev.stagegate.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.git.CommitFiles;
import dev.stagegate.git.FileKind;
import dev.stagegate.git.PathSet;
import dev.stagegate.git.RevisionFiles;
import dev.stagegate.memo.ProcessMemory;
import dev.stagegate.git.WorkingTreeFiles;
import dev.stagegate.report.Severity;
import dev.stagegate.report.Violation;
import dev.stagegate.yaml.YamlLimits;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
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
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSchemaCheckTest {

    private static final String SCHEMA = "schemas/app-values.schema.json";
    private static final String VALUES = "apps/web/values.yaml";
    private static final String GLOB = "apps/**/values.yaml";

    private final FileSchemaCheck check =
            new FileSchemaCheck(List.of(new SchemaMapping(GLOB, SCHEMA)), YamlLimits.DEFAULTS);

    @TempDir
    Path directory;

    private Repository repository;
    private ObjectReader reader;

    @BeforeEach
    void createRepository() throws Exception {
        repository = Git.init().setBare(true).setDirectory(directory.resolve("repo.git").toFile()).call()
                .getRepository();
        reader = repository.newObjectReader();
    }

    @AfterEach
    void closeRepository() {
        reader.close();
        repository.close();
    }

    @Test
    void acceptsAFileThatPassesItsSchema() throws Exception {
        RevisionFiles files = commit().schemas().file(VALUES, """
                name: web
                replicas: 2
                image: {repository: nginx, tag: "1.25"}
                """).create();

        assertThat(check.checkAll(files)).isEmpty();
    }

    @Test
    void reportsEveryProblemOfEveryDocumentWithLineAndColumn() throws Exception {
        String fixture = fixture("invalid-values.yaml");
        RevisionFiles files = commit().schemas().file(VALUES, fixture).create();

        List<Violation> violations = check.checkAll(files);

        assertThat(violations).allSatisfy(violation -> {
            assertThat(violation.rule()).isEqualTo("schema-violation");
            assertThat(violation.severity()).isEqualTo(Severity.ERROR);
            assertThat(violation.file()).isEqualTo(VALUES);
        });
        assertThat(violations).extracting(violation -> violation.line() + ":" + violation.column() + " "
                + violation.message()).containsExactlyElementsOf(InlineFindings.in(fixture));
    }

    @Test
    void checksOnlyTheGivenPathsThatAMappingMatches() throws Exception {
        RevisionFiles files = commit().schemas()
                .file(VALUES, "replicas: many")
                .file("apps/api/values.yaml", "replicas: many")
                .file("apps/web/README.yaml", "replicas: many")
                .file("docs/values.yaml", "replicas: many")
                .create();

        List<Violation> violations = check.check(files,
                List.of(VALUES, "apps/web/README.yaml", "docs/values.yaml", "apps/gone/values.yaml"));

        assertThat(violations).extracting(Violation::file).containsOnly(VALUES);
        assertThat(check.checkAll(files)).extracting(Violation::file).containsOnly(VALUES, "apps/api/values.yaml");
    }

    @Test
    void checksAFileAgainstEveryMappingThatMatchesIt() throws Exception {
        FileSchemaCheck twoMappings = new FileSchemaCheck(List.of(
                new SchemaMapping(GLOB, SCHEMA),
                new SchemaMapping("apps/web/*.yaml", "schemas/strict.schema.json")), YamlLimits.DEFAULTS);
        RevisionFiles files = commit().schemas()
                .file("schemas/strict.schema.json", "{\"required\": [\"owner\"]}")
                .file(VALUES, "name: 7")
                .create();

        assertThat(twoMappings.checkAll(files)).extracting(Violation::message).containsExactly(
                "name: expected string, found integer (schema schemas/app-values.schema.json)",
                "required property 'owner' is missing (schema schemas/strict.schema.json)");
    }

    @Test
    void readsTheSchemaFromTheCheckedRevision() throws Exception {
        RevisionFiles older = commit().schemas().file(VALUES, "name: web\nreplicas: 2").create();
        RevisionFiles newer = commit()
                .file(SCHEMA, "{\"properties\": {\"replicas\": {\"maximum\": 1}}}")
                .file(VALUES, "name: web\nreplicas: 2")
                .create();

        assertThat(check.checkAll(older)).isEmpty();
        assertThat(check.checkAll(newer)).extracting(Violation::message)
                .containsExactly("replicas: must be at most 1, found 2 (schema schemas/app-values.schema.json)");
    }

    @Test
    void aProcessThatRemembersStillJudgesEveryRevisionByItsOwnSchemaAndReferences() throws Exception {
        String values = "name: web\nreplicas: 2\nimage: {repository: nginx, tag: \"1.25\"}\n";
        RevisionFiles passing = commit().schemas().file(VALUES, values).create();
        RevisionFiles stricterSchema = commit().schemas()
                .file(SCHEMA, fixture("app-values.schema.json").replace("\"minimum\": 1", "\"minimum\": 3"))
                .file(VALUES, values).create();
        RevisionFiles stricterReference = commit().schemas()
                .file("schemas/image.schema.json", fixture("image.schema.json").replace("\"string\"}\n", "\"integer\"}\n"))
                .file(VALUES, values).create();
        RevisionFiles changedFile = commit().schemas().file(VALUES, values.replace("replicas: 2", "replicas: 0")).create();
        ProcessMemory.enable();
        try {
            assertThat(check.checkAll(passing)).isEmpty();
            assertThat(check.checkAll(passing)).as("the same file again, remembered").isEmpty();

            assertThat(check.checkAll(stricterSchema)).extracting(Violation::message)
                    .containsExactly("replicas: must be at least 3, found 2 (schema schemas/app-values.schema.json)");
            assertThat(check.checkAll(stricterReference)).extracting(Violation::message)
                    .singleElement().asString().startsWith("image.tag: ");
            assertThat(check.checkAll(changedFile)).extracting(Violation::message)
                    .containsExactly("replicas: must be at least 1, found 0 (schema schemas/app-values.schema.json)");
            assertThat(check.checkAll(passing)).isEmpty();
        } finally {
            ProcessMemory.disable();
        }
    }

    @Test
    void rejectsASymlink() throws Exception {
        RevisionFiles files = commit().schemas().symlink(VALUES, "../../secrets/values.yaml").create();

        assertThat(check.checkAll(files)).containsExactly(error(VALUES, 1, 1,
                "is a symbolic link; files checked against a schema must be regular files (commit the content"
                        + " instead of a link)"));
    }

    @Test
    void rejectsASubmodule() throws Exception {
        RevisionFiles files = commit().schemas()
                .submodule(VALUES, ObjectId.fromString("0123456789abcdef0123456789abcdef01234567"))
                .create();

        assertThat(check.checkAll(files)).containsExactly(error(VALUES, 1, 1,
                "is a submodule; files checked against a schema must be regular files"));
    }

    @Test
    void rejectsAGitLfsPointer() throws Exception {
        RevisionFiles files = commit().schemas().file(VALUES, """
                version https://git-lfs.github.com/spec/v1
                oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393
                size 12345
                """).create();

        assertThat(check.checkAll(files)).extracting(Violation::message).containsExactly(
                "is a Git LFS pointer, not the file's content; files checked against a schema must be committed"
                        + " to Git itself (git lfs untrack it)");
    }

    @Test
    void rejectsA50MegabyteFileWithoutLoadingIt() throws Exception {
        RevisionFiles files = commit().schemas().largeFile(VALUES, 50L * 1024 * 1024).create();

        assertThat(check.checkAll(files)).containsExactly(error(VALUES, 1, 1,
                "is 52428800 bytes, more than the limit of 10485760 bytes for a checked file; split it up"));
    }

    @Test
    void rejectsABinaryFileAtItsFirstNulByte() throws Exception {
        RevisionFiles files = commit().schemas()
                .file(VALUES, "name: web\nlogo: \u0089PNG\u0000\u0001".getBytes(StandardCharsets.ISO_8859_1))
                .create();

        assertThat(check.checkAll(files)).containsExactly(error(VALUES, 2, 11,
                "binary file (contains NUL bytes), not YAML or JSON"));
    }

    @Test
    void rejectsInvalidUtf8AtItsPosition() throws Exception {
        RevisionFiles files = commit().schemas()
                .file(VALUES, "name: web\ncity: Z\u00fcrich\n".getBytes(StandardCharsets.ISO_8859_1))
                .create();

        assertThat(check.checkAll(files)).containsExactly(error(VALUES, 2, 8, "not valid UTF-8"));
    }

    @Test
    void rejectsAnAliasBomb() throws Exception {
        StringBuilder bomb = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 10; i++) {
            bomb.append('a').append(i).append(": &a").append(i).append(" [")
                    .append(String.join(", ", java.util.Collections.nCopies(10, "*a" + (i - 1)))).append("]\n");
        }
        RevisionFiles files = commit().schemas().file(VALUES, bomb.toString()).create();

        List<Violation> violations = check.checkAll(files);

        assertThat(violations).hasSize(1);
        assertThat(violations.get(0).message())
                .isEqualTo("aliases and merge keys expand to more than 10000 nodes (an alias bomb?)");
        assertThat(violations.get(0).line()).isBetween(4, 5);
    }

    @Test
    void rejectsNestingTenThousandLevelsDeep() throws Exception {
        String deep = "a: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n";
        RevisionFiles files = commit().schemas().file(VALUES, deep).create();

        List<Violation> violations = check.checkAll(files);

        assertThat(violations).extracting(Violation::message).containsExactly("nested more than 1000 levels deep");
        assertThat(violations.get(0).line()).isEqualTo(1);
    }

    @Test
    void rejectsDuplicateKeysAtTheSecondOne() throws Exception {
        RevisionFiles files = commit().schemas().file(VALUES, """
                name: web
                replicas: 2
                image: {repository: nginx}
                replicas: 3
                """).create();

        assertThat(check.checkAll(files)).containsExactly(error(VALUES, 4, 1,
                "duplicate key 'replicas' (first defined at line 2, column 1)"));
    }

    @Test
    void rejectsMalformedYamlWithThePositionOfTheProblem() throws Exception {
        RevisionFiles files = commit().schemas().file(VALUES, "name: [web\nreplicas: 2\n").create();

        List<Violation> violations = check.checkAll(files);

        assertThat(violations).hasSize(1);
        assertThat(violations.get(0).message()).startsWith("not valid YAML: ").doesNotContain("\n");
        assertThat(violations.get(0).line()).isGreaterThan(0);
    }

    @Test
    void reportsAMissingSchemaOnTheCheckedFile() throws Exception {
        RevisionFiles files = commit().file(VALUES, "name: web").create();

        assertThat(check.checkAll(files)).containsExactly(error(VALUES, 1, 1,
                "cannot be checked against its schema: schemas/app-values.schema.json does not exist"));
    }

    @Test
    void reportsASchemaWithASyntaxErrorOnEveryFileItChecks() throws Exception {
        RevisionFiles files = commit()
                .file(SCHEMA, "{\n  \"type\": \"object\",\n  \"required\": [\"name\"\n}\n")
                .file(VALUES, "name: web")
                .file("apps/api/values.yaml", "name: api")
                .create();

        List<Violation> violations = check.checkAll(files);

        assertThat(violations).extracting(Violation::file).containsExactly("apps/api/values.yaml", VALUES);
        assertThat(violations).allSatisfy(violation -> {
            assertThat(violation.message())
                    .startsWith("cannot be checked against its schema: schemas/app-values.schema.json:4:1:"
                            + " not valid JSON");
            assertThat(violation.line()).isEqualTo(1);
        });
    }

    @Test
    void reportsASchemaThatIsASymlink() throws Exception {
        RevisionFiles files = commit()
                .symlink(SCHEMA, "/etc/passwd")
                .file(VALUES, "name: web")
                .create();

        assertThat(check.checkAll(files)).extracting(Violation::message).containsExactly(
                "cannot be checked against its schema: schemas/app-values.schema.json cannot be read: it is a"
                        + " symlink, not a regular file");
    }

    @Test
    void turnsAnUnexpectedErrorIntoAViolationOnTheFile() throws Exception {
        RevisionFiles broken = new FailingReads(commit().schemas().file(VALUES, "name: web").create());

        assertThat(broken.paths(PathSet.of(List.of(GLOB)))).containsExactly(VALUES);
        assertThat(check.checkAll(broken)).containsExactly(error(VALUES, 1, 1,
                "could not be checked (IllegalStateException: object database corrupt); it is rejected to be safe"));
    }

    @Test
    void checksAWorkingTree() throws Exception {
        Path tree = Files.createDirectories(directory.resolve("work"));
        write(tree, SCHEMA, fixture("app-values.schema.json"));
        write(tree, "schemas/image.schema.json", fixture("image.schema.json"));
        write(tree, VALUES, "name: web\nreplicas: none\n");
        write(tree, "apps/api/values.yaml", "name: api\n");
        Files.createDirectories(tree.resolve("apps/link"));
        Files.createSymbolicLink(tree.resolve("apps/link/values.yaml"), tree.resolve(VALUES));
        Files.createDirectories(tree.resolve("apps/vendored/values.yaml"));
        write(tree, "apps/vendored/values.yaml/.git", "gitdir: ../../.git/modules/vendored\n");
        Files.createDirectories(tree.resolve("apps/huge"));
        try (RandomAccessFile huge = new RandomAccessFile(tree.resolve("apps/huge/values.yaml").toFile(), "rw")) {
            huge.setLength(50L * 1024 * 1024);
        }

        List<Violation> violations = check.checkAll(new WorkingTreeFiles(tree));

        assertThat(violations).containsExactly(
                error("apps/huge/values.yaml", 1, 1,
                        "is 52428800 bytes, more than the limit of 10485760 bytes for a checked file; split it up"),
                error("apps/link/values.yaml", 1, 1, "is a symbolic link; files checked against a schema must be"
                        + " regular files (commit the content instead of a link)"),
                error("apps/vendored/values.yaml", 1, 1,
                        "is a submodule; files checked against a schema must be regular files"),
                error(VALUES, 2, 1, "replicas: expected integer, found string (schema " + SCHEMA + ")"));
    }

    private static Violation error(String file, int line, int column, String message) {
        return Violation.error("schema-violation", message).at(file, line, column);
    }

    private static void write(Path root, String path, String content) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private String fixture(String name) {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("schema/check/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private TestCommit commit() {
        return new TestCommit();
    }

    /** Builds one commit straight into the object database, with any file mode git knows. */
    private final class TestCommit {

        private final List<DirCacheEntry> entries = new ArrayList<>();
        private final ObjectInserter inserter = repository.newObjectInserter();

        TestCommit schemas() {
            return file(SCHEMA, fixture("app-values.schema.json"))
                    .file("schemas/image.schema.json", fixture("image.schema.json"));
        }

        TestCommit file(String path, String content) {
            return file(path, content.getBytes(StandardCharsets.UTF_8));
        }

        TestCommit file(String path, byte[] content) {
            return entry(path, FileMode.REGULAR_FILE, insert(content));
        }

        TestCommit symlink(String path, String target) {
            return entry(path, FileMode.SYMLINK, insert(target.getBytes(StandardCharsets.UTF_8)));
        }

        TestCommit submodule(String path, ObjectId commit) {
            return entry(path, FileMode.GITLINK, commit);
        }

        /** A blob of {@code size} bytes, streamed so the test never holds it in memory. */
        TestCommit largeFile(String path, long size) {
            try (InputStream content = new RepeatedBytes(size)) {
                return entry(path, FileMode.REGULAR_FILE, inserter.insert(Constants.OBJ_BLOB, size, content));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        CommitFiles create() throws IOException {
            DirCache index = DirCache.newInCore();
            DirCacheBuilder builder = index.builder();
            entries.forEach(builder::add);
            builder.finish();
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(index.writeTree(inserter));
            PersonIdent author = new PersonIdent("Test", "test@example.com");
            commit.setAuthor(author);
            commit.setCommitter(author);
            commit.setMessage("test\n");
            ObjectId id = inserter.insert(commit);
            inserter.flush();
            inserter.close();
            try (RevWalk walk = new RevWalk(reader)) {
                RevCommit parsed = walk.parseCommit(id);
                return new CommitFiles(reader, parsed);
            }
        }

        private ObjectId insert(byte[] content) {
            try {
                return inserter.insert(Constants.OBJ_BLOB, content);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private TestCommit entry(String path, FileMode mode, ObjectId id) {
            entries.removeIf(existing -> existing.getPathString().equals(path));
            DirCacheEntry entry = new DirCacheEntry(path);
            entry.setFileMode(mode);
            entry.setObjectId(id);
            entries.add(entry);
            return this;
        }
    }

    /** {@code size} bytes of YAML-looking text, produced on the fly. */
    private static final class RepeatedBytes extends InputStream {

        private long remaining;

        RepeatedBytes(long size) {
            this.remaining = size;
        }

        @Override
        public int read() {
            if (remaining == 0) {
                return -1;
            }
            remaining--;
            return 'a';
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (remaining == 0) {
                return -1;
            }
            int count = (int) Math.min(length, remaining);
            java.util.Arrays.fill(buffer, offset, offset + count, (byte) 'a');
            remaining -= count;
            return count;
        }
    }

    /** A revision whose object database fails in a way no check anticipates. */
    private static final class FailingReads implements RevisionFiles {

        private final RevisionFiles delegate;

        FailingReads(RevisionFiles delegate) {
            this.delegate = delegate;
        }

        @Override
        public String describe() {
            return delegate.describe();
        }

        @Override
        public List<String> paths() throws IOException {
            return delegate.paths();
        }

        @Override
        public List<String> paths(PathSet filter) throws IOException {
            return delegate.paths(filter);
        }

        @Override
        public Optional<FileKind> kind(String path) throws IOException {
            return delegate.kind(path);
        }

        @Override
        public long size(String path) throws IOException {
            return delegate.size(path);
        }

        @Override
        public byte[] read(String path, long maxBytes) {
            throw new IllegalStateException("object database corrupt");
        }
    }
}
