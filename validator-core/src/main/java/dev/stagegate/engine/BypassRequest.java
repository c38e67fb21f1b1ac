package dev.stagegate.engine;

import java.util.List;
import java.util.Optional;

/** An audited bypass asked for with {@code git push -o stagegate.bypass="<reason>"}. */
public record BypassRequest(String reason) {

    public static final String OPTION = "stagegate.bypass";

    /** The request among the push options, if any (the last one wins, as with git config). */
    public static Optional<BypassRequest> from(List<String> pushOptions) {
        Optional<BypassRequest> request = Optional.empty();
        for (String option : pushOptions) {
            if (option.equals(OPTION)) {
                request = Optional.of(new BypassRequest(""));
            } else if (option.startsWith(OPTION + "=")) {
                request = Optional.of(new BypassRequest(option.substring(OPTION.length() + 1).strip()));
            }
        }
        return request;
    }

    public boolean hasReason() {
        return !reason.isBlank();
    }
}
