package dev.stagegate.report;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The output formats of product.md ({@code --format}), each with its renderer and the file
 * extension a report of that format gets. A new format is one constant here.
 */
public enum ReportFormat {
    TEXT("txt", version -> new TextRenderer()),
    JSON("json", version -> new JsonRenderer()),
    SARIF("sarif", SarifRenderer::new),
    JUNIT("xml", version -> new JUnitRenderer()),
    GITHUB("txt", version -> new GithubRenderer());

    private final String fileExtension;
    private final Function<String, VerdictRenderer> renderer;

    ReportFormat(String fileExtension, Function<String, VerdictRenderer> renderer) {
        this.fileExtension = fileExtension;
        this.renderer = renderer;
    }

    /**
     * A renderer for this format.
     *
     * @param toolVersion stagegate's version, for formats that name the tool (SARIF); may be null
     */
    public VerdictRenderer renderer(String toolVersion) {
        return renderer.apply(toolVersion);
    }

    /** The extension of a report file in this format, without the dot, such as {@code sarif}. */
    public String fileExtension() {
        return fileExtension;
    }

    /** The name users type, such as {@code junit}. */
    public String formatName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The name users type, so that help texts and completion list it that way. */
    @Override
    public String toString() {
        return formatName();
    }

    /**
     * The format with this name, in any case.
     *
     * @throws IllegalArgumentException naming the valid formats, when there is none
     */
    public static ReportFormat fromName(String name) {
        return Arrays.stream(values())
                .filter(format -> format.formatName().equalsIgnoreCase(name == null ? "" : name.strip()))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown report format '" + name
                        + "'; expected one of " + names()));
    }

    /** {@code text, json, sarif, junit, github}. */
    public static String names() {
        return Arrays.stream(values()).map(ReportFormat::formatName).collect(Collectors.joining(", "));
    }
}
