package dev.stagegate.policy;

/**
 * How promotions are found.
 *
 * @param searchDepth     how many first-parent commits of a branch count as in its environment;
 *                        bounds every history search
 * @param fastForwardOnly whether a promotion's new tip must itself be an upstream commit
 */
public record PromotionSettings(int searchDepth, boolean fastForwardOnly) {

    public static final int DEFAULT_SEARCH_DEPTH = 200;
    public static final int MAX_SEARCH_DEPTH = 100_000;

    public static final PromotionSettings DEFAULTS = new PromotionSettings(DEFAULT_SEARCH_DEPTH, false);

    public PromotionSettings {
        if (searchDepth < 1 || searchDepth > MAX_SEARCH_DEPTH) {
            throw new IllegalArgumentException(
                    "searchDepth must be between 1 and " + MAX_SEARCH_DEPTH + ": " + searchDepth);
        }
    }
}
