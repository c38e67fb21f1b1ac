package dev.stagegate.policytest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class PolicyTestJUnitRendererTest {

    @Test
    void writesOneSuitePerFileAndOneTestCasePerCase() throws Exception {
        Document xml = parse(new PolicyTestJUnitRenderer().render(SampleRuns.mixed()));

        Element root = xml.getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("testsuites");
        assertThat(root.getAttribute("tests")).isEqualTo("4");
        assertThat(root.getAttribute("failures")).isEqualTo("1");
        assertThat(root.getAttribute("errors")).isEqualTo("2");
        NodeList suites = root.getElementsByTagName("testsuite");
        assertThat(suites.getLength()).isEqualTo(3);
        Element broken = (Element) suites.item(0);
        assertThat(broken.getAttribute("name")).isEqualTo(".stagegate/tests/broken.yaml");
        assertThat(broken.getElementsByTagName("error").item(0).getTextContent())
                .isEqualTo(".stagegate/tests/broken.yaml:2:1: push: must have at least 1 item, found 0");
        Element promotion = (Element) suites.item(1);
        assertThat(promotion.getAttribute("tests")).isEqualTo("2");
        NodeList cases = promotion.getElementsByTagName("testcase");
        assertThat(((Element) cases.item(0)).getAttribute("name")).isEqualTo("develop into test is accepted");
        assertThat(((Element) cases.item(0)).getAttribute("classname")).isEqualTo(".stagegate/tests/promotion");
        assertThat(((Element) cases.item(0)).getChildNodes().getLength()).isZero();
        Element failure = (Element) ((Element) cases.item(1)).getElementsByTagName("failure").item(0);
        assertThat(((Element) cases.item(1)).getAttribute("name")).isEqualTo("develop into main is accepted <sic>");
        assertThat(failure.getAttribute("message")).isEqualTo("decision: expected accept, actual reject");
        assertThat(failure.getTextContent()).contains("errors: expected [], actual [skipped-stage]",
                "  error [skipped-stage] refs/heads/main", "at .stagegate/tests/promotion.yaml:9:3");
        Element typo = (Element) suites.item(2);
        assertThat(typo.getElementsByTagName("error").item(0).getTextContent()).contains("'stagign'");
    }

    @Test
    void staysWellFormedWhateverTheCaseIsCalled() throws Exception {
        TestCase testCase = SampleRuns.testCase("control \u0001 chars & \"quotes\" ]]>", "t.yaml", 1,
                new Expectation("accept", Set.of(), Optional.empty(), List.of()));
        PolicyTestRun run = new PolicyTestRun(List.of(CaseResult.error(testCase, "boom \u0007")), List.of(),
                Optional.empty());

        Document xml = parse(new PolicyTestJUnitRenderer().render(run));

        Element testcase = (Element) xml.getElementsByTagName("testcase").item(0);
        assertThat(testcase.getAttribute("name")).isEqualTo("control ? chars & \"quotes\" ]]>");
        assertThat(testcase.getElementsByTagName("error").item(0).getTextContent()).isEqualTo("boom ?");
    }

    private static Document parse(String xml) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }
}
