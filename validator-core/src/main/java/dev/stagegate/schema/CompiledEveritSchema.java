package dev.stagegate.schema;

import dev.stagegate.yaml.YamlDocument;
import java.util.List;
import org.everit.json.schema.Schema;
import org.everit.json.schema.ValidationException;
import org.everit.json.schema.Validator;

/** A schema Everit has loaded; validating never touches the schema files again. */
final class CompiledEveritSchema implements CompiledSchema {

    private final Schema schema;
    private final Validator validator;

    CompiledEveritSchema(Schema schema, Validator validator) {
        this.schema = schema;
        this.validator = validator;
    }

    @Override
    public List<SchemaProblem> validate(YamlDocument document) {
        try {
            validator.performValidation(schema, document.root());
            return List.of();
        } catch (ValidationException failure) {
            return EveritProblems.of(failure, document);
        }
    }
}
