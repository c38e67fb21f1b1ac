package dev.stagegate.git;

import java.io.IOException;
import java.nio.file.Path;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.util.FS;
import org.eclipse.jgit.util.SystemReader;

/**
 * Opens the repository a hook runs in the way git set it up: {@code GIT_DIR},
 * {@code GIT_OBJECT_DIRECTORY} and {@code GIT_ALTERNATE_OBJECT_DIRECTORIES} point into git's
 * quarantine during pre-receive, and the pushed objects exist only there.
 */
public final class HookRepository {

    private HookRepository() {
    }

    /**
     * Reads git's variables from the process environment (through JGit's {@link SystemReader}).
     *
     * @param workingDirectory where git started the hook: the repository's git directory
     */
    public static Repository open(Path workingDirectory) throws IOException {
        FileRepositoryBuilder builder = new FileRepositoryBuilder().setFS(FS.DETECTED);
        builder.readEnvironment(SystemReader.getInstance());
        if (builder.getGitDir() == null) {
            builder.setGitDir(workingDirectory.toFile());
        }
        builder.setMustExist(true);
        return builder.build();
    }
}
