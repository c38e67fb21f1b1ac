package dev.stagegate.signature;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/** Writes the SSH wire encoding: the data an SSHSIG signature covers, and canonical key blobs. */
final class SshWriter {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    SshWriter raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    SshWriter uint32(long value) {
        out.write((int) (value >>> 24));
        out.write((int) (value >>> 16));
        out.write((int) (value >>> 8));
        out.write((int) value);
        return this;
    }

    SshWriter string(byte[] bytes) {
        uint32(bytes.length);
        return raw(bytes);
    }

    SshWriter string(String text) {
        return string(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The minimal two's-complement form RFC 4251 asks for (a leading zero only when the top bit is set). */
    SshWriter mpint(BigInteger value) {
        return string(value.signum() == 0 ? new byte[0] : value.toByteArray());
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }
}
