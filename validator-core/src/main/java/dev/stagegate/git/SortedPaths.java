package dev.stagegate.git;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Paths in order, each once: the order in which checks report their findings. */
public final class SortedPaths {

    private SortedPaths() {
    }

    /**
     * Sorted and without repeats; cheap for paths already sorted, as a revision's {@code paths()}
     * are (a sorted-set copy would compare long common prefixes again and again).
     */
    public static List<String> of(Collection<String> paths) {
        List<String> sorted = new ArrayList<>(paths);
        sorted.sort(null);
        List<String> distinct = new ArrayList<>(sorted.size());
        for (String path : sorted) {
            if (distinct.isEmpty() || !distinct.get(distinct.size() - 1).equals(path)) {
                distinct.add(path);
            }
        }
        return distinct;
    }
}
