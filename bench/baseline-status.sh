#!/bin/bash
# Plain-git counterpart of 'stagegate status' for the benchmark: for every environment
# branch, its tip, whether its content equals its upstream's tip (git diff --quiet, env/**
# excluded), and whether that upstream tip has evidence (git notes show). GIT_DIR is the
# repository; always exits 0.
set -u
previous=
for branch in develop test staging main; do
  tip=$(git rev-parse --verify --quiet "refs/heads/$branch^{commit}") || { echo "$branch: missing"; continue; }
  line="$branch $(git log -1 --format='%h %cs %s' "$tip")"
  if [ -n "$previous" ]; then
    upstream=$(git rev-parse "refs/heads/$previous")
    if git diff --quiet "$upstream" "$tip" -- . ':(exclude)env/**'; then
      line="$line; same content as $previous"
    else
      line="$line; behind $previous by $(git diff --name-only "$tip" "$upstream" -- . ':(exclude)env/**' | wc -l) file(s)"
    fi
    if git notes --ref=stagegate show "$upstream" >/dev/null 2>&1; then
      line="$line; $previous tip has evidence"
    fi
  fi
  echo "$line"
  previous=$branch
done
