package dev.stagegate.signature;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.testing.SshKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real ssh-keygen, which makes the tests' keys and signatures and is the reference the differential
 * test compares with. When ssh-keygen is missing the tests that need it fail (ProcessBuilder throws).
 */
final class SshKeygen {

    /** A key pair ssh-keygen made: {@code publicKey} is "type base64", as an allowed-signers line holds it. */
    record Key(String name, Path privateKey, String publicKey) {

        String type() {
            return publicKey.split(" ")[0];
        }

        byte[] blob() {
            return Base64.getDecoder().decode(publicKey.split(" ")[1]);
        }

        /** The fingerprint ssh-keygen -l prints for it. */
        String fingerprint() {
            return run(null, "ssh-keygen", "-l", "-f", privateKey + ".pub").output().split(" ")[1];
        }
    }

    record Run(int exit, String output) {
    }

    private SshKeygen() {
    }

    static Key generate(Path directory, String name, String type, int bits) {
        SshKeys.Key key = SshKeys.generate(directory, name, type, bits);
        return new Key(name, key.privateKey(), key.publicKey());
    }

    /** ssh-keygen -Y sign over {@code payload}, e.g. with extra options "-O", "hashalg=sha256". */
    static String sign(Path keyFile, String namespace, byte[] payload, String... options) {
        List<String> command = new ArrayList<>(List.of("ssh-keygen", "-Y", "sign", "-n", namespace, "-f", keyFile.toString()));
        command.addAll(List.of(options));
        Run run = run(payload, command.toArray(String[]::new));
        assertThat(run.exit()).as("ssh-keygen -Y sign: %s", run.output()).isZero();
        return run.output().lines().filter(line -> !line.startsWith("Signing data")).reduce((a, b) -> a + "\n" + b).orElseThrow();
    }

    /** The exit status of ssh-keygen -Y verify, the validity window checked at {@code at}. */
    static Run verify(Path directory, String allowedSigners, String principal, String armored, byte[] payload, Instant at) {
        try {
            Path signers = Files.writeString(Files.createTempFile(directory, "allowed", ""), allowedSigners);
            Path signature = Files.writeString(Files.createTempFile(directory, "sig", ""), armored + "\n");
            String time = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC).format(at) + "Z";
            return run(payload, "ssh-keygen", "-Y", "verify", "-f", signers.toString(), "-I", principal, "-n",
                    RecordSignatures.NAMESPACE, "-s", signature.toString(), "-O", "verify-time=" + time);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Run run(byte[] stdin, String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (var in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin);
                }
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            return new Run(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command[0] + "; the signature tests need OpenSSH's ssh-keygen", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
