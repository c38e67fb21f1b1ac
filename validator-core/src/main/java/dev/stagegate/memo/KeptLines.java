package dev.stagegate.memo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * A small file of ASCII lines in a repository's git directory (never a ref) in which the hook
 * keeps results that never change, from one push to the next. It is a hint that whoever could
 * rewrite the hook could also write: when it cannot be read or written, the results are
 * computed again, so every failure here is silent.
 */
public final class KeptLines {

    private final Path file;
    private final long maxBytes;

    /**
     * @param gitDirectory the repository's git directory; null for an in-memory one, where
     *                     nothing is kept
     * @param maxBytes     past this size the file is not read, and the next line starts it again
     */
    public KeptLines(Path gitDirectory, String name, long maxBytes) {
        this.file = gitDirectory == null ? null : gitDirectory.resolve(name);
        this.maxBytes = maxBytes;
    }

    /** Whether there is a file to keep lines in. */
    public boolean active() {
        return file != null;
    }

    /** The lines kept so far; none when the file is absent, unreadable or too large. */
    public List<String> read() {
        if (file == null) {
            return List.of();
        }
        try {
            if (Files.size(file) > maxBytes) {
                return List.of();
            }
            return Files.readAllLines(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Appends {@code line}, starting the file again when it has grown past its limit. */
    public void append(String line) {
        if (file == null) {
            return;
        }
        try {
            if (Files.isRegularFile(file) && Files.size(file) > maxBytes) {
                Files.delete(file);
            }
            Files.writeString(file, line + "\n", StandardCharsets.US_ASCII,
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // a read-only repository: the result is computed again next time
        }
    }
}
