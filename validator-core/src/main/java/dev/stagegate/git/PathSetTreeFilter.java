package dev.stagegate.git;

import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

/**
 * A tree-walk filter by a {@link PathSet} that prunes whole subtrees: {@link #within} enters
 * only directories where a path of the set could lie, {@link #outside} skips directories the
 * set covers entirely (such as {@code env/} for {@code env/**}).
 */
public final class PathSetTreeFilter extends TreeFilter {

    private final PathSet set;
    private final boolean inside;

    private PathSetTreeFilter(PathSet set, boolean inside) {
        this.set = set;
        this.inside = inside;
    }

    /** Only the paths of the set. */
    public static TreeFilter within(PathSet set) {
        return new PathSetTreeFilter(set, true);
    }

    /** Every path except those of the set. */
    public static TreeFilter outside(PathSet set) {
        return new PathSetTreeFilter(set, false);
    }

    @Override
    public boolean include(TreeWalk walker) {
        String path = walker.getPathString();
        if (inside) {
            return walker.isSubtree() ? set.couldContainInside(path) : set.contains(path);
        }
        return walker.isSubtree() ? !set.coversEverythingInside(path) : !set.contains(path);
    }

    @Override
    public boolean shouldBeRecursive() {
        return true;
    }

    @Override
    public TreeFilter clone() {
        return this;
    }

    @Override
    public String toString() {
        return (inside ? "within " : "outside ") + set.globs();
    }
}
