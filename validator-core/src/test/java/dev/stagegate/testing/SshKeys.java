package dev.stagegate.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Key pairs made by the real ssh-keygen, for tests that sign records the way people do.
 * Without ssh-keygen the tests fail (the process cannot start), never skip.
 */
public final class SshKeys {

    /** A key pair: the private key file, and the public key as "ssh-ed25519 BASE64". */
    public record Key(Path privateKey, String publicKey) {

        /** The allowed-signers line that lets {@code principal} sign stagegate records with this key. */
        public String allowedSignersLine(String principal) {
            return principal + " namespaces=\"stagegate\" " + publicKey + "\n";
        }
    }

    private SshKeys() {
    }

    /** An ed25519 key pair. */
    public static Key generate(Path directory, String name) {
        return generate(directory, name, "ed25519", 0);
    }

    /** A key pair of {@code type} ({@code ed25519}, {@code ecdsa}, {@code rsa}, ...) of {@code bits} (0: the default). */
    public static Key generate(Path directory, String name, String type, int bits) {
        Path file = directory.resolve(name);
        List<String> command = new ArrayList<>(List.of("ssh-keygen", "-q", "-t", type, "-N", "", "-C", name, "-f",
                file.toString()));
        if (bits > 0) {
            command.addAll(List.of("-b", Integer.toString(bits)));
        }
        try {
            Files.createDirectories(directory);
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("ssh-keygen ended").isTrue();
            assertThat(process.exitValue()).as("ssh-keygen -t %s: %s", type, output).isZero();
            String[] publicLine = Files.readString(directory.resolve(name + ".pub")).strip().split(" ");
            return new Key(file, publicLine[0] + " " + publicLine[1]);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run ssh-keygen, which the signing tests need (OpenSSH)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
