package dev.stagegate.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stagegate.testing.TestRepository;
import dev.stagegate.testing.ObservingObjectReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommitFilesTest {

    @TempDir
    Path dir;

    private TestRepository repo;

    @BeforeEach
    void setUp() {
        repo = TestRepository.bare(dir.resolve("repo.git"));
    }

    @AfterEach
    void tearDown() {
        repo.close();
    }

    /** 300 services in one region's directory, and a file beside them. */
    private RevCommit wideCommit() {
        TestRepository.CommitSpec spec = repo.commitOn("main").file("README.md", "# platform\n");
        for (int i = 0; i < 300; i++) {
            spec.file("clusters/eu-west-1/svc-%04d/values.yaml".formatted(i), "replicas: " + (i % 5 + 1) + "\n");
        }
        return spec.create();
    }

    @Test
    void aGlobNamingADirectoryListsItsWholeSubtreeAndEntersNothingElse() throws Exception {
        RevCommit commit = repo.commitOn("main").file("apps/web/values.yaml", "replicas: 1\n")
                .file("apps/web/eu/values.yaml", "replicas: 2\n").file("apps-old/values.yaml", "replicas: 3\n")
                .file("env/values.yaml", "x: 1\n").file("apps.yaml", "x: 1\n").create();
        try (ObservingObjectReader reader = new ObservingObjectReader(repo.repository().newObjectReader())) {
            CommitFiles files = new CommitFiles(reader, commit);

            assertThat(files.paths(PathSet.of(List.of("apps/")))).containsExactly(
                    "apps/web/eu/values.yaml", "apps/web/values.yaml");
            assertThat(files.paths(PathSet.of(List.of("apps")))).containsExactly(
                    "apps/web/eu/values.yaml", "apps/web/values.yaml");
            List<ObjectId> opened = List.copyOf(reader.opened());
            try (TreeWalk env = TreeWalk.forPath(reader, "env", commit.getTree())) {
                assertThat(opened).doesNotContain(env.getObjectId(0));
            }
        }
    }

    @Test
    void aRegularFilesContentIdIsItsBlobAndNothingElseHasOne() throws Exception {
        RevCommit target = repo.commitOn("main").file("x", "x\n").create();
        RevCommit commit = repo.commitOn("main").file("apps/web/values.yaml", "replicas: 2\n")
                .file("apps/run.sh", "#!/bin/sh\n").symlink("apps/link.yaml", "web/values.yaml")
                .submodule("vendor/lib", target).create();
        try (ObjectReader reader = repo.repository().newObjectReader()) {
            CommitFiles files = new CommitFiles(reader, commit);

            assertThat(files.contentId("apps/web/values.yaml")).contains(
                    TreeWalk.forPath(reader, "apps/web/values.yaml", commit.getTree()).getObjectId(0).name());
            assertThat(files.contentId("apps/run.sh")).isPresent();
            assertThat(files.contentId("apps/link.yaml")).isEmpty();
            assertThat(files.contentId("vendor/lib")).isEmpty();
            assertThat(files.contentId("apps/web")).isEmpty();
            assertThat(files.contentId("apps/missing.yaml")).isEmpty();
        }
    }

    @Test
    void readsEachDirectoryOnceHoweverManyFilesAreLookedUp() throws Exception {
        RevCommit commit = wideCommit();
        ObservingObjectReader reader = new ObservingObjectReader(repo.repository().newObjectReader());
        try (reader) {
            CommitFiles files = new CommitFiles(reader, commit);
            for (int i = 0; i < 300; i++) {
                String path = "clusters/eu-west-1/svc-%04d/values.yaml".formatted(i);
                assertThat(files.kind(path)).contains(FileKind.REGULAR);
                assertThat(new String(files.read(path, 1000), StandardCharsets.UTF_8))
                        .isEqualTo("replicas: " + (i % 5 + 1) + "\n");
            }
        }
        // the root, clusters, eu-west-1 and the 300 service directories; a lookup per file
        // through the tree read every directory on its path again
        assertThat(reader.opened(Constants.OBJ_TREE)).isEqualTo(3 + 300);
    }

    @Test
    void findsWhatATreeWalkFindsForEveryKindOfPath() throws Exception {
        RevCommit target = repo.commitOn("main").file("x", "x\n").create();
        RevCommit commit = repo.commitOn("main")
                .file("apps/web/values.yaml", "replicas: 2\n")
                .file("apps/web/run.sh", "#!/bin/sh\n")
                .symlink("apps/link.yaml", "web/values.yaml")
                .submodule("vendor/lib", target)
                .file("notes.txt", "a file, not a directory\n")
                .create();
        List<String> paths = List.of("apps/web/values.yaml", "apps/web/run.sh", "apps/link.yaml", "vendor/lib",
                "apps", "apps/web", "apps/none.yaml", "none/values.yaml", "notes.txt/below", "vendor/lib/file",
                "apps//web/values.yaml", "./apps/web/values.yaml", "apps/web/values.yaml/", "/apps/web/values.yaml",
                "apps/./web/values.yaml", "apps/web/../web/values.yaml");
        try (ObjectReader reader = repo.repository().newObjectReader()) {
            CommitFiles files = new CommitFiles(reader, commit);
            for (String path : paths) {
                assertThat(files.kind(path)).as(path).isEqualTo(treeWalkKind(reader, commit, path));
            }
            assertThat(files.kind("apps/web/run.sh")).contains(FileKind.REGULAR);
            assertThat(files.kind("apps/link.yaml")).contains(FileKind.SYMLINK);
            assertThat(files.kind("vendor/lib")).contains(FileKind.SUBMODULE);
            assertThat(files.kind("apps/web")).isEmpty();
            assertThatThrownBy(() -> files.read("apps/web", 1000)).isInstanceOf(NoSuchFileException.class);
            assertThatThrownBy(() -> files.read("notes.txt/below", 1000)).isInstanceOf(NoSuchFileException.class);
            assertThat(files.size("apps/web/values.yaml")).isEqualTo("replicas: 2\n".length());
        }
    }

    /**
     * A directory name that is not UTF-8 (Latin-1 "café"): every path the commit lists can be
     * read. A lookup through TreeWalk.forPath encodes the listed name as UTF-8 again and misses
     * it, and the schema check skipped such a file as not there.
     */
    @Test
    void findsEveryPathItListsWhateverTheBytesOfItsNames() throws Exception {
        RevCommit commit;
        try (ObjectInserter inserter = repo.repository().newObjectInserter()) {
            ObjectId blob = inserter.insert(Constants.OBJ_BLOB, "replicas: 0\n".getBytes(StandardCharsets.UTF_8));
            TreeFormatter app = new TreeFormatter();
            app.append("values.yaml", FileMode.REGULAR_FILE, blob);
            ObjectId appTree = inserter.insert(app);
            TreeFormatter apps = new TreeFormatter();
            byte[] latin1 = "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1);
            apps.append(latin1, 0, latin1.length, FileMode.TREE, appTree);
            ObjectId appsTree = inserter.insert(apps);
            TreeFormatter root = new TreeFormatter();
            root.append("apps", FileMode.TREE, appsTree);
            CommitBuilder builder = new CommitBuilder();
            builder.setTreeId(inserter.insert(root));
            PersonIdent ident = new PersonIdent("Test", "test@example.invalid");
            builder.setAuthor(ident);
            builder.setCommitter(ident);
            builder.setMessage("a Latin-1 directory name\n");
            ObjectId id = inserter.insert(builder);
            inserter.flush();
            commit = repo.parse(id);
        }
        try (ObjectReader reader = repo.repository().newObjectReader()) {
            CommitFiles files = new CommitFiles(reader, commit);
            List<String> paths = files.paths();

            assertThat(paths).hasSize(1);
            assertThat(files.kind(paths.get(0))).contains(FileKind.REGULAR);
            assertThat(new String(files.read(paths.get(0), 1000), StandardCharsets.UTF_8)).isEqualTo("replicas: 0\n");
        }
    }

    private static Optional<FileKind> treeWalkKind(ObjectReader reader, RevCommit commit, String path)
            throws IOException {
        try (TreeWalk found = TreeWalk.forPath(reader, path, commit.getTree())) {
            return found == null || found.isSubtree() ? Optional.empty()
                    : Optional.of(FileKind.of(found.getFileMode(0)));
        }
    }
}
