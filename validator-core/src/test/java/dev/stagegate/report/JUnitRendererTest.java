package dev.stagegate.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class JUnitRendererTest {

    private static final String MAIN = "refs/heads/main";
    private static final String COMMIT = "3f9c2a1b7d4e5f60718293a4b5c6d7e8f9012345";

    private final JUnitRenderer renderer = new JUnitRenderer();

    @Test
    void oneTestCasePerViolationWithCountsThatAddUp() throws Exception {
        Verdict verdict = Verdict.of(List.of(
                Violation.error("schema-violation", "replicas: expected integer").at("apps/a/values.yaml", 3, 5),
                Violation.error("skipped-stage", "content was never in staging").inContext(MAIN, "production", COMMIT),
                Violation.warning("environment-leak", "env/prod.yaml equals staging's").inContext(MAIN, "production", null),
                Violation.runError("repository cannot be judged")));

        Element suite = parse(renderer.render(verdict)).getDocumentElement();

        assertThat(suite.getTagName()).isEqualTo("testsuite");
        assertThat(suite.getAttribute("name")).isEqualTo("stagegate");
        assertThat(suite.getAttribute("tests")).isEqualTo("4");
        assertThat(suite.getAttribute("failures")).isEqualTo("2");
        assertThat(suite.getAttribute("errors")).isEqualTo("1");
        assertThat(suite.getAttribute("skipped")).isEqualTo("1");
        List<Element> cases = elements(suite, "testcase");
        assertThat(cases).extracting(c -> c.getAttribute("classname") + " / " + c.getAttribute("name"))
                .containsExactly(
                        "stagegate / stagegate",
                        "schema-violation / apps/a/values.yaml:3:5",
                        "environment-leak / refs/heads/main",
                        "skipped-stage / refs/heads/main");
        assertThat(child(cases.get(0), "error").getAttribute("message")).isEqualTo("repository cannot be judged");
        Element failure = child(cases.get(1), "failure");
        assertThat(failure.getAttribute("type")).isEqualTo("schema-violation");
        assertThat(failure.getAttribute("message")).isEqualTo("replicas: expected integer");
        assertThat(failure.getTextContent()).contains("file: apps/a/values.yaml:3:5");
        assertThat(child(cases.get(2), "skipped").getAttribute("message"))
                .isEqualTo("warning: env/prod.yaml equals staging's");
        assertThat(child(cases.get(2), "system-out").getTextContent()).contains("environment: production");
        assertThat(child(cases.get(3), "failure").getTextContent())
                .contains("ref: refs/heads/main", "environment: production", "commit: " + COMMIT);
        assertThat(elements(suite, "property")).extracting(p -> p.getAttribute("value")).containsExactly("reject");
    }

    @Test
    void customRulesAreTestCasesOfTheirOwnIdCountedAsFailuresAndSkips() throws Exception {
        Verdict verdict = Verdict.of(List.of(
                Violation.error("prod-replicas", "production runs at least two replicas")
                        .at("apps/a/values.yaml", 4, 3).inContext(MAIN, "production", COMMIT),
                Violation.error("prod-replicas", "no such key: replicas").at("apps/b/values.yaml", 1, 1),
                Violation.warning("no-latest", "image.tag is latest").at("apps/a/values.yaml", 6, 5)));

        Element suite = parse(renderer.render(verdict)).getDocumentElement();

        assertThat(suite.getAttribute("tests")).isEqualTo("3");
        assertThat(suite.getAttribute("failures")).isEqualTo("2");
        assertThat(suite.getAttribute("errors")).isEqualTo("0");
        assertThat(suite.getAttribute("skipped")).isEqualTo("1");
        List<Element> cases = elements(suite, "testcase");
        assertThat(cases).extracting(c -> c.getAttribute("classname") + " / " + c.getAttribute("name"))
                .containsExactly(
                        "no-latest / apps/a/values.yaml:6:5",
                        "prod-replicas / apps/b/values.yaml:1:1",
                        "prod-replicas / apps/a/values.yaml:4:3");
        assertThat(child(cases.get(2), "failure").getAttribute("type")).isEqualTo("prod-replicas");
        assertThat(child(cases.get(2), "failure").getTextContent())
                .contains("error [prod-replicas] production runs at least two replicas");
    }

    @Test
    void anAcceptedVerdictIsOnePassingTestCase() throws Exception {
        Element suite = parse(renderer.render(Verdict.accepted())).getDocumentElement();

        assertThat(suite.getAttribute("tests")).isEqualTo("1");
        assertThat(suite.getAttribute("failures")).isEqualTo("0");
        assertThat(suite.getAttribute("errors")).isEqualTo("0");
        assertThat(suite.getAttribute("skipped")).isEqualTo("0");
        Element only = elements(suite, "testcase").get(0);
        assertThat(only.getAttribute("classname")).isEqualTo("stagegate");
        assertThat(only.getAttribute("name")).isEqualTo("stagegate");
        assertThat(only.getChildNodes().getLength()).isZero();
    }

    @Test
    void warningsOnlyStillPass() throws Exception {
        Verdict verdict = Verdict.of(List.of(Violation.warning("policy-loosened", "bypass users added")))
                .withNote("no policy governs refs/tags/v1");

        Element suite = parse(renderer.render(verdict)).getDocumentElement();

        assertThat(suite.getAttribute("tests")).isEqualTo("2");
        assertThat(suite.getAttribute("skipped")).isEqualTo("1");
        assertThat(suite.getAttribute("failures")).isEqualTo("0");
        assertThat(elements(suite, "testcase")).extracting(c -> c.getAttribute("name"))
                .containsExactly("stagegate", "stagegate");
        List<Element> outputs = elements(suite, "system-out");
        assertThat(outputs.get(outputs.size() - 1).getTextContent()).isEqualTo("note: no policy governs refs/tags/v1\n");
    }

    @Test
    void escapesMarkupAndKeepsNonAscii() throws Exception {
        String message = "expected <integer> & got \"x\" ]]> 'q' \u00e9\u65e5\u672c \ud83d\ude80\nsecond line";
        Verdict verdict = Verdict.of(List.of(
                Violation.error("schema-violation", message).at("apps/<a&b>/\"v\u00e4lues\".yaml", 2, 1)));

        String xml = renderer.render(verdict);

        Element failure = child(elements(parse(xml).getDocumentElement(), "testcase").get(0), "failure");
        assertThat(failure.getAttribute("message")).isEqualTo(message.replace('\n', ' '));
        assertThat(failure.getTextContent()).contains(message, "file: apps/<a&b>/\"v\u00e4lues\".yaml:2:1");
        assertThat(((Element) failure.getParentNode()).getAttribute("name"))
                .isEqualTo("apps/<a&b>/\"v\u00e4lues\".yaml:2:1");
        assertThat(xml).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>").doesNotContain("]]>");
    }

    @Test
    void replacesCharactersXmlCannotCarry() throws Exception {
        Verdict verdict = Verdict.of(List.of(
                Violation.error("schema-violation", "nul \u0000 bell \u0007 lone \ud800 end").at("a.yaml", 1, 1)));

        Element failure = child(elements(parse(renderer.render(verdict)).getDocumentElement(), "testcase").get(0),
                "failure");

        assertThat(failure.getAttribute("message")).isEqualTo("nul \ufffd bell \ufffd lone \ufffd end");
    }

    @Test
    void twoProblemsAtOnePlaceStayTwoTestCases() throws Exception {
        Verdict verdict = Verdict.of(List.of(
                Violation.error("schema-violation", "first").at("a.yaml", 1, 1),
                Violation.error("schema-violation", "second").at("a.yaml", 1, 1)));

        Element suite = parse(renderer.render(verdict)).getDocumentElement();

        assertThat(elements(suite, "testcase")).extracting(c -> c.getAttribute("name"))
                .containsExactly("a.yaml:1:1", "a.yaml:1:1 #2");
    }

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<Element> elements(Element root, String tag) {
        NodeList nodes = root.getElementsByTagName(tag);
        List<Element> elements = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            elements.add((Element) nodes.item(i));
        }
        return elements;
    }

    private static Element child(Element parent, String tag) {
        List<Element> children = elements(parent, tag);
        assertThat(children).as("<%s> in <%s>", tag, parent.getAttribute("name")).hasSize(1);
        return children.get(0);
    }
}
