package dev.stagegate.evidence;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One evidence line (evidence-v1.md): a test suite ran against a commit's content in an
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
        List<ReportDigest> reports) {

    public static final String API_VERSION = "stagegate/v1";
    public static final String KIND = "TestEvidence";

    private static final JsonFactory JSON = new JsonFactory();
    private static final Pattern COMMIT_ID = Pattern.compile("[0-9a-f]{40}");
    private static final Pattern ENVIRONMENT = Pattern.compile("[a-z0-9][a-z0-9-]*");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final java.util.Set<String> COUNT_FIELDS = java.util.Set.of("tests", "failures", "errors", "skipped");
    private static final int MAX_LINE_LENGTH = 64 * 1024;

    public EvidenceRecord {
        counts = Map.copyOf(counts);
        reports = List.copyOf(reports);
    }

    public boolean passed() {
        return result == EvidenceResult.PASSED;
    }

    /**
     * Parses and checks one line.
     *
     * @throws InvalidEvidenceException saying what is wrong with the line
     */
    public static EvidenceRecord parse(String line) throws InvalidEvidenceException {
        if (line.length() > MAX_LINE_LENGTH) {
            throw new InvalidEvidenceException("line is longer than " + MAX_LINE_LENGTH + " characters");
        }
        Map<String, Object> fields = new HashMap<>();
        try (JsonParser parser = JSON.createParser(line)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidEvidenceException("not a JSON object");
            }
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                Object parsed = switch (value) {
                    case VALUE_STRING -> parser.getText();
                    case VALUE_NUMBER_INT -> parser.getNumberValue();
                    case START_ARRAY -> name.equals("reports") ? readReports(parser) : skip(parser, value);
                    case START_OBJECT -> skip(parser, value);
                    default -> value;
                };
                if (fields.put(name, parsed) != null) {
                    throw new InvalidEvidenceException("duplicate field '" + name + "'");
                }
            }
            if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
                throw new InvalidEvidenceException("more than one JSON value on the line");
            }
        } catch (IOException e) {
            throw new InvalidEvidenceException("not valid JSON");
        }
        return fromFields(fields);
    }

    private static Object skip(JsonParser parser, JsonToken value) throws IOException {
        parser.skipChildren();
        return value;
    }

    /** The {@code reports} array: objects with exactly {@code path} and {@code sha256}. */
    private static Object readReports(JsonParser parser) throws IOException, InvalidEvidenceException {
        List<ReportDigest> reports = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                throw new InvalidEvidenceException("reports must hold objects with path and sha256");
            }
            String path = null;
            String sha256 = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (value != JsonToken.VALUE_STRING) {
                    throw new InvalidEvidenceException("reports." + field + " must be a string");
                }
                switch (field) {
                    case "path" -> path = parser.getText();
                    case "sha256" -> sha256 = parser.getText();
                    default -> throw new InvalidEvidenceException("unknown field '" + field + "' in reports");
                }
            }
            if (path == null || path.isEmpty() || sha256 == null || !SHA256.matcher(sha256).matches()) {
                throw new InvalidEvidenceException("each report needs a path and a sha256 of 64 hex digits");
            }
            reports.add(new ReportDigest(path, sha256));
        }
        return reports;
    }

    private static EvidenceRecord fromFields(Map<String, Object> fields) throws InvalidEvidenceException {
        for (String name : fields.keySet()) {
            if (!KNOWN_FIELDS.contains(name)) {
                throw new InvalidEvidenceException("unknown field '" + name + "'");
            }
        }
        if (!API_VERSION.equals(requiredString(fields, "apiVersion"))) {
            throw new InvalidEvidenceException("apiVersion must be '" + API_VERSION + "'");
        }
        if (!KIND.equals(requiredString(fields, "kind"))) {
            throw new InvalidEvidenceException("kind must be '" + KIND + "'");
        }
        String commit = requiredString(fields, "commit");
        if (!COMMIT_ID.matcher(commit).matches()) {
            throw new InvalidEvidenceException("commit must be a full 40-character lower-case commit id");
        }
        String environment = requiredNonEmpty(fields, "environment");
        if (!ENVIRONMENT.matcher(environment).matches()) {
            throw new InvalidEvidenceException("environment must be an environment name ([a-z0-9][a-z0-9-]*)");
        }
        String suite = requiredNonEmpty(fields, "suite");
        EvidenceResult result;
        try {
            result = EvidenceResult.fromLabel(requiredString(fields, "result"));
        } catch (IllegalArgumentException e) {
            throw new InvalidEvidenceException(e.getMessage());
        }
        Instant recordedAt;
        try {
            recordedAt = DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(requiredString(fields, "recordedAt"), Instant::from);
        } catch (DateTimeParseException e) {
            throw new InvalidEvidenceException("recordedAt must be an RFC 3339 date-time such as 2026-11-27T10:00:00Z");
        }
        String producer = requiredNonEmpty(fields, "producer");
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
        Object reports = fields.getOrDefault("reports", List.of());
        if (!(reports instanceof List<?> digests)) {
            throw new InvalidEvidenceException("reports must be an array");
        }
        List<ReportDigest> reportDigests = new ArrayList<>();
        for (Object digest : digests) {
            reportDigests.add((ReportDigest) digest);
        }
        return new EvidenceRecord(commit, environment, suite, result, recordedAt, producer, counts,
                Optional.ofNullable((String) runUrl), reportDigests);
    }

    private static boolean isAbsoluteUri(String text) {
        try {
            return new java.net.URI(text).isAbsolute();
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private static final java.util.Set<String> KNOWN_FIELDS = java.util.Set.of(
            "apiVersion", "kind", "commit", "environment", "suite", "result", "recordedAt", "producer",
            "tests", "failures", "errors", "skipped", "runUrl", "reports");

    private static String requiredString(Map<String, Object> fields, String name) throws InvalidEvidenceException {
        Object value = fields.get(name);
        if (value == null) {
            throw new InvalidEvidenceException("required field '" + name + "' is missing");
        }
        if (!(value instanceof String text)) {
            throw new InvalidEvidenceException(name + " must be a string");
        }
        return text;
    }

    private static String requiredNonEmpty(Map<String, Object> fields, String name) throws InvalidEvidenceException {
        String value = requiredString(fields, name);
        if (value.isEmpty()) {
            throw new InvalidEvidenceException(name + " must not be empty");
        }
        return value;
    }

    /** This record as one JSON line, fields in the order of evidence-v1.md. */
    public String toJsonLine() {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("apiVersion", API_VERSION);
            json.writeStringField("kind", KIND);
            json.writeStringField("commit", commit);
            json.writeStringField("environment", environment);
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
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
