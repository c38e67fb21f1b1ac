package dev.stagegate.policy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The policy's {@code groups} and {@code identities}: who a {@code requiresApproval.from} list
 * names, and which commit e-mail addresses are whose.
 *
 * @param groups     group name to its identities, in policy order
 * @param identities identity to its commit e-mail addresses
 */
public record People(Map<String, List<String>> groups, Map<String, List<String>> identities) {

    public static final People NONE = new People(Map.of(), Map.of());

    public People {
        groups = copy(groups);
        identities = copy(identities);
    }

    private static Map<String, List<String>> copy(Map<String, List<String>> map) {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        map.forEach((key, values) -> copy.put(key, List.copyOf(values)));
        return Collections.unmodifiableMap(copy);
    }

    /** The identities {@code names} stand for: a group name is its members, any other name itself. */
    public Set<String> expand(List<String> names) {
        Set<String> expanded = new LinkedHashSet<>();
        for (String name : names) {
            List<String> members = groups.get(name);
            if (members == null) {
                expanded.add(name);
            } else {
                expanded.addAll(members);
            }
        }
        return expanded;
    }

    /**
     * Whether {@code email} is one of {@code identity}'s: an address listed under
     * {@code identities}, or the identity string itself; case-insensitive.
     */
    public boolean isEmailOf(String identity, String email) {
        if (email == null || email.isEmpty()) {
            return false;
        }
        String wanted = email.toLowerCase(Locale.ROOT);
        if (identity.toLowerCase(Locale.ROOT).equals(wanted)) {
            return true;
        }
        for (String address : identities.getOrDefault(identity, List.of())) {
            if (address.toLowerCase(Locale.ROOT).equals(wanted)) {
                return true;
            }
        }
        return false;
    }
}
