package dev.stagegate.evidence;

import dev.stagegate.git.HexObjectId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.lib.ObjectId;

/**
 * The real {@code git} client, run the way the user would run it to exchange the notes ref
 * with a remote. Pushes from stagegate must meet the server's hooks whatever the transport:
 * JGit pushes to a local path in-process and runs none, and it reads neither git's credential
 * helpers nor {@code http.extraheader}. What the product judges is still read with JGit.
 */
final class GitClient {

    /** Variables that would point git at another repository than the one given with --git-dir. */
    private static final List<String> REPOSITORY_VARIABLES = List.of("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE",
            "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_COMMON_DIR");
    private static final String REMOTE_PREFIX = "remote: ";

    /** git could not be run, or could not reach or read the remote. */
    static final class Failure extends Exception {

        private static final long serialVersionUID = 1L;

        private final transient List<String> remoteLines;

        Failure(String message, List<String> remoteLines) {
            super(message);
            this.remoteLines = List.copyOf(remoteLines);
        }

        List<String> remoteLines() {
            return remoteLines;
        }
    }

    private record Run(int exitCode, List<String> stdout, List<String> stderr) {

        List<String> remoteLines() {
            return stderr.stream().filter(line -> line.startsWith(REMOTE_PREFIX))
                    .map(line -> line.substring(REMOTE_PREFIX.length()).strip())
                    .filter(line -> !line.isEmpty())
                    .toList();
        }

        /** git's own complaints (fatal:, error:), without its hints and the remote's lines. */
        String errors() {
            List<String> errors = stderr.stream().map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("hint:") && !line.startsWith(REMOTE_PREFIX.strip()))
                    .toList();
            return errors.isEmpty() ? "git exited with status " + exitCode : String.join("; ", errors);
        }
    }

    private final Path gitDirectory;
    private final Path workingDirectory;

    GitClient(Path gitDirectory, Path workingDirectory) {
        this.gitDirectory = gitDirectory.toAbsolutePath().normalize();
        this.workingDirectory = workingDirectory.toAbsolutePath().normalize();
    }

    /** The remote's value of {@code ref}; empty when it has none. */
    Optional<ObjectId> remoteRef(String remote, String ref) throws Failure {
        Run run = git("ls-remote", "--", remote, ref);
        if (run.exitCode() != 0) {
            throw new Failure("cannot read " + ref + " from " + remote + ": " + run.errors(), run.remoteLines());
        }
        for (String line : run.stdout()) {
            String[] fields = line.split("\t", 2);
            if (fields.length == 2 && fields[1].equals(ref) && HexObjectId.isValid(fields[0])) {
                return Optional.of(ObjectId.fromString(fields[0]));
            }
        }
        return Optional.empty();
    }

    /** Fetches the remote's {@code ref} into the local ref {@code into}, whatever either held before. */
    void fetch(String remote, String ref, String into) throws Failure {
        Run run = git("fetch", "--quiet", "--no-tags", "--no-recurse-submodules", "--", remote, "+" + ref + ":" + into);
        if (run.exitCode() != 0) {
            throw new Failure("cannot fetch " + ref + " from " + remote + ": " + run.errors(), run.remoteLines());
        }
    }

    /** Pushes {@code commit} to the remote's {@code ref}, as a fast-forward, and reads the remote's answer. */
    PushReport push(String remote, ObjectId commit, String ref) throws Failure {
        Run run = git("push", "--porcelain", "--", remote, commit.name() + ":" + ref);
        // --porcelain prints one tab-separated line per ref: flag, from:to, summary and (reason)
        for (String line : run.stdout()) {
            String[] fields = line.split("\t", 3);
            if (fields.length == 3 && fields[1].endsWith(":" + ref)) {
                return answer(fields[0], fields[2], run);
            }
        }
        return PushReport.failed("cannot push " + ref + " to " + remote + ": " + run.errors(), run.remoteLines());
    }

    private static PushReport answer(String flag, String summary, Run run) {
        String reason = summary.contains("(") && summary.endsWith(")")
                ? summary.substring(summary.indexOf('(') + 1, summary.length() - 1) : summary;
        if (!flag.equals("!")) {
            return new PushReport(PushReport.Status.ACCEPTED, summary, run.remoteLines());
        }
        if (summary.startsWith("[rejected]")
                && (reason.equals("fetch first") || reason.equals("non-fast-forward") || reason.equals("stale info"))) {
            return new PushReport(PushReport.Status.OUTDATED, reason, run.remoteLines());
        }
        // receive-pack could not move the ref because another push moved it after the advertisement
        if (summary.startsWith("[remote rejected]") && (reason.contains("failed to update ref")
                || reason.contains("failed to lock") || reason.contains("cannot lock ref"))) {
            return new PushReport(PushReport.Status.OUTDATED, reason, run.remoteLines());
        }
        if (summary.startsWith("[remote failure]")) {
            return PushReport.failed(reason, run.remoteLines());
        }
        return new PushReport(PushReport.Status.REFUSED, reason, run.remoteLines());
    }

    private Run git(String... arguments) throws Failure {
        List<String> command = new ArrayList<>(List.of("git", "--git-dir=" + gitDirectory));
        command.addAll(List.of(arguments));
        Path stdout = null;
        Path stderr = null;
        try {
            stdout = Files.createTempFile("stagegate-git-", ".out");
            stderr = Files.createTempFile("stagegate-git-", ".err");
            ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile())
                    .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
            Map<String, String> environment = builder.environment();
            REPOSITORY_VARIABLES.forEach(environment::remove);
            Process process = builder.start();
            process.getOutputStream().close();
            int exitCode = process.waitFor();
            return new Run(exitCode, lines(stdout), lines(stderr));
        } catch (IOException e) {
            throw new Failure("cannot run git, which pushing the evidence needs: " + e.getMessage(), List.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted while running " + String.join(" ", command), List.of());
        } finally {
            delete(stdout);
            delete(stderr);
        }
    }

    /** A hook may print anything: bytes that are not UTF-8 are replaced, never a failure. */
    private static List<String> lines(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().toList();
    }

    private static void delete(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a temporary file left behind costs nothing the next run needs
        }
    }
}
