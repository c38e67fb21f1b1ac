package dev.stagegate.cli;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code git} client in a fixed environment: its own HOME with a minimal
 * .gitconfig, no system config, fixed author and committer, so that the end-to-end tests
 * behave the same on every machine. Whatever git is given reaches the server's hooks too,
 * because git runs receive-pack for a local push with the pusher's environment.
 */
final class GitCli {

    private static final long TIMEOUT_SECONDS = 120;
    /** Variables of the machine's environment that would change what git or the hook does. */
    private static final List<String> DROPPED_VARIABLE_PREFIXES =
            List.of("GIT_", "STAGEGATE_", "GL_", "GITHUB_", "GITEA_", "XDG_CONFIG_HOME", "REMOTE_USER", "LANG", "LC_");

    private final Map<String, String> environment;

    private GitCli(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /** Fails the test, rather than skipping it, when there is no git: the tests would prove nothing. */
    static GitCli inHome(Path home) throws IOException {
        Files.createDirectories(home);
        Files.writeString(home.resolve(".gitconfig"), """
                [user]
                \tname = Stagegate Test
                \temail = test@stagegate.invalid
                [init]
                \tdefaultBranch = main
                [advice]
                \tdetachedHead = false
                [core]
                \tautocrlf = false
                """);
        Map<String, String> environment = new HashMap<>();
        System.getenv().forEach((name, value) -> {
            if (DROPPED_VARIABLE_PREFIXES.stream().noneMatch(name::startsWith)) {
                environment.put(name, value);
            }
        });
        environment.put("HOME", home.toString());
        environment.put("GIT_CONFIG_NOSYSTEM", "1");
        environment.put("GIT_TERMINAL_PROMPT", "0");
        environment.put("LC_ALL", "C");
        environment.put("GIT_AUTHOR_NAME", "Stagegate Test");
        environment.put("GIT_AUTHOR_EMAIL", "test@stagegate.invalid");
        environment.put("GIT_AUTHOR_DATE", "2026-11-27T10:00:00+00:00");
        environment.put("GIT_COMMITTER_NAME", "Stagegate Test");
        environment.put("GIT_COMMITTER_EMAIL", "test@stagegate.invalid");
        environment.put("GIT_COMMITTER_DATE", "2026-11-27T10:00:00+00:00");
        GitCli git = new GitCli(environment);
        try {
            git.run(home, Map.of(), List.of("git", "--version"));
        } catch (IOException e) {
            fail("the end-to-end tests need the git executable on PATH, and it could not be started: " + e.getMessage());
        }
        return git;
    }

    /** Runs git and fails the test when it does not succeed. */
    ProgramResult git(Path directory, String... args) {
        ProgramResult result = tryGit(directory, Map.of(), args);
        if (result.exitCode() != 0) {
            fail(result.toString());
        }
        return result;
    }

    /** Runs git with extra environment variables and returns however it ended. */
    ProgramResult tryGit(Path directory, Map<String, String> extraEnvironment, String... args) {
        List<String> command = new ArrayList<>();
        command.add("git");
        command.addAll(List.of(args));
        return program(directory, extraEnvironment, command);
    }

    /** Any program, such as the stagegate jar, in the same fixed environment. */
    ProgramResult program(Path directory, Map<String, String> extraEnvironment, List<String> command) {
        try {
            return run(directory, extraEnvironment, command);
        } catch (IOException e) {
            return fail("could not start " + command + ": " + e.getMessage(), e);
        }
    }

    /** Any program with {@code stdin} as its standard input, such as {@code stagegate pre-receive}. */
    ProgramResult program(Path directory, Map<String, String> extraEnvironment, List<String> command, String stdin) {
        try {
            Path input = Files.createTempFile("stagegate-it-", ".in");
            try {
                Files.writeString(input, stdin, StandardCharsets.UTF_8);
                return run(directory, extraEnvironment, command, input.toFile());
            } finally {
                Files.deleteIfExists(input);
            }
        } catch (IOException e) {
            return fail("could not start " + command + ": " + e.getMessage(), e);
        }
    }

    private ProgramResult run(Path directory, Map<String, String> extraEnvironment, List<String> command)
            throws IOException {
        return run(directory, extraEnvironment, command, new File("/dev/null"));
    }

    private ProgramResult run(Path directory, Map<String, String> extraEnvironment, List<String> command, File stdin)
            throws IOException {
        // Output goes to a file, not a pipe, so that a program that hangs cannot block the reader past the timeout.
        Path output = Files.createTempFile("stagegate-it-", ".out");
        try {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(stdin));
            builder.environment().clear();
            builder.environment().putAll(environment);
            builder.environment().putAll(extraEnvironment);
            Process process = builder.start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return fail(command + " did not end within " + TIMEOUT_SECONDS + "s:\n" + Files.readString(output));
            }
            return new ProgramResult(List.copyOf(command), process.exitValue(),
                    Files.readString(output, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted while running " + command);
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
