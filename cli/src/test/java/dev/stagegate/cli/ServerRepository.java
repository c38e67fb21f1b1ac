package dev.stagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A bare repository playing the Git server, with the hook installed by the real
 * {@code stagegate.jar} (the one failsafe passes as system property {@code stagegate.jar}).
 */
final class ServerRepository {

    private final GitCli git;
    private final Path directory;

    private ServerRepository(GitCli git, Path directory) {
        this.git = git;
        this.directory = directory;
    }

    static ServerRepository init(GitCli git, Path directory) {
        git.git(directory.getParent(), "init", "--quiet", "--bare", directory.getFileName().toString());
        return new ServerRepository(git, directory);
    }

    /** A bare repository in another object format than SHA-1, such as {@code sha256}. */
    static ServerRepository initWithObjectFormat(GitCli git, Path directory, String objectFormat) {
        git.git(directory.getParent(), "init", "--quiet", "--bare", "--object-format=" + objectFormat,
                directory.getFileName().toString());
        return new ServerRepository(git, directory);
    }

    static Path stagegateJar() {
        String jar = System.getProperty("stagegate.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            return fail("system property stagegate.jar must name the built jar (failsafe sets it after package); was "
                    + jar);
        }
        return Path.of(jar);
    }

    Path directory() {
        return directory;
    }

    Path hooks() {
        return directory.resolve("hooks");
    }

    /** As Gitea and GitLab lay out their hooks: their own pre-receive runs everything in pre-receive.d/. */
    ServerRepository withHookDirectory() {
        try {
            Files.createDirectories(hooks().resolve("pre-receive.d"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    ServerRepository withFile(String path, String content) {
        try {
            Path file = directory.resolve(path);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** {@code java -jar stagegate.jar hook install --repo <this> <options>}, however it ends. */
    ProgramResult installHook(String... options) {
        List<String> command = new ArrayList<>(List.of(
                javaExecutable().toString(), "-jar", stagegateJar().toString(),
                "hook", "install", "--repo", directory.toString()));
        command.addAll(List.of(options));
        // The hook then runs on the JVM that runs the tests.
        return git.program(directory.getParent(), Map.of("JAVA_HOME", System.getProperty("java.home")), command);
    }

    ServerRepository withHookInstalled(String... options) {
        ProgramResult install = installHook(options);
        assertThat(install.exitCode()).as("%s", install).isZero();
        return this;
    }

    String config(String key) {
        return git.git(directory, "config", "--get", key).output().strip();
    }

    /** {@code stagegate pre-receive} run the way git runs the hook: in the git directory, the updates on stdin. */
    ProgramResult preReceive(Map<String, String> environment, String stdin, String... options) {
        List<String> command = new ArrayList<>(List.of(javaExecutable().toString(), "-jar",
                stagegateJar().toString(), "pre-receive"));
        command.addAll(List.of(options));
        return git.program(directory, environment, command, stdin);
    }

    /** The value of a ref on the server, or null when it does not exist. */
    String ref(String name) {
        ProgramResult result = git.tryGit(directory, Map.of(), "rev-parse", "--verify", "--quiet", name);
        return result.exitCode() == 0 ? result.output().strip() : null;
    }

    /** The file of a loose object, to take it away from the object store. */
    Path looseObject(String id) {
        return directory.resolve("objects").resolve(id.substring(0, 2)).resolve(id.substring(2));
    }

    Workspace clone(Path workspace) {
        git.git(directory.getParent(), "clone", "--quiet", directory.toString(), workspace.toString());
        return new Workspace(git, workspace);
    }

    private static Path javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }
}
