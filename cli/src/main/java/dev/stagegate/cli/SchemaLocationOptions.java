package dev.stagegate.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --schema-location}: a Kubernetes schema mirror on this machine (kubernetes.md), tried
 * before the policy's own locations. The engine checks the templates; here a relative path is
 * only taken relative to the working directory, as every path on the command line is.
 */
final class SchemaLocationOptions {

    @Option(names = "--schema-location", paramLabel = "TEMPLATE",
            description = "Kubernetes schemas on this machine, in kubeconform's layout or as a kubeconform template"
                    + " (repeatable; tried in order, before the policy's kubernetes.schemaLocations).")
    private List<String> templates = new ArrayList<>();

    List<String> templates(Invocation invocation) {
        return templates.stream().map(template -> absolute(template, invocation)).toList();
    }

    /**
     * Not normalised: a {@code ..} after a variable must reach the engine, which refuses it; and
     * a URL is passed on as written, for the engine to refuse with its reason.
     */
    private static String absolute(String template, Invocation invocation) {
        if (template.isBlank() || template.contains("://")) {
            return template;
        }
        try {
            Path path = Path.of(template);
            return path.isAbsolute() ? template : invocation.workingDirectory().resolve(path).toString();
        } catch (InvalidPathException e) {
            return template;
        }
    }
}
