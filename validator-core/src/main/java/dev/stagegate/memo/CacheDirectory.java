package dev.stagegate.memo;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where this process may keep what outlives it: {@code stagegate/} in the git directory of the
 * repository it judges, or, for a directory that is no repository ({@code validate --repo} on
 * plain files), in the user's cache directory ({@code $XDG_CACHE_HOME}, else {@code ~/.cache}).
 * Only pure results go there (compiled rule expressions), written as files that name what
 * produced them, so a file from another build is ignored rather than trusted. Either directory
 * is as much its owner's as the hooks or the shell's start-up files are.
 *
 * <p>A class of its own, outside the packages that use it, so that setting it costs a command
 * nothing it does not use (a policy without rules loads nothing of custom rules).
 */
public final class CacheDirectory {

    private static final String NAME = "stagegate";

    /**
     * Per thread: a resident server or a parallel build judges several repositories at once, and
     * each request's thread keeps to its own. Threads a request fans out to see none, and keep
     * nothing; the request's own thread compiles the policy first.
     */
    private static final ThreadLocal<Path> DIRECTORY = new ThreadLocal<>();

    private CacheDirectory() {
    }

    /**
     * From now on, on this thread, keep things in {@code gitDirectory} (the repository judged
     * has one), or in the user's cache directory when it has none.
     */
    public static void keepFor(Optional<Path> gitDirectory) {
        DIRECTORY.set(gitDirectory.map(git -> git.resolve(NAME)).orElseGet(CacheDirectory::userCacheDirectory));
    }

    private static Path userCacheDirectory() {
        try {
            String xdg = System.getenv("XDG_CACHE_HOME");
            if (xdg != null && !xdg.isEmpty() && Path.of(xdg).isAbsolute()) {
                return Path.of(xdg, NAME);
            }
            String home = System.getProperty("user.home");
            return home == null || home.isEmpty() || !Path.of(home).isAbsolute() ? null
                    : Path.of(home, ".cache", NAME);
        } catch (InvalidPathException e) {
            return null;
        }
    }

    /** Where one kind of thing is kept in a git directory. */
    public static Path inGitDirectory(Path gitDirectory, String kind) {
        return gitDirectory.resolve(NAME).resolve(kind);
    }

    /** Keep nothing; for tests, which share one JVM. */
    public static void useNone() {
        DIRECTORY.remove();
    }

    /** The directory for one kind of thing ({@code .../stagegate/<name>}), or empty when nothing is kept. */
    public static Optional<Path> forKind(String name) {
        Path chosen = DIRECTORY.get();
        return chosen == null ? Optional.empty() : Optional.of(chosen.resolve(name));
    }
}
