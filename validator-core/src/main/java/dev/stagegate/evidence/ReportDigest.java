package dev.stagegate.evidence;

/**
 * A report file an evidence record was built from, so the result can be traced back to it.
 *
 * @param path   relative to the reports directory, with {@code /} separators
 * @param sha256 64 lower-case hex digits
 */
public record ReportDigest(String path, String sha256) {
}
