package dev.stagegate.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JUnitReportsTest {

    @TempDir
    Path dir;

    @Test
    void sumsSurefireAndFailsafeReports() throws IOException {
        Path surefire = Files.createDirectories(dir.resolve("surefire-reports"));
        Path failsafe = Files.createDirectories(dir.resolve("failsafe-reports"));
        Files.writeString(surefire.resolve("TEST-a.xml"), "<?xml version=\"1.0\"?>\n"
                + "<testsuite name=\"a\" tests=\"3\" failures=\"0\" errors=\"0\" skipped=\"1\"><testcase name=\"x\"/></testsuite>");
        Files.writeString(failsafe.resolve("TEST-b.xml"),
                "<testsuites><testsuite tests=\"2\" failures=\"0\" errors=\"0\"/><testsuite tests=\"1\"/></testsuites>");
        Files.writeString(failsafe.resolve("failsafe-summary.xml"), "<failsafe-summary result=\"0\"/>");
        Files.writeString(surefire.resolve("a.txt"), "not a report");

        JUnitReports.Summary summary = JUnitReports.read(List.of(surefire, failsafe));

        assertThat(summary.tests()).isEqualTo(6);
        assertThat(summary.skipped()).isEqualTo(1);
        assertThat(summary.result()).isEqualTo(EvidenceResult.PASSED);
        assertThat(summary.reports()).extracting(ReportDigest::path).containsExactly("TEST-a.xml", "TEST-b.xml");
        assertThat(summary.reports().get(0).sha256()).hasSize(64);
    }

    @Test
    void aFailureOrAnErrorFailsTheRun() throws IOException {
        Files.writeString(dir.resolve("TEST-a.xml"), "<testsuite tests=\"3\" failures=\"1\" errors=\"0\"/>");
        assertThat(JUnitReports.read(List.of(dir)).result()).isEqualTo(EvidenceResult.FAILED);
        Files.writeString(dir.resolve("TEST-a.xml"), "<testsuite tests=\"3\" failures=\"0\" errors=\"2\"/>");
        assertThat(JUnitReports.read(List.of(dir)).result()).isEqualTo(EvidenceResult.FAILED);
    }

    @Test
    void noTestRunIsNoPass() throws IOException {
        Files.writeString(dir.resolve("TEST-a.xml"), "<testsuite tests=\"0\"/>");
        assertThat(JUnitReports.read(List.of(dir)).result()).isEqualTo(EvidenceResult.FAILED);
    }

    @Test
    void aSuiteWhoseEveryTestWasSkippedIsNoPass() throws IOException {
        Files.writeString(dir.resolve("TEST-a.xml"),
                "<testsuite tests=\"3\" failures=\"0\" errors=\"0\" skipped=\"3\"/>");

        JUnitReports.Summary summary = JUnitReports.read(List.of(dir));

        assertThat(summary.result()).isEqualTo(EvidenceResult.FAILED);
        assertThat(summary.ran()).isZero();
        assertThat(summary.whyNotPassed()).contains("no test ran: all 3 tests were skipped");
    }

    @Test
    void skippedTestsAcrossReportsCountAgainstTheTestsThatRan() throws IOException {
        Files.writeString(dir.resolve("TEST-a.xml"), "<testsuite tests=\"2\" skipped=\"2\"/>");
        Files.writeString(dir.resolve("TEST-b.xml"), "<testsuite tests=\"1\" skipped=\"0\"/>");

        JUnitReports.Summary summary = JUnitReports.read(List.of(dir));

        assertThat(summary.ran()).isEqualTo(1);
        assertThat(summary.result()).isEqualTo(EvidenceResult.PASSED);
        assertThat(summary.whyNotPassed()).isEmpty();
    }

    @Test
    void whyARunDidNotPass() throws IOException {
        Files.writeString(dir.resolve("TEST-a.xml"), "<testsuite tests=\"3\" failures=\"1\" errors=\"2\"/>");
        assertThat(JUnitReports.read(List.of(dir)).whyNotPassed()).contains("the tests did not pass");
        Files.writeString(dir.resolve("TEST-a.xml"), "<testsuite tests=\"0\"/>");
        assertThat(JUnitReports.read(List.of(dir)).whyNotPassed()).contains("no test ran: the reports hold no test");
    }

    @Test
    void aDirectoryWithoutReportsIsAnError() {
        assertThatThrownBy(() -> JUnitReports.read(List.of(dir))).hasMessageContaining("no JUnit XML report");
        assertThatThrownBy(() -> JUnitReports.read(List.of(dir.resolve("missing")))).hasMessageContaining("does not exist");
    }

    @Test
    void externalEntitiesAreRefused() throws IOException {
        Files.writeString(dir.resolve("TEST-x.xml"), "<?xml version=\"1.0\"?><!DOCTYPE t [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                + "<testsuite tests=\"1\">&e;</testsuite>");
        assertThatThrownBy(() -> JUnitReports.read(List.of(dir))).isInstanceOf(IOException.class);
    }

    @Test
    void aNonNumericCountIsAnError() throws IOException {
        Files.writeString(dir.resolve("TEST-a.xml"), "<testsuite tests=\"many\"/>");
        assertThatThrownBy(() -> JUnitReports.read(List.of(dir))).hasMessageContaining("not a count");
    }
}
