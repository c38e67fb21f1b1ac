package dev.stagegate.git;

import org.eclipse.jgit.lib.ObjectId;

/**
 * The identity of a commit's content: the id of its tree with every environment-specific
 * path removed (policy-v1.md, "Content"). Two commits carry the same content exactly when
 * their keys are equal, however the content got there (fast-forward, merge, squash, rebase).
 * The filtered tree is never written; only its id is computed.
 */
public record ContentKey(ObjectId treeId) {
}
