package dev.stagegate.yaml;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The documents of files that one check parsed, handed to the next check of the same files of
 * the same revision, read with the same {@link YamlLimits}: the schema check keeps them, the
 * custom rules take them, so that each file is read and parsed once. A file it did not keep (not
 * wanted, over the budget, or never parsed) is simply read again by whoever needs it.
 *
 * <p>Bounded by the bytes of the files it holds: parsed documents weigh several times their
 * source, and a push may change thousands of files in a hook with a small heap. Taking a file
 * forgets it. Thread-safe: the schema check parses on every core.
 */
public final class ParsedFiles {

    private static final ParsedFiles NONE = new ParsedFiles(path -> false, 0);

    private final Predicate<String> wanted;
    private final long maxSourceBytes;
    private final ConcurrentMap<String, Kept> files = new ConcurrentHashMap<>();
    private final AtomicLong sourceBytes = new AtomicLong();

    private ParsedFiles(Predicate<String> wanted, long maxSourceBytes) {
        this.wanted = wanted;
        this.maxSourceBytes = maxSourceBytes;
    }

    /** Keeps nothing: no later check reads the files. */
    public static ParsedFiles none() {
        return NONE;
    }

    /**
     * Keeps the files {@code wanted} accepts, as long as those held add up to at most
     * {@code maxSourceBytes} bytes of source.
     */
    public static ParsedFiles keeping(Predicate<String> wanted, long maxSourceBytes) {
        return new ParsedFiles(wanted, maxSourceBytes);
    }

    /**
     * Keeps the documents parsed from {@code content} at {@code path} (in place of any kept
     * before), if wanted and within the budget.
     */
    public void keep(String path, byte[] content, List<YamlDocument> documents) {
        if (this == NONE || !wanted.test(path)) {
            return;
        }
        take(path);
        if (sourceBytes.addAndGet(content.length) > maxSourceBytes) {
            sourceBytes.addAndGet(-content.length);
            return;
        }
        files.put(path, new Kept(List.copyOf(documents), content.length));
    }

    /** The documents kept for {@code path}, handed over once: they are forgotten here. */
    public Optional<List<YamlDocument>> take(String path) {
        if (this == NONE) {
            return Optional.empty();
        }
        Kept kept = files.remove(path);
        if (kept == null) {
            return Optional.empty();
        }
        sourceBytes.addAndGet(-kept.sourceBytes());
        return Optional.of(kept.documents());
    }

    private record Kept(List<YamlDocument> documents, int sourceBytes) {
    }
}
