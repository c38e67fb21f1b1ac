package dev.stagegate.schema;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;

/** Reads a schema file by repository-relative path from the same revision as the checked file. */
@FunctionalInterface
public interface SchemaSource {

    /**
     * The bytes of the schema file at {@code path}.
     *
     * @throws NoSuchFileException when there is no such file
     */
    byte[] read(String path) throws IOException;

    /** Reads schemas bundled on the class path under dev/stagegate/schemas/ (e.g. "policy.schema.json"). */
    static SchemaSource bundled() {
        return path -> {
            String normalized = RepositoryPath.normalize(path)
                    .orElseThrow(() -> new NoSuchFileException(path, null, "not a bundled schema"));
            try (InputStream in = SchemaSource.class.getClassLoader()
                    .getResourceAsStream("dev/stagegate/schemas/" + normalized)) {
                if (in == null) {
                    throw new NoSuchFileException(path, null, "not a schema bundled with stagegate");
                }
                return in.readAllBytes();
            }
        };
    }
}
