package dev.stagegate.report;

import java.util.Objects;

/**
 * What {@code validate} did with the resources of one kind: a kind that is always skipped or
 * never finds its schema checks nothing, and "accepted" alone would not show it.
 *
 * @param kind          {@code apps/v1/Deployment}, {@code v1/ConfigMap}
 * @param files         how many files hold resources of this kind
 * @param resources     how many resources of this kind there are, checked or not
 * @param skipped       how many were not checked because {@code skipKinds} names the kind
 * @param missingSchema how many were not checked because no schema was found and
 *                      {@code missingSchema} is {@code warn} or {@code ignore}
 */
public record KindCount(String kind, int files, int resources, int skipped, int missingSchema) {

    public KindCount {
        Objects.requireNonNull(kind, "kind");
    }

    /** How many were checked against a schema. */
    public int checked() {
        return resources - skipped - missingSchema;
    }

    /** {@code apps/v1/Deployment: 12 resources in 10 files, 12 checked}, then what was skipped and why. */
    public String describe() {
        StringBuilder out = new StringBuilder(kind).append(": ").append(plural(resources, "resource"))
                .append(" in ").append(plural(files, "file")).append(", ").append(checked()).append(" checked");
        if (skipped > 0) {
            out.append(", ").append(skipped).append(" skipped (skipKinds)");
        }
        if (missingSchema > 0) {
            out.append(", ").append(missingSchema).append(" without a schema (missingSchema)");
        }
        return out.toString();
    }

    static String plural(int count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }
}
