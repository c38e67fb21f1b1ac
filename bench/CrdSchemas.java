import dev.stagegate.kubernetes.CrdSchemaTranslator;
import dev.stagegate.kubernetes.CrdTranslation;
import dev.stagegate.yaml.LocatedYamlReader;
import dev.stagegate.yaml.YamlDocument;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the JSON Schema stagegate makes of each served version of a CRD, so that the
 * benchmark's plain {@code schemas:} mapping checks custom resources against exactly the schema
 * that kind dispatch compiles from the CRD (bench/kubernetes.py). Run with the measured jar:
 * {@code java -cp stagegate.jar bench/CrdSchemas.java CRD.yaml OUT_DIR strict|lax}; prints one
 * line per schema written: {@code group version kind file}.
 */
public final class CrdSchemas {

    public static void main(String[] args) throws Exception {
        Path crd = Path.of(args[0]);
        Path out = Path.of(args[1]);
        boolean strict = args[2].equals("strict");
        LocatedYamlReader reader = new LocatedYamlReader(CrdSchemaTranslator.READ_LIMITS);
        for (YamlDocument document : reader.read(Files.readAllBytes(crd), crd.toString())) {
            if (!CrdSchemaTranslator.isCrd(document)) {
                continue;
            }
            CrdTranslation translation = new CrdSchemaTranslator().translate(document, strict);
            if (!translation.translated()) {
                System.err.println(crd + ": " + translation.problems());
                System.exit(1);
            }
            for (CrdTranslation.VersionSchema version : translation.schemas()) {
                Path file = out.resolve(version.gvk().kind().toLowerCase() + "-" + version.gvk().group() + "-"
                        + version.gvk().version() + ".json");
                Files.createDirectories(out);
                Files.writeString(file, version.schema().toString(2));
                System.out.println(version.gvk().group() + " " + version.gvk().version() + " "
                        + version.gvk().kind() + " " + file);
            }
        }
    }
}
