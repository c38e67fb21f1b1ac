package dev.stagegate.yaml;

/**
 * Bounds on what one checked file may cost to read (quality.md, Safety). Past a bound the
 * file gets a clear violation instead of a hang or an out-of-memory error.
 *
 * @param maxBytes      largest file read, in bytes
 * @param maxDepth      deepest nesting of mappings and sequences
 * @param maxAliasNodes most nodes that alias and merge-key expansion may produce in one file
 */
public record YamlLimits(long maxBytes, int maxDepth, long maxAliasNodes) {

    public static final YamlLimits DEFAULTS = new YamlLimits(10L * 1024 * 1024, 1_000, 10_000);

    public YamlLimits {
        if (maxBytes < 1 || maxDepth < 1 || maxAliasNodes < 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    /**
     * The limits as a short text, for memo keys. Spelt out rather than the record's
     * {@code toString}, whose first call in a JVM spins method handles for several milliseconds:
     * every command builds such a key.
     */
    public String key() {
        return maxBytes + "/" + maxDepth + "/" + maxAliasNodes;
    }
}
