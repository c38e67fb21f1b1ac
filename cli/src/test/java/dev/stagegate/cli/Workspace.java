package dev.stagegate.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A clone of a {@link ServerRepository} where a test edits, commits and pushes like a user. */
final class Workspace {

    private final GitCli git;
    private final Path directory;

    Workspace(GitCli git, Path directory) {
        this.git = git;
        this.directory = directory;
    }

    Workspace write(String path, String content) {
        try {
            Path file = directory.resolve(path);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    Workspace commit(String message) {
        git.git(directory, "add", "--all");
        git.git(directory, "commit", "--quiet", "--message", message);
        return this;
    }

    Workspace branch(String name) {
        git.git(directory, "switch", "--quiet", "--create", name);
        return this;
    }

    /** The full id of a revision in this clone. */
    String id(String revision) {
        return git.git(directory, "rev-parse", "--verify", revision + "^{object}").output().strip();
    }

    Path directory() {
        return directory;
    }

    /** Any git command in this clone; fails the test when it does not succeed. */
    ProgramResult git(String... args) {
        return git.git(directory, args);
    }

    /** The stagegate jar run in this clone, however it ends. */
    ProgramResult stagegate(Map<String, String> environment, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", ServerRepository.stagegateJar().toString()));
        command.addAll(List.of(args));
        return git.program(directory, environment, command);
    }

    /** {@code git push origin <args>}; the result carries the hook's {@code remote:} lines. */
    ProgramResult push(String... args) {
        return push(Map.of(), args);
    }

    /** A push from a pusher whose environment (and so the hook's) has these variables, as a Git host sets them. */
    ProgramResult push(Map<String, String> environment, String... args) {
        List<String> command = new ArrayList<>(List.of("push", "origin"));
        command.addAll(List.of(args));
        return git.tryGit(directory, environment, command.toArray(String[]::new));
    }
}
