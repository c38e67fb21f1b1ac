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
    void needsRoomForOneEntry() {
        assertThatThrownBy(() -> new BoundedMemo<>(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
