package dev.stagegate.cli.server;

import dev.stagegate.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/** A jar, recognised by its content; its stamp tells cheaply whether it may have changed. */
record JarIdentity(Path path, JarIdentity.Stamp stamp, String digest) {

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
