package dev.stagegate.schema;

import dev.stagegate.yaml.YamlDocument;
import java.util.List;

/** A schema loaded once and ready to check any number of documents; safe to share between threads. */
public interface CompiledSchema {

    /** Every problem of the document, not just the first, sorted by position. */
    List<SchemaProblem> validate(YamlDocument document);

    /**
     * Whether the file identified by {@code fileKey} (path, content, read limits) passed this
     * schema before, in this process; only schemas a remembering process compiled know.
     */
    default boolean passedBefore(String fileKey) {
        return false;
    }

    /** Notes that the file identified by {@code fileKey} passed this schema. */
    default void rememberPassed(String fileKey) {
    }
}
