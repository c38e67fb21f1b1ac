package dev.stagegate.git;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveTask;

/**
 * The files of a directory on disk, such as a checkout's working tree. The {@code .git}
 * directory is skipped; a directory holding its own {@code .git} is a submodule.
 */
public final class WorkingTreeFiles implements RevisionFiles {

    private final Path root;

    public WorkingTreeFiles(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public String describe() {
        return "the working tree";
    }

    @Override
    public List<String> paths() throws IOException {
        return paths(null);
    }

    @Override
    public List<String> paths(PathSet filter) throws IOException {
        List<String> paths;
        try {
            // a checkout's directories are listed on every core: the walk is system calls,
            // most of the time of listing 10,000 files one by one
            paths = new Walk(root, "", filter).invoke();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        paths.sort(null);
        return paths;
    }

    /**
     * The paths inside one directory; subdirectories are walked as tasks of their own. A
     * directory holding its own {@code .git} is a submodule, one path not walked into: its
     * listing, which the walk needs anyway, tells, without a failing look-up per directory.
     */
    private static final class Walk extends RecursiveTask<List<String>> {

        private final Path dir;
        private final String prefix;
        private final PathSet filter;

        Walk(Path dir, String prefix, PathSet filter) {
            this.dir = dir;
            this.prefix = prefix;
            this.filter = filter;
        }

        @Override
        protected List<String> compute() {
            List<Entry> entries;
            try {
                entries = list(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (!prefix.isEmpty() && entries.stream().anyMatch(entry -> entry.name().equals(".git"))) {
                String path = prefix.substring(0, prefix.length() - 1);
                return filter == null || filter.contains(path) ? new ArrayList<>(List.of(path)) : new ArrayList<>();
            }
            List<String> out = new ArrayList<>();
            List<Walk> subdirectories = new ArrayList<>();
            for (Entry entry : entries) {
                if (prefix.isEmpty() && entry.name().equals(".git")) {
                    continue;
                }
                String path = prefix + entry.name();
                if (!entry.directory()) {
                    if (filter == null || filter.contains(path)) {
                        out.add(path);
                    }
                } else if (filter == null || filter.couldContainInside(path)) {
                    subdirectories.add(new Walk(dir.resolve(entry.name()), path + "/", filter));
                } else if (filter.contains(path) && isSubmodule(dir.resolve(entry.name()))) {
                    out.add(path);
                }
            }
            if (!subdirectories.isEmpty()) {
                for (Walk walk : ForkJoinTask.invokeAll(subdirectories)) {
                    out.addAll(walk.join());
                }
            }
            return out;
        }
    }

    private record Entry(String name, boolean directory) {
    }

    /** A directory's entries; an entry gone before it could be looked at counts as a file, as it always has. */
    private static List<Entry> list(Path dir) throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
            for (Path child : children) {
                boolean directory;
                try {
                    directory = Files.readAttributes(child, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                            .isDirectory();
                } catch (NoSuchFileException e) {
                    directory = false;
                }
                entries.add(new Entry(child.getFileName().toString(), directory));
            }
        }
        return entries;
    }

    private static boolean isSubmodule(Path directory) {
        return Files.exists(directory.resolve(".git"), LinkOption.NOFOLLOW_LINKS);
    }

    private Path resolve(String path) throws IOException {
        Path resolved = root.resolve(path).normalize();
        if (!resolved.startsWith(root)) {
            throw new NoSuchFileException(path, null, "outside the repository");
        }
        return resolved;
    }

    @Override
    public Optional<FileKind> kind(String path) throws IOException {
        Path file = resolve(path);
        if (Files.isSymbolicLink(file)) {
            return Optional.of(FileKind.SYMLINK);
        }
        if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
            return Files.exists(file.resolve(".git"), LinkOption.NOFOLLOW_LINKS)
                    ? Optional.of(FileKind.SUBMODULE) : Optional.empty();
        }
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        return Optional.of(Files.isExecutable(file) ? FileKind.EXECUTABLE : FileKind.REGULAR);
    }

    /** One look at the path instead of the several that kind() and read() take apart. */
    @Override
    public Optional<FileContent> readFile(String path, long maxBytes) throws IOException {
        Path file = resolve(path);
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (attributes.isSymbolicLink()) {
            return Optional.of(FileContent.notAFile(FileKind.SYMLINK));
        }
        if (attributes.isDirectory()) {
            return isSubmodule(file) ? Optional.of(FileContent.notAFile(FileKind.SUBMODULE)) : Optional.empty();
        }
        if (!attributes.isRegularFile()) {
            return Optional.empty(); // a fifo or device: kind() calls it a file, read() finds none
        }
        if (attributes.size() > maxBytes) {
            throw new FileTooLargeException(path, attributes.size(), maxBytes);
        }
        try {
            return Optional.of(FileContent.of(Files.readAllBytes(file)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean supportsConcurrentReads() {
        return true;
    }

    @Override
    public long size(String path) throws IOException {
        return Files.size(resolve(path));
    }

    @Override
    public byte[] read(String path, long maxBytes) throws IOException {
        Path file = resolve(path);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new NoSuchFileException(path);
        }
        long size = Files.size(file);
        if (size > maxBytes) {
            throw new FileTooLargeException(path, size, maxBytes);
        }
        return Files.readAllBytes(file);
    }
}
