package dev.stagegate.git;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The files of one revision: a commit of a (possibly bare) repository, or a working tree.
 * Paths are repository-relative with {@code /} separators.
 */
public interface RevisionFiles {

    /** For messages: "the working tree", or "commit 1a2b3c4d5e6f". */
    String describe();

    /** Every file path in the revision (regular files, symlinks and submodules), sorted. */
    List<String> paths() throws IOException;

    /** The paths for which {@code filter} could match, without walking subtrees it rules out. */
    List<String> paths(PathSet filter) throws IOException;

    /** What {@code path} is, or empty when the revision has no such path. */
    Optional<FileKind> kind(String path) throws IOException;

    /** The size in bytes of the file at {@code path}, read without loading it. */
    long size(String path) throws IOException;

    /**
     * The content of the file at {@code path}.
     *
     * @throws java.nio.file.NoSuchFileException when the revision has no such file
     * @throws FileTooLargeException             when it is larger than {@code maxBytes}
     */
    byte[] read(String path, long maxBytes) throws IOException;

    /** Whether several threads may read at once; lets a whole-tree check use every core. */
    default boolean supportsConcurrentReads() {
        return false;
    }

    default boolean exists(String path) throws IOException {
        return kind(path).isPresent();
    }
}
