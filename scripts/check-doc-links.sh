#!/usr/bin/env bash
# The docs stand on their own: every relative link in README.md and docs/*.md (or in the
# files given) resolves to a file or folder inside the repository, every #anchor to a
# heading of the file it names, and nothing points outside the repository (no link or
# path in backticks that climbs above its root, no absolute link, no absolute path of
# this checkout). Web links (http, https, mailto) are not followed. Run from anywhere;
# ctest `doc_links` (lint) runs it.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if [ "$#" -eq 0 ]; then set -- README.md docs/*.md; fi

exec python3 - "$root" "$@" <<'PY'
import os, re, sys

root = os.path.realpath(sys.argv[1])
files = sys.argv[2:]
errors = []

FENCE = re.compile(r"^\s*(```|~~~)")
INLINE_LINK = re.compile(r"!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REF_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$")
CODE_SPAN = re.compile(r"`([^`]+)`")
RELATIVE_PATH = re.compile(r"(?:^|[\s(\[\"'=])(\.\.?/[^\s`'\")\]]*)")


def slug(heading):
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"`", "", heading.strip().lower())
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # a link keeps its text
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path):
    seen, out = {}, set()
    in_fence = False
    with open(path, encoding="utf-8") as f:
        for line in f:
            if FENCE.match(line):
                in_fence = not in_fence
                continue
            m = None if in_fence else re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
            if m:
                s = slug(m.group(1))
                n = seen.get(s, 0)
                seen[s] = n + 1
                out.add(s if n == 0 else f"{s}-{n}")
    return out


def inside(path):
    real = os.path.realpath(path)
    return real == root or real.startswith(root + os.sep)


def check_target(src, lineno, target):
    where = f"{os.path.relpath(src, root)}:{lineno}"
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target):
        if not re.match(r"^(https?|mailto):", target):
            errors.append(f"{where}: link {target!r}: only http, https and mailto leave the repository")
        return
    path, _, anchor = target.partition("#")
    if path.startswith("/"):
        errors.append(f"{where}: link {target!r} is absolute: make it relative to {os.path.relpath(src, root)}")
        return
    dest = os.path.normpath(os.path.join(os.path.dirname(src), path)) if path else src
    if not inside(dest):
        errors.append(f"{where}: link {target!r} leaves the repository")
        return
    if not os.path.exists(dest):
        errors.append(f"{where}: link {target!r}: no such file in the repository")
        return
    if anchor and dest.endswith(".md") and os.path.isfile(dest) and anchor not in anchors(dest):
        errors.append(f"{where}: link {target!r}: no heading #{anchor} in {os.path.relpath(dest, root)}")


for name in files:
    src = os.path.join(root, name)
    if not os.path.isfile(src):
        errors.append(f"{name}: no such file")
        continue
    in_fence = False
    with open(src, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if root in line:
                errors.append(f"{name}:{lineno}: names this checkout's absolute path ({root})")
            if FENCE.match(line):
                in_fence = not in_fence
                continue
            # Paths in code (backticks, or a fenced block) may name files, but none outside.
            spans = [line] if in_fence else CODE_SPAN.findall(line)
            for span in spans:
                for p in RELATIVE_PATH.findall(span):
                    if not inside(os.path.join(os.path.dirname(src), p)):
                        errors.append(f"{name}:{lineno}: path {p!r} leaves the repository")
            if in_fence:
                continue
            prose = CODE_SPAN.sub(lambda m: "x" * len(m.group(0)), line)
            for target in INLINE_LINK.findall(prose):
                check_target(src, lineno, target)
            m = REF_DEF.match(prose)
            if m:
                check_target(src, lineno, m.group(1))

for e in errors:
    print(e, file=sys.stderr)
if errors:
    print(f"check-doc-links: {len(errors)} problem(s) in {len(files)} file(s)", file=sys.stderr)
    sys.exit(1)
print(f"check-doc-links: {len(files)} file(s), every link inside the repository")
PY
