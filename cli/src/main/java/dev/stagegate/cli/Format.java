package dev.stagegate.cli;

import dev.stagegate.report.ReportFormat;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code --format} as users type it, and lists the valid names when a value is wrong. */
final class Format {

    private Format() {
    }

    /**
     * Whether a {@code --format} of text or json (any case) asks for json, for the commands
     * that offer only those two.
     */
    static boolean isJson(String format) {
        return switch (format.toLowerCase(Locale.ROOT)) {
            case "text" -> false;
            case "json" -> true;
            default -> throw new UsageException("--format must be text or json, not '" + format + "'");
        };
    }

    /** The version reported in SARIF's tool.driver. */
    static String toolVersion() {
        String version = Main.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    static final class Converter implements ITypeConverter<ReportFormat> {

        @Override
        public ReportFormat convert(String value) {
            try {
                return ReportFormat.fromName(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
