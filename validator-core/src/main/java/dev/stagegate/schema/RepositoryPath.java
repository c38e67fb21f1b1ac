package dev.stagegate.schema;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/** Repository-relative paths as schema files and their {@code $ref}s name them. */
final class RepositoryPath {

    private RepositoryPath() {
    }

    /**
     * {@code path} with {@code .} and {@code ..} segments resolved and no leading slash, or
     * empty when it would leave the repository (a schema must never read {@code ../../etc/passwd}).
     */
    static Optional<String> normalize(String path) {
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : path.replace('\\', '/').split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                if (segments.isEmpty()) {
                    return Optional.empty();
                }
                segments.removeLast();
            } else {
                segments.addLast(segment);
            }
        }
        return segments.isEmpty() ? Optional.empty() : Optional.of(String.join("/", segments));
    }

    /** The directory of {@code path} with a trailing slash, or {@code ""} at the top. */
    static String directoryOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash + 1);
    }
}
