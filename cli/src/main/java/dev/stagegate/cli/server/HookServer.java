package dev.stagegate.cli.server;

import dev.stagegate.memo.ProcessMemory;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import jdk.net.ExtendedSocketOptions;

/**
 * The resident hook server: a JVM that outlives one push, so that its classes are loaded and
 * compiled, and JGit keeps each repository's pack indexes in memory (JGit reads a pack's whole
 * index on first use: 156 MiB and a third of a second on a 1M-commit repository). The hook
 * script asks it over a Unix domain socket in the server directory ({@link HookProtocol}) and
 * judges the push itself whenever the server is not there or the directory cannot be trusted,
 * so the server makes a push faster without changing its verdict. (It has more heap than the
 * hook's JVM, so a push too large for the hook can be judged by the server; and a server that
 * took a push and then gives no verdict in time gets the push rejected, as a hook past its
 * deadline does.)
 *
 * <p>Only the directory's owner gets an answer: the directory is mode 0700, so no other account
 * can reach the socket or the lock, and each connection's peer credentials ({@code SO_PEERCRED})
 * must name the owner before a byte of it is read.
 */
public final class HookServer implements Closeable {

    /**
     * A hook sends its whole request within milliseconds of connecting; a peer that stalls or
     * trickles holds a worker no longer than this.
     */
    private static final int REQUEST_TIMEOUT_MILLIS = 3_000;
    /** Dropped connections are logged at most this often, so that a flood cannot fill the disk. */
    private static final long DROP_LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);
    /** Connections waiting for a worker beyond this are closed at once: their hooks judge the push themselves. */
    private static final int MAX_WAITING_CONNECTIONS = 64;
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "stagegate-server-timer");
        thread.setDaemon(true);
        return thread;
    });
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    /** What judges each push: {@code stagegate pre-receive}, as the hook would run it. */
    public interface Judge {

        /** Judges one push as the hook would, printing what the hook would print; returns its exit status, 0-3. */
        int judge(HookProtocol.Request request, PrintStream output);

        /** Whether a judgement abandoned at its deadline is still running in this JVM. */
        boolean anyOverrunStillRunning();
    }

    /** The directory cannot be the server's: another account could reach or replace what it holds. */
    public static final class UntrustedDirectoryException extends IOException {

        private static final long serialVersionUID = 1L;

        UntrustedDirectoryException(String message) {
            super(message);
        }
    }

    private final ServerDirectory directory;
    private final UserPrincipal owner;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final ServerSocketChannel socket;
    private final JarIdentity ownJar;
    private final ExecutorService workers;
    private final PrintStream log;
    private final boolean logRequests;
    private final Judge judge;
    private final Map<JarIdentity.Stamp, Boolean> sameJar = new ConcurrentHashMap<>();
    private final AtomicInteger droppedSinceLog = new AtomicInteger();
    private final AtomicLong lastDropLog = new AtomicLong(System.nanoTime() - DROP_LOG_INTERVAL_NANOS);
    private volatile boolean stopping;

    private HookServer(ServerDirectory directory, UserPrincipal owner, FileChannel lockChannel, FileLock lock,
            ServerSocketChannel socket, JarIdentity ownJar, int threads, PrintStream log, boolean logRequests, Judge judge) {
        this.directory = directory;
        this.owner = owner;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.socket = socket;
        this.ownJar = ownJar;
        this.log = log;
        this.logRequests = logRequests;
        this.judge = judge;
        AtomicInteger count = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(MAX_WAITING_CONNECTIONS), task -> {
                    Thread thread = new Thread(task, "stagegate-server-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /**
     * Takes the directory's lock and binds its socket.
     *
     * @param ownJar the jar this server runs; empty when it does not run from a jar (tests)
     * @return empty when another server already holds this directory
     * @throws UntrustedDirectoryException when the directory is not this account's alone
     */
    public static Optional<HookServer> start(ServerDirectory directory, Optional<Path> ownJar, int threads,
            PrintStream log, boolean logRequests, Judge judge) throws IOException {
        directory.createOwnerOnlyIfMissing();
        Optional<String> problem = directory.whyNotTheServers(ServerDirectory.processUid());
        if (problem.isPresent()) {
            throw new UntrustedDirectoryException(problem.get());
        }
        FileChannel lockChannel = FileChannel.open(directory.lock(), Set.of(StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        FileLock lock;
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by a server in this very JVM
        }
        if (lock == null) {
            lockChannel.close();
            return Optional.empty();
        }
        ServerSocketChannel socket;
        try {
            ownerOnly(directory.lock());
            ownerOnly(directory.log());
            // the lock is ours, so a socket file left here is a dead server's
            Files.deleteIfExists(directory.socket());
            socket = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            socket.bind(UnixDomainSocketAddress.of(directory.socket()), MAX_WAITING_CONNECTIONS);
            Files.setPosixFilePermissions(directory.socket(), OWNER_ONLY);
        } catch (IOException | RuntimeException e) {
            lock.release();
            lockChannel.close();
            throw e;
        }
        // the point of a resident process: what one push computed from git objects, the next reuses
        ProcessMemory.enable();
        return Optional.of(new HookServer(directory, Files.getOwner(directory.path(), LinkOption.NOFOLLOW_LINKS),
                lockChannel, lock, socket, ownJar.map(JarIdentity::of).orElse(null), threads, log, logRequests, judge));
    }

    /** The log is written through the hook's redirection, with whatever umask git has. */
    private static void ownerOnly(Path file) throws IOException {
        if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            Files.setPosixFilePermissions(file, OWNER_ONLY);
        }
    }

    /** Accepts connections until {@link #close()}; each push is judged on a worker thread. */
    public void serve() {
        log("listening on " + directory.socket());
        while (!stopping) {
            SocketChannel connection;
            try {
                connection = socket.accept();
            } catch (IOException e) {
                if (stopping) {
                    break;
                }
                // out of file descriptors, say: keep serving once it passes
                logDropped("accepting a connection: " + describe(e));
                pause();
                continue;
            }
            // on the accepting thread, so that another account's connections never take a worker or a place in line
            if (!fromOwner(connection)) {
                closeQuietly(connection);
                continue;
            }
            try {
                workers.execute(() -> answer(connection));
            } catch (RejectedExecutionException e) {
                closeQuietly(connection);
                logDropped("every worker is busy and " + MAX_WAITING_CONNECTIONS + " connections wait");
            }
        }
    }

    /** Whether the peer's credentials name the directory's owner; anyone else is dropped unheard. */
    private boolean fromOwner(SocketChannel connection) {
        try {
            UserPrincipal peer = connection.getOption(ExtendedSocketOptions.SO_PEERCRED).user();
            if (peer.equals(owner)) {
                return true;
            }
            logDropped("a connection from " + peer.getName() + ", not from " + owner.getName() + ", who owns "
                    + directory.path());
        } catch (IOException | UnsupportedOperationException e) {
            logDropped("the peer's credentials cannot be read: " + describe(e));
        }
        return false;
    }

    private void answer(SocketChannel connection) {
        long started = System.nanoTime();
        try (connection) {
            // the whole request, not each read, must arrive in time: a peer trickling bytes is cut off
            ScheduledFuture<?> cutOff = TIMER.schedule(() -> closeQuietly(connection), REQUEST_TIMEOUT_MILLIS,
                    TimeUnit.MILLISECONDS);
            InputStream in = new BufferedInputStream(Channels.newInputStream(connection));
            OutputStream out = Channels.newOutputStream(connection);
            HookProtocol.Request request = HookProtocol.readRequest(in);
            if (!cutOff.cancel(false)) {
                throw new HookProtocol.ProtocolException("the request took longer than " + REQUEST_TIMEOUT_MILLIS + " ms");
            }
            if (ownJar != null && ownJar.changed()) {
                // a re-install replaced the jar: step aside so that the next push starts the new one
                out.write(HookProtocol.decline("restart"));
                log("the jar " + ownJar.path() + " changed; stopping");
                close();
                return;
            }
            if (!sameJar(request.jar())) {
                out.write(HookProtocol.decline("other-jar"));
                return;
            }
            long judging = System.nanoTime();
            int status = judge(request, out);
            if (logRequests) {
                log("judged a push to " + request.workingDirectory() + ": exit " + status + " in "
                        + TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - judging) / 1000.0 + " ms ("
                        + TimeUnit.NANOSECONDS.toMicros(judging - started) / 1000.0 + " ms for the request to arrive)");
            }
        } catch (IOException | UncheckedIOException e) {
            logDropped(describe(e));
        } finally {
            if (judge.anyOverrunStillRunning() && !stopping) {
                // a judgement that ignores its deadline would run on in this JVM; a fresh one is cheaper
                log("a judgement is still running past its deadline; stopping");
                close();
            }
        }
    }

    private int judge(HookProtocol.Request request, OutputStream out) throws IOException {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8);
        int status;
        try {
            status = judge.judge(request, print);
        } catch (RuntimeException e) {
            print.println("stagegate: cannot judge this push: " + describe(e) + "; push rejected (fail closed)");
            status = 3;
        }
        if (status < 0 || status > 3) {
            // the script takes 0-3 only; anything else from a judge is a failure, and fails closed
            status = 3;
        }
        print.flush();
        out.write(HookProtocol.verdict(status, printable(output.toByteArray())));
        out.flush();
        return status;
    }

    /** The client is a shell script: it gets plain ASCII lines, like every verdict. */
    private static byte[] printable(byte[] output) {
        byte[] result = output.clone();
        for (int i = 0; i < result.length; i++) {
            byte b = result[i];
            if (b != '\n' && b != '\t' && (b < 0x20 || b > 0x7e)) {
                result[i] = '?';
            }
        }
        return result;
    }

    /**
     * Whether the hook that asks would run the same stagegate as this server: several
     * repositories can share one server, each with its own copy of the jar.
     */
    private boolean sameJar(Path jar) {
        if (ownJar == null || jar == null) {
            return ownJar == null;
        }
        if (jar.equals(ownJar.path())) {
            return true;
        }
        try {
            JarIdentity.Stamp stamp = JarIdentity.Stamp.of(jar);
            return sameJar.computeIfAbsent(stamp, key -> JarIdentity.of(jar).sameContent(ownJar));
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(SocketChannel connection) {
        try {
            connection.close();
        } catch (IOException e) {
            // closing is all that was asked
        }
    }

    private void logDropped(String reason) {
        int dropped = droppedSinceLog.incrementAndGet();
        long last = lastDropLog.get();
        long now = System.nanoTime();
        if (now - last >= DROP_LOG_INTERVAL_NANOS && lastDropLog.compareAndSet(last, now)) {
            droppedSinceLog.addAndGet(-dropped);
            log("dropped a connection: " + reason + (dropped > 1 ? " (" + (dropped - 1) + " more dropped in the last minute)" : ""));
        }
    }

    @Override
    public synchronized void close() {
        if (stopping) {
            return;
        }
        stopping = true;
        try {
            socket.close();
        } catch (IOException e) {
            log("closing the socket: " + describe(e));
        }
        try {
            // only while the lock is held is the socket file this server's to remove
            Files.deleteIfExists(directory.socket());
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            log("cleaning up " + directory.path() + ": " + describe(e));
        }
        workers.shutdown();
    }

    /** Waits for the pushes being judged to be answered. */
    public void awaitAnswers(long timeout, TimeUnit unit) throws InterruptedException {
        workers.awaitTermination(timeout, unit);
    }

    private void log(String message) {
        log.println(Instant.now() + " stagegate hook server: " + message);
        log.flush();
    }

    private static String describe(Throwable failure) {
        String message = failure.getMessage();
        if (message == null || message.isBlank()) {
            return failure.getClass().getSimpleName();
        }
        String line = message.replaceAll("\\s*\\R\\s*", " ");
        return failure instanceof HookProtocol.ProtocolException ? line : failure.getClass().getSimpleName() + ": " + line;
    }
}
