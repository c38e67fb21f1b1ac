package dev.stagegate.report;

import java.util.Objects;

/**
 * How many files one entry of the policy's {@code schemas} list matched in a {@code validate}
 * run: a misspelt glob checks nothing, and "accepted" alone would not show it.
 *
 * @param index        the entry's index in {@code schemas}
 * @param files        the entry's glob
 * @param schema       the entry's schema path
 * @param matchedFiles how many files of the revision (or working tree) the glob matched
 */
public record MappedFileCount(int index, String files, String schema, int matchedFiles) {

    public MappedFileCount {
        Objects.requireNonNull(files, "files");
        Objects.requireNonNull(schema, "schema");
    }

    /** {@code schemas[0] apps/**}{@code /values.yaml -> schemas/app-values.schema.json: 12 files}. */
    public String describe() {
        return "schemas[" + index + "] " + files + " -> " + schema + ": " + matchedFiles
                + (matchedFiles == 1 ? " file" : " files");
    }
}
