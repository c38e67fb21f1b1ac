package dev.stagegate.evidence;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;

/**
 * The one layout of a notes tree that git and JGit read alike, checked on the trees a push
 * changes.
 *
 * <p>git ({@code notes.c}, {@code load_subtree}) reads, in a directory {@code d} fan-out levels
 * deep, a regular file named by the remaining {@code 40 - 2d} hex digits as a note, and a
 * directory named by two hex digits as one more fan-out level; hex of either case; notes that
 * land on one object are concatenated, whatever their layout. JGit ({@code NoteParser}) decides
 * per directory, from its first note-like entry, whether it holds notes or fan-out directories,
 * skips entries of the other kind, takes any entry of note length as a note (a directory, a
 * link), and finds notes by binary search, so it needs them in order. Both read a directory the
 * same way exactly when it holds only notes (regular files, lower-case hex, each name once) or
 * only fan-out directories (two lower-case hex digits): what {@code git notes} and JGit write,
 * at whatever depth they choose. Then every object has one place its note can be, and each
 * directory can be judged on its own, so a directory that the push leaves as it was is never
 * read.
 */
public final class NotesTreeLayout {

    private final ObjectReader reader;
    private final int limit;
    private final List<String> problems = new ArrayList<>();

    private NotesTreeLayout(ObjectReader reader, int limit) {
        this.reader = reader;
        this.limit = limit;
    }

    /**
     * Why the entries of {@code newTree} that differ from {@code oldTree} would not be read
     * alike by git and JGit, each naming its path; at most {@code limit}, none when the layout
     * is canonical.
     */
    public static List<String> problems(ObjectReader reader, Optional<ObjectId> oldTree, ObjectId newTree,
            int limit) throws IOException {
        NotesTreeLayout layout = new NotesTreeLayout(reader, limit);
        layout.check("", 0, oldTree.orElse(null), newTree);
        return List.copyOf(layout.problems);
    }

    /** One directory {@code depth} fan-out levels deep; {@code oldTree} is null where there was none. */
    private void check(String directory, int depth, ObjectId oldTree, ObjectId newTree) throws IOException {
        if (newTree.equals(oldTree) || problems.size() >= limit) {
            return;
        }
        CanonicalTreeParser entries;
        try {
            entries = new CanonicalTreeParser(null, reader, newTree);
        } catch (IncorrectObjectTypeException e) {
            problem("'" + directory + "' is not a tree");
            return;
        }
        int noteLength = Constants.OBJECT_ID_STRING_LENGTH - 2 * depth;
        String firstNote = null;
        String firstFanOut = null;
        String previous = null;
        Map<String, ObjectId> fanOuts = new LinkedHashMap<>();
        for (; !entries.eof(); entries.next(1)) {
            String name = entries.getEntryPathString();
            int mode = entries.getEntryRawMode();
            String path = directory + name;
            // git tells a note from a fan-out directory by the length of its name first, then by its mode
            if (name.length() == noteLength) {
                if (!isLowerCaseHex(name)) {
                    problem("'" + path + "' is not named by lower-case hex digits");
                } else if (!isFile(mode)) {
                    problem("'" + path + "' is " + kind(mode) + " where a note (a file) belongs");
                } else if (inOrder(path, name, previous)) {
                    firstNote = firstNote == null ? path : firstNote;
                    previous = name;
                }
            } else if (name.length() == 2) {
                if (!isLowerCaseHex(name)) {
                    problem("'" + path + "' is not named by lower-case hex digits");
                } else if (!FileMode.TREE.equals(mode)) {
                    problem("'" + path + "' is " + kind(mode) + " where a fan-out directory belongs");
                } else if (inOrder(path + "/", name + "/", previous)) {
                    firstFanOut = firstFanOut == null ? path : firstFanOut;
                    fanOuts.put(name, entries.getEntryObjectId());
                    previous = name + "/";
                }
            } else if (FileMode.TREE.equals(mode)) {
                problem("'" + path + "/' is not a fan-out directory (those are named by two hex digits)");
            } else {
                problem("'" + path + "' is not a note: a note's path spells the 40 hex digits of the object it"
                        + " annotates");
            }
        }
        if (firstNote != null && firstFanOut != null) {
            problem((directory.isEmpty() ? "the top level" : "'" + directory + "'") + " holds notes ('" + firstNote
                    + "') beside fan-out directories ('" + firstFanOut + "/')");
        }
        Map<String, ObjectId> oldFanOuts = fanOuts.isEmpty() ? Map.of() : fanOutsOf(oldTree);
        for (Map.Entry<String, ObjectId> fanOut : fanOuts.entrySet()) {
            check(directory + fanOut.getKey() + "/", depth + 1, oldFanOuts.get(fanOut.getKey()), fanOut.getValue());
        }
    }

    /**
     * Whether an entry sorts after the note or fan-out directory before it, by git's tree order
     * (a directory's {@code sortKey} ends in '/'), as JGit's binary search needs; a problem if not.
     */
    private boolean inOrder(String path, String sortKey, String previous) {
        if (previous == null || sortKey.compareTo(previous) > 0) {
            return true;
        }
        problem("'" + path + "' " + (sortKey.equals(previous) ? "appears twice" : "is out of order"));
        return false;
    }

    /** The directories of {@code tree} named like fan-out directories, by name; none when there is no tree. */
    private Map<String, ObjectId> fanOutsOf(ObjectId tree) throws IOException {
        Map<String, ObjectId> fanOuts = new HashMap<>();
        if (tree == null) {
            return fanOuts;
        }
        try {
            for (CanonicalTreeParser entries = new CanonicalTreeParser(null, reader, tree); !entries.eof();
                    entries.next(1)) {
                if (entries.getNameLength() == 2 && FileMode.TREE.equals(entries.getEntryRawMode())) {
                    fanOuts.put(entries.getEntryPathString(), entries.getEntryObjectId());
                }
            }
        } catch (IncorrectObjectTypeException e) {
            // what stood there was no tree, so every directory below is new and gets read in full
        }
        return fanOuts;
    }

    private void problem(String problem) {
        if (problems.size() < limit) {
            problems.add(problem);
        }
    }

    private static boolean isLowerCaseHex(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /** A regular or executable file: what git takes as a note. */
    private static boolean isFile(int mode) {
        return FileMode.REGULAR_FILE.equals(mode) || FileMode.EXECUTABLE_FILE.equals(mode);
    }

    private static String kind(int mode) {
        if (FileMode.TREE.equals(mode)) {
            return "a directory";
        }
        if (FileMode.GITLINK.equals(mode)) {
            return "a submodule link";
        }
        if (FileMode.SYMLINK.equals(mode)) {
            return "a symbolic link";
        }
        if (isFile(mode)) {
            return "a file";
        }
        return "an entry of mode " + Integer.toOctalString(mode);
    }
}
