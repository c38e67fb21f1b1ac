package dev.stagegate.cli;

import dev.stagegate.report.JsonRenderer;
import dev.stagegate.report.TextRenderer;
import dev.stagegate.report.VerdictRenderer;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** The values of {@code --format}; a new format is one constant naming its renderer. */
enum Format {
    TEXT(TextRenderer::new),
    JSON(JsonRenderer::new);

    private final Supplier<VerdictRenderer> renderer;

    Format(Supplier<VerdictRenderer> renderer) {
        this.renderer = renderer;
    }

    VerdictRenderer renderer() {
        return renderer.get();
    }

    /** Lower case, as users type it and as help lists it. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Takes the names as users type them, and lists them that way when a value is wrong. */
    static final class Converter implements ITypeConverter<Format> {

        @Override
        public Format convert(String value) {
            return Arrays.stream(values())
                    .filter(format -> format.toString().equalsIgnoreCase(value))
                    .findFirst()
                    .orElseThrow(() -> new TypeConversionException("expected one of "
                            + Arrays.stream(values()).map(Format::toString).collect(Collectors.joining(", "))
                            + " but was '" + value + "'"));
        }
    }
}
