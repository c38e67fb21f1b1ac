package dev.stagegate.policytest;

import dev.stagegate.report.SourcePosition;
import org.json.JSONObject;

/**
 * A case's {@code policyPatch}: changes to the policy under test for that case only, as a JSON
 * merge patch (RFC 7386). A test file can then show a variant of the policy (fastForwardOnly
 * on, say) beside the policy itself, without a second policy file to keep in step with it.
 *
 * @param changes  the patch as written
 * @param position where the case writes it, for a patch that leaves the policy invalid
 */
public record PolicyPatch(JSONObject changes, SourcePosition position) {

    /** The policy document with the changes merged in; {@code policy} itself is left as it is. */
    public JSONObject applyTo(JSONObject policy) {
        return merge(policy, changes);
    }

    /** RFC 7386: mappings merge key by key, null removes a key, anything else replaces the value. */
    private static JSONObject merge(JSONObject target, JSONObject patch) {
        JSONObject merged = new JSONObject();
        for (String key : target.keySet()) {
            merged.put(key, target.get(key));
        }
        for (String key : patch.keySet()) {
            Object change = patch.get(key);
            if (change == JSONObject.NULL) {
                merged.remove(key);
            } else if (change instanceof JSONObject mapping) {
                merged.put(key, merge(merged.opt(key) instanceof JSONObject existing ? existing : new JSONObject(),
                        mapping));
            } else {
                merged.put(key, change);
            }
        }
        return merged;
    }
}
