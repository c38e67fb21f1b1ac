package dev.stagegate.memo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BoundedMemoTest {

    @Test
    void remembersUpToItsCapacityAndThenStartsAgain() {
        BoundedMemo<String, Integer> memo = new BoundedMemo<>(2);
        memo.put("a", 1);
        memo.put("b", 2);

        assertThat(memo.get("a")).contains(1);
        memo.put("c", 3);

        assertThat(memo.size()).isEqualTo(1);
        assertThat(memo.get("a")).isEmpty();
        assertThat(memo.get("c")).contains(3);
    }

    @Test
    void forgetsEverythingWhenTheWeightWouldBeExceededAndNeverKeepsATooHeavyValue() {
        BoundedMemo<String, String> memo = new BoundedMemo<>(100, 10, String::length);
        memo.put("a", "12345");
        memo.put("b", "1234");

        memo.put("c", "12");
        assertThat(memo.get("a")).isEmpty();
        assertThat(memo.get("c")).contains("12");

        memo.put("d", "12345678901");
        assertThat(memo.get("d")).isEmpty();
        assertThat(memo.get("c")).contains("12");
    }

    @Test
    void needsRoomForOneEntry() {
        assertThatThrownBy(() -> new BoundedMemo<>(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
