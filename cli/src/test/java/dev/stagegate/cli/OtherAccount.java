package dev.stagegate.cli;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A second local account for the tests that attack the resident server the way another user
 * of the git server could: uid and gid 65534 ("nobody" on Debian), reached with util-linux's
 * {@code setpriv}. Only root can switch accounts, so these tests need root; CI runs as root.
 * They fail rather than skip elsewhere: a skipped attack proves nothing.
 */
public final class OtherAccount {

    public static final int UID = 65534;
    public static final int GID = 65534;

    private OtherAccount() {
    }

    public static void requireRoot() throws IOException {
        int uid = (Integer) Files.getAttribute(Path.of("/proc/self/"), "unix:uid");
        if (uid != 0) {
            fail("this test acts as a second local account (uid " + UID + ") through setpriv, which needs root; "
                    + "CI runs the tests as root");
        }
    }

    /** {@code command} as the other account, with no supplementary groups. */
    public static List<String> command(String... command) {
        List<String> words = new ArrayList<>(List.of("setpriv", "--reuid=" + UID, "--regid=" + GID, "--clear-groups"));
        words.addAll(List.of(command));
        return words;
    }

    /** Gives {@code path} to the other account, as if that account had made it. */
    public static void chown(Path path) throws IOException {
        Files.setAttribute(path, "unix:uid", UID, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(path, "unix:gid", GID, LinkOption.NOFOLLOW_LINKS);
    }
}
