package dev.stagegate.cli;

import dev.stagegate.cli.server.HookShell;
import dev.stagegate.cli.server.ServerDirectory;
import dev.stagegate.cli.server.ServerHookScript;
import dev.stagegate.cli.server.SocketClient;
import dev.stagegate.cli.server.SocketClients;
import dev.stagegate.engine.RepositoryOpener;
import dev.stagegate.kubernetes.ServerSchemaLocations;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.CodeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.RepositoryCache;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.util.FS;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Installs the pre-receive hook into a repository on the server: a sh script that runs a
 * copy of this jar, so that the hook survives rebuilds and removal of the checkout it was
 * installed from. Writes are atomic renames, so a push during a re-install sees either the
 * old hook or the new one.
 */
@Command(name = "install",
        description = {
            "Installs the pre-receive hook into a bare repository (into hooks/pre-receive.d/ where that "
                    + "directory exists, as on Gitea and GitLab) and turns on push options.",
            "Running it again updates the hook; a pre-receive hook that stagegate did not write is left alone."
        },
        footer = {
            "",
            "Exit status: 0 installed or already up to date (warnings may have been printed), 2 usage error (no such "
                    + "repository, a pre-receive hook stagegate did not write, core.hooksPath elsewhere, an unsafe "
                    + "--server directory, a bad option), 3 a file could not be read or written."
        })
final class HookInstallCommand implements Callable<Integer> {

    /**
     * Start-up flags for a JVM that lives for one push: C1 only and the serial GC start
     * fastest, no perf-data file is written, and the heap cap bounds the hook's memory. A
     * small young generation keeps the peak resident size close to what is live (JGit holds a
     * pack's whole index in the heap: 235 instead of 286 MiB on a 1M-commit repository, no
     * slower; bench/RESULTS.md). One compiler thread: the JVM starts a second as its queue
     * grows, and on two cores that one takes the core the push runs on (measured: a cold push 16
     * ms faster, 23 ms under five custom rules; bench/RESULTS.md). A class-data-sharing archive,
     * built at install time, joins these.
     */
    static final List<String> JVM_OPTIONS = List.of(
            "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1", "-XX:+UseSerialGC", "-Xss1m", "-Xshare:auto",
            "-XX:-UsePerfData", "-Xmx256m", "-Xmn16m");

    /**
     * Keeps JVM warnings (a class-data-sharing archive that no longer matches the jar or the
     * JDK, say) out of the remote: lines; the archive is then simply not used.
     */
    static final String QUIET = "-Xlog:disable";

    /**
     * Flags for the resident server. C1 alone: a push costs a few milliseconds of compiled code
     * either way, and C2's compiler threads and code would add 40 MiB to a process whose size
     * is mostly the pack indexes it keeps (about 240 instead of 286 MiB on a 1M-commit repository;
     * bench/RESULTS.md). A small initial heap and young generation keep the resident size close
     * to what is live (8 MiB of young generation saves 7 MiB against 16, for about a millisecond
     * more per push); the cap leaves room for several large repositories, and running out of
     * memory ends the server (hooks then judge pushes themselves and start a new one) rather
     * than leaving it limping.
     */
    static final List<String> SERVER_JVM_OPTIONS = List.of(
            "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss1m", "-Xshare:auto", "-XX:-UsePerfData",
            "-Xms32m", "-Xmn8m", "-Xmx1g", "-XX:+ExitOnOutOfMemoryError");

    static final String JAR_NAME = "stagegate.jar";
    static final String ARCHIVE_NAME = "stagegate.jsa";
    private static final long TRAINING_TIMEOUT_SECONDS = 300;
    static final String HOOK_NAME = "pre-receive";
    /** Gitea, Forgejo and GitLab run every executable in this directory from their own pre-receive hook. */
    static final String HOOK_DIRECTORY_NAME = "pre-receive.d";
    static final String HOOK_NAME_IN_DIRECTORY = "stagegate";

    private static final Set<PosixFilePermission> EXECUTABLE = PosixFilePermissions.fromString("rwxr-xr-x");
    private static final Set<PosixFilePermission> READABLE = PosixFilePermissions.fromString("rw-r--r--");
    private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Invocation invocation;

    @Option(names = "--repo", paramLabel = "BARE",
            description = "Bare repository to install the hook into (default: current directory).")
    private Path repository;

    @Option(names = "--policy", paramLabel = "FILE",
            description = "Server-managed policy the hook judges every push by, overriding in-repository policies.")
    private Path policyFile;

    @Option(names = "--allowed-signers", paramLabel = "FILE",
            description = "Server-managed allowed-signers file (git's format) the hook verifies signed records with, "
                    + "replacing the one every policy names.")
    private Path allowedSignersFile;

    @Mixin
    private SchemaLocationOptions schemaLocations;

    @Option(names = "--audit-log", paramLabel = "FILE",
            description = "Where the hook appends audited bypasses (default: "
                    + PreReceiveCommand.AUDIT_LOG_NAME + " in the repository's git directory).")
    private Path auditLog;

    @Option(names = "--identity-env", paramLabel = "VAR",
            description = "Trust only this environment variable for the pusher's identity, "
                    + "the one the Git host vouches for (such as GL_USERNAME).")
    private String identityVariable;

    @Option(names = "--deadline", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "The hook's own deadline (default: 4s); keep it below the host's hook timeout.")
    private Duration deadline;

    @Option(names = "--trust-clock-env", hidden = true,
            description = "Let the hook take its time from " + Invocation.NOW_VARIABLE
                    + " (tests and demos only: a pusher could move the clock).")
    private boolean trustClockVariable;

    @Option(names = "--no-cds",
            description = "Do not build the class-data-sharing archive that halves the hook's start-up time.")
    private boolean noClassDataSharing;

    @Option(names = "--server", paramLabel = "DIR",
            description = "Ask the resident hook server in DIR first (started by the hook when it is not running; "
                    + "one server can serve many repositories), and judge in the hook's own JVM when it cannot answer. "
                    + "Needs bash, and perl, socat or nc -U to reach the server's Unix socket. See docs/hook-install.md.")
    private Path serverDirectory;

    @Option(names = "--server-java-option", paramLabel = "OPTION",
            description = "With --server: a JVM option for the resident server, after stagegate's own so that it wins "
                    + "(repeatable). A host whose policies have custom rules may trade memory for speed with "
                    + "-XX:TieredStopAtLevel=4 and -Xmn16m; see docs/hook-install.md.")
    private List<String> serverJavaOptions = new ArrayList<>();

    @Option(names = "--socket-client", paramLabel = "NAME",
            description = "With --server: reach the server's socket with this program (perl, socat or nc) rather than "
                    + "the fastest one found on PATH.")
    private String socketClient;

    @Mixin
    private DebugOption debug;

    HookInstallCommand(Invocation invocation) {
        this.invocation = invocation;
    }

    /**
     * An operator's own options for the server JVM: options only (a class path or a main class
     * would change what runs), on one line each, and only with a server to give them to.
     */
    private void checkServerJavaOptions() {
        if (serverJavaOptions.isEmpty()) {
            return;
        }
        if (serverDirectory == null) {
            throw new UsageException("--server-java-option only applies with --server DIR");
        }
        for (String option : serverJavaOptions) {
            if (!option.startsWith("-") || option.chars().anyMatch(Character::isISOControl)
                    || List.of("-jar", "-cp", "-classpath", "--class-path", "-m", "--module").contains(option)) {
                throw new UsageException("--server-java-option " + HookShell.quote(option) + " is no JVM option this"
                        + " hook can pass: give options such as -Xmn16m, one per --server-java-option");
            }
        }
    }

    @Override
    public Integer call() throws IOException {
        List<String> hookArguments = hookArguments();
        Path gitDirectory = gitDirectory();
        // a hook that could only ever reject every push is no hook to install
        RepositoryOpener.checkObjectFormat(gitDirectory);
        try (Repository opened = new FileRepositoryBuilder()
                .setGitDir(gitDirectory.toFile()).setMustExist(true).build()) {
            Path hooks = hooksDirectory(opened);
            warnWhenHeadNamesNoBranch(opened, gitDirectory);
            Path hook = Files.isDirectory(hooks.resolve(HOOK_DIRECTORY_NAME))
                    ? hooks.resolve(HOOK_DIRECTORY_NAME).resolve(HOOK_NAME_IN_DIRECTORY)
                    : hooks.resolve(HOOK_NAME);
            refuseForeignHook(hook);
            if (socketClient != null && serverDirectory == null) {
                throw new UsageException("--socket-client only applies with --server DIR");
            }
            checkServerJavaOptions();
            // checked before anything is written: a refused server directory leaves the old hook as it was
            Optional<ServerDirectory> server = serverDirectory == null ? Optional.empty()
                    : Optional.of(serverDirectory(opened));
            Optional<Path> bash = server.isPresent() ? Optional.of(bash()) : Optional.empty();
            Optional<SocketClients.Found> client = server.isPresent() ? socketClient(server.get(), bash.get())
                    : Optional.empty();
            Path jar = hooks.resolve(JAR_NAME);
            Path java = java();

            Path runningJar = runningJar();
            boolean jarChanged = install(hooks, jar, Files.readAllBytes(runningJar), READABLE);
            report(jarChanged ? "copied " + runningJar + " to " + jar : jar + " is up to date");
            List<String> jvmOptions = new ArrayList<>(JVM_OPTIONS);
            List<String> serverOptions = new ArrayList<>(SERVER_JVM_OPTIONS);
            if (!noClassDataSharing && classDataSharingArchive(java, jar, hooks.resolve(ARCHIVE_NAME), jarChanged)) {
                jvmOptions.add("-XX:SharedArchiveFile=" + hooks.resolve(ARCHIVE_NAME));
                serverOptions.add("-XX:SharedArchiveFile=" + hooks.resolve(ARCHIVE_NAME));
            }
            jvmOptions.add(QUIET);
            serverOptions.add(QUIET);
            serverOptions.addAll(serverJavaOptions);
            HookScript script = new HookScript(java, jvmOptions, jar, hookArguments);
            String rendered = script.render();
            if (server.isPresent()) {
                if (client.isPresent()) {
                    rendered = new ServerHookScript(bash.get(), java, jvmOptions, jar, hookArguments, serverOptions,
                            server.get(), client.get().client(), client.get().program(),
                            Optional.ofNullable(deadline).orElse(PreReceiveCommand.DEFAULT_DEADLINE)).render();
                    report("the hook asks the resident server in " + server.get().path() + " first, through "
                            + client.get().program() + " (it starts a server when none runs)");
                } else {
                    report("warning: no Unix socket client that works here (perl, socat, nc -U), so the hook cannot reach "
                            + "a resident server and judges every push itself");
                }
            }
            boolean hookChanged = install(hooks, hook, rendered.getBytes(StandardCharsets.UTF_8), EXECUTABLE);
            report(hookChanged ? "wrote " + hook : hook + " is up to date");
            advertisePushOptions(opened);
            report("pushes to " + gitDirectory + " now run " + script.java() + " -jar " + jar + " "
                    + String.join(" ", hookPreview(hookArguments)));
        }
        return 0;
    }

    /**
     * Builds (or keeps) the class-data-sharing archive of the hook's classes: a training run
     * of the installed jar lists the classes a push loads, and a static dump archives them. A
     * static archive rather than a dynamic one, because JDK 17's dynamic archive skips the
     * pre-Java-6 class files picocli ships (about 25 ms of every push). The archive belongs to
     * this jar and this JDK; it is rebuilt whenever the jar changes, and a JVM that finds it
     * stale ignores it silently (see {@link #QUIET}).
     *
     * @return whether an archive is there to use
     */
    private boolean classDataSharingArchive(Path java, Path jar, Path archive, boolean jarChanged) throws IOException {
        if (!jarChanged && Files.isRegularFile(archive)) {
            report(archive + " is up to date");
            return true;
        }
        String stem = ".stagegate-" + ProcessHandle.current().pid();
        Path classList = archive.resolveSibling(stem + ".classlist");
        Path temporary = archive.resolveSibling(stem + ".jsa");
        List<String> options = JVM_OPTIONS.stream().filter(option -> !option.startsWith("-Xshare")).toList();
        try {
            List<String> training = new ArrayList<>(List.of(java.toString()));
            training.addAll(options);
            training.addAll(List.of("-XX:DumpLoadedClassList=" + classList, QUIET,
                    "-jar", jar.toString(), "hook", "train"));
            List<String> dump = new ArrayList<>(List.of(java.toString()));
            dump.addAll(options);
            dump.addAll(List.of("-Xshare:dump", "-XX:SharedClassListFile=" + classList,
                    "-XX:SharedArchiveFile=" + temporary, QUIET, "-cp", jar.toString()));
            String failure = runJava(training, TRAINING_TIMEOUT_SECONDS);
            if (failure == null) {
                dropClassesNeverArchived(classList);
                failure = runJava(dump, TRAINING_TIMEOUT_SECONDS);
            }
            if (failure == null && Files.isRegularFile(temporary) && Files.size(temporary) > 0) {
                Files.move(temporary, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                report("built the class-data-sharing archive " + archive);
                return true;
            }
            report("could not build a class-data-sharing archive (" + (failure == null ? "no archive written" : failure)
                    + "); the hook starts without one, a little slower");
        } finally {
            Files.deleteIfExists(classList);
            Files.deleteIfExists(temporary);
        }
        Files.deleteIfExists(archive);
        return false;
    }

    /**
     * Keeps CEL out of the archive ({@link CdsTraining#NOT_ARCHIVED}), lambda and invoker lines
     * naming it too, but for the classes of it the fast path loads ({@link CdsTraining#ARCHIVED_ANYWAY}).
     */
    static void dropClassesNeverArchived(Path classList) throws IOException {
        List<String> kept = Files.readAllLines(classList, StandardCharsets.UTF_8).stream()
                .filter(line -> CdsTraining.ARCHIVED_ANYWAY.contains(line.split(" ", 2)[0])
                        || CdsTraining.NOT_ARCHIVED.stream().noneMatch(line::contains))
                .toList();
        Files.write(classList, kept, StandardCharsets.UTF_8);
    }

    /**
     * Runs a JVM for the archive (the training, the dump, the training's compiling child); null
     * when it succeeded, else why not.
     */
    static String runJava(List<String> command, long timeoutSeconds) {
        try {
            Process process = new ProcessBuilder(command)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                // the training's own child (it compiles the training rules) too; and gone before
                // the caller deletes what it worked in
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(timeoutSeconds, TimeUnit.SECONDS);
                return "timed out";
            }
            return process.exitValue() == 0 ? null : "exit " + process.exitValue();
        } catch (IOException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** Validated before anything is written, and absolute, because git runs the hook from the git directory. */
    private List<String> hookArguments() {
        List<String> arguments = new ArrayList<>();
        if (policyFile != null) {
            Path policy = invocation.resolve(policyFile);
            if (!Files.isRegularFile(policy)) {
                throw new UsageException("--policy " + policy + " is not a file");
            }
            arguments.add("--policy");
            arguments.add(policy.toString());
        }
        if (allowedSignersFile != null) {
            Path signers = invocation.resolve(allowedSignersFile);
            if (!Files.isRegularFile(signers)) {
                throw new UsageException("--allowed-signers " + signers + " is not a file");
            }
            arguments.add("--allowed-signers");
            arguments.add(signers.toString());
        }
        for (String template : schemaLocations.templates(invocation)) {
            try {
                ServerSchemaLocations.parse(List.of(template));
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            arguments.add("--schema-location");
            arguments.add(template);
        }
        if (auditLog != null) {
            Path log = invocation.resolve(auditLog);
            if (!Files.isDirectory(log.getParent())) {
                throw new UsageException("--audit-log " + log + ": directory " + log.getParent() + " does not exist");
            }
            arguments.add("--audit-log");
            arguments.add(log.toString());
        }
        if (identityVariable != null) {
            if (!VARIABLE_NAME.matcher(identityVariable).matches()) {
                throw new UsageException("--identity-env '" + identityVariable + "' is not an environment variable name");
            }
            arguments.add("--identity-env");
            arguments.add(identityVariable);
        }
        if (deadline != null) {
            arguments.add("--deadline");
            arguments.add(DurationConverter.format(deadline));
        }
        if (trustClockVariable) {
            arguments.add("--trust-clock-env");
        }
        return arguments;
    }

    private static List<String> hookPreview(List<String> hookArguments) {
        List<String> words = new ArrayList<>();
        words.add(HOOK_NAME);
        hookArguments.stream().map(HookShell::quote).forEach(words::add);
        return words;
    }

    private Path gitDirectory() {
        Path directory = repository == null ? invocation.workingDirectory() : invocation.resolve(repository);
        if (!Files.isDirectory(directory)) {
            throw new UsageException("repository " + directory
                    + (Files.exists(directory) ? " is not a directory" : " does not exist"));
        }
        File gitDirectory = RepositoryCache.FileKey.resolve(directory.toFile(), FS.DETECTED);
        if (gitDirectory == null) {
            throw new UsageException(directory + " is not a git repository");
        }
        return gitDirectory.toPath().toAbsolutePath().normalize();
    }

    /**
     * Git runs hooks from core.hooksPath when it is set; a hook written anywhere else would
     * never run, and a shared hooks path is not this repository's to change.
     */
    private static Path hooksDirectory(Repository repository) throws IOException {
        Path gitDirectory = repository.getDirectory().toPath();
        Path hooks = gitDirectory.resolve("hooks");
        String hooksPath = repository.getConfig()
                .getString(ConfigConstants.CONFIG_CORE_SECTION, null, ConfigConstants.CONFIG_KEY_HOOKS_PATH);
        if (hooksPath != null && !gitDirectory.resolve(hooksPath).normalize().equals(hooks)) {
            throw new UsageException("core.hooksPath is set to " + hooksPath + ", so git runs hooks from there and "
                    + "not from " + hooks + "; install the hook there by hand (docs/hook-install.md) "
                    + "or unset core.hooksPath");
        }
        Files.createDirectories(hooks);
        return hooks;
    }

    private static void refuseForeignHook(Path hook) throws IOException {
        if (!Files.exists(hook, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        boolean ours = Files.isRegularFile(hook, LinkOption.NOFOLLOW_LINKS)
                && HookShell.isOurs(Files.readString(hook, StandardCharsets.ISO_8859_1));
        if (ours) {
            return;
        }
        if (hook.getFileName().toString().equals(HOOK_NAME)) {
            throw new UsageException(hook + " exists and was not installed by stagegate, so it is left alone. "
                    + "Either create " + hook.resolveSibling(HOOK_DIRECTORY_NAME) + "/, move that hook into it, make "
                    + hook + " run every hook there, and run hook install again (it then installs "
                    + HOOK_DIRECTORY_NAME + "/" + HOOK_NAME_IN_DIRECTORY + "); or call stagegate from your own hook "
                    + "(see docs/hook-install.md, chaining hooks).");
        }
        throw new UsageException(hook + " exists and was not installed by stagegate; rename or remove it, "
                + "then run hook install again.");
    }

    /**
     * The server directory as the hook will name it: its real path, created mode 0700 when
     * missing and given to the repository's owner (the account git runs the hook and the server
     * as) when the install runs as root. Refused when that account could not trust it: the hook
     * would never use it, and every push would be judged the slow way without a word.
     */
    private ServerDirectory serverDirectory(Repository repository) throws IOException {
        ServerDirectory server = ServerDirectory.at(invocation.resolve(serverDirectory));
        server.createOwnerOnlyIfMissing();
        Path gitDirectory = repository.getDirectory().toPath();
        int account = ServerDirectory.ownerUid(gitDirectory);
        if (Files.isDirectory(server.path(), LinkOption.NOFOLLOW_LINKS) && ServerDirectory.ownerUid(server.path()) != account
                && ServerDirectory.processUid() == 0) {
            Files.setOwner(server.path(), Files.getOwner(gitDirectory));
        }
        ServerDirectory real = ServerDirectory.at(server.path().toRealPath());
        Optional<String> problem = real.whyNotTheServers(account);
        if (problem.isPresent()) {
            throw new UsageException("--server " + server.path() + ": " + problem.get() + ". The hook only talks to a "
                    + "server whose directory no other account can change (docs/hook-install.md)");
        }
        return real;
    }

    /** The client named by --socket-client, else the fastest of those this host has; empty when none works. */
    private Optional<SocketClients.Found> socketClient(ServerDirectory server, Path bash) throws IOException {
        List<SocketClients.Found> candidates = SocketClients.find(name -> onPath(name, "/usr/bin:/bin"), server.socket());
        if (socketClient != null) {
            SocketClient pinned;
            try {
                pinned = SocketClient.named(socketClient);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--socket-client: " + e.getMessage());
            }
            candidates = candidates.stream().filter(found -> found.client() == pinned).toList();
            if (candidates.isEmpty()) {
                throw new UsageException("--socket-client " + socketClient + ": no " + pinned.programName()
                        + " on PATH that can reach " + server.socket());
            }
        }
        List<SocketClients.Trial> trials = SocketClients.trial(candidates, bash);
        trials.forEach(trial -> report("socket client " + trial.describe()));
        if (socketClient != null && trials.get(0).median().isEmpty()) {
            throw new UsageException("--socket-client " + socketClient + " cannot reach a socket here: "
                    + trials.get(0).describe());
        }
        return trials.stream().filter(trial -> trial.median().isPresent()).map(SocketClients.Trial::found).findFirst();
    }

    private Path bash() {
        return onPath("bash", "/usr/bin:/bin").orElseThrow(() -> new UsageException("--server needs bash (the hook that asks "
                + "the server is a bash script), and there is none on PATH"));
    }

    /** The first executable file {@code name} in the directories of PATH ({@code fallback} when PATH is unset). */
    private Optional<Path> onPath(String name, String fallback) {
        for (String directory : invocation.variable("PATH").orElse(fallback).split(File.pathSeparator)) {
            if (directory.isEmpty()) {
                continue;
            }
            Path candidate = invocation.resolve(Path.of(directory, name));
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** $JAVA_HOME/bin/java when JAVA_HOME is set, else java from PATH, else the JVM running this install. */
    private Path java() {
        Optional<String> javaHome = invocation.variable("JAVA_HOME");
        if (javaHome.isPresent()) {
            Path java = invocation.resolve(Path.of(javaHome.get(), "bin", "java"));
            if (!Files.isExecutable(java)) {
                throw new UsageException("JAVA_HOME is " + javaHome.get() + " but " + java
                        + " is not executable; fix JAVA_HOME, or unset it to use java from PATH");
            }
            return java;
        }
        return onPath("java", "").orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java"));
    }

    private static Path runningJar() {
        Optional<Path> location = codeSource();
        if (location.isEmpty() || !Files.isRegularFile(location.get())) {
            throw new UsageException("hook install copies the jar it runs from, but this stagegate does not run from "
                    + "a jar (" + location.orElse(null) + "); run it as java -jar stagegate.jar, as ./stagegate does");
        }
        return location.get();
    }

    /** Where stagegate's classes come from: the jar, or a classes directory in tests. */
    static Optional<Path> codeSource() {
        CodeSource source = Main.class.getProtectionDomain().getCodeSource();
        try {
            return source == null ? Optional.empty() : Optional.of(Path.of(source.getLocation().toURI()));
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** @return whether the file changed */
    private static boolean install(Path hooks, Path target, byte[] content, Set<PosixFilePermission> permissions)
            throws IOException {
        if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)
                && Arrays.equals(Files.readAllBytes(target), content)) {
            Files.setPosixFilePermissions(target, permissions);
            return false;
        }
        // Next to the target for an atomic rename, but outside pre-receive.d/, whose every executable the host runs.
        Path temporary = Files.createTempFile(hooks, ".stagegate-", ".tmp");
        try {
            Files.write(temporary, content);
            Files.setPosixFilePermissions(temporary, permissions);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
        return true;
    }

    /**
     * The default branch is the branch HEAD names: its policy governs new branches and tags.
     * A server that created the repository with HEAD on a branch never pushed (gitolite's
     * {@code master} where the environments end in {@code main}) leaves those without a policy,
     * and nothing else would say so.
     */
    private void warnWhenHeadNamesNoBranch(Repository repository, Path gitDirectory) throws IOException {
        Ref head = repository.exactRef(Constants.HEAD);
        if (head == null || !head.isSymbolic() || repository.exactRef(head.getTarget().getName()) != null) {
            return;
        }
        List<String> branches = repository.getRefDatabase().getRefsByPrefix(Constants.R_HEADS).stream()
                .map(ref -> ref.getName().substring(Constants.R_HEADS.length())).sorted().toList();
        String suggested = branches.isEmpty() || branches.contains("main") ? "main" : branches.get(0);
        report("warning: HEAD names " + head.getTarget().getName() + ", which does not exist"
                + (branches.isEmpty() ? " (no branch is pushed yet)" : " (branches: " + String.join(", ", branches) + ")")
                + ": new branches and tags take their policy from the default branch HEAD names, so until it exists "
                + "they are governed by no policy. Point HEAD at the default branch: git --git-dir="
                + HookShell.quote(gitDirectory.toString()) + " symbolic-ref HEAD refs/heads/" + suggested);
    }

    /** Without it git refuses {@code git push -o}, and the audited bypass needs push options. */
    private void advertisePushOptions(Repository repository) throws IOException {
        StoredConfig config = repository.getConfig();
        if (config.getBoolean("receive", null, "advertisePushOptions", false)) {
            report("receive.advertisePushOptions is already true");
            return;
        }
        config.setBoolean("receive", null, "advertisePushOptions", true);
        config.save();
        report("set receive.advertisePushOptions=true in " + repository.getDirectory().toPath().resolve("config"));
    }

    private void report(String line) {
        invocation.stdout().println("stagegate: " + line);
    }
}
