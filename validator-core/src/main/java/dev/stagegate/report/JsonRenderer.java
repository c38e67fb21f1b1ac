package dev.stagegate.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * {@code {"decision": "accept"|"reject", "violations": [...]}} as product.md defines it;
 * notes, when there are any, go in an extra {@code "notes"} array, and {@code validate}'s
 * counts of the files each schema mapping matched in an extra {@code "mappings"} array, and
 * what it checked of the Kubernetes manifests in an extra {@code "kubernetes"} object.
 */
public final class JsonRenderer implements VerdictRenderer {

    private static final JsonFactory FACTORY = new JsonFactory();

    @Override
    public String render(Verdict verdict) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            json.useDefaultPrettyPrinter();
            json.writeStartObject();
            json.writeStringField("decision", verdict.decision());
            json.writeArrayFieldStart("violations");
            for (Violation violation : verdict.violations()) {
                writeViolation(json, violation);
            }
            json.writeEndArray();
            if (!verdict.mappings().isEmpty()) {
                json.writeArrayFieldStart("mappings");
                for (MappedFileCount mapping : verdict.mappings()) {
                    json.writeStartObject();
                    json.writeNumberField("index", mapping.index());
                    json.writeStringField("files", mapping.files());
                    json.writeStringField("schema", mapping.schema());
                    json.writeNumberField("matchedFiles", mapping.matchedFiles());
                    json.writeEndObject();
                }
                json.writeEndArray();
            }
            if (verdict.manifests().isPresent()) {
                writeManifests(json, verdict.manifests().get());
            }
            if (!verdict.notes().isEmpty()) {
                json.writeArrayFieldStart("notes");
                for (String note : verdict.notes()) {
                    json.writeString(note);
                }
                json.writeEndArray();
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out + "\n";
    }

    /** {@code "kubernetes": {"files": .., "excludedFiles": .., "emptyDocuments": .., "kinds": [..]}}. */
    private static void writeManifests(JsonGenerator json, ManifestSummary summary) throws IOException {
        json.writeObjectFieldStart("kubernetes");
        json.writeNumberField("files", summary.files());
        json.writeNumberField("excludedFiles", summary.excludedFiles());
        json.writeNumberField("emptyDocuments", summary.emptyDocuments());
        json.writeArrayFieldStart("kinds");
        for (KindCount kind : summary.kinds()) {
            json.writeStartObject();
            json.writeStringField("kind", kind.kind());
            json.writeNumberField("files", kind.files());
            json.writeNumberField("resources", kind.resources());
            json.writeNumberField("checked", kind.checked());
            json.writeNumberField("skipped", kind.skipped());
            json.writeNumberField("missingSchema", kind.missingSchema());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    /** One violation as the object of product.md; other JSON reports embed it the same way. */
    public static void writeViolation(JsonGenerator json, Violation violation) throws IOException {
        json.writeStartObject();
        json.writeStringField("rule", violation.rule());
        json.writeStringField("severity", violation.severity().label());
        json.writeStringField("message", violation.message());
        writeIfPresent(json, "ref", violation.ref());
        writeIfPresent(json, "environment", violation.environment());
        writeIfPresent(json, "commit", violation.commit());
        writeIfPresent(json, "file", violation.file());
        if (violation.line() > 0) {
            json.writeNumberField("line", violation.line());
        }
        if (violation.column() > 0) {
            json.writeNumberField("column", violation.column());
        }
        json.writeEndObject();
    }

    private static void writeIfPresent(JsonGenerator json, String field, String value) throws IOException {
        if (value != null) {
            json.writeStringField(field, value);
        }
    }
}
