package dev.stagegate.evidence;

import dev.stagegate.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Sums JUnit XML reports (Surefire, Failsafe, and any tool writing the same format) into the
 * counts of one evidence record. A run passes only when at least one test ran (was not
 * skipped) and none failed or errored (evidence-v1.md). DTDs and external entities are
 * refused: reports are input.
 */
public final class JUnitReports {

    /** The summed counts and the files they came from. */
    public record Summary(long tests, long failures, long errors, long skipped, List<ReportDigest> reports) {

        /** The tests that ran: JUnit's {@code tests} counts the skipped ones too. */
        public long ran() {
            return Math.max(0, tests - skipped);
        }

        public EvidenceResult result() {
            return ran() > 0 && failures == 0 && errors == 0 ? EvidenceResult.PASSED : EvidenceResult.FAILED;
        }

        /** Why the run is recorded as failed, for messages; empty when it passed. */
        public Optional<String> whyNotPassed() {
            if (failures > 0 || errors > 0) {
                return Optional.of("the tests did not pass");
            }
            if (ran() == 0) {
                return Optional.of(tests == 0 ? "no test ran: the reports hold no test"
                        : "no test ran: all " + tests + (tests == 1 ? " test was" : " tests were") + " skipped");
            }
            return Optional.empty();
        }

        /** {@code 412 tests, 0 failures, 0 errors, 3 skipped}. */
        public String counts() {
            return tests + " tests, " + failures + " failures, " + errors + " errors, " + skipped + " skipped";
        }
    }

    private JUnitReports() {
    }

    /**
     * Reads every {@code *.xml} file directly in the given directories whose root element is
     * {@code testsuite} or {@code testsuites}.
     *
     * @throws IOException when a directory is missing or holds no JUnit report at all
     */
    public static Summary read(List<Path> directories) throws IOException {
        long tests = 0;
        long failures = 0;
        long errors = 0;
        long skipped = 0;
        List<ReportDigest> reports = new ArrayList<>();
        for (Path directory : directories) {
            if (!Files.isDirectory(directory)) {
                throw new IOException("reports directory " + directory + " does not exist");
            }
            List<Path> files;
            try (Stream<Path> listing = Files.list(directory)) {
                files = listing.filter(p -> p.getFileName().toString().endsWith(".xml")).sorted().toList();
            }
            for (Path file : files) {
                long[] counts = countsOf(file);
                if (counts == null) {
                    continue;
                }
                tests += counts[0];
                failures += counts[1];
                errors += counts[2];
                skipped += counts[3];
                reports.add(new ReportDigest(file.getFileName().toString(), sha256(file)));
            }
        }
        if (reports.isEmpty()) {
            throw new IOException("no JUnit XML report (testsuite or testsuites) in " + directories);
        }
        return new Summary(tests, failures, errors, skipped, reports);
    }

    /** tests, failures, errors, skipped of one file; null when it is not a JUnit report. */
    private static long[] countsOf(Path file) throws IOException {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        try (InputStream in = Files.newInputStream(file)) {
            XMLStreamReader xml = factory.createXMLStreamReader(in);
            long[] counts = new long[4];
            int depth = 0;
            boolean root = true;
            boolean suites = false;
            while (xml.hasNext()) {
                int event = xml.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    String name = xml.getLocalName();
                    if (root) {
                        root = false;
                        if (!name.equals("testsuite") && !name.equals("testsuites")) {
                            return null;
                        }
                        suites = name.equals("testsuites");
                    }
                    depth++;
                    // count each <testsuite> once: the root one, or the children of <testsuites>
                    boolean countable = name.equals("testsuite") && (suites ? depth == 2 : depth == 1);
                    if (countable) {
                        counts[0] += attribute(xml, "tests");
                        counts[1] += attribute(xml, "failures");
                        counts[2] += attribute(xml, "errors");
                        counts[3] += attribute(xml, "skipped");
                    }
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    depth--;
                }
            }
            return root ? null : counts;
        } catch (XMLStreamException e) {
            throw new IOException(file + " is not readable XML: " + e.getMessage(), e);
        }
    }

    private static long attribute(XMLStreamReader xml, String name) throws IOException {
        String value = xml.getAttributeValue(null, name);
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            long count = Long.parseLong(value.strip());
            if (count < 0) {
                throw new NumberFormatException();
            }
            return count;
        } catch (NumberFormatException e) {
            throw new IOException("attribute " + name + "=\"" + value + "\" is not a count");
        }
    }

    private static String sha256(Path file) throws IOException {
        return Sha256.hex(Files.readAllBytes(file));
    }
}
