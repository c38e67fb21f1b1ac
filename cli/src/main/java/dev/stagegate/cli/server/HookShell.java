package dev.stagegate.cli.server;

import java.util.regex.Pattern;

/** What every hook script stagegate writes shares: the line that marks it as stagegate's, and shell quoting. */
public final class HookShell {

    /** The line that tells a hook stagegate wrote (and may overwrite) from anyone else's. */
    public static final String MARKER = "# installed by stagegate";

    private static final Pattern NEEDS_NO_QUOTES = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private HookShell() {
    }

    public static boolean isOurs(String script) {
        return script.lines().anyMatch(MARKER::equals);
    }

    /** One shell word that stands for {@code word} exactly, in sh and bash alike. */
    public static String quote(String word) {
        return NEEDS_NO_QUOTES.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'";
    }
}
