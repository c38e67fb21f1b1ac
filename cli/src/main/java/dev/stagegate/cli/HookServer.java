package dev.stagegate.cli;

import dev.stagegate.Sha256;
import dev.stagegate.memo.ProcessMemory;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The resident hook server: a JVM that outlives one push, so that its classes are loaded and
 * compiled, and JGit keeps each repository's pack indexes in memory (JGit reads a pack's whole
 * index on first use: 156 MiB and a third of a second on a 1M-commit repository). The hook
 * script asks it over a loopback socket ({@link HookProtocol}) and judges the push itself
 * whenever the server is not there or does not prove itself, so the server makes a push faster
 * without changing its verdict. (It has more heap than the hook's JVM, so a push too large for
 * the hook can be judged by the server; and a server that proved itself and then gives no
 * verdict in time gets the push rejected, as a hook past its deadline does.)
 *
 * <p>Each push is judged exactly as the hook judges it, by {@code stagegate pre-receive} with
 * the hook's arguments, environment, working directory and stdin. The server directory holds
 * the lock that keeps one server per directory, and the endpoint file (port and secret,
 * readable only by this account) that the hook script reads.
 */
final class HookServer implements Closeable {

    static final String ENDPOINT_FILE = "endpoint";
    static final String LOCK_FILE = "server.lock";
    static final String LOG_FILE = "server.log";

    /**
     * A hook sends its whole request within milliseconds of the greeting; a peer that stalls or
     * trickles holds a worker no longer than this (hooks that find every worker busy get no
     * greeting within a second, and judge their push themselves).
     */
    private static final int REQUEST_TIMEOUT_MILLIS = 3_000;
    /** Dropped connections are logged at most this often, so that a local flood cannot fill the disk. */
    private static final long DROP_LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);
    /** Connections waiting for a worker beyond this are closed at once: their hooks judge the push themselves. */
    private static final int MAX_WAITING_CONNECTIONS = 64;
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "stagegate-server-timer");
        thread.setDaemon(true);
        return thread;
    });
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private final Path directory;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final ServerSocket socket;
    private final String secret;
    private final JarIdentity ownJar;
    private final ExecutorService workers;
    private final PrintStream log;
    private final boolean logRequests;
    private final Function<Clock, Engine> engines;
    private final Map<JarIdentity.Stamp, Boolean> sameJar = new ConcurrentHashMap<>();
    private final AtomicInteger droppedSinceLog = new AtomicInteger();
    private final AtomicLong lastDropLog = new AtomicLong(System.nanoTime() - DROP_LOG_INTERVAL_NANOS);
    private volatile boolean stopping;

    private HookServer(Path directory, FileChannel lockChannel, FileLock lock, ServerSocket socket, String secret,
            JarIdentity ownJar, int threads, PrintStream log, boolean logRequests, Function<Clock, Engine> engines) {
        this.directory = directory;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.socket = socket;
        this.secret = secret;
        this.ownJar = ownJar;
        this.log = log;
        this.logRequests = logRequests;
        this.engines = engines;
        AtomicInteger count = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(MAX_WAITING_CONNECTIONS), task -> {
                    Thread thread = new Thread(task, "stagegate-server-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /**
     * Binds a loopback port and publishes it with a fresh secret in the endpoint file.
     *
     * @param ownJar  the jar this server runs; empty when it does not run from a jar (tests)
     * @param engines the engine that judges each push, given the clock it is judged at
     * @return empty when another server already holds this directory
     */
    static Optional<HookServer> start(Path directory, Optional<Path> ownJar, int threads, PrintStream log,
            boolean logRequests, Function<Clock, Engine> engines) throws IOException {
        prepareDirectory(directory);
        FileChannel lockChannel = FileChannel.open(directory.resolve(LOCK_FILE),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
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
        ServerSocket socket = new ServerSocket(0, 64, InetAddress.getByName("127.0.0.1"));
        // the point of a resident process: what one push computed from git objects, the next reuses
        ProcessMemory.enable();
        String secret = HookProtocol.secret();
        HookServer server = new HookServer(directory, lockChannel, lock, socket, secret,
                ownJar.map(JarIdentity::of).orElse(null), threads, log, logRequests, engines);
        server.publishEndpoint();
        return Optional.of(server);
    }

    /** The directory is this account's alone: the endpoint file in it holds the secret. */
    private static void prepareDirectory(Path directory) throws IOException {
        createOwnerOnlyIfMissing(directory);
        if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            throw new UsageException(directory + " is not a directory");
        }
        String owner = Files.getOwner(directory, LinkOption.NOFOLLOW_LINKS).getName();
        String account = System.getProperty("user.name");
        if (!owner.equals(account)) {
            throw new UsageException("server directory " + directory + " belongs to " + owner + ", not to " + account
                    + ", the account the server runs as");
        }
        if (writableByOthers(directory)) {
            throw new UsageException("server directory " + directory + " is writable by other accounts; "
                    + "chmod go-w it (the server keeps its secret there)");
        }
    }

    /** Creates a server directory that only this account may enter, unless something is there already. */
    static void createOwnerOnlyIfMissing(Path directory) throws IOException {
        if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
        }
    }

    /** Whether another account could replace the endpoint file: the server refuses such a directory. */
    static boolean writableByOthers(Path directory) throws IOException {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(directory, LinkOption.NOFOLLOW_LINKS);
        return permissions.contains(PosixFilePermission.GROUP_WRITE) || permissions.contains(PosixFilePermission.OTHERS_WRITE);
    }

    private void publishEndpoint() throws IOException {
        Path temporary = Files.createTempFile(directory, ".endpoint-", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        try {
            Files.writeString(temporary, socket.getLocalPort() + " " + secret + "\n", StandardCharsets.US_ASCII);
            Files.move(temporary, directory.resolve(ENDPOINT_FILE), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    int port() {
        return socket.getLocalPort();
    }

    String secret() {
        return secret;
    }

    /** Accepts connections until {@link #close()}; each push is judged on a worker thread. */
    void serve() {
        log("listening on 127.0.0.1:" + port() + " (endpoint " + directory.resolve(ENDPOINT_FILE) + ")");
        while (!stopping) {
            Socket connection;
            try {
                connection = socket.accept();
            } catch (IOException e) {
                if (stopping) {
                    break;
                }
                // out of file descriptors, say: keep serving once it passes
                logDropped("accepting a connection: " + Main.describe(e));
                pause();
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

    private void answer(Socket connection) {
        long started = System.nanoTime();
        try (connection) {
            connection.setSoTimeout(REQUEST_TIMEOUT_MILLIS);
            connection.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(connection.getInputStream());
            OutputStream out = connection.getOutputStream();
            String serverNonce = HookProtocol.nonce();
            out.write((HookProtocol.GREETING + " " + serverNonce + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // the whole request, not each read, must arrive in time: a peer trickling bytes is cut off
            ScheduledFuture<?> cutOff = TIMER.schedule(() -> closeQuietly(connection), REQUEST_TIMEOUT_MILLIS,
                    TimeUnit.MILLISECONDS);
            String clientNonce = HookProtocol.readHello(in, secret, serverNonce);
            out.write(HookProtocol.ready(secret, clientNonce, serverNonce));
            out.flush();
            HookProtocol.Request request = HookProtocol.readPush(in, clientNonce);
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
        } catch (HookProtocol.ProtocolException e) {
            logDropped(e.getMessage());
        } catch (IOException | UncheckedIOException e) {
            logDropped(Main.describe(e));
        } finally {
            if (OverrunJudgements.anyStillRunning() && !stopping) {
                // a judgement that ignores its deadline would run on in this JVM; a fresh one is cheaper
                log("a judgement is still running past its deadline; stopping");
                close();
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Socket connection) {
        try {
            connection.close();
        } catch (IOException e) {
            // closing is all that was asked
        }
    }

    private int judge(HookProtocol.Request request, OutputStream out) throws IOException {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8);
        Invocation invocation = new Invocation(new ByteArrayInputStream(request.stdin()), print, print,
                request.environment(), request.workingDirectory());
        List<String> arguments = new ArrayList<>();
        arguments.add("pre-receive");
        arguments.addAll(request.arguments());
        int status = new Main(invocation, engines).run(arguments.toArray(String[]::new));
        print.flush();
        out.write(HookProtocol.verdict(secret, request.clientNonce(), status, printable(output.toByteArray())));
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
            log("closing the socket: " + Main.describe(e));
        }
        try {
            Path endpoint = directory.resolve(ENDPOINT_FILE);
            if (Files.isRegularFile(endpoint) && Files.readString(endpoint, StandardCharsets.US_ASCII).contains(secret)) {
                Files.delete(endpoint);
            }
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            log("cleaning up " + directory + ": " + Main.describe(e));
        }
        workers.shutdown();
    }

    /** Waits for the pushes being judged to be answered. */
    void awaitAnswers(long timeout, TimeUnit unit) throws InterruptedException {
        workers.awaitTermination(timeout, unit);
    }

    private void log(String message) {
        log.println(Instant.now() + " stagegate hook server: " + message);
        log.flush();
    }

    /** A jar, recognised by its content; its stamp tells cheaply whether it may have changed. */
    private record JarIdentity(Path path, Stamp stamp, String digest) {

        record Stamp(Path path, long size, long modified, Object fileKey) {
            static Stamp of(Path path) throws IOException {
                BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
                return new Stamp(path, attributes.size(), attributes.lastModifiedTime().toMillis(), attributes.fileKey());
            }
        }

        static JarIdentity of(Path path) {
            try {
                return new JarIdentity(path, Stamp.of(path), Sha256.hex(Files.readAllBytes(path)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        boolean changed() {
            try {
                return !Stamp.of(path).equals(stamp);
            } catch (IOException e) {
                return true;
            }
        }

        boolean sameContent(JarIdentity other) {
            return digest.equals(other.digest);
        }
    }
}
