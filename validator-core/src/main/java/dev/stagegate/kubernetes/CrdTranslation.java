package dev.stagegate.kubernetes;

import dev.stagegate.report.SourcePosition;
import java.util.List;
import java.util.Objects;
import org.json.JSONObject;

/**
 * What {@link CrdSchemaTranslator} made of one CustomResourceDefinition: a draft-07 schema per
 * served version, or the problems that keep it from supplying any. Never both: a CRD with a
 * problem supplies no schema at all, so its resources are not half-checked.
 *
 * @param schemas  one per served version, in the order the CRD lists them
 * @param problems where the CRD is wrong, in the order found
 */
public record CrdTranslation(List<VersionSchema> schemas, List<Problem> problems) {

    public CrdTranslation {
        schemas = List.copyOf(schemas);
        problems = List.copyOf(problems);
        if (!schemas.isEmpty() && !problems.isEmpty()) {
            throw new IllegalArgumentException("a CRD with problems supplies no schema");
        }
    }

    static CrdTranslation of(List<VersionSchema> schemas) {
        return new CrdTranslation(schemas, List.of());
    }

    static CrdTranslation refused(Problem problem) {
        return new CrdTranslation(List.of(), List.of(problem));
    }

    /** Whether the CRD supplied its schemas (it may serve none: then it supplies none and has no problem). */
    public boolean translated() {
        return problems.isEmpty();
    }

    /**
     * The schema for one served version of the CRD's kind.
     *
     * @param gvk    the CRD's {@code spec.group}, the version's {@code name}, {@code spec.names.kind}
     * @param schema a draft-07 JSON Schema (with {@code $schema}) for a whole resource of that kind
     */
    public record VersionSchema(GroupVersionKind gvk, JSONObject schema) {

        public VersionSchema {
            Objects.requireNonNull(gvk, "gvk");
            Objects.requireNonNull(schema, "schema");
        }
    }

    /**
     * One thing wrong with a CRD.
     *
     * @param pointer  JSON pointer (RFC 6901, without {@code #}) into the CRD document
     * @param position where that is in the CRD's file
     * @param message  what is wrong, e.g. {@code $ref is not supported in a CRD schema (the API server refuses it)}
     */
    public record Problem(String pointer, SourcePosition position, String message) {

        public Problem {
            Objects.requireNonNull(pointer, "pointer");
            Objects.requireNonNull(position, "position");
            Objects.requireNonNull(message, "message");
        }
    }
}
