package dev.stagegate.signature;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Signs as {@code ssh-keygen -Y sign -n stagegate -f KEY} does, by running ssh-keygen the way git runs it
 * for SSH commit signing (the payload in a file, the signature written next to it): ssh-keygen then deals
 * with agents and passphrase prompts on the terminal, and stdin is never mistaken for a passphrase.
 */
public final class SshKeygenSigner {

    private SshKeygenSigner() {
    }

    /**
     * @return the armored signature (-----BEGIN SSH SIGNATURE----- ...), lines joined with \n
     * @throws IOException with ssh-keygen's message when it fails or is missing
     */
    public static String sign(Path privateKey, byte[] payload) throws IOException {
        Path directory = Files.createTempDirectory("stagegate-sign");
        Path message = directory.resolve("payload");
        Path signature = directory.resolve("payload.sig");
        try {
            Files.write(message, payload);
            Process process;
            try {
                process = new ProcessBuilder("ssh-keygen", "-Y", "sign", "-n", RecordSignatures.NAMESPACE,
                        "-f", privateKey.toString(), message.toString())
                        .redirectErrorStream(true)
                        .start();
            } catch (IOException e) {
                throw new IOException("cannot run ssh-keygen to sign (" + e.getMessage()
                        + "); install OpenSSH's ssh-keygen (Debian/Ubuntu: openssh-client)", e);
            }
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int exit = waitFor(process);
            if (exit != 0 || !Files.isRegularFile(signature)) {
                throw new IOException("ssh-keygen could not sign with " + privateKey + " (exit " + exit + "): "
                        + output.strip().lines().filter(line -> !line.startsWith("Signing file")).collect(Collectors.joining("; ")));
            }
            return Files.readString(signature, StandardCharsets.UTF_8).strip().lines().collect(Collectors.joining("\n"));
        } finally {
            Files.deleteIfExists(signature);
            Files.deleteIfExists(message);
            Files.deleteIfExists(directory);
        }
    }

    /**
     * {@code jsonLine} with a "signature" member added last; the line's own members are left as they are, byte for byte.
     *
     * @throws IllegalArgumentException when the line is not one JSON object JCS can represent, or already has a signature
     */
    public static String signLine(Path privateKey, String jsonLine) throws IOException {
        Map<String, Object> record = CanonicalJson.readObject(jsonLine);
        if (record.containsKey(CanonicalJson.SIGNATURE_MEMBER)) {
            throw new IllegalArgumentException("the record already has a signature");
        }
        String armored = sign(privateKey, CanonicalJson.signedPayload(jsonLine));
        String object = jsonLine.stripTrailing();
        StringBuilder member = new StringBuilder(record.isEmpty() ? "" : ",");
        CanonicalJson.writeString(CanonicalJson.SIGNATURE_MEMBER, member);
        member.append(':');
        CanonicalJson.writeString(armored, member);
        // The object's closing brace is its last character: readObject allows nothing else but blanks after it.
        return object.substring(0, object.length() - 1) + member + "}" + jsonLine.substring(object.length());
    }

    private static int waitFor(Process process) throws IOException {
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            process.destroy();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while ssh-keygen was signing", e);
        }
    }
}
