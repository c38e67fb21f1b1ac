package dev.stagegate.git;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.util.FS;

/**
 * Opens the repository a hook runs in the way git set it up: {@code GIT_DIR},
 * {@code GIT_OBJECT_DIRECTORY} and {@code GIT_ALTERNATE_OBJECT_DIRECTORIES} point into git's
 * quarantine during pre-receive, and the pushed objects exist only there.
 *
 * <p>The variables come from the caller rather than the process, and relative paths are taken
 * from the hook's working directory rather than the JVM's, so that a resident server can open
 * the repository of any hook that asks it. The main object directory is reached as an
 * alternate of the quarantine, which JGit opens through its {@code RepositoryCache}: in a
 * process that outlives one push, its pack indexes stay loaded from one push to the next.
 */
public final class HookRepository {

    private HookRepository() {
    }

    /**
     * @param environment      the hook's environment variables
     * @param workingDirectory where git started the hook: the repository's git directory
     */
    public static Repository open(Map<String, String> environment, Path workingDirectory) throws IOException {
        FileRepositoryBuilder builder = new FileRepositoryBuilder().setFS(FS.DETECTED);
        builder.setGitDir(resolve(workingDirectory, environment.get("GIT_DIR"), workingDirectory));
        String objectDirectory = environment.get("GIT_OBJECT_DIRECTORY");
        if (objectDirectory != null && !objectDirectory.isEmpty()) {
            builder.setObjectDirectory(resolve(workingDirectory, objectDirectory, null));
        }
        String alternates = environment.get("GIT_ALTERNATE_OBJECT_DIRECTORIES");
        if (alternates != null) {
            for (String alternate : alternates.split(File.pathSeparator)) {
                if (!alternate.isEmpty()) {
                    builder.addAlternateObjectDirectory(resolve(workingDirectory, alternate, null));
                }
            }
        }
        builder.setBare();
        builder.setMustExist(true);
        return builder.build();
    }

    private static File resolve(Path workingDirectory, String value, Path fallback) {
        if (value == null || value.isEmpty()) {
            return fallback.toFile();
        }
        return workingDirectory.resolve(value).normalize().toFile();
    }
}
