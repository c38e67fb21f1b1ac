package dev.stagegate.evidence;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One TestEvidence line (evidence-v1.md): a test suite ran against a commit's content in an
 * environment, with this result. Parsing checks exactly what {@code schemas/evidence.schema.json}
 * requires, without loading a JSON Schema engine into every push (EvidenceRecordTest keeps
 * the two in step).
 */
public record EvidenceRecord(
        String commit,
        String environment,
        String suite,
        EvidenceResult result,
        Instant recordedAt,
        String producer,
        Map<String, Long> counts,
        Optional<String> runUrl,
        List<ReportDigest> reports,
        Optional<String> signature) implements NoteRecord {

    public static final String API_VERSION = RecordFields.API_VERSION;
    public static final String KIND = "TestEvidence";

    private static final Set<String> COUNT_FIELDS = Set.of("tests", "failures", "errors", "skipped");

    public EvidenceRecord {
        counts = Map.copyOf(counts);
        reports = List.copyOf(reports);
        Objects.requireNonNull(signature, "signature");
    }

    public boolean passed() {
        return result == EvidenceResult.PASSED;
    }

    /**
     * Parses and checks one TestEvidence line.
     *
     * @throws InvalidEvidenceException saying what is wrong with the line
     */
    public static EvidenceRecord parse(String line) throws InvalidEvidenceException {
        return fromFields(RecordFields.read(line));
    }

    static EvidenceRecord fromFields(RecordFields fields) throws InvalidEvidenceException {
        fields.checkKind(KIND, KNOWN_FIELDS);
        String commit = fields.commit();
        String environment = fields.environment();
        String suite = fields.requiredNonEmpty("suite");
        EvidenceResult result;
        try {
            result = EvidenceResult.fromLabel(fields.requiredString("result"));
        } catch (IllegalArgumentException e) {
            throw new InvalidEvidenceException(e.getMessage());
        }
        Instant recordedAt = fields.recordedAt();
        String producer = fields.requiredNonEmpty("producer");
        Map<String, Long> counts = new HashMap<>();
        for (String name : COUNT_FIELDS) {
            Object value = fields.get(name);
            if (value == null) {
                continue;
            }
            if (!(value instanceof Number number) || number.longValue() < 0
                    || !(value instanceof Integer || value instanceof Long)) {
                throw new InvalidEvidenceException(name + " must be a non-negative integer");
            }
            counts.put(name, number.longValue());
        }
        Object runUrl = fields.get("runUrl");
        if (runUrl != null && !(runUrl instanceof String text && isAbsoluteUri(text))) {
            throw new InvalidEvidenceException("runUrl must be an absolute URI");
        }
        Object reports = fields.get("reports");
        if (reports != null && !(reports instanceof List<?>)) {
            throw new InvalidEvidenceException("reports must be an array");
        }
        List<ReportDigest> reportDigests = new ArrayList<>();
        if (reports instanceof List<?> digests) {
            for (Object digest : digests) {
                reportDigests.add((ReportDigest) digest);
            }
        }
        return new EvidenceRecord(commit, environment, suite, result, recordedAt, producer, counts,
                Optional.ofNullable((String) runUrl), reportDigests, fields.signature());
    }

    private static boolean isAbsoluteUri(String text) {
        try {
            return new java.net.URI(text).isAbsolute();
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private static final Set<String> KNOWN_FIELDS = Set.of(
            "apiVersion", "kind", "commit", "environment", "suite", "result", "recordedAt", "producer",
            "tests", "failures", "errors", "skipped", "runUrl", "reports", "signature");

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public String principal() {
        return producer;
    }

    /** This record as one JSON line, fields in the order of evidence-v1.md. */
    @Override
    public String toJsonLine() {
        return RecordFields.line(KIND, commit, environment, json -> {
            json.writeStringField("suite", suite);
            json.writeStringField("result", result.label());
            json.writeStringField("recordedAt", DateTimeFormatter.ISO_INSTANT.format(recordedAt));
            json.writeStringField("producer", producer);
            for (String name : new String[] {"tests", "failures", "errors", "skipped"}) {
                Long count = counts.get(name);
                if (count != null) {
                    json.writeNumberField(name, count);
                }
            }
            if (runUrl.isPresent()) {
                json.writeStringField("runUrl", runUrl.get());
            }
            if (!reports.isEmpty()) {
                json.writeArrayFieldStart("reports");
                for (ReportDigest report : reports) {
                    json.writeStartObject();
                    json.writeStringField("path", report.path());
                    json.writeStringField("sha256", report.sha256());
                    json.writeEndObject();
                }
                json.writeEndArray();
            }
        }, signature);
    }
}
