package dev.stagegate.git;

import org.eclipse.jgit.lib.FileMode;

/** What a path in a revision is; only regular files can be parsed and validated. */
public enum FileKind {
    REGULAR,
    EXECUTABLE,
    SYMLINK,
    SUBMODULE,
    OTHER;

    public boolean isFile() {
        return this == REGULAR || this == EXECUTABLE;
    }

    public static FileKind of(FileMode mode) {
        if (FileMode.REGULAR_FILE.equals(mode)) {
            return REGULAR;
        }
        if (FileMode.EXECUTABLE_FILE.equals(mode)) {
            return EXECUTABLE;
        }
        if (FileMode.SYMLINK.equals(mode)) {
            return SYMLINK;
        }
        if (FileMode.GITLINK.equals(mode)) {
            return SUBMODULE;
        }
        return OTHER;
    }
}
