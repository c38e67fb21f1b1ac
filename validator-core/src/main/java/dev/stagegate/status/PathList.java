package dev.stagegate.status;

import java.util.List;

/**
 * Repository paths, at most {@link #LIMIT} of them, and how many there were: a board shows
 * where environments differ, not every file of a large change.
 *
 * @param paths the first paths in git's tree order
 * @param total how many paths there were in all
 */
public record PathList(List<String> paths, int total) {

    public static final int LIMIT = 20;

    public PathList {
        paths = List.copyOf(paths);
        if (total < paths.size()) {
            throw new IllegalArgumentException("total " + total + " is less than the " + paths.size() + " paths");
        }
    }

    public static PathList empty() {
        return new PathList(List.of(), 0);
    }

    /** The first {@link #LIMIT} of {@code all}. */
    public static PathList of(List<String> all) {
        return new PathList(all.subList(0, Math.min(LIMIT, all.size())), all.size());
    }

    public boolean isEmpty() {
        return total == 0;
    }

    /** Whether paths were left out. */
    public boolean truncated() {
        return total > paths.size();
    }
}
