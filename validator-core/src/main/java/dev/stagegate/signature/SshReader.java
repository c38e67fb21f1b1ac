package dev.stagegate.signature;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the SSH wire encoding (RFC 4251 section 5: uint32, string, mpint) from a byte array. Every
 * length is checked against what is left before anything is copied, so a lying length costs nothing.
 */
final class SshReader {

    private final byte[] data;
    private final String what;
    private int offset;

    SshReader(byte[] data, String what) {
        this.data = data;
        this.what = what;
    }

    long uint32() throws SshFormatException {
        need(4, "a length");
        long value = ((data[offset] & 0xffL) << 24) | ((data[offset + 1] & 0xffL) << 16)
                | ((data[offset + 2] & 0xffL) << 8) | (data[offset + 3] & 0xffL);
        offset += 4;
        return value;
    }

    byte[] string() throws SshFormatException {
        long length = uint32();
        if (length > data.length - offset) {
            throw new SshFormatException(what + " is truncated: a field claims " + length + " bytes but only "
                    + (data.length - offset) + " are left");
        }
        byte[] value = Arrays.copyOfRange(data, offset, offset + (int) length);
        offset += (int) length;
        return value;
    }

    /** A string that must be text: SSH names (key types, namespaces, algorithms) are ASCII/UTF-8 without NUL. */
    String text() throws SshFormatException {
        byte[] bytes = string();
        for (byte b : bytes) {
            if (b == 0) {
                throw new SshFormatException(what + " has a name with a NUL byte");
            }
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** A non-negative mpint; leading zero bytes are allowed, as OpenSSH allows them. */
    BigInteger mpint() throws SshFormatException {
        byte[] bytes = string();
        if (bytes.length > 0 && (bytes[0] & 0x80) != 0) {
            throw new SshFormatException(what + " holds a negative number");
        }
        return new BigInteger(1, bytes);
    }

    void fixed(byte[] expected, String name) throws SshFormatException {
        need(expected.length, name);
        if (!Arrays.equals(data, offset, offset + expected.length, expected, 0, expected.length)) {
            throw new SshFormatException(what + " does not start with " + name);
        }
        offset += expected.length;
    }

    void end() throws SshFormatException {
        if (offset != data.length) {
            throw new SshFormatException(what + " has " + (data.length - offset) + " bytes of trailing data");
        }
    }

    private void need(int bytes, String name) throws SshFormatException {
        if (data.length - offset < bytes) {
            throw new SshFormatException(what + " is truncated: it ends where " + name + " should be");
        }
    }
}
