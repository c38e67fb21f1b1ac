package dev.stagegate.git;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A path glob with git's wildmatch semantics (the {@code :(glob)} pathspec magic):
 * case-sensitive, {@code *} and {@code ?} stay within one directory, {@code **}{@code /}
 * matches zero or more directories, a trailing {@code /**} everything inside, and
 * {@code [...]} a character class. Paths are repository-relative with {@code /} separators.
 */
public final class PathGlob {

    private final String glob;
    private final Pattern pattern;
    private final String literalPrefix;
    private final PathGlob parentGlob;

    private PathGlob(String glob) {
        this.glob = glob;
        this.pattern = Pattern.compile(toRegex(glob));
        this.literalPrefix = literalDirectoryPrefix(glob);
        // "X/**" matches everything below any directory that X matches
        this.parentGlob = glob.endsWith("/**") && glob.length() > 3
                ? new PathGlob(glob.substring(0, glob.length() - 3)) : null;
    }

    public static PathGlob compile(String glob) {
        if (glob == null || glob.isEmpty()) {
            throw new IllegalArgumentException("empty glob");
        }
        return new PathGlob(glob.startsWith("/") ? glob.substring(1) : glob);
    }

    public static List<PathGlob> compileAll(List<String> globs) {
        return globs.stream().map(PathGlob::compile).toList();
    }

    public String glob() {
        return glob;
    }

    public boolean matches(String path) {
        return pattern.matcher(path).matches();
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
     * Whether every path inside directory {@code dir} matches: true for {@code env/**} and
     * {@code env} or {@code env/a}, and for {@code **}{@code /secrets/**} and {@code a/secrets}.
     */
    public boolean matchesEverythingInside(String dir) {
        if (parentGlob == null) {
            return glob.equals("**");
        }
        PathGlob parent = parentGlob;
        String current = dir;
        while (true) {
            if (parent.matches(current)) {
                return true;
            }
            int slash = current.lastIndexOf('/');
            if (slash < 0) {
                return false;
            }
            current = current.substring(0, slash);
        }
    }

    /** The directories before the first wildcard, such as {@code apps/} for {@code apps/**}{@code /values.yaml}. */
    private static String literalDirectoryPrefix(String glob) {
        int wildcard = indexOfWildcard(glob);
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
