package dev.stagegate.report;

import java.io.StringWriter;
import java.util.HashMap;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * JUnit XML, the format CI test tabs read (GitLab's merge request widget, Jenkins' JUnit plugin,
 * the GitHub test-report actions): one {@code <testsuite name="stagegate">} with one
 * {@code <testcase>} per violation, its class name the rule id and its name the file location
 * (or the ref), so that a test's history follows the same problem from build to build.
 *
 * <ul>
 *   <li>An error is a {@code <failure>}; an error of the run itself (rule {@value Violation#RUN_ERROR})
 *       is an {@code <error>}, as JUnit reports a test that could not run.</li>
 *   <li>A warning did not block the update: it is {@code <skipped>}, which CI tabs count and show
 *       apart from passes without failing the build, with the warning as its message.</li>
 *   <li>A verdict that accepts adds one passing test case {@code stagegate}, so that an empty or
 *       warnings-only report still shows the check passed.</li>
 * </ul>
 *
 * Text is escaped by the XML writer; characters XML 1.0 cannot carry at all (most control
 * characters, lone surrogates) become U+FFFD, so the report always parses.
 */
public final class JUnitRenderer implements VerdictRenderer {

    public static final String SUITE_NAME = "stagegate";

    private static final XMLOutputFactory FACTORY = XMLOutputFactory.newDefaultFactory();

    @Override
    public String render(Verdict verdict) {
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter xml = FACTORY.createXMLStreamWriter(out);
            xml.writeStartDocument("UTF-8", "1.0");
            newline(xml, 0);
            writeSuite(xml, verdict);
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write JUnit XML", e);
        }
        return out + "\n";
    }

    private static void writeSuite(XMLStreamWriter xml, Verdict verdict) throws XMLStreamException {
        long runErrors = verdict.violations().stream()
                .filter(v -> v.isError() && Violation.RUN_ERROR.equals(v.rule())).count();
        long failures = verdict.errorCount() - runErrors;
        long skipped = verdict.warningCount();
        long passed = verdict.rejected() ? 0 : 1;

        xml.writeStartElement("testsuite");
        xml.writeAttribute("name", SUITE_NAME);
        xml.writeAttribute("tests", Long.toString(verdict.violations().size() + passed));
        xml.writeAttribute("failures", Long.toString(failures));
        xml.writeAttribute("errors", Long.toString(runErrors));
        xml.writeAttribute("skipped", Long.toString(skipped));
        xml.writeAttribute("time", "0");

        newline(xml, 1);
        xml.writeStartElement("properties");
        newline(xml, 2);
        xml.writeEmptyElement("property");
        xml.writeAttribute("name", "decision");
        xml.writeAttribute("value", verdict.decision());
        newline(xml, 1);
        xml.writeEndElement();

        Map<String, Integer> seen = new HashMap<>();
        for (Violation violation : verdict.sorted()) {
            writeCase(xml, violation, seen);
        }
        if (passed == 1) {
            newline(xml, 1);
            xml.writeEmptyElement("testcase");
            xml.writeAttribute("classname", SUITE_NAME);
            xml.writeAttribute("name", SUITE_NAME);
            xml.writeAttribute("time", "0");
        }
        if (!verdict.notes().isEmpty()) {
            newline(xml, 1);
            xml.writeStartElement("system-out");
            for (String note : verdict.notes()) {
                xml.writeCharacters(xmlText("note: " + note + "\n"));
            }
            xml.writeEndElement();
        }
        newline(xml, 0);
        xml.writeEndElement();
    }

    private static void writeCase(XMLStreamWriter xml, Violation violation, Map<String, Integer> seen)
            throws XMLStreamException {
        String name = caseName(violation);
        // Test tabs merge cases with the same class and name; two problems at one place stay two.
        int count = seen.merge(violation.rule() + '\n' + name, 1, Integer::sum);
        if (count > 1) {
            name += " #" + count;
        }
        newline(xml, 1);
        xml.writeStartElement("testcase");
        xml.writeAttribute("classname", xmlText(violation.rule()));
        xml.writeAttribute("name", xmlText(name));
        xml.writeAttribute("time", "0");
        newline(xml, 2);
        if (!violation.isError()) {
            xml.writeEmptyElement("skipped");
            xml.writeAttribute("message", xmlText(oneLine("warning: " + violation.message())));
            newline(xml, 2);
            xml.writeStartElement("system-out");
        } else {
            xml.writeStartElement(Violation.RUN_ERROR.equals(violation.rule()) ? "error" : "failure");
            xml.writeAttribute("message", xmlText(oneLine(violation.message())));
            xml.writeAttribute("type", xmlText(violation.rule()));
        }
        xml.writeCharacters(xmlText(details(violation)));
        xml.writeEndElement();
        newline(xml, 1);
        xml.writeEndElement();
    }

    private static String caseName(Violation violation) {
        if (violation.fileLocation() != null) {
            return violation.fileLocation();
        }
        if (violation.ref() != null) {
            return violation.ref();
        }
        return violation.environment() != null ? violation.environment() : SUITE_NAME;
    }

    /** The message, then where it applies, one fact a line. */
    private static String details(Violation violation) {
        StringBuilder text = new StringBuilder();
        text.append(violation.severity().label()).append(" [").append(violation.rule()).append("] ")
                .append(violation.message()).append('\n');
        appendIfPresent(text, "file", violation.fileLocation());
        appendIfPresent(text, "ref", violation.ref());
        appendIfPresent(text, "environment", violation.environment());
        appendIfPresent(text, "commit", violation.commit());
        return text.toString();
    }

    private static void appendIfPresent(StringBuilder text, String label, String value) {
        if (value != null) {
            text.append(label).append(": ").append(value).append('\n');
        }
    }

    /** Attribute values lose line breaks when read back, so they get none. */
    private static String oneLine(String text) {
        return text.replace("\r\n", " ").replace('\r', ' ').replace('\n', ' ');
    }

    /** Replaces what XML 1.0 cannot carry, even escaped, with U+FFFD. */
    static String xmlText(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int width = 1;
            boolean allowed;
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                allowed = true;
                width = 2;
            } else {
                allowed = c == '\t' || c == '\n' || c == '\r'
                        || c >= 0x20 && c <= 0xD7FF || c >= 0xE000 && c <= 0xFFFD;
            }
            if (!allowed && out == null) {
                out = new StringBuilder(text.length()).append(text, 0, i);
            }
            if (out != null) {
                if (allowed) {
                    out.append(text, i, i + width);
                } else {
                    out.append('\uFFFD');
                }
            }
            i += width - 1;
        }
        return out == null ? text : out.toString();
    }

    private static void newline(XMLStreamWriter xml, int depth) throws XMLStreamException {
        xml.writeCharacters("\n" + "  ".repeat(depth));
    }
}
