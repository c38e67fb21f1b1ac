package dev.stagegate.cli.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;

/**
 * The resident server's directory: its socket, lock and log. Whoever can put a socket into it
 * receives every push (stdin and environment, which may hold secrets) and can accept any of
 * them, so it is trusted only when no other account can change it: not a symbolic link, owned
 * by the account that uses it, writable by nobody else, and every directory above it owned by
 * that account or root and not writable by others unless sticky (as {@code /tmp} is), since
 * whoever can rename an entry of a parent can swap the whole directory. The hook script makes
 * the same checks in bash ({@link ServerHookScript}); the server insists on mode 0700 as well,
 * so that nobody else can even reach its socket or lock.
 */
public final class ServerDirectory {

    public static final String SOCKET_FILE = "socket";
    public static final String LOCK_FILE = "server.lock";
    public static final String LOG_FILE = "server.log";

    /** A socket address holds 108 bytes of path, the terminating NUL included. */
    static final int MAX_SOCKET_PATH_BYTES = 107;
    private static final int GROUP_OR_OTHERS_WRITE = 0022;
    private static final int STICKY = 01000;
    private static final int PERMISSION_BITS = 07777;
    private static final int ROOT = 0;

    private final Path path;

    private ServerDirectory(Path path) {
        this.path = path;
    }

    /** @param path absolute; the hook keeps it as given, so it should be a real path (no symbolic links) */
    public static ServerDirectory at(Path path) {
        return new ServerDirectory(path.toAbsolutePath().normalize());
    }

    public Path path() {
        return path;
    }

    public Path socket() {
        return path.resolve(SOCKET_FILE);
    }

    Path lock() {
        return path.resolve(LOCK_FILE);
    }

    Path log() {
        return path.resolve(LOG_FILE);
    }

    /** Creates the directory, for this account only, unless something is there already. */
    public void createOwnerOnlyIfMissing() throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
    }

    /** Why a socket path this long cannot be bound; empty when it fits. */
    private Optional<String> whySocketPathTooLong() {
        int length = socket().toString().getBytes(StandardCharsets.UTF_8).length;
        return length <= MAX_SOCKET_PATH_BYTES ? Optional.empty()
                : Optional.of("the socket path " + socket() + " is " + length + " bytes, more than the "
                        + MAX_SOCKET_PATH_BYTES + " a Unix socket address holds; choose a shorter server directory");
    }

    /**
     * Why the account {@code uid} must not trust this directory; empty when it may.
     *
     * @throws IOException when it cannot be examined (a missing directory is a reason, not an error)
     */
    public Optional<String> whyUntrusted(int uid) throws IOException {
        Optional<Entry> own = Entry.of(path);
        if (own.isEmpty()) {
            return Optional.of(path + " does not exist");
        }
        if (own.get().symbolicLink()) {
            return Optional.of(path + " is a symbolic link; give the directory's real path");
        }
        if (!own.get().directory()) {
            return Optional.of(path + " is not a directory");
        }
        if (own.get().uid() != uid) {
            return Optional.of(path + " belongs to uid " + own.get().uid() + ", not to uid " + uid
                    + ", the account the hook and the server run as");
        }
        if ((own.get().mode() & GROUP_OR_OTHERS_WRITE) != 0) {
            return Optional.of(path + " is writable by other accounts (mode " + own.get().octalMode() + ")");
        }
        for (Path parent = path.getParent(); parent != null; parent = parent.getParent()) {
            Optional<String> problem = whyUntrustedParent(parent, uid);
            if (problem.isPresent()) {
                return problem;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> whyUntrustedParent(Path parent, int uid) throws IOException {
        Entry entry = Entry.of(parent).orElseThrow(() -> new NoSuchFileException(parent.toString()));
        if (entry.symbolicLink()) {
            return Optional.of(parent + " is a symbolic link; give the server directory's real path");
        }
        if (entry.uid() != uid && entry.uid() != ROOT) {
            return Optional.of(parent + " belongs to uid " + entry.uid() + ", who could replace what it holds");
        }
        if ((entry.mode() & GROUP_OR_OTHERS_WRITE) != 0 && (entry.mode() & STICKY) == 0) {
            return Optional.of(parent + " is writable by other accounts without the sticky bit (mode "
                    + entry.octalMode() + "), so they could replace what it holds");
        }
        return Optional.empty();
    }

    /** Why the server must not use it: what the hook checks, mode 0700 exactly, and a socket path that fits. */
    public Optional<String> whyNotTheServers(int uid) throws IOException {
        Optional<String> untrusted = whyUntrusted(uid).or(this::whySocketPathTooLong);
        if (untrusted.isPresent()) {
            return untrusted;
        }
        Entry own = Entry.of(path).orElseThrow(() -> new NoSuchFileException(path.toString()));
        if ((own.mode() & PERMISSION_BITS) != 0700) {
            return Optional.of(path + " has mode " + own.octalMode() + "; the server only runs in a directory no other "
                    + "account can enter (chmod 700 " + path + ")");
        }
        return Optional.empty();
    }

    /** The owner's uid of {@code file}, not following a symbolic link. */
    public static int ownerUid(Path file) throws IOException {
        return (Integer) Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    }

    /** The account this process runs as: the owner of the process's own /proc entry. */
    public static int processUid() throws IOException {
        return (Integer) Files.getAttribute(Path.of("/proc/self/"), "unix:uid");
    }

    /** One directory entry as lstat(2) sees it. */
    private record Entry(boolean symbolicLink, boolean directory, int uid, int mode) {

        static Optional<Entry> of(Path path) throws IOException {
            Map<String, Object> attributes;
            try {
                attributes = Files.readAttributes(path, "unix:uid,mode,isSymbolicLink,isDirectory", LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                return Optional.empty();
            }
            return Optional.of(new Entry((Boolean) attributes.get("isSymbolicLink"), (Boolean) attributes.get("isDirectory"),
                    (Integer) attributes.get("uid"), (Integer) attributes.get("mode")));
        }

        String octalMode() {
            return String.format("%04o", mode & PERMISSION_BITS);
        }
    }
}
