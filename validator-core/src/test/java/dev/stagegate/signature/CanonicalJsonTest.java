package dev.stagegate.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CanonicalJsonTest {

    private static String payload(String line) {
        return new String(CanonicalJson.signedPayload(line), StandardCharsets.UTF_8);
    }

    @Test
    void sortsMembersByUtf16CodeUnitsAsRfc8785Section3_2_3() {
        // The RFC's own sorting example: U+1F600 (a surrogate pair, d83d de00) sorts before U+FB33 by code units,
        // though after it by code points.
        String input = """
                {
                   "\\u20ac": "Euro Sign",
                   "\\r": "Carriage Return",
                   "\\ufb33": "Hebrew Letter Dalet With Dagesh",
                   "1": "One",
                   "\\ud83d\\ude00": "Emoji: Grinning Face",
                   "\\u0080": "Control",
                   "\\u00f6": "Latin Small Letter O With Diaeresis"
                }""";

        assertThat(payload(input)).isEqualTo("{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\","
                + "\"\u00f6\":\"Latin Small Letter O With Diaeresis\",\"\u20ac\":\"Euro Sign\","
                + "\"\ud83d\ude00\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}");
    }

    @Test
    void escapesStringsAndLiteralsAsRfc8785Section3_2_4() {
        String input = """
                {
                  "string": "\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\"\\/",
                  "literals": [null, true, false]
                }""";

        assertThat(payload(input)).isEqualTo("{\"literals\":[null,true,false],\"string\":\"\u20ac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
    }

    @Test
    void writesEveryControlCharacterAsEcmascriptDoes() {
        assertThat(payload("{\"c\":\"\\u0000\\u0008\\u0009\\u000a\\u000c\\u000d\\u001f\\u007f\\u2028\"}"))
                .isEqualTo("{\"c\":\"\\u0000\\b\\t\\n\\f\\r\\u001f\u007f\u2028\"}");
        assertThat(CanonicalJson.signedPayload("{\"c\":\"\u00e9\"}")).containsExactly(
                "{\"c\":\"\u00e9\"}".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aRecordIsItsMembersSortedWithoutWhitespaceAndWithoutItsSignature() {
        String record = "{ \"recordedAt\": \"2026-01-02T03:04:05Z\", \"kind\": \"Approval\", \"apiVersion\": \"stagegate/v1\","
                + " \"approver\": \"alice\", \"signature\": \"-----BEGIN SSH SIGNATURE-----\\n...\", \"tests\": 12,"
                + " \"reports\": [{\"z\": \"1\", \"a\": \"2\"}] }";

        assertThat(payload(record)).isEqualTo("{\"apiVersion\":\"stagegate/v1\",\"approver\":\"alice\",\"kind\":\"Approval\","
                + "\"recordedAt\":\"2026-01-02T03:04:05Z\",\"reports\":[{\"a\":\"2\",\"z\":\"1\"}],\"tests\":12}");
    }

    @Test
    void memberOrderAndWhitespaceDoNotChangeThePayload() {
        assertThat(CanonicalJson.signedPayload("{\"b\":\"2\",\"a\":[\"x\",\"y\"]}"))
                .isEqualTo(CanonicalJson.signedPayload("\t{ \"a\" : [ \"x\" , \"y\" ] ,\n\"b\":\"2\" }  "));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0 | 0",
        "-0 | 0",
        "9007199254740992 | 9007199254740992",
        "-9007199254740992 | -9007199254740992"})
    void writesIntegersAsPlainDigits(String number, String expected) {
        assertThat(payload("{\"n\":" + number + "}")).isEqualTo("{\"n\":" + expected + "}");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "not json | not valid JSON",
        "[1] | not a JSON object",
        "'\"text\"' | not a JSON object",
        "'' | not a JSON object",
        "{\"a\":\"1\"} {} | not valid JSON",
        "{\"a\":\"1\",\"a\":\"2\"} | Duplicate field 'a'",
        "{\"a\":{\"b\":\"1\",\"b\":\"1\"}} | Duplicate field 'b'",
        "{\"n\":1.5} | not an integer",
        "{\"n\":1.0} | not an integer",
        "{\"n\":1e2} | not an integer",
        "{\"n\":9007199254740993} | beyond 2^53",
        "{\"s\":\"\\ud800\"} | lone UTF-16 surrogate",
        "{\"s\":\"\\udc00x\"} | lone UTF-16 surrogate",
        "{'a':'1'} | not valid JSON",
        "{\"a\":NaN} | not valid JSON"})
    void refusesWhatItCannotCanonicalizeExactly(String line, String reason) {
        assertThatThrownBy(() -> CanonicalJson.signedPayload(line))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void refusesAbsurdNestingWithAMessage() {
        String deep = "{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}";

        assertThatThrownBy(() -> CanonicalJson.signedPayload(deep))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nest");
    }

    @Test
    void canonicalizesAnyJsonValue() {
        assertThat(CanonicalJson.canonicalize("{\"b\": \"\u00e9\", \"a\": 3, \"c\": [{\"y\": \"1\", \"x\": \"2\"}, null, true]}"))
                .isEqualTo("{\"a\":3,\"b\":\"\u00e9\",\"c\":[{\"x\":\"2\",\"y\":\"1\"},null,true]}");
        assertThat(CanonicalJson.canonicalize(" [ 1 , \"x\" ] ")).isEqualTo("[1,\"x\"]");
    }

    @Test
    void refusesANumberThatJcsCannotWriteExactlyWhereverItIs() {
        assertThatThrownBy(() -> CanonicalJson.canonicalize("[0.1]")).hasMessageContaining("not an integer");
    }
}
