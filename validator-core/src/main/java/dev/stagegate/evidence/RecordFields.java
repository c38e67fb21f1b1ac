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
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The members of one note line, read with a streaming parser (no JSON Schema engine in a
 * push), with the checks every record kind shares: {@code apiVersion}, a full commit id, an
 * environment name, an RFC 3339 instant, a well-formed {@code signature}.
 */
final class RecordFields {

    static final String API_VERSION = "stagegate/v1";
    /** Longer lines are not records: a record is a few hundred bytes, a signed one a few thousand. */
    static final int MAX_LINE_LENGTH = 64 * 1024;
    /** An armored RSA-8192 signature is about 2.8 KB; evidence.schema.json says the same. */
    static final int MAX_SIGNATURE_LENGTH = 16 * 1024;
    private static final String SIGNATURE_ARMOR = "-----BEGIN SSH SIGNATURE-----";

    private static final JsonFactory JSON = new JsonFactory();
    private static final Pattern COMMIT_ID = Pattern.compile("[0-9a-f]{40}");
    private static final Pattern ENVIRONMENT = Pattern.compile("[a-z0-9][a-z0-9-]*");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final Map<String, Object> fields;

    private RecordFields(Map<String, Object> fields) {
        this.fields = fields;
    }

    /** Reads one line; nested arrays are kept only for {@code reports}, other nested values as their token. */
    static RecordFields read(String line) throws InvalidEvidenceException {
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
        return new RecordFields(fields);
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
                if (("path".equals(field) && path != null) || ("sha256".equals(field) && sha256 != null)) {
                    // as for the record's own members: a signature covers exactly one reading of the line
                    throw new InvalidEvidenceException("duplicate field '" + field + "' in reports");
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

    /** The members a record kind writes between {@code environment} and {@code signature}. */
    @FunctionalInterface
    interface Members {
        void write(JsonGenerator json) throws IOException;
    }

    /**
     * One record as a JSON line: {@code apiVersion}, {@code kind}, {@code commit} and
     * {@code environment}, the kind's own members, and the signature last, as records are
     * specified and signed.
     */
    static String line(String kind, String commit, String environment, Members members, Optional<String> signature) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("apiVersion", API_VERSION);
            json.writeStringField("kind", kind);
            json.writeStringField("commit", commit);
            json.writeStringField("environment", environment);
            members.write(json);
            if (signature.isPresent()) {
                json.writeStringField("signature", signature.get());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    Object get(String name) {
        return fields.get(name);
    }

    /** Refuses a member the kind does not define, and checks apiVersion and kind. */
    void checkKind(String kind, Set<String> known) throws InvalidEvidenceException {
        for (String name : fields.keySet()) {
            if (!known.contains(name)) {
                throw new InvalidEvidenceException("unknown field '" + name + "'");
            }
        }
        if (!API_VERSION.equals(requiredString("apiVersion"))) {
            throw new InvalidEvidenceException("apiVersion must be '" + API_VERSION + "'");
        }
        if (!kind.equals(requiredString("kind"))) {
            throw new InvalidEvidenceException("kind must be '" + kind + "'");
        }
    }

    String commit() throws InvalidEvidenceException {
        String commit = requiredString("commit");
        if (!COMMIT_ID.matcher(commit).matches()) {
            throw new InvalidEvidenceException("commit must be a full 40-character lower-case commit id");
        }
        return commit;
    }

    String environment() throws InvalidEvidenceException {
        String environment = requiredNonEmpty("environment");
        if (!ENVIRONMENT.matcher(environment).matches()) {
            throw new InvalidEvidenceException("environment must be an environment name ([a-z0-9][a-z0-9-]*)");
        }
        return environment;
    }

    Instant recordedAt() throws InvalidEvidenceException {
        try {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(requiredString("recordedAt"), Instant::from);
        } catch (DateTimeParseException e) {
            throw new InvalidEvidenceException("recordedAt must be an RFC 3339 date-time such as 2026-11-27T10:00:00Z");
        }
    }

    /** The armored signature, when the line has one; its contents are checked only by verification. */
    Optional<String> signature() throws InvalidEvidenceException {
        if (!fields.containsKey("signature")) {
            return Optional.empty();
        }
        String signature = requiredString("signature");
        if (!signature.startsWith(SIGNATURE_ARMOR)) {
            throw new InvalidEvidenceException("signature must be an armored SSH signature (" + SIGNATURE_ARMOR + ")");
        }
        if (signature.length() > MAX_SIGNATURE_LENGTH) {
            throw new InvalidEvidenceException("signature is longer than " + MAX_SIGNATURE_LENGTH + " characters");
        }
        return Optional.of(signature);
    }

    Optional<String> optionalString(String name) throws InvalidEvidenceException {
        return fields.containsKey(name) ? Optional.of(requiredString(name)) : Optional.empty();
    }

    String requiredString(String name) throws InvalidEvidenceException {
        Object value = fields.get(name);
        if (value == null) {
            throw new InvalidEvidenceException("required field '" + name + "' is missing");
        }
        if (!(value instanceof String text)) {
            throw new InvalidEvidenceException(name + " must be a string");
        }
        return text;
    }

    String requiredNonEmpty(String name) throws InvalidEvidenceException {
        String value = requiredString(name);
        if (value.isEmpty()) {
            throw new InvalidEvidenceException(name + " must not be empty");
        }
        return value;
    }
}
