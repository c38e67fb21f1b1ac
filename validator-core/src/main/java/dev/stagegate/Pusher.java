package dev.stagegate;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who pushes, as the Git host vouches for it through the hook's environment. A pusher
 * without an identity is anonymous and matches no list (bypass users, writers).
 */
public record Pusher(Optional<String> identity) {

    /**
     * The variables product.md names, in the order they are consulted, then gitolite's
     * {@code GL_USER}. Last, so that it is read only where no other host set its own
     * variable: a pusher who can pass GL_USER to another host's hook cannot outrank that
     * host's identity with it (docs/design.md).
     */
    public static final List<String> IDENTITY_VARIABLES = List.of(
            "STAGEGATE_USER", "GITHUB_USER_LOGIN", "GL_USERNAME", "GITEA_PUSHER_NAME", "REMOTE_USER", "GL_USER");

    public static final Pusher ANONYMOUS = new Pusher(Optional.empty());

    /**
     * The pusher named by the first non-empty identity variable; with {@code pinnedVariable}
     * (set by {@code hook install --identity-env}) only that variable is trusted.
     */
    public static Pusher fromEnvironment(Map<String, String> environment, Optional<String> pinnedVariable) {
        List<String> variables = pinnedVariable.map(List::of).orElse(IDENTITY_VARIABLES);
        for (String variable : variables) {
            String value = environment.get(variable);
            if (value != null && !value.isBlank()) {
                return new Pusher(Optional.of(value.strip()));
            }
        }
        return ANONYMOUS;
    }

    public boolean isIn(java.util.Collection<String> names) {
        return identity.isPresent() && names.contains(identity.get());
    }

    public String describe() {
        return identity.orElse("an anonymous pusher");
    }
}
