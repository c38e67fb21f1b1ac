package dev.stagegate.cli;

import dev.stagegate.report.ReportFormat;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code --format} as users type it, and lists the valid names when a value is wrong. */
final class Format {

    private Format() {
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
