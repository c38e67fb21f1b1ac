package dev.stagegate.schema;

import dev.stagegate.yaml.YamlDocument;
import java.util.List;

/** A schema loaded once and ready to check any number of documents; safe to share between threads. */
public interface CompiledSchema {

    /** Every problem of the document, not just the first, sorted by position. */
    List<SchemaProblem> validate(YamlDocument document);
}
