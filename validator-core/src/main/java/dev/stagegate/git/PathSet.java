package dev.stagegate.git;

import java.util.ArrayList;
import java.util.List;

/** A set of globs; a path is in the set when any glob matches it. */
public final class PathSet {

    public static final PathSet EMPTY = new PathSet(List.of());

    private final List<PathGlob> globs;

    private PathSet(List<PathGlob> globs) {
        this.globs = List.copyOf(globs);
    }

    public static PathSet of(List<String> globs) {
        return new PathSet(PathGlob.compileAll(globs));
    }

    /** The paths in this set or in {@code other}: one walk of a revision can then serve both. */
    public PathSet union(PathSet other) {
        List<PathGlob> both = new ArrayList<>(globs);
        both.addAll(other.globs);
        return new PathSet(both);
    }

    /** Whether each glob of {@code other} is one of this set's (by its text): then this set holds the other. */
    public boolean hasEveryGlobOf(PathSet other) {
        return other.globs.stream()
                .allMatch(glob -> globs.stream().anyMatch(mine -> mine.glob().equals(glob.glob())));
    }

    public boolean isEmpty() {
        return globs.isEmpty();
    }

    public boolean contains(String path) {
        for (PathGlob glob : globs) {
            if (glob.matches(path)) {
                return true;
            }
        }
        return false;
    }

    /** Whether some path inside {@code dir} could be in the set. */
    public boolean couldContainInside(String dir) {
        for (PathGlob glob : globs) {
            if (glob.couldMatchInside(dir)) {
                return true;
            }
        }
        return false;
    }

    /** Whether every path inside {@code dir} is in the set, so the whole subtree can be skipped. */
    public boolean coversEverythingInside(String dir) {
        for (PathGlob glob : globs) {
            if (glob.matchesEverythingInside(dir)) {
                return true;
            }
        }
        return false;
    }

    public List<PathGlob> globs() {
        return globs;
    }
}
