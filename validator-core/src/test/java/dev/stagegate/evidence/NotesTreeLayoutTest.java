package dev.stagegate.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.testing.ObservingObjectReader;
import dev.stagegate.testing.TestRepository;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.notes.NoteMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Notes trees built entry by entry (what {@code git mktree} would write, and worse), each with
 * the problems the layout check states for it: none for what git and JGit write, one naming
 * the path for every entry that git and JGit would not read alike.
 */
class NotesTreeLayoutTest {

    private static final int LIMIT = 20;
    /** Two annotated objects that share the fan-out directory {@code cb/}, and one that does not. */
    private static final String CB_DA = "cbda3f0e5d1c2b3a49586776859a4b3c2d1e0f12";
    private static final String CB_FF = "cbff00112233445566778899aabbccddeeff0011";
    private static final String ZERO_A = "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567";

    @TempDir
    Path dir;

    TestRepository repo;

    @BeforeEach
    void setUp() {
        repo = TestRepository.bare(dir.resolve("notes.git"));
    }

    @AfterEach
    void tearDown() {
        repo.close();
    }

    private List<String> problems(ObjectId tree) throws IOException {
        return problems(null, tree);
    }

    private List<String> problems(ObjectId oldTree, ObjectId newTree) throws IOException {
        try (ObjectReader reader = repo.repository().newObjectReader()) {
            return NotesTreeLayout.problems(reader, Optional.ofNullable(oldTree), newTree, LIMIT);
        }
    }

    private ObjectId note(String content) {
        return repo.writeBlob(content);
    }

    /** {@code hex} split into fan-out directories of two digits, {@code levels} deep, and the rest. */
    private static String fannedOut(String hex, int levels) {
        StringBuilder path = new StringBuilder();
        for (int level = 0; level < levels; level++) {
            path.append(hex, 2 * level, 2 * level + 2).append('/');
        }
        return path.append(hex.substring(2 * levels)).toString();
    }

    @Test
    void flatNotesAreCanonical() throws IOException {
        ObjectId tree = repo.mktree().file(ZERO_A, "a\n").file(CB_DA, "b\n").file(CB_FF, "c\n").create();

        assertThat(problems(tree)).isEmpty();
    }

    @Test
    void fanOutsOfAnyDepthAreCanonicalEvenWhenSiblingsDiffer() throws IOException {
        ObjectId cbDa = repo.mktree().file(CB_DA.substring(4), "b\n").create();
        ObjectId cbFf = repo.mktree().file(CB_FF.substring(4), "c\n").create();
        ObjectId cb = repo.mktree().tree("da", cbDa).tree("ff", cbFf).create();
        ObjectId zeroA = repo.mktree().file(ZERO_A.substring(2), "a\n").create();
        ObjectId tree = repo.mktree().tree("0a", zeroA).tree("cb", cb).create();

        assertThat(problems(tree)).isEmpty();
    }

    @Test
    void theDeepestLevelHoldsNotesNamedByTheLastTwoDigits() throws IOException {
        ObjectId deepest = repo.mktree().file(CB_DA.substring(38), "b\n").create();
        ObjectId misplacedDirectory = repo.mktree().tree(CB_DA.substring(38), repo.mktree().create()).create();

        assertThat(problems(nest(CB_DA, 19, deepest))).isEmpty();
        assertThat(problems(nest(CB_DA, 19, misplacedDirectory)))
                .containsExactly("'" + fannedOut(CB_DA, 19) + "' is a directory where a note (a file) belongs");
    }

    /** {@code leaf} as the directory {@code levels} fan-out levels down {@code hex}'s path. */
    private ObjectId nest(String hex, int levels, ObjectId leaf) {
        ObjectId tree = leaf;
        for (int level = levels - 1; level >= 0; level--) {
            tree = repo.mktree().tree(hex.substring(2 * level, 2 * level + 2), tree).create();
        }
        return tree;
    }

    @Test
    void whatJGitWritesIsCanonicalAsItGrowsPastOneDirectory() throws IOException {
        ObjectId before;
        ObjectId after;
        try (ObjectInserter inserter = repo.repository().newObjectInserter()) {
            NoteMap notes = NoteMap.newEmptyMap();
            for (int i = 0; i < 300; i++) {
                notes.set(ObjectId.fromRaw(sha1("object " + i)), "record " + i + "\n", inserter);
            }
            before = notes.writeTree(inserter);
            notes.set(ObjectId.fromString(CB_DA), "one more\n", inserter);
            after = notes.writeTree(inserter);
            inserter.flush();
        }

        assertThat(problems(before)).isEmpty();
        assertThat(problems(before, after)).isEmpty();
    }

    private static byte[] sha1(String text) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aOneCharacterDirectory() throws IOException {
        ObjectId c = repo.mktree().file(CB_DA.substring(1), "b\n").create();

        assertThat(problems(repo.mktree().tree("c", c).create()))
                .containsExactly("'c/' is not a fan-out directory (those are named by two hex digits)");
    }

    @Test
    void aNoteBesideAFanOutDirectoryForTheSameObject() throws IOException {
        ObjectId cb = repo.mktree().file(CB_DA.substring(2), "passed\n").create();
        ObjectId tree = repo.mktree().tree("cb", cb).file(CB_DA, "failed\n").create();

        assertThat(problems(tree)).containsExactly(
                "the top level holds notes ('" + CB_DA + "') beside fan-out directories ('cb/')");
    }

    @Test
    void anEmptyFanOutDirectoryBesideFlatNotes() throws IOException {
        ObjectId zeroes = repo.mktree().file("0".repeat(38), "").create();
        ObjectId tree = repo.mktree().tree("00", zeroes).file(CB_DA, "failed\n").create();

        assertThat(problems(tree)).containsExactly(
                "the top level holds notes ('" + CB_DA + "') beside fan-out directories ('00/')");
    }

    @Test
    void notesBesideFanOutDirectoriesDeeperDown() throws IOException {
        ObjectId ff = repo.mktree().file(CB_FF.substring(4), "c\n").create();
        ObjectId cb = repo.mktree().file(CB_DA.substring(2), "b\n").tree("ff", ff).create();

        assertThat(problems(repo.mktree().tree("cb", cb).create())).containsExactly(
                "'cb/' holds notes ('" + fannedOut(CB_DA, 1) + "') beside fan-out directories ('cb/ff/')");
    }

    @Test
    void namesInUpperCase() throws IOException {
        String upperNote = CB_DA.toUpperCase(Locale.ROOT);
        ObjectId flat = repo.mktree().file(upperNote, "failed\n").file(CB_DA, "passed\n").create();
        ObjectId upperDirectory = repo.mktree().tree("CB", repo.mktree().file(CB_DA.substring(2), "b\n").create())
                .create();

        assertThat(problems(flat)).containsExactly("'" + upperNote + "' is not named by lower-case hex digits");
        assertThat(problems(upperDirectory)).containsExactly("'CB' is not named by lower-case hex digits");
    }

    @Test
    void aNoteOrADirectoryNamedTwice() throws IOException {
        ObjectId notes = repo.mktree().file(CB_DA, "failed\n").file(CB_DA, "passed\n").create();
        ObjectId cb = repo.mktree().file(CB_DA.substring(2), "b\n").create();
        ObjectId directories = repo.mktree().tree("cb", cb).tree("cb", cb).create();

        assertThat(problems(notes)).containsExactly("'" + CB_DA + "' appears twice");
        assertThat(problems(directories)).containsExactly("'cb/' appears twice");
    }

    @Test
    void notesOutOfOrder() throws IOException {
        ObjectId tree = repo.mktree().file(CB_DA, "b\n").file(ZERO_A, "a\n").create();

        assertThat(problems(tree)).containsExactly("'" + ZERO_A + "' is out of order");
    }

    @Test
    void namesThatAreNoNotes() throws IOException {
        ObjectId tree = repo.mktree()
                .file(CB_DA.substring(1), "39 digits\n")
                .file("README.md", "no note\n")
                .file("g" + CB_DA.substring(1), "not hex\n")
                .create();
        ObjectId cb = repo.mktree().tree("cb", repo.mktree().file(CB_DA, "40 digits one level down\n").create())
                .create();

        assertThat(problems(tree)).containsExactly(
                "'" + CB_DA.substring(1) + "' is not a note: a note's path spells the 40 hex digits of the object"
                        + " it annotates",
                "'README.md' is not a note: a note's path spells the 40 hex digits of the object it annotates",
                "'g" + CB_DA.substring(1) + "' is not named by lower-case hex digits");
        assertThat(problems(cb)).containsExactly("'cb/" + CB_DA + "' is not a note: a note's path spells the 40 hex"
                + " digits of the object it annotates");
    }

    @Test
    void entriesWhereANoteBelongsThatAreNoFiles() throws IOException {
        ObjectId tree = repo.mktree()
                .entry(ZERO_A, FileMode.TREE, repo.mktree().create())
                .entry(CB_DA, FileMode.GITLINK, ObjectId.fromString(CB_FF))
                .entry(CB_FF, FileMode.SYMLINK, note("failed\n"))
                .create();
        ObjectId executable = repo.mktree().entry(CB_DA, FileMode.EXECUTABLE_FILE, note("passed\n")).create();

        assertThat(problems(tree)).containsExactly(
                "'" + ZERO_A + "' is a directory where a note (a file) belongs",
                "'" + CB_DA + "' is a submodule link where a note (a file) belongs",
                "'" + CB_FF + "' is a symbolic link where a note (a file) belongs");
        assertThat(problems(executable)).isEmpty();
    }

    @Test
    void entriesWhereAFanOutDirectoryBelongsThatAreNoTrees() throws IOException {
        ObjectId file = repo.mktree().file("cb", "b\n").create();
        ObjectId blobAsTree = repo.mktree().entry("cb", FileMode.TREE, note("b\n")).create();

        assertThat(problems(file)).containsExactly("'cb' is a file where a fan-out directory belongs");
        assertThat(problems(blobAsTree)).containsExactly("'cb/' is not a tree");
    }

    @Test
    void aPushThatChangesOneDirectoryReadsOnlyTheTreesOnItsPath() throws IOException {
        ObjectId zeroABefore = repo.mktree().file(ZERO_A.substring(2), "a\n").create();
        ObjectId zeroAAfter = repo.mktree().file(ZERO_A.substring(2), "a\nappended\n").create();
        ObjectId cb = repo.mktree().file(CB_DA.substring(2), "b\n").create();
        // written before the layout was checked: the push leaves it as it was, so it is not read again
        ObjectId dd = repo.mktree().file("d", "odd\n").create();
        ObjectId before = repo.mktree().tree("0a", zeroABefore).tree("cb", cb).tree("dd", dd).create();
        ObjectId after = repo.mktree().tree("0a", zeroAAfter).tree("cb", cb).tree("dd", dd).create();

        try (ObjectReader delegate = repo.repository().newObjectReader()) {
            ObservingObjectReader reader = new ObservingObjectReader(delegate);
            assertThat(NotesTreeLayout.problems(reader, Optional.of(before), after, LIMIT)).isEmpty();
            assertThat(reader.opened()).containsExactlyInAnyOrder(after, before, zeroAAfter);
        }
    }

    @Test
    void atMostTheLimitIsListed() throws IOException {
        TestRepository.TreeSpec tree = repo.mktree();
        for (int i = 0; i < 30; i++) {
            tree.file("stray-" + (char) ('a' + i / 10) + (i % 10), "no note\n");
        }

        assertThat(problems(tree.create())).hasSize(LIMIT);
    }
}
