package dev.stagegate.git;

/**
 * What a check of file contents finds at a path ({@link RevisionFiles#readFile}): the bytes of
 * a regular or executable file, or the kind of what stands there instead.
 *
 * @param bytes     the content, or {@code null} when the path is not a file
 * @param otherKind what the path is when it is not a file (a symlink, a submodule ...), else {@code null}
 */
public record FileContent(byte[] bytes, FileKind otherKind) {

    public static FileContent of(byte[] bytes) {
        return new FileContent(bytes, null);
    }

    public static FileContent notAFile(FileKind kind) {
        if (kind.isFile()) {
            throw new IllegalArgumentException(kind + " is a file");
        }
        return new FileContent(null, kind);
    }

    public boolean isFile() {
        return bytes != null;
    }
}
