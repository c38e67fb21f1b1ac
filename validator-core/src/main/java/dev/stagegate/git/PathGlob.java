package dev.stagegate.git;

import dev.stagegate.memo.BoundedMemo;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A path glob with git's wildmatch semantics (the {@code :(glob)} pathspec magic):
 * case-sensitive, {@code *} and {@code ?} stay within one directory, {@code **}{@code /}
 * matches zero or more directories, a trailing {@code /**} everything inside, and
 * {@code [...]} a character class. Paths are repository-relative with {@code /} separators.
 *
 * <p>A glob that names a directory covers everything under it, as in {@code .gitignore}: one
 * whose last segment has no wildcard ({@code env}, {@code apps/*}{@code /env}) matches a file of
 * that name and the whole subtree of a directory of that name; a trailing slash
 * ({@code env/}) names directories only. A wildcard in the last segment ({@code apps/*},
 * {@code *.yaml}) keeps matching names only, so that {@code apps/*} still means the entries
 * directly in {@code apps}, not everything below them.
 */
public final class PathGlob {

    /** The path itself or anything below it. */
    private static final String SUBTREE = "(?:/.*)?";

    /**
     * Globs compiled before, by their text (a glob is immutable): a policy names the same few
     * globs in several places (schemas, rules, environment-specific paths), and each but the
     * commonest ({@link AnyDepth}) is a regular expression or two, which a fresh JVM compiles
     * slowly. Invalid globs are not kept.
     */
    private static final BoundedMemo<String, PathGlob> COMPILED = new BoundedMemo<>(4_096);

    private final String glob;
    /** Null for a glob {@link AnyDepth} matches: it needs no regular expression. */
    private final Pattern pattern;
    private final String literalPrefix;
    /** Matches a directory exactly when the glob matches every path inside it; null when none is. */
    private final Pattern everythingInside;
    private final AnyDepth anyDepth;

    private PathGlob(String glob) {
        this.glob = glob;
        boolean directoriesOnly = glob.endsWith("/");
        String name = stripTrailingSlashes(glob);
        if (name.isEmpty()) {
            throw new IllegalArgumentException("it names no file or directory");
        }
        boolean namesDirectory = directoriesOnly || indexOfWildcard(lastSegment(name)) < 0;
        this.literalPrefix = literalDirectoryPrefix(name, namesDirectory);
        this.anyDepth = directoriesOnly ? null : AnyDepth.of(name);
        if (anyDepth != null) {
            this.pattern = null;
            this.everythingInside = null;
            return;
        }
        String regex = toRegex(name);
        // paths may hold any character but NUL and '/', line breaks included: '.' must match them
        if (directoriesOnly) {
            this.pattern = Pattern.compile(regex + "/.*", Pattern.DOTALL);
        } else if (namesDirectory) {
            this.pattern = Pattern.compile(regex + SUBTREE, Pattern.DOTALL);
        } else {
            this.pattern = Pattern.compile(regex, Pattern.DOTALL);
        }
        if (namesDirectory) {
            // a directory the glob names, or one inside it; "env/" names no file, but a walk skips env whole
            this.everythingInside = directoriesOnly ? Pattern.compile(regex + SUBTREE, Pattern.DOTALL) : pattern;
        } else if (name.equals("**")) {
            this.everythingInside = Pattern.compile(".*", Pattern.DOTALL);
        } else if (name.endsWith("/**")) {
            // "X/**" matches everything below any directory that X matches
            this.everythingInside = Pattern.compile(toRegex(name.substring(0, name.length() - 3)) + SUBTREE,
                    Pattern.DOTALL);
        } else {
            this.everythingInside = null;
        }
    }

    /**
     * The commonest glob, {@code P**}{@code /S} with a literal directory prefix {@code P} (or
     * none) and a literal last segment {@code S} ({@code apps/**}{@code /values.yaml}), matched
     * without a regular expression: each changed path of a push is matched against every such
     * glob, and a fresh JVM runs {@code java.util.regex} slowly. As {@code S} has no wildcard it
     * names a file or a directory (the class comment): the glob matches a path under {@code P}
     * that has a segment {@code S}, and everything below it.
     */
    private static final class AnyDepth {

        private final String prefix;
        private final String segment;

        private AnyDepth(String prefix, String segment) {
            this.prefix = prefix;
            this.segment = segment;
        }

        /** The glob {@code name} (no trailing slash) as an AnyDepth, or null when it has another shape. */
        static AnyDepth of(String name) {
            int wildcard = indexOfWildcard(name);
            if (wildcard < 0 || wildcard > 0 && name.charAt(wildcard - 1) != '/'
                    || !name.startsWith("**/", wildcard)) {
                return null;
            }
            String segment = name.substring(wildcard + 3);
            if (segment.isEmpty() || segment.indexOf('/') >= 0 || indexOfWildcard(segment) >= 0) {
                return null;
            }
            return new AnyDepth(name.substring(0, wildcard), segment);
        }

        boolean matches(String path) {
            if (!path.startsWith(prefix)) {
                return false;
            }
            int length = segment.length();
            for (int at = path.indexOf(segment, prefix.length()); at >= 0; at = path.indexOf(segment, at + 1)) {
                boolean startsSegment = at == prefix.length() || path.charAt(at - 1) == '/';
                boolean endsSegment = at + length == path.length() || path.charAt(at + length) == '/';
                if (startsSegment && endsSegment) {
                    return true;
                }
            }
            return false;
        }
    }

    public static PathGlob compile(String glob) {
        if (glob == null || glob.isEmpty()) {
            throw new IllegalArgumentException("empty glob");
        }
        Optional<PathGlob> known = COMPILED.get(glob);
        if (known.isPresent()) {
            return known.get();
        }
        PathGlob compiled = new PathGlob(glob.startsWith("/") ? glob.substring(1) : glob);
        COMPILED.put(glob, compiled);
        return compiled;
    }

    public static List<PathGlob> compileAll(List<String> globs) {
        return globs.stream().map(PathGlob::compile).toList();
    }

    public String glob() {
        return glob;
    }

    public boolean matches(String path) {
        return anyDepth != null ? anyDepth.matches(path) : pattern.matcher(path).matches();
    }

    /**
     * Whether some path inside directory {@code dir} (no trailing slash) could match; lets a
     * tree walk skip whole subtrees that no glob can reach.
     */
    public boolean couldMatchInside(String dir) {
        if (literalPrefix.isEmpty()) {
            return true;
        }
        String withSlash = dir + "/";
        return literalPrefix.startsWith(withSlash) || withSlash.startsWith(literalPrefix);
    }

    /**
     * Whether every path inside directory {@code dir} matches, so a walk may skip it whole: true
     * for {@code env/**}, {@code env} and {@code env/} at {@code env} or {@code env/a}, and for
     * {@code **}{@code /secrets/**} at {@code a/secrets}.
     */
    public boolean matchesEverythingInside(String dir) {
        if (anyDepth != null) {
            // it names directories S: everything inside one, as the directory itself, matches
            return anyDepth.matches(dir);
        }
        return everythingInside != null && everythingInside.matcher(dir).matches();
    }

    private static String stripTrailingSlashes(String glob) {
        int end = glob.length();
        while (end > 0 && glob.charAt(end - 1) == '/') {
            end--;
        }
        return glob.substring(0, end);
    }

    private static String lastSegment(String glob) {
        return glob.substring(glob.lastIndexOf('/') + 1);
    }

    /**
     * The directories before the first wildcard, such as {@code apps/} for
     * {@code apps/**}{@code /values.yaml}; a glob without wildcards that names a directory is one
     * itself ({@code env/} for {@code env}), so a walk enters nothing else.
     */
    private static String literalDirectoryPrefix(String glob, boolean namesDirectory) {
        int wildcard = indexOfWildcard(glob);
        if (wildcard < 0 && namesDirectory) {
            return glob + "/";
        }
        String literal = wildcard < 0 ? glob : glob.substring(0, wildcard);
        int slash = literal.lastIndexOf('/');
        return slash < 0 ? "" : literal.substring(0, slash + 1);
    }

    private static int indexOfWildcard(String glob) {
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == '\\') {
                return i;
            }
        }
        return -1;
    }

    static String toRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        int i = 0;
        int n = glob.length();
        while (i < n) {
            char c = glob.charAt(i);
            if (c == '*') {
                boolean doubleStar = i + 1 < n && glob.charAt(i + 1) == '*';
                boolean atSegmentStart = i == 0 || glob.charAt(i - 1) == '/';
                if (doubleStar && atSegmentStart) {
                    int after = i + 2;
                    if (after == n) {
                        regex.append(".*");
                        i = after;
                        continue;
                    }
                    if (glob.charAt(after) == '/') {
                        regex.append("(?:.*/)?");
                        i = after + 1;
                        continue;
                    }
                }
                // a lone star, or ** not forming a whole segment, stays inside one directory
                regex.append("[^/]*");
                i += doubleStar ? 2 : 1;
            } else if (c == '?') {
                regex.append("[^/]");
                i++;
            } else if (c == '[') {
                int close = classEnd(glob, i);
                if (close < 0) {
                    regex.append("\\[");
                    i++;
                } else {
                    regex.append(characterClass(glob.substring(i + 1, close)));
                    i = close + 1;
                }
            } else if (c == '\\' && i + 1 < n) {
                regex.append(Pattern.quote(String.valueOf(glob.charAt(i + 1))));
                i += 2;
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
                i++;
            }
        }
        return regex.toString();
    }

    private static int classEnd(String glob, int open) {
        int i = open + 1;
        if (i < glob.length() && (glob.charAt(i) == '!' || glob.charAt(i) == '^')) {
            i++;
        }
        if (i < glob.length() && glob.charAt(i) == ']') {
            i++;
        }
        while (i < glob.length()) {
            if (glob.charAt(i) == ']') {
                return i;
            }
            i++;
        }
        return -1;
    }

    /**
     * Every member is written as a code point escape ({@code \x{...}}), so that no glob can
     * make an invalid regular expression; a reversed range ({@code [z-a]}) is refused.
     */
    private static String characterClass(String body) {
        // a class never matches the directory separator
        StringBuilder out = new StringBuilder("(?!/)[");
        int start = 0;
        if (!body.isEmpty() && (body.charAt(0) == '!' || body.charAt(0) == '^')) {
            out.append('^');
            start = 1;
        }
        int[] members = body.substring(start).codePoints().toArray();
        for (int i = 0; i < members.length; i++) {
            int low = members[i];
            if (i + 2 < members.length && members[i + 1] == '-') {
                int high = members[i + 2];
                if (low > high) {
                    throw new IllegalArgumentException("reversed character range '" + Character.toString(low) + "-"
                            + Character.toString(high) + "' in [" + body + "]");
                }
                out.append(codePoint(low)).append('-').append(codePoint(high));
                i += 2;
            } else {
                out.append(codePoint(low));
            }
        }
        return out.append(']').toString();
    }

    private static String codePoint(int codePoint) {
        return "\\x{" + Integer.toHexString(codePoint) + "}";
    }

    @Override
    public String toString() {
        return glob;
    }
}
