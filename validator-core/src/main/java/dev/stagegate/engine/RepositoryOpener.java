package dev.stagegate.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.jgit.errors.ConfigInvalidException;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/** Opens a working tree's or a bare repository's git directory, refusing what JGit cannot read. */
public final class RepositoryOpener {

    private RepositoryOpener() {
    }

    /**
     * @throws RepositoryUnreadableException when {@code directory} is no git repository or uses
     *                                       an object format JGit cannot read
     */
    public static Repository open(Path directory) throws IOException {
        Path absolute = directory.toAbsolutePath().normalize();
        if (!Files.isDirectory(absolute)) {
            throw new RepositoryUnreadableException(directory + " is not a directory");
        }
        FileRepositoryBuilder builder = new FileRepositoryBuilder().setMustExist(true);
        if (Files.isDirectory(absolute.resolve(".git"))) {
            builder.setGitDir(absolute.resolve(".git").toFile());
        } else if (Files.isRegularFile(absolute.resolve("HEAD")) && Files.isDirectory(absolute.resolve("objects"))) {
            builder.setGitDir(absolute.toFile());
        } else {
            builder.findGitDir(absolute.toFile());
            if (builder.getGitDir() == null) {
                throw new RepositoryUnreadableException(directory + " is not a git repository");
            }
        }
        checkObjectFormat(builder.getGitDir().toPath());
        return builder.build();
    }

    /**
     * The git directory of {@code repository}: a working tree's {@code .git} directory, or the
     * directory itself when it is a bare repository; none for anything else (a worktree or a
     * submodule, whose {@code .git} is a file, or a directory that is no repository). A few looks
     * at the file system, where JGit's resolution would first detect the file system's features.
     */
    public static Optional<Path> gitDirectoryOf(Path repository) {
        if (repository == null) {
            return Optional.empty();
        }
        Path dotGit = repository.resolve(".git");
        if (Files.isDirectory(dotGit)) {
            return Optional.of(dotGit);
        }
        return isBare(repository) ? Optional.of(repository) : Optional.empty();
    }

    /** Whether {@code directory} is a bare repository's git directory: no working tree to read files from. */
    public static boolean isBare(Path directory) {
        return !Files.exists(directory.resolve(".git")) && Files.isRegularFile(directory.resolve("HEAD"))
                && Files.isDirectory(directory.resolve("objects"));
    }

    /** Repositories with the SHA-256 object format cannot be read by JGit: say so, never misjudge. */
    public static void checkObjectFormat(Path gitDir) throws IOException {
        Path config = gitDir.resolve("config");
        if (!Files.isRegularFile(config)) {
            return;
        }
        Config settings = new Config();
        try {
            settings.fromText(new String(Files.readAllBytes(config), StandardCharsets.UTF_8));
        } catch (ConfigInvalidException e) {
            throw new RepositoryUnreadableException("repository " + gitDir + " has a config git cannot read either: "
                    + e.getMessage());
        }
        String format = settings.getString("extensions", null, "objectFormat");
        if (format != null && !format.equalsIgnoreCase("sha1")) {
            String name = format.equalsIgnoreCase("sha256") ? "SHA-256" : "'" + format + "'";
            throw new RepositoryUnreadableException("repository " + gitDir.toAbsolutePath().normalize()
                    + " uses the " + name + " object format, which is not supported (JGit reads SHA-1 repositories only)");
        }
    }
}
