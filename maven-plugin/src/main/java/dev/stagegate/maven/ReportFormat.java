package dev.stagegate.maven;

import dev.stagegate.report.JsonRenderer;
import dev.stagegate.report.TextRenderer;
import dev.stagegate.report.VerdictRenderer;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** The formats {@code reportFile} can be written in; a new format is one constant naming its renderer. */
enum ReportFormat {
    TEXT(TextRenderer::new),
    JSON(JsonRenderer::new);

    private final Supplier<VerdictRenderer> renderer;

    ReportFormat(Supplier<VerdictRenderer> renderer) {
        this.renderer = renderer;
    }

    VerdictRenderer renderer() {
        return renderer.get();
    }

    /** The lower-case name users give with {@code -Dstagegate.format}. */
    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the formats there are */
    static ReportFormat named(String name) {
        return Arrays.stream(values())
                .filter(format -> format.label().equalsIgnoreCase(name.strip()))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("format must be one of "
                        + Arrays.stream(values()).map(ReportFormat::label).collect(Collectors.joining(", "))
                        + ", not '" + name + "'"));
    }
}
