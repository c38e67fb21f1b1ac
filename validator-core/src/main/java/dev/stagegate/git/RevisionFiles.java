package dev.stagegate.git;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
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

    /**
     * What a check of one file's content needs, in one go: empty when the revision has no such
     * path, else the file's content or, for a symlink, submodule or the like, its kind.
     *
     * @throws FileTooLargeException when the file is larger than {@code maxBytes}
     */
    default Optional<FileContent> readFile(String path, long maxBytes) throws IOException {
        Optional<FileKind> kind = kind(path);
        if (kind.isEmpty()) {
            return Optional.empty();
        }
        if (!kind.get().isFile()) {
            return Optional.of(FileContent.notAFile(kind.get()));
        }
        try {
            return Optional.of(FileContent.of(read(path, maxBytes)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** Whether several threads may read at once; lets a whole-tree check use every core. */
    default boolean supportsConcurrentReads() {
        return false;
    }

    default boolean exists(String path) throws IOException {
        return kind(path).isPresent();
    }

    /**
     * An identity of the regular file at {@code path} that changes whenever its content does
     * (a git blob id), for memos that skip reading it; empty when this revision has none to give.
     */
    default Optional<String> contentId(String path) throws IOException {
        return Optional.empty();
    }
}
