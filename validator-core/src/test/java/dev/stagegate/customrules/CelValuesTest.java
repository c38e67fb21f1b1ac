package dev.stagegate.customrules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cel.common.values.NullValue;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

class CelValuesTest {

    @Test
    void scalarsBecomeCelScalars() {
        assertThat(CelValues.of("text")).isEqualTo("text");
        assertThat(CelValues.of(Boolean.TRUE)).isEqualTo(true);
        assertThat(CelValues.of(7)).isEqualTo(7L);
        assertThat(CelValues.of(7_000_000_000L)).isEqualTo(7_000_000_000L);
        assertThat(CelValues.of(new BigInteger("9223372036854775807"))).isEqualTo(Long.MAX_VALUE);
        assertThat(CelValues.of(new BigInteger("-9223372036854775808"))).isEqualTo(Long.MIN_VALUE);
        assertThat(CelValues.of(new BigDecimal("0.25"))).isEqualTo(0.25d);
        assertThat(CelValues.of(JSONObject.NULL)).isSameAs(NullValue.NULL_VALUE);
        assertThat(CelValues.of(null)).isSameAs(NullValue.NULL_VALUE);
    }

    @Test
    void mappingsAndSequencesBecomeMapsAndListsOfCelValues() {
        JSONObject root = new JSONObject()
                .put("replicas", 2)
                .put("ports", new JSONArray().put(80).put(JSONObject.NULL))
                .put("labels", new JSONObject().put("team", "shop"));

        Object value = CelValues.of(root);

        assertThat(value).isInstanceOf(Map.class);
        assertThat(value).isEqualTo(Map.of(
                "replicas", 2L,
                "ports", List.of(80L, NullValue.NULL_VALUE),
                "labels", Map.of("team", "shop")));
        Map<?, ?> map = (Map<?, ?>) value;
        assertThat(map.containsKey("replicas")).isTrue();
        assertThat(map.containsKey("image")).isFalse();
        assertThat(map.get("image")).isNull();
        assertThat(map.size()).isEqualTo(3);
    }

    @Test
    void aSequenceViewChecksItsIndex() {
        List<?> list = (List<?>) CelValues.of(new JSONArray().put(1));

        assertThatThrownBy(() -> list.get(1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void anIntegerBeyondInt64IsRefusedWithItsPointerWhenReached() {
        JSONObject root = new JSONObject().put("a/b", new JSONArray().put(new BigInteger("9223372036854775808")));

        List<?> list = (List<?>) ((Map<?, ?>) CelValues.of(root)).get("a/b");

        assertThatThrownBy(() -> list.get(0))
                .isInstanceOf(CelValues.IntegerOutOfRangeException.class)
                .hasMessage("the integer 9223372036854775808 at /a~1b/0 is beyond CEL's 64-bit int range");
    }

    @Test
    void theViewIsLazy() {
        JSONArray big = new JSONArray();
        for (int i = 0; i < 100_000; i++) {
            big.put(new JSONObject().put("i", i));
        }

        List<?> list = (List<?>) CelValues.of(big);

        // nothing copied: the view reads through to the document
        big.getJSONObject(99_999).put("i", -1);
        assertThat(((Map<?, ?>) list.get(99_999)).get("i")).isEqualTo(-1L);
    }
}
