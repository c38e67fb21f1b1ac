package dev.stagegate.customrules;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import dev.stagegate.memo.CacheDirectory;

/**
 * Compiled rule expressions kept as files in the repository's git directory
 * ({@code stagegate/compiled-rules/}, see {@link CacheDirectory}), so that a process that starts fresh for every push (the
 * hook without its resident server) or every run ({@code validate}) need not start CEL's
 * compiler, which costs more than a hundred milliseconds in a cold JVM, for expressions it has
 * compiled before. Only successful compilations are kept: the expression's estimated cost and,
 * when it is in the fast path's subset, its {@link FastPathShape}; an expression outside the
 * subset still needs cel-java to run, which then compiles it.
 *
 * <p>Trust: the directory is as trusted as the hook that reads it (both are the repository
 * owner's to write; a pusher writes neither). A file is used only when it names the same
 * stagegate build, result type, limits and the very text asked for, so a stale, truncated or
 * colliding file is ignored and the expression compiled anew. Writing is best effort: a
 * read-only repository only loses the speed-up.
 */
public final class CompiledExpressionFiles {

    /**
     * The format, and the fast path's subset: raise the number whenever either changes, so that
     * a jar that keeps the old one's path, size and time (image builders fix times) reads none of
     * the old files.
     */
    private static final String HEADER = "stagegate compiled rule expression v2";
    private static final String KIND = "compiled-rules";
    /** The largest file written or read: 2,048 of them are then at most 32 MiB. */
    private static final long MAX_FILE_SIZE = 16 * 1024;
    /**
     * The most files the directory holds before the older half is removed: far more expressions
     * than a repository's policies have (a few dozen). Whoever can push a policy chooses
     * expressions (a feature branch's policy is compiled to be checked), so the directory must not
     * grow with every one; each file is a few kilobytes.
     */
    static final int MAX_FILES = 2_048;

    /** The files tests point at, which win over {@link CacheDirectory}. */
    private static volatile CompiledExpressionFiles chosenForTests;
    private static volatile CompiledExpressionFiles lastUsed;

    private final Path directory;
    private final String build;

    CompiledExpressionFiles(Path directory, String build) {
        this.directory = directory;
        this.build = build;
    }

    /** What a file holds: a successful compilation's estimate, and its shape when it has one. */
    record Entry(long estimatedCost, FastPathShape shape) {
    }

    /** The jar that runs, found once: without one (classes in a directory, as in tests) nothing is kept. */
    private static final class RunningBuild {

        static final Optional<String> BUILD = runningBuild();
    }

    /** Where these files are in a git directory (for tools that prepare one, as the archive training does). */
    public static Path directoryIn(Path gitDirectory) {
        return CacheDirectory.inGitDirectory(gitDirectory, KIND);
    }

    static void keepIn(Path directory, String build) {
        chosenForTests = new CompiledExpressionFiles(directory, build);
    }

    static void keepNowhere() {
        chosenForTests = null;
    }

    /** The files of the repository this process judges ({@link CacheDirectory}), if any are kept. */
    static Optional<CompiledExpressionFiles> current() {
        if (chosenForTests != null) {
            return Optional.of(chosenForTests);
        }
        Optional<Path> directory = CacheDirectory.forKind(KIND);
        if (directory.isEmpty() || RunningBuild.BUILD.isEmpty()) {
            return Optional.empty();
        }
        CompiledExpressionFiles last = lastUsed;
        if (last == null || !last.directory.equals(directory.get())) {
            last = new CompiledExpressionFiles(directory.get(), RunningBuild.BUILD.get());
            lastUsed = last;
        }
        return Optional.of(last);
    }

    /**
     * The jar this class runs from, by path, size, modification time and version: a new build is
     * a new jar.
     */
    private static Optional<String> runningBuild() {
        try {
            CodeSource source = CompiledExpressionFiles.class.getProtectionDomain().getCodeSource();
            if (source == null) {
                return Optional.empty();
            }
            Path jar = Path.of(source.getLocation().toURI());
            BasicFileAttributes attributes = Files.readAttributes(jar, BasicFileAttributes.class);
            if (!attributes.isRegularFile()) {
                return Optional.empty();
            }
            String version = Optional.ofNullable(CompiledExpressionFiles.class.getPackage().getImplementationVersion())
                    .orElse("");
            return Optional.of(jar + " " + attributes.size() + " " + attributes.lastModifiedTime().toMillis() + " "
                    + version);
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }

    Optional<Entry> read(String text, ResultType resultType, RuleLimits limits) {
        List<String> key = keyLines(text, resultType, limits);
        Path file = fileFor(key);
        try {
            // one stat: a cold hook reads a file per rule
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            if (!attributes.isRegularFile() || attributes.size() > MAX_FILE_SIZE) {
                return Optional.empty();
            }
            List<String> lines = List.of(Files.readString(file, StandardCharsets.UTF_8).split("\n", -1));
            if (lines.size() != 8 || !lines.subList(0, 5).equals(key) || !lines.get(7).isEmpty()) {
                return Optional.empty();
            }
            long estimatedCost = Long.parseLong(lines.get(5));
            FastPathShape shape = lines.get(6).isEmpty() ? null : FastPathShape.decode(unescape(lines.get(6)));
            return Optional.of(new Entry(estimatedCost, shape));
        } catch (IOException | RuntimeException e) {
            // unreadable, or not what this build writes: compiled anew
            return Optional.empty();
        }
    }

    void write(String text, ResultType resultType, RuleLimits limits, Entry entry) {
        if (build.contains("\n") || build.contains("\r")) {
            // a line break in the jar's path would shift the lines; such a build keeps nothing
            return;
        }
        List<String> key = keyLines(text, resultType, limits);
        List<String> lines = new ArrayList<>(key);
        lines.add(Long.toString(entry.estimatedCost()));
        lines.add(entry.shape() == null ? "" : escape(FastPathShape.encode(entry.shape())));
        lines.add("");
        byte[] content = String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
        if (content.length > MAX_FILE_SIZE) {
            // a long expression of many macros: compiled by each process instead
            return;
        }
        Path file = fileFor(key);
        Path temporary = file.resolveSibling(file.getFileName() + "." + ThreadLocalRandom.current().nextLong() + ".tmp");
        try {
            Files.createDirectories(directory);
            removeOlderHalfWhenFull();
            Files.write(temporary, content);
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            // best effort: the next process compiles it again
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException ignored) {
                // nothing more to do: a leftover temporary file is never read
            }
        }
    }

    /**
     * Keeps the directory under {@link #MAX_FILES}: at the limit, the files written longest ago
     * go. Only a write looks, and a write follows a compilation, which costs far more than
     * listing a directory of this size.
     */
    private void removeOlderHalfWhenFull() throws IOException {
        List<Path> files;
        try (Stream<Path> listed = Files.list(directory)) {
            files = listed.toList();
        }
        if (files.size() < MAX_FILES) {
            return;
        }
        List<Path> oldestFirst = new ArrayList<>(files);
        oldestFirst.sort(Comparator.comparing(CompiledExpressionFiles::modifiedOrZero));
        for (Path file : oldestFirst.subList(0, oldestFirst.size() / 2)) {
            Files.deleteIfExists(file);
        }
    }

    private static long modifiedOrZero(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    /** The lines that say what was compiled, and by which build: a file must repeat them exactly. */
    private List<String> keyLines(String text, ResultType resultType, RuleLimits limits) {
        return List.of(HEADER, build, resultType.name(), limits.key(), escape(text));
    }

    /** On one line, whatever the text holds. */
    static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
    }

    static String unescape(String line) {
        StringBuilder text = new StringBuilder(line.length());
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c != '\\') {
                text.append(c);
                continue;
            }
            if (++i == line.length()) {
                throw new IllegalArgumentException("a line that ends in an escape");
            }
            char escaped = line.charAt(i);
            text.append(escaped == 'n' ? '\n' : escaped == 'r' ? '\r' : escaped);
        }
        return text.toString();
    }

    /**
     * A 64-bit FNV-1a hash of the {@link #keyLines} names the file: cheap in a cold JVM (no digest provider to load), and a
     * collision only makes the file's contents disagree with what is asked, which reads as absent
     * (a compilation, never a wrong verdict).
     */
    private Path fileFor(List<String> keyLines) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : String.join("\n", keyLines).getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        // not String.format: its first use in a JVM compiles the format's regular expression
        String hex = Long.toHexString(hash);
        return directory.resolve("0".repeat(16 - hex.length()) + hex);
    }
}
