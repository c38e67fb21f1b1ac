package dev.stagegate.kubernetes;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The server's {@code --schema-location} templates (kubernetes.md): a schema mirror on the
 * machine that runs stagegate, tried before every policy's own locations. Unlike a policy's,
 * they must be absolute paths, since they are read from the file system, not from a revision.
 */
public final class ServerSchemaLocations {

    /** None: only the policies' locations are used. */
    public static final ServerSchemaLocations NONE = new ServerSchemaLocations(List.of());

    private final List<SchemaLocationTemplate> templates;

    private ServerSchemaLocations(List<SchemaLocationTemplate> templates) {
        this.templates = List.copyOf(templates);
    }

    /**
     * Reads the templates as an adapter got them ({@code --schema-location}, the Maven plugin's
     * {@code schemaLocations}).
     *
     * @throws IllegalArgumentException with a message for the user when a template is not
     *                                  absolute or not a valid template (see
     *                                  {@link SchemaLocationTemplate#parse})
     */
    public static ServerSchemaLocations parse(List<String> templates) {
        Objects.requireNonNull(templates, "templates");
        List<SchemaLocationTemplate> parsed = new ArrayList<>();
        for (String template : templates) {
            SchemaLocationTemplate location;
            try {
                location = SchemaLocationTemplate.parse(template);
            } catch (InvalidSchemaLocationException e) {
                throw new IllegalArgumentException("--schema-location '" + template + "': " + e.getMessage(), e);
            }
            int firstVariable = template.indexOf("{{");
            String fixed = firstVariable < 0 ? template : template.substring(0, firstVariable);
            if (fixed.isEmpty() || !isAbsolute(fixed)) {
                throw new IllegalArgumentException("--schema-location '" + template + "' is not an absolute path; a"
                        + " schema mirror on this machine is named by its absolute path, such as /srv/schemas/k8s"
                        + " (schemas in the repository belong in the policy's kubernetes.schemaLocations)");
            }
            parsed.add(location);
        }
        return new ServerSchemaLocations(parsed);
    }

    private static boolean isAbsolute(String path) {
        try {
            return Path.of(path).isAbsolute();
        } catch (InvalidPathException e) {
            return false;
        }
    }

    public List<SchemaLocationTemplate> templates() {
        return templates;
    }
}
