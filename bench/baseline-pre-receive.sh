#!/bin/bash
# The plain-git floor of quality.md ("Speed"): a pre-receive hook that judges the benchmark's
# environment branches with nothing but git. For each '<old> <new> <ref>' line on stdin:
#   - environment branch: git merge-base --is-ancestor old new (no force push),
#     git diff --quiet <upstream tip> new -- . ':(exclude)env/**' (the content is the
#     upstream's), and for main git notes --ref=stagegate show <upstream tip> (evidence);
#   - any other branch: lists the changed schema-mapped files and reads them (git has no
#     schema validator, so this is the part of stagegate's work plain git can do).
# Exit 0 accepts the push, 1 rejects it. The environment chain is the one of
# bench/fixtures/policy.yaml, written out here because plain git cannot read a policy.
#
# With the argument "clusters", the evidence of bench/fixtures/policy-clusters.yaml instead:
# main needs a passing e2e run in staging on staging's tip and a passing integration run in
# testing on the test commit it came from, which plain git finds through the Promoted-From:
# trailer of staging's tip (git log --format=%(trailers)); staging needs a passing
# integration run in testing on test's tip. Schema-mapped files are clusters/*/*/values.yaml.
set -u
shape=${1:-apps}
files=':(glob)apps/**/values.yaml'
[ "$shape" = clusters ] && files=':(glob)clusters/*/*/values.yaml'
zero=0000000000000000000000000000000000000000
status=0
while read -r old new ref; do
  case $ref in
    refs/heads/develop) upstream= ;;
    refs/heads/test) upstream=develop ;;
    refs/heads/staging) upstream=test ;;
    refs/heads/main) upstream=staging ;;
    refs/heads/*)
      if [ "$new" != "$zero" ] && [ "$old" != "$zero" ]; then
        git diff --name-only --diff-filter=AM "$old" "$new" -- "$files" |
          sed "s|^|$new:|" | git cat-file --batch >/dev/null || status=1
      fi
      continue ;;
    *) continue ;;
  esac
  if [ "$new" = "$zero" ]; then
    echo "baseline: $ref: deleting an environment branch is not allowed"; status=1; continue
  fi
  if [ "$old" != "$zero" ] && ! git merge-base --is-ancestor "$old" "$new"; then
    echo "baseline: $ref: not a fast-forward"; status=1; continue
  fi
  [ -n "$upstream" ] || continue
  tip=$(git rev-parse --verify --quiet "refs/heads/$upstream^{commit}") || {
    echo "baseline: $ref: upstream branch $upstream does not exist"; status=1; continue; }
  if ! git diff --quiet "$tip" "$new" -- . ':(exclude)env/**'; then
    echo "baseline: $ref: content is not the tip of $upstream"; status=1; continue
  fi
  if [ "$shape" = apps ] && [ "$ref" = refs/heads/main ]; then
    if ! git notes --ref=stagegate show "$tip" 2>/dev/null | grep -q '"suite":"integration".*"result":"passed"'; then
      echo "baseline: $ref: no passing integration evidence on $tip"; status=1; continue
    fi
  fi
  if [ "$shape" = clusters ] && [ "$ref" = refs/heads/main ]; then
    if ! git notes --ref=stagegate show "$tip" 2>/dev/null |
        grep -q '"environment":"staging","suite":"e2e","result":"passed"'; then
      echo "baseline: $ref: no passing e2e evidence from staging on $tip"; status=1; continue
    fi
    tip=$(git log -1 --format='%(trailers:key=Promoted-From,valueonly)' "$tip")
  fi
  if [ "$shape" = clusters ] && [ "$ref" != refs/heads/test ]; then
    if ! git notes --ref=stagegate show "$tip" 2>/dev/null |
        grep -q '"environment":"testing","suite":"integration","result":"passed"'; then
      echo "baseline: $ref: no passing integration evidence from testing on $tip"; status=1; continue
    fi
  fi
done
exit $status
