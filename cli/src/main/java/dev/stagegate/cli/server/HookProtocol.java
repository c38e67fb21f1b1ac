package dev.stagegate.cli.server;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the hook script and the resident server say to each other over the Unix domain socket
 * in the server directory. The script is bash with a small socket client ({@link SocketClient}),
 * so the protocol is lines and length-prefixed byte strings, one request and one answer:
 *
 * <pre>
 * client: stagegate-hook-2
 * client: cwd|jar|deadline|arg|env|stdin LENGTH "\n" BYTES "\n"   (repeated; env is NAME=VALUE,
 *         deadline is the hook's own deadline in milliseconds)
 * client: end
 * server: stagegate-verdict-2 STATUS LENGTH "\n" BODY    (STATUS 0-3, BODY printable ASCII lines)
 *   or    stagegate-decline-2 REASON "\n"                (the client then judges the push itself)
 * </pre>
 *
 * No secret and no proofs: who may speak is settled by the file system and the kernel. The
 * socket lives in a directory only its owner may enter, the server answers only peers whose
 * credentials ({@code SO_PEERCRED}) name that owner, and the hook refuses a directory another
 * account could have put a socket into ({@link ServerDirectory}).
 */
public final class HookProtocol {

    public static final String REQUEST = "stagegate-hook-2";
    public static final String VERDICT = "stagegate-verdict-2";
    public static final String DECLINE = "stagegate-decline-2";
    public static final String END = "end";

    /** Far above any real push (10,000 ref updates are about 1 MiB of stdin). */
    static final int MAX_REQUEST_BYTES = 64 << 20;
    /** The longest a hook may ask the server to judge: far above any host's hook budget. */
    static final Duration MAX_DEADLINE = Duration.ofMinutes(1);
    private static final int MAX_LINE_BYTES = 512;

    private HookProtocol() {
    }

    /**
     * One push as the hook script saw it.
     *
     * @param deadline the hook's own deadline; the server never judges longer, whatever the
     *                 forwarded environment asks
     */
    public record Request(Path workingDirectory, Path jar, Duration deadline, List<String> arguments,
            Map<String, String> environment, byte[] stdin) {

        public Request {
            arguments = List.copyOf(arguments);
            environment = Map.copyOf(environment);
        }
    }

    /** The request could not be read: the connection is dropped without a verdict. */
    static final class ProtocolException extends IOException {

        private static final long serialVersionUID = 1L;

        ProtocolException(String message) {
            super(message);
        }
    }

    /** The verdict's header line and body; statuses other than 0-3 are never sent (the script would not take them). */
    static byte[] verdict(int status, byte[] body) {
        if (status < 0 || status > 3) {
            throw new IllegalArgumentException("exit status " + status + " is not a hook's verdict");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 64);
        out.writeBytes((VERDICT + " " + status + " " + body.length + "\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(body);
        return out.toByteArray();
    }

    static byte[] decline(String reason) {
        return (DECLINE + " " + reason + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Reads one request.
     *
     * @throws ProtocolException when it is malformed, incomplete or too large
     */
    static Request readRequest(InputStream in) throws IOException {
        if (!readLine(in).equals(REQUEST)) {
            throw new ProtocolException("not a stagegate hook request");
        }
        Path workingDirectory = null;
        Path jar = null;
        Duration deadline = null;
        List<String> arguments = new ArrayList<>();
        Map<String, String> environment = new LinkedHashMap<>();
        byte[] stdin = null;
        long total = 0;
        for (String line = readLine(in); !line.equals(END); line = readLine(in)) {
            String[] field = line.split(" ", -1);
            int length;
            try {
                length = field.length == 2 ? Integer.parseInt(field[1]) : -1;
            } catch (NumberFormatException e) {
                length = -1;
            }
            total += Math.max(length, 0);
            if (length < 0 || total > MAX_REQUEST_BYTES) {
                throw new ProtocolException("malformed or oversized field '" + abbreviate(line) + "'");
            }
            byte[] value = in.readNBytes(length);
            if (value.length != length || in.read() != '\n') {
                throw new ProtocolException("field '" + abbreviate(field[0]) + "' is cut short");
            }
            String text = new String(value, StandardCharsets.UTF_8);
            switch (field[0]) {
                case "cwd" -> workingDirectory = Path.of(text);
                case "jar" -> jar = Path.of(text);
                case "deadline" -> deadline = deadline(text);
                case "arg" -> arguments.add(text);
                case "env" -> {
                    int equals = text.indexOf('=');
                    if (equals > 0) {
                        environment.put(text.substring(0, equals), text.substring(equals + 1));
                    }
                }
                case "stdin" -> stdin = value;
                default -> throw new ProtocolException("unknown field '" + abbreviate(field[0]) + "'");
            }
        }
        if (workingDirectory == null || !workingDirectory.isAbsolute() || stdin == null || deadline == null) {
            throw new ProtocolException("the request lacks an absolute cwd, a deadline or stdin");
        }
        return new Request(workingDirectory, jar, deadline, arguments, environment, stdin);
    }

    private static Duration deadline(String milliseconds) throws ProtocolException {
        try {
            long value = Long.parseLong(milliseconds);
            if (value > 0) {
                return Duration.ofMillis(Math.min(value, MAX_DEADLINE.toMillis()));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ProtocolException("the deadline '" + abbreviate(milliseconds) + "' is not a positive number of milliseconds");
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new EOFException("the connection ended in the middle of a request");
            }
            if (line.size() >= MAX_LINE_BYTES) {
                throw new ProtocolException("request line too long");
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
