package dev.stagegate.git;

import org.eclipse.jgit.lib.Constants;

/**
 * Whether text spells a full object id: 40 ASCII hex digits. Not JGit's {@code ObjectId.isId},
 * which casts each char to a byte, so that {@code U+0462} passes as {@code b} and
 * {@code ObjectId.fromString} then throws on what a hook's stdin or a tree's names hold.
 */
public final class HexObjectId {

    private HexObjectId() {
    }

    public static boolean isValid(String text) {
        if (text.length() != Constants.OBJECT_ID_STRING_LENGTH) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
                return false;
            }
        }
        return true;
    }
}
