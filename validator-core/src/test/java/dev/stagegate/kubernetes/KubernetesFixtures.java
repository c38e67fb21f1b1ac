package dev.stagegate.kubernetes;

import dev.stagegate.schema.CompiledSchema;
import dev.stagegate.schema.SchemaLoadException;
import dev.stagegate.schema.SchemaProblem;
import dev.stagegate.schema.SchemaValidator;
import dev.stagegate.yaml.LocatedYamlReader;
import dev.stagegate.yaml.YamlDocument;
import dev.stagegate.yaml.YamlReadException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.json.JSONObject;

/** Reading the fixtures under src/test/resources/kubernetes and checking documents as the engine does. */
final class KubernetesFixtures {

    private KubernetesFixtures() {
    }

    static byte[] bytes(String resource) {
        try (InputStream in = KubernetesFixtures.class.getClassLoader().getResourceAsStream("kubernetes/" + resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture kubernetes/" + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The one document of a YAML text, with positions. */
    static YamlDocument yaml(String text) {
        try {
            List<YamlDocument> documents = new LocatedYamlReader().read(text.getBytes(StandardCharsets.UTF_8), "doc.yaml");
            if (documents.size() != 1) {
                throw new IllegalArgumentException("expected one document, found " + documents.size());
            }
            return documents.get(0);
        } catch (YamlReadException e) {
            throw new IllegalArgumentException(e.getMessage() + " at " + e.position(), e);
        }
    }

    /** A schema compiled by the engine's own Everit adapter, as if it were a file of the revision. */
    static CompiledSchema compile(JSONObject schema) throws SchemaLoadException {
        byte[] content = schema.toString().getBytes(StandardCharsets.UTF_8);
        return new SchemaValidator(path -> content).load("translated.schema.json");
    }

    /** The problems of a YAML document as {@code pointer line:column message}, in position order. */
    static List<String> problems(CompiledSchema schema, String yaml) {
        return schema.validate(yaml(yaml)).stream().map(KubernetesFixtures::describe).toList();
    }

    /** Only the pointers of the problems: for comparing verdicts whose wording may differ. */
    static List<String> pointers(CompiledSchema schema, String yaml) {
        return schema.validate(yaml(yaml)).stream().map(SchemaProblem::pointer).toList();
    }

    private static String describe(SchemaProblem problem) {
        return problem.pointer() + " " + problem.position() + " " + problem.message();
    }
}
