package dev.stagegate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EvidenceSettingsTest {

    private static final EvidenceSettings RESTRICTED = new EvidenceSettings("refs/notes/stagegate",
            Optional.of(Set.of("ci-bot")), Optional.of(Set.of("ci-bot", "release-bot")));

    @Test
    void withoutListsEveryoneIsAdmittedAndTrusted() {
        assertThat(EvidenceSettings.DEFAULTS.admitsWriter("anyone")).isTrue();
        assertThat(EvidenceSettings.DEFAULTS.trustsProducer("anyone")).isTrue();
    }

    @Test
    void withListsOnlyTheListedAre() {
        assertThat(RESTRICTED.admitsWriter("release-bot")).isTrue();
        assertThat(RESTRICTED.admitsWriter("mallory")).isFalse();
        assertThat(RESTRICTED.trustsProducer("ci-bot")).isTrue();
        assertThat(RESTRICTED.trustsProducer("release-bot")).isFalse();
    }

    @Test
    void anAnonymousPusherMatchesNoList() {
        assertThat(RESTRICTED.admitsWriter(null)).isFalse();
        assertThat(RESTRICTED.trustsProducer(null)).isFalse();
        assertThat(EvidenceSettings.DEFAULTS.admitsWriter(null)).isTrue();
    }

    @Test
    void anEmptyListAdmitsNobody() {
        EvidenceSettings closed = new EvidenceSettings("refs/notes/stagegate",
                Optional.of(Set.of()), Optional.of(Set.of()));

        assertThat(closed.admitsWriter("ci-bot")).isFalse();
        assertThat(closed.trustsProducer("ci-bot")).isFalse();
    }
}
