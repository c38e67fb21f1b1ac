package dev.stagegate.schema;

import dev.stagegate.git.PathGlob;
import dev.stagegate.git.RevisionFiles;
import dev.stagegate.report.MappedFileCount;
import dev.stagegate.report.Violation;
import dev.stagegate.yaml.YamlLimits;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code validate} says about the policy's {@code schemas} list itself, beside the files it
 * checks: how many files each mapping matched; a mapping that matches none, which checks
 * nothing (a misspelt glob); and a schema that cannot be loaded, once at the policy line that
 * names it rather than only at each file it leaves unchecked. Findings about a mapping are
 * located in the policy file. The hook judges changed files only and never runs this: a
 * mapping that matches nothing yet is no reason to warn on every push.
 */
public final class SchemaMappingCheck {

    /** The counts in policy order, and the findings located at the mappings' policy lines. */
    public record Result(List<MappedFileCount> counts, List<Violation> findings) {

        public Result {
            counts = List.copyOf(counts);
            findings = List.copyOf(findings);
        }
    }

    private final List<SchemaMapping> mappings;
    private final String policyPath;
    private final YamlLimits limits;

    /**
     * @param mappings   the policy's {@code schemas}, with their positions in the policy file
     * @param policyPath the policy file's path, as findings name it
     */
    public SchemaMappingCheck(List<SchemaMapping> mappings, String policyPath, YamlLimits limits) {
        this.mappings = List.copyOf(mappings);
        this.policyPath = policyPath;
        this.limits = limits;
    }

    /**
     * @param files  the revision (or working tree) validated
     * @param mapped its paths that some mapping matches, as {@link FileSchemaCheck#mappedPaths} lists them
     */
    public Result check(RevisionFiles files, List<String> mapped) {
        SchemaValidator schemas = new SchemaValidator(
                schemaPath -> FileSchemaCheck.readSchema(files, schemaPath, limits.maxBytes()));
        List<MappedFileCount> counts = new ArrayList<>();
        List<Violation> findings = new ArrayList<>();
        for (int index = 0; index < mappings.size(); index++) {
            SchemaMapping mapping = mappings.get(index);
            PathGlob glob = PathGlob.compile(mapping.files());
            int matched = (int) mapped.stream().filter(glob::matches).count();
            counts.add(new MappedFileCount(index, mapping.files(), mapping.schema(), matched));
            if (matched == 0) {
                findings.add(Violation.warning(FileSchemaCheck.RULE, "schemas[" + index + "] files '"
                        + mapping.files() + "' matches no file in " + files.describe() + ", so it checks nothing;"
                        + " fix the glob (case-sensitive; * stays within one directory; dir/ or dir/** covers"
                        + " everything below dir) or remove the mapping").at(policyPath, mapping.filesAt()));
            }
            try {
                schemas.load(mapping.schema());
            } catch (SchemaLoadException e) {
                findings.add(unusableSchema(index, mapping, matched, e.getMessage()));
            }
        }
        return new Result(counts, findings);
    }

    /** An error while it leaves files unchecked; a warning while the mapping matches none yet. */
    private Violation unusableSchema(int index, SchemaMapping mapping, int matched, String reason) {
        String consequence = matched == 0
                ? "the first file this mapping matches will be rejected"
                : "the " + matched + (matched == 1 ? " file" : " files") + " this mapping matches are rejected unchecked";
        String message = "schemas[" + index + "] schema " + mapping.schema() + " cannot be used (" + reason + "); "
                + consequence + "; fix the path or commit the schema";
        Violation finding = matched == 0
                ? Violation.warning(FileSchemaCheck.RULE, message)
                : Violation.error(FileSchemaCheck.RULE, message);
        return finding.at(policyPath, mapping.schemaAt());
    }
}
