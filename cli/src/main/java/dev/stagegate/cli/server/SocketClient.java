package dev.stagegate.cli.server;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The programs the bash hook script can reach the server's Unix socket with: bash itself only
 * speaks TCP. Each one reads the request on stdin, writes the server's answer to stdout and
 * gives up after {@code $wait} seconds; {@code hook install} finds those the host has, times a
 * round trip of each ({@link SocketClients}) and writes the fastest into the hook.
 *
 * <p>Perl is on nearly every git server (Debian's git package depends on it). Its client loads
 * no module (loading {@code Socket} alone costs 6 ms) and so names the Linux constants itself:
 * AF_UNIX 1, SOCK_STREAM 1, SOL_SOCKET 1, SO_PEERCRED 17; install's trial round trip would
 * catch a platform where they differ. It also checks that the peer runs as this account, and
 * tells apart "no server" (exit 125: nothing was sent, start one and judge here) from "the
 * server took the push and went silent" (exit 124: fail closed). The other clients cannot say
 * which, so the script tells the two apart by how long the client ran.
 */
public enum SocketClient {

    PERL("perl", true) {
        @Override
        String command(Path program) {
            return HookShell.quote(program.toString()) + " -e '" + PERL_CLIENT + "' \"$socket\" \"$wait\"";
        }
    },
    SOCAT("socat", false) {
        @Override
        String command(Path program) {
            return HookShell.quote(program.toString()) + " -t \"$wait\" -T \"$wait\" - \"UNIX-CONNECT:$socket\"";
        }

        /** socat's address syntax gives ':' ',' '!' and quotes a meaning of their own. */
        @Override
        boolean canReach(Path socket) {
            return PLAIN_PATH.matcher(socket.toString()).matches();
        }
    },
    NETCAT("nc", false) {
        @Override
        String command(Path program) {
            return HookShell.quote(program.toString()) + " -U -w \"$wait\" \"$socket\"";
        }
    };

    /** Exit status of a client that reached no server and sent nothing. */
    public static final int NOT_CONNECTED = 125;
    /** Exit status of a client that sent the push and got no answer within {@code $wait} seconds. */
    public static final int NO_ANSWER = 124;

    private static final Pattern PLAIN_PATH = Pattern.compile("[A-Za-z0-9_./+@%=-]+");

    /**
     * No single quote anywhere: the script holds it in single quotes. {@code $s} marks that the
     * request was (partly) written, so that a silent server fails the push closed.
     */
    private static final String PERL_CLIENT = String.join("",
            "my $s = 0;",
            "$SIG{ALRM} = sub { exit($s ? 124 : 125) };",
            "alarm($ARGV[1]);",
            "binmode STDIN; binmode STDOUT;",
            "my $r = do { local $/; <STDIN> };",
            "socket(S, 1, 1, 0) or exit 125;",
            "connect(S, pack(\"S\", 1) . $ARGV[0]) or exit 125;",
            "my $c = getsockopt(S, 1, 17);",
            "defined $c or exit 125;",
            "my (undef, $u) = unpack(\"iI\", $c);",
            "$u == $> or exit 125;",
            "$s = 1;",
            "for (my $o = 0; $o < length $r;) { my $n = syswrite(S, $r, length($r) - $o, $o); defined $n or exit 125; $o += $n }",
            "my $b;",
            "while (1) { my $n = sysread(S, $b, 65536); defined $n or exit 124; last if $n == 0; print $b }",
            "exit 0;");

    private final String programName;
    private final boolean tellsSilenceFromAbsence;

    SocketClient(String programName, boolean tellsSilenceFromAbsence) {
        this.programName = programName;
        this.tellsSilenceFromAbsence = tellsSilenceFromAbsence;
    }

    /** The name looked up on PATH. */
    public String programName() {
        return programName;
    }

    /** The shell command, using the script's {@code $socket} and {@code $wait}, that asks the server. */
    abstract String command(Path program);

    /** Whether this client can be told to connect to {@code socket}. */
    boolean canReach(Path socket) {
        return true;
    }

    /** Whether the client itself tells a server that went silent (exit {@value #NO_ANSWER}) from no server at all. */
    boolean tellsSilenceFromAbsence() {
        return tellsSilenceFromAbsence;
    }

    public static SocketClient named(String name) {
        for (SocketClient client : values()) {
            if (client.programName.equals(name) || client.name().equalsIgnoreCase(name)) {
                return client;
            }
        }
        throw new IllegalArgumentException("unknown socket client '" + name + "'; one of "
                + List.of(values()).stream().map(SocketClient::programName).toList());
    }
}
