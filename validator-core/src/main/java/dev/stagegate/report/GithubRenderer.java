package dev.stagegate.report;

/**
 * GitHub Actions workflow commands: one {@code ::error} or {@code ::warning} annotation per
 * violation, a {@code ::notice} per note, then the text renderer's summary as a plain log line.
 *
 * <pre>
 * ::error file=apps/a/values.yaml,line=3,col=5,title=schema-violation::replicas: expected integer, found string
 * ::error title=skipped-stage::refs/heads/main (production) 3f9c2a1b7d4e: ...
 * stagegate: rejected (2 errors, 0 warnings)
 * </pre>
 *
 * Values are escaped the way the Actions runner unescapes them, so a message can never end the
 * line early or smuggle in a command of its own.
 */
public final class GithubRenderer implements VerdictRenderer {

    @Override
    public String render(Verdict verdict) {
        StringBuilder out = new StringBuilder();
        for (Violation violation : verdict.sorted()) {
            out.append(command(violation)).append('\n');
        }
        for (String note : verdict.notes()) {
            out.append("::notice title=stagegate::").append(escapeData(note)).append('\n');
        }
        out.append(TextRenderer.summary(verdict)).append('\n');
        return out.toString();
    }

    /** The one workflow command for violation, without its line terminator. */
    public static String command(Violation violation) {
        StringBuilder line = new StringBuilder("::").append(violation.isError() ? "error" : "warning").append(' ');
        if (violation.file() != null) {
            line.append("file=").append(escapeProperty(violation.file())).append(',');
            if (violation.line() > 0) {
                line.append("line=").append(violation.line()).append(',');
                if (violation.column() > 0) {
                    line.append("col=").append(violation.column()).append(',');
                }
            }
        }
        line.append("title=").append(escapeProperty(violation.rule())).append("::");
        String context = TextRenderer.context(violation);
        line.append(escapeData(context.isEmpty() ? violation.message() : context + ": " + violation.message()));
        return line.toString();
    }

    /** The message part: {@code %}, CR and LF are escaped. */
    static String escapeData(String value) {
        return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
    }

    /** A property value: as data, plus {@code :} and {@code ,}, which delimit properties. */
    static String escapeProperty(String value) {
        return escapeData(value).replace(":", "%3A").replace(",", "%2C");
    }
}
