package dev.stagegate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PusherTest {

    @Test
    void gitolitesUserIsTheIdentityWhereNoOtherHostSetsOne() {
        Pusher pusher = Pusher.fromEnvironment(Map.of("GL_USER", "alice", "GL_REPO", "gitops"), Optional.empty());

        assertThat(pusher.identity()).contains("alice");
    }

    @Test
    void gitolitesUserComesAfterEveryOtherHostsVariable() {
        assertThat(Pusher.IDENTITY_VARIABLES).containsExactly(
                "STAGEGATE_USER", "GITHUB_USER_LOGIN", "GL_USERNAME", "GITEA_PUSHER_NAME", "REMOTE_USER", "GL_USER");
    }

    /** A pusher who smuggles GL_USER into GitLab's or a web server's hook environment does not outrank the host. */
    @Test
    void aGlUserBesideAHostsOwnVariableDoesNotChangeTheIdentity() {
        assertThat(Pusher.fromEnvironment(Map.of("GL_ID", "user-7", "GL_USERNAME", "bob", "GL_USER", "release-manager"),
                Optional.empty()).identity()).contains("bob");
        assertThat(Pusher.fromEnvironment(Map.of("REMOTE_USER", "bob", "GL_USER", "release-manager"),
                Optional.empty()).identity()).contains("bob");
    }

    @Test
    void pinnedToGlUserOnlyGlUserCounts() {
        Map<String, String> environment = Map.of("STAGEGATE_USER", "mallory", "GL_USER", "alice");

        assertThat(Pusher.fromEnvironment(environment, Optional.of("GL_USER")).identity()).contains("alice");
        assertThat(Pusher.fromEnvironment(Map.of("STAGEGATE_USER", "mallory"), Optional.of("GL_USER")))
                .isEqualTo(Pusher.ANONYMOUS);
    }

    @Test
    void aBlankVariableIsNoIdentity() {
        assertThat(Pusher.fromEnvironment(Map.of("GL_USER", "  "), Optional.empty())).isEqualTo(Pusher.ANONYMOUS);
    }
}
