package dev.stagegate.cli.server;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Finds the socket clients a host has and times them, for {@code hook install --server}: each
 * one makes real round trips, through bash as the hook runs it, to a socket that answers as the
 * server does. A client that does not give back the answer byte for byte (another netcat
 * without {@code -U}, a platform where Perl's constants differ) is not used.
 */
public final class SocketClients {

    private static final int WARM_UP_RUNS = 2;
    private static final int TIMED_RUNS = 7;
    private static final long RUN_TIMEOUT_SECONDS = 10;
    private static final byte[] PROBE_BODY = "stagegate: socket client probe\n".getBytes(StandardCharsets.US_ASCII);

    private SocketClients() {
    }

    /** A client program found on this host. */
    public record Found(SocketClient client, Path program) {
    }

    /** How a client did: its median round trip, or why it cannot be used. */
    public record Trial(Found found, Optional<Duration> median, Optional<String> problem) {

        public String describe() {
            return found.client().programName() + " (" + found.program() + "): "
                    + median.map(time -> String.format("%.1f ms", time.toNanos() / 1e6)).orElseGet(problem::get);
        }
    }

    /** The clients {@code onPath} finds (the program of that name on PATH) that can be told to reach {@code socket}. */
    public static List<Found> find(Function<String, Optional<Path>> onPath, Path socket) {
        List<Found> found = new ArrayList<>();
        for (SocketClient client : SocketClient.values()) {
            if (client.canReach(socket)) {
                onPath.apply(client.programName()).ifPresent(program -> found.add(new Found(client, program)));
            }
        }
        return found;
    }

    /** Times each candidate; the usable ones first, fastest first. */
    public static List<Trial> trial(List<Found> candidates, Path bash) throws IOException {
        Path directory = Files.createTempDirectory("stagegate-probe-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path socketPath = directory.resolve(ServerDirectory.SOCKET_FILE);
        try (ServerSocketChannel socket = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            socket.bind(UnixDomainSocketAddress.of(socketPath));
            Thread answering = new Thread(() -> answerProbes(socket), "stagegate-probe");
            answering.setDaemon(true);
            answering.start();
            List<Trial> trials = new ArrayList<>();
            for (Found candidate : candidates) {
                trials.add(trial(candidate, bash, socketPath));
            }
            trials.sort(Comparator.comparing((Trial trial) -> trial.median().isEmpty())
                    .thenComparing(trial -> trial.median().orElse(Duration.ZERO)));
            return trials;
        } finally {
            Files.deleteIfExists(socketPath);
            Files.deleteIfExists(directory);
        }
    }

    private static Trial trial(Found candidate, Path bash, Path socket) {
        byte[] expected = HookProtocol.verdict(0, PROBE_BODY);
        long[] times = new long[TIMED_RUNS];
        for (int run = 0; run < WARM_UP_RUNS + TIMED_RUNS; run++) {
            long started = System.nanoTime();
            Optional<String> problem = roundTrip(candidate, bash, socket, expected);
            if (problem.isPresent()) {
                return new Trial(candidate, Optional.empty(), problem);
            }
            if (run >= WARM_UP_RUNS) {
                times[run - WARM_UP_RUNS] = System.nanoTime() - started;
            }
        }
        Arrays.sort(times);
        return new Trial(candidate, Optional.of(Duration.ofNanos(times[TIMED_RUNS / 2])), Optional.empty());
    }

    private static Optional<String> roundTrip(Found candidate, Path bash, Path socket, byte[] expected) {
        String script = "socket=$1; wait=$2; " + candidate.client().command(candidate.program());
        try {
            Process process = new ProcessBuilder(bash.toString(), "-c", script, "probe", socket.toString(), "2")
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            try (OutputStream in = process.getOutputStream()) {
                in.write(probeRequest());
            } catch (IOException e) {
                // a client that exits without reading is judged by what it printed
            }
            byte[] answer = process.getInputStream().readAllBytes();
            if (!process.waitFor(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Optional.of("did not finish");
            }
            if (process.exitValue() != 0 || !Arrays.equals(answer, expected)) {
                return Optional.of("no round trip (exit " + process.exitValue() + ", " + answer.length + " bytes back)");
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("cannot run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }

    private static byte[] probeRequest() {
        StringBuilder request = new StringBuilder(HookProtocol.REQUEST).append('\n');
        for (String[] field : List.of(new String[] {"cwd", "/"}, new String[] {"deadline", "1000"},
                new String[] {"stdin", ""})) {
            request.append(field[0]).append(' ').append(field[1].length()).append('\n').append(field[1]).append('\n');
        }
        return request.append(HookProtocol.END).append('\n').toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static void answerProbes(ServerSocketChannel socket) {
        while (socket.isOpen()) {
            try (SocketChannel connection = socket.accept()) {
                InputStream in = new BufferedInputStream(Channels.newInputStream(connection));
                HookProtocol.readRequest(in);
                OutputStream out = Channels.newOutputStream(connection);
                out.write(HookProtocol.verdict(0, PROBE_BODY));
                out.flush();
            } catch (IOException e) {
                // the next probe gets a fresh connection; a closed socket ends the loop
            }
        }
    }
}
