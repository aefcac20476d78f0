#!/usr/bin/env python3
"""Lists C++ functions longer than N lines, so the "functions under ~40 lines" rule can be
re-checked after a change.

    python3 tools/long_functions.py [--max N] [PATH ...]

PATH: files or directories (default: src include tests bench). A function's length counts its
lines from the one holding its name to its closing brace. Prints one line per function over N
(default 40), longest first: "lines  file:line  name", then the count.

A heuristic, not a parser: comments, string and character literals (raw strings too) are blanked,
then every brace block whose header looks like `name(...) qualifiers {` and not like a control
statement, a lambda or a type is a function. Lambdas count towards the function that holds them.
Declarative tables (long initialiser lists) are not functions and are not listed; a function
that only returns a table is, and is for the reader to judge.
"""
import argparse
import os
import re
import sys

SUFFIXES = (".cpp", ".cc", ".h", ".hpp")
CONTROL = {"if", "for", "while", "switch", "catch", "do", "else", "return", "sizeof",
           "alignof", "decltype", "static_assert", "requires", "noexcept", "constexpr"}
TYPE_WORDS = re.compile(r"\b(class|struct|union|enum|namespace)\b")
NAME_BEFORE_PAREN = re.compile(r"((?:~?[A-Za-z_]\w*|operator\s*[^\s(]+(?:\s*\(\s*\))?)"
                               r"(?:\s*<[^(){};]*>)?)\s*\($")


def blank_literals(text):
    """Replaces comments and literals by spaces, keeping newlines (so line numbers hold)."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c == "R" and text.startswith('R"', i) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            m = re.match(r'R"([^()\\ ]{0,16})\(', text[i:])
            if not m:
                out.append(c)
                i += 1
                continue
            close = ")" + m.group(1) + '"'
            j = text.find(close, i + m.end())
            j = n if j < 0 else j + len(close)
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c in "\"'":
            if c == "'" and i > 0 and text[i - 1].isalnum():  # digit separator: 1'000
                out.append(" ")
                i += 1
                continue
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(" " * (j - i))
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def strip_preprocessor(text):
    return re.sub(r"(?m)^[ \t]*#.*(?:\\\n.*)*", lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def function_name(header):
    """The function's name when `header` (text before a `{`) is a function head, else None."""
    h = " ".join(header.split())
    if not h or h.endswith(("=", ",", "(", "[", "return")) or TYPE_WORDS.search(h.split("(")[0]):
        return None
    # Cut a constructor's initialiser list: "X::X(args) : a_(1), b_{2}" -> "X::X(args)".
    depth, close = 0, -1
    for k, ch in enumerate(h):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                close = k
                rest = h[k + 1:].strip()
                if not re.match(r"^(const|noexcept|override|final|volatile|&|&&|->|mutable|\s|"
                                r"\[\[[^\]]*\]\]|noexcept\(.*\)|[\w:<>,* &]+)*$", rest):
                    if not rest.startswith(":"):
                        close = -1
                break
    if close < 0:
        return None
    depth, open_ = 0, -1
    for k in range(close, -1, -1):
        if h[k] == ")":
            depth += 1
        elif h[k] == "(":
            depth -= 1
            if depth == 0:
                open_ = k
                break
    if open_ < 0:
        return None
    before = h[:open_ + 1]
    if re.search(r"\]\s*\($", before) or re.search(r"\]\s*$", h[:open_]):
        return None  # a lambda
    m = NAME_BEFORE_PAREN.search(before)
    if not m:
        return None
    name = m.group(1)
    if name in CONTROL:
        return None
    if name in ("TEST", "TEST_F", "TEST_P"):
        return name + h[open_:close + 1].replace(" ", "")
    qualified = re.search(r"((?:[A-Za-z_]\w*(?:<[^()]*>)?::)*)" + re.escape(name) + r"\s*(?:<[^()]*>)?\s*\($", before)
    return (qualified.group(1) if qualified else "") + name


def long_functions(path, limit):
    with open(path, encoding="utf-8", errors="replace") as f:
        text = strip_preprocessor(blank_literals(f.read()))
    found = []
    stack = []  # per open brace: (function name or None, line of its header)
    header_start = 0
    in_function = 0
    line = 1
    header_line = 1
    for k, ch in enumerate(text):
        if ch == "\n":
            line += 1
            continue
        if ch in ";{}":
            if ch == "{":
                header = text[header_start:k]
                name = function_name(header) if in_function == 0 else None
                lead = header[:len(header) - len(header.lstrip())]
                start = header_line + lead.count("\n")
                stack.append((name, start))
                if name:
                    in_function += 1
            elif ch == "}" and stack:
                name, start = stack.pop()
                if name:
                    in_function -= 1
                    if line - start + 1 > limit:
                        found.append((line - start + 1, path, start, name))
            header_start = k + 1
            header_line = line
        elif ch == ":" and text.startswith("::", k - 1) is False and text[k + 1:k + 2] != ":" \
                and text[k - 1:k] != ":" and re.search(r"\b(public|private|protected|default|case[^;{}]*)\s*$",
                                                       text[header_start:k]):
            header_start = k + 1  # access specifiers and case labels are not part of a header
            header_line = line
    return found


def sources(paths):
    for p in paths:
        if os.path.isdir(p):
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith((".", "build")))
                for name in sorted(files):
                    if name.endswith(SUFFIXES):
                        yield os.path.join(root, name)
        elif os.path.isfile(p):
            yield p


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--max", type=int, default=40, help="longest allowed function, lines")
    parser.add_argument("paths", nargs="*", default=["src", "include", "tests", "bench"])
    args = parser.parse_args()
    found = []
    for path in sources(args.paths):
        found.extend(long_functions(path, args.max))
    found.sort(key=lambda f: (-f[0], f[1], f[2]))
    for length, path, start, name in found:
        print(f"{length:5d}  {path}:{start}  {name}")
    print(f"{len(found)} function(s) over {args.max} lines", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
