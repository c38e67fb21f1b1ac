package dev.stagegate.cli;

import dev.stagegate.Sha256;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What the hook script and the resident server say to each other over a loopback TCP socket.
 * The script is bash (its {@code /dev/tcp} is the one socket client every git server has), so
 * the protocol is lines and length-prefixed byte strings, and both sides prove that they know
 * the secret in the server's endpoint file (readable only by the account git runs as) by
 * SHA-256 over it and the other side's fresh nonce:
 *
 * <pre>
 * server: stagegate-server-1 SERVER_NONCE
 * client: stagegate-hook-1 CLIENT_NONCE sha256("client\n" SECRET "\n" SERVER_NONCE "\n" CLIENT_NONCE)
 * server: stagegate-ready-1 sha256("ready\n" SECRET "\n" CLIENT_NONCE "\n" SERVER_NONCE)
 * client: cwd|jar|arg|env|stdin LENGTH "\n" BYTES "\n"   (repeated; env is NAME=VALUE)
 * client: end
 * server: stagegate-verdict-1 STATUS LENGTH sha256("server\n" SECRET "\n" CLIENT_NONCE "\n" STATUS "\n" BODY)
 *         BODY
 *   or    stagegate-decline-1 REASON    (the client then judges the push itself)
 * </pre>
 *
 * Another local account cannot get a verdict out of the server (it would learn what the
 * repositories hold), and cannot answer in the server's place when it is down: without the
 * secret it cannot say it is ready, so the script sends it nothing of the push (whose
 * environment may hold secrets) and judges the push itself.
 */
final class HookProtocol {

    static final String GREETING = "stagegate-server-1";
    static final String REQUEST = "stagegate-hook-1";
    static final String READY = "stagegate-ready-1";
    static final String VERDICT = "stagegate-verdict-1";
    static final String DECLINE = "stagegate-decline-1";
    static final String END = "end";

    /** Far above any real push (10,000 ref updates are about 1 MiB of stdin). */
    static final int MAX_REQUEST_BYTES = 64 << 20;
    private static final int MAX_LINE_BYTES = 512;
    private static final Pattern NONCE = Pattern.compile("[0-9A-Za-z]{16,200}");
    private static final Pattern HEX_PROOF = Pattern.compile("[0-9a-f]{64}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private HookProtocol() {
    }

    /** One push as the hook script saw it. */
    record Request(String clientNonce, Path workingDirectory, Path jar, List<String> arguments,
            Map<String, String> environment, byte[] stdin) {
    }

    /** The request could not be read or did not prove the secret: the connection is dropped without a verdict. */
    static final class ProtocolException extends IOException {
        ProtocolException(String message) {
            super(message);
        }
    }

    static String nonce() {
        return randomHex(16);
    }

    static String secret() {
        return randomHex(32);
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    static String clientProof(String secret, String serverNonce, String clientNonce) {
        return sha256(("client\n" + secret + "\n" + serverNonce + "\n" + clientNonce).getBytes(StandardCharsets.US_ASCII));
    }

    static String readyProof(String secret, String clientNonce, String serverNonce) {
        return sha256(("ready\n" + secret + "\n" + clientNonce + "\n" + serverNonce).getBytes(StandardCharsets.US_ASCII));
    }

    static String verdictProof(String secret, String clientNonce, int status, byte[] body) {
        byte[] head = ("server\n" + secret + "\n" + clientNonce + "\n" + status + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return sha256(all);
    }

    /** The verdict's header line and body. */
    static byte[] verdict(String secret, String clientNonce, int status, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 128);
        out.writeBytes((VERDICT + " " + status + " " + body.length + " " + verdictProof(secret, clientNonce, status, body)
                + "\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(body);
        return out.toByteArray();
    }

    static byte[] decline(String reason) {
        return (DECLINE + " " + reason + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Reads the client's hello and checks its proof.
     *
     * @return the client's nonce
     * @throws ProtocolException when the hello is malformed or not proven
     */
    static String readHello(InputStream in, String secret, String serverNonce) throws IOException {
        String[] head = readLine(in).split(" ", -1);
        if (head.length != 3 || !head[0].equals(REQUEST) || !NONCE.matcher(head[1]).matches()
                || !HEX_PROOF.matcher(head[2]).matches()) {
            throw new ProtocolException("not a stagegate hook request");
        }
        byte[] expected = clientProof(secret, serverNonce, head[1]).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, head[2].getBytes(StandardCharsets.US_ASCII))) {
            throw new ProtocolException("the request's proof does not match this server's secret");
        }
        return head[1];
    }

    /** The line that tells a proven client that this server knows the secret too. */
    static byte[] ready(String secret, String clientNonce, String serverNonce) {
        return (READY + " " + readyProof(secret, clientNonce, serverNonce) + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Reads the push that follows a proven hello.
     *
     * @throws ProtocolException when it is malformed or too large
     */
    static Request readPush(InputStream in, String clientNonce) throws IOException {
        Path workingDirectory = null;
        Path jar = null;
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
                throw new ProtocolException("field '" + field[0] + "' is cut short");
            }
            String text = new String(value, StandardCharsets.UTF_8);
            switch (field[0]) {
                case "cwd" -> workingDirectory = Path.of(text);
                case "jar" -> jar = Path.of(text);
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
        if (workingDirectory == null || !workingDirectory.isAbsolute() || stdin == null) {
            throw new ProtocolException("the request lacks an absolute cwd or stdin");
        }
        return new Request(clientNonce, workingDirectory, jar, arguments, environment, stdin);
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

    private static String sha256(byte[] bytes) {
        return Sha256.hex(bytes);
    }
}
