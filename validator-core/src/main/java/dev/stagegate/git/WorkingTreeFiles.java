package dev.stagegate.git;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

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
        List<String> paths = new ArrayList<>();
        collect(root, "", filter, paths);
        paths.sort(null);
        return paths;
    }

    private void collect(Path dir, String prefix, PathSet filter, List<String> out) throws IOException {
        try (Stream<Path> children = Files.list(dir)) {
            for (Path child : (Iterable<Path>) children::iterator) {
                String name = child.getFileName().toString();
                if (prefix.isEmpty() && name.equals(".git")) {
                    continue;
                }
                String path = prefix + name;
                boolean directory = Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS);
                if (directory && !Files.exists(child.resolve(".git"), LinkOption.NOFOLLOW_LINKS)) {
                    if (filter == null || filter.couldContainInside(path)) {
                        collect(child, path + "/", filter, out);
                    }
                } else if (filter == null || filter.contains(path)) {
                    out.add(path);
                }
            }
        }
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
