package dev.stagegate.engine;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.stagegate.report.Violation;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;

/**
 * The append-only JSON-lines log of audited bypasses. Each entry is written with one
 * {@code write} under an exclusive lock and forced to disk before the push is accepted, so
 * concurrent pushes never interleave lines and a failed write rejects the push instead of
 * losing the record. The file is only ever opened for appending: never truncated.
 */
public final class AuditLog {

    private static final JsonFactory JSON = new JsonFactory();
    /** Bypasses are rare and their writes short: one lock for every log this JVM appends to. */
    private static final Object APPENDS_IN_THIS_JVM = new Object();

    private final Path file;

    public AuditLog(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** One bypassed update. */
    public record Entry(Instant time, String user, String ref, String oldId, String newId, String reason,
            List<Violation> bypassed) {
    }

    /** Appends the entry as one line. */
    public void append(Entry entry) throws IOException {
        append(List.of(entry));
    }

    /**
     * Appends the entries of one push, one line each, in one write: all of them or none. A
     * write that fails part-way (a full disk, a file size limit) is cut back to where the log
     * ended, so no half line is ever left for the next entry to be glued to.
     */
    public void append(List<Entry> entries) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (Entry entry : entries) {
            lines.append(toJson(entry)).append('\n');
        }
        byte[] bytes = lines.toString().getBytes(StandardCharsets.UTF_8);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        // A file lock belongs to the whole JVM: a second push judged by the same resident server
        // would get OverlappingFileLockException, so appends in one JVM also wait for each other.
        synchronized (APPENDS_IN_THIS_JVM) {
            appendLocked(bytes);
        }
    }

    private void appendLocked(byte[] bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
                FileLock lock = channel.lock()) {
            long end = channel.size();
            try {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            } catch (IOException e) {
                try {
                    if (channel.size() > end) {
                        channel.truncate(end);
                    }
                } catch (IOException cannotCutBack) {
                    e.addSuppressed(cannotCutBack);
                }
                throw e;
            }
        }
    }

    static String toJson(Entry entry) throws IOException {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("time", entry.time().toString());
            json.writeStringField("user", entry.user());
            json.writeStringField("ref", entry.ref());
            json.writeStringField("old", entry.oldId());
            json.writeStringField("new", entry.newId());
            json.writeStringField("reason", entry.reason());
            json.writeArrayFieldStart("violations");
            for (Violation violation : entry.bypassed()) {
                json.writeStartObject();
                json.writeStringField("rule", violation.rule());
                json.writeStringField("message", violation.message());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        return out.toString();
    }
}
