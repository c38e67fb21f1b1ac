package dev.stagegate.policytest;

import dev.stagegate.report.TextRenderer;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * JUnit XML for the test tabs of CI servers: one {@code <testsuite>} per test file, one
 * {@code <testcase>} per case (its class name the file without extension, since CI servers
 * read the part after the last dot as the class), a failed case's {@code <failure>} holding the differences and
 * the actual verdict. A file or policy that cannot be used is a test case with an
 * {@code <error>}, so a CI tab shows it rather than a silently shorter list.
 */
public final class PolicyTestJUnitRenderer implements PolicyTestRenderer {

    private static final String RUN_NAME = "stagegate policy test";

    @Override
    public String render(PolicyTestRun run) {
        Map<String, Suite> suites = new LinkedHashMap<>();
        if (run.failure().isPresent()) {
            suites.computeIfAbsent("stagegate", Suite::new).failures.add(run.failure().get());
        }
        for (InputProblem problem : run.problems()) {
            suites.computeIfAbsent(problem.file(), Suite::new).problems.add(problem.describe());
        }
        for (CaseResult result : run.cases()) {
            suites.computeIfAbsent(result.testCase().file(), Suite::new).cases.add(result);
        }
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeCharacters("\n");
            xml.writeStartElement("testsuites");
            xml.writeAttribute("name", RUN_NAME);
            xml.writeAttribute("tests", String.valueOf(suites.values().stream().mapToInt(Suite::tests).sum()));
            xml.writeAttribute("failures", String.valueOf(suites.values().stream().mapToInt(Suite::failureCount).sum()));
            xml.writeAttribute("errors", String.valueOf(suites.values().stream().mapToInt(Suite::errorCount).sum()));
            for (Suite suite : suites.values()) {
                write(xml, suite);
            }
            xml.writeCharacters("\n");
            xml.writeEndElement();
            xml.writeCharacters("\n");
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write JUnit XML: " + e.getMessage(), e);
        }
        return out.toString();
    }

    private static void write(XMLStreamWriter xml, Suite suite) throws XMLStreamException {
        xml.writeCharacters("\n  ");
        xml.writeStartElement("testsuite");
        xml.writeAttribute("name", clean(suite.file));
        xml.writeAttribute("tests", String.valueOf(suite.tests()));
        xml.writeAttribute("failures", String.valueOf(suite.failureCount()));
        xml.writeAttribute("errors", String.valueOf(suite.errorCount()));
        xml.writeAttribute("skipped", "0");
        if (!suite.problems.isEmpty()) {
            writeTestCase(xml, suite.file, suite.file, "error", "invalid", suite.problems);
        }
        for (String failure : suite.failures) {
            writeTestCase(xml, suite.file, RUN_NAME, "error", "internal", List.of(failure));
        }
        for (CaseResult result : suite.cases) {
            String name = result.testCase().name();
            switch (result.status()) {
                case PASSED -> writeTestCase(xml, suite.file, name, null, null, List.of());
                case FAILED -> {
                    List<String> lines = new ArrayList<>(result.differences());
                    lines.add("actual verdict:");
                    for (String line : new TextRenderer().lines(result.verdict().orElseThrow())) {
                        lines.add("  " + line);
                    }
                    lines.add("at " + result.testCase().location());
                    writeTestCase(xml, suite.file, name, "failure", "policy-test", lines);
                }
                case INVALID -> writeTestCase(xml, suite.file, name, "error", "invalid",
                        result.problems().stream().map(InputProblem::describe).toList());
                case ERROR -> writeTestCase(xml, suite.file, name, "error", "internal",
                        List.of(result.error().orElse("")));
            }
        }
        xml.writeCharacters("\n  ");
        xml.writeEndElement();
    }

    /** A test case; with an element ({@code failure} or {@code error}) whose message is the first line. */
    private static void writeTestCase(XMLStreamWriter xml, String file, String name, String element, String type,
            List<String> lines) throws XMLStreamException {
        xml.writeCharacters("\n    ");
        xml.writeStartElement("testcase");
        xml.writeAttribute("classname", clean(file.replaceFirst("\\.ya?ml$", "")));
        xml.writeAttribute("name", clean(name));
        if (element != null) {
            xml.writeCharacters("\n      ");
            xml.writeStartElement(element);
            xml.writeAttribute("type", type);
            xml.writeAttribute("message", clean(lines.isEmpty() ? "" : lines.get(0)));
            xml.writeCharacters(clean(String.join("\n", lines)));
            xml.writeEndElement();
            xml.writeCharacters("\n    ");
        }
        xml.writeEndElement();
    }

    /** Characters XML 1.0 cannot carry at all (control characters, lone surrogates) become '?'. */
    static String clean(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean allowed = c == '\t' || c == '\n' || c == '\r' || c >= 0x20 && c <= 0xD7FF
                    || c >= 0xE000 && c <= 0xFFFD;
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else {
                out.append(allowed ? c : '?');
            }
        }
        return out.toString();
    }

    /** The cases, problems and failures reported under one file. */
    private static final class Suite {

        final String file;
        final List<CaseResult> cases = new ArrayList<>();
        final List<String> problems = new ArrayList<>();
        final List<String> failures = new ArrayList<>();

        Suite(String file) {
            this.file = file;
        }

        int tests() {
            return cases.size() + (problems.isEmpty() ? 0 : 1) + failures.size();
        }

        int failureCount() {
            return (int) cases.stream().filter(result -> result.status() == CaseResult.Status.FAILED).count();
        }

        int errorCount() {
            return (int) cases.stream().filter(result -> result.status() == CaseResult.Status.INVALID
                    || result.status() == CaseResult.Status.ERROR).count()
                    + (problems.isEmpty() ? 0 : 1) + failures.size();
        }
    }
}
