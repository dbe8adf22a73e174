"""Measure our Franklin layer (site_hooks/franklin) against Franklin.jl's own test suite.

Usage:
    python benchmarks/franklin_testsuite.py [--franklin-repo DIR] [--verbose]

DIR is a clone (bare or not) of https://github.com/tlienart/Franklin.jl; the default is the
mirror at /work/.mirror/tlienart+Franklin.jl/repo. The test files are read from its HEAD at run
time with `git show`; no Franklin test case is copied into this repository.

What is extracted. Every `test/**/*.jl` file is lexed as Julia (strings, comments, brackets,
`begin … end` blocks). Within a `@testset` (outside any loop, function, `if` or `let` body) the
harness follows statements of the forms

    X = <string> [* EOS] [|> helper]        X = helper(<string>[; nop=true])
    @test isapproxstr(A, B)   @test A // B   @test A == B

where <string> is a Julia string literal (`raw` or plain, triple-quoted or not; triple-quoted ones
dedented as Julia does) or a variable bound to one, and helper is one of Franklin's page
converters used by the tests (`fd2html`, `fd2html_td`, `seval`, `conv`). A pair is (input
string, expected HTML string). `@test_broken`, `@test occursin(…)`, `@test_throws` and
comparisons with interpolated (`$x`) expected strings are not pairs we can trust.

A pair is *not comparable* when the input needs Julia evaluation (eval code blocks, `\\output`,
`\\show`, `\\literate`, …), files (`\\input`, `\\fig`, `{{insert}}`, …), or Franklin's global
state (the testset or file before it changed page/global variables, wrote files, or the
helper is an internal/intermediate one: `fdi`, `internal=true`, `F.convert_md`), or when the
expected string interpolates Julia values. Otherwise the input is converted config-free (no
site config, page `index.md`) with `franklin.convert` and rendered by Python-Markdown with
exactly mkdocs.yml's extensions, raw HTML restored, as the site renders a page.

How HTML is compared. Both fragments are parsed (html.parser) into a tree; the tree is
normalised and flattened into a token stream: tags with sorted attributes, text with
whitespace collapsed (entity forms such as `&#33;` vs `!` disappear in parsing; whitespace-only
text is dropped), math as `$…$`/`$$…$$` tokens (whitespace removed inside), code blocks as one
token (language, text). Where Franklin's test uses `isapproxstr` (which removes all
whitespace before comparing), text is compared with all whitespace removed too; for `//` and
`==` the collapsed text must match. Only the following differences are normalised away: they
are intentional in our layer (the site renders through MkDocs/Material), not bugs:

    | construct        | Franklin.jl                                  | here                                                   | normalised to                        |
    |------------------|----------------------------------------------|--------------------------------------------------------|--------------------------------------|
    | heading anchor   | <h2 id=x><a href=#x class=header-anchor>T</a> | <h2 id=x>T<a class=headerlink href=#x>¶</a>             | <h2 id=x>T (ids still compared)      |
    | inline math      | \\(x\\) in the text                            | <span class=arithmatex>\\(x\\)</span>                     | $x$ token                            |
    | display math     | \\[x\\] inside the surrounding <p>              | <div class=arithmatex>\\[x\\]</div> between paragraphs    | $$x$$ token, paragraph split around it |
    | equation numbers | <a id=… class=anchor></a> before the math     | <div id=… class=equation-anchor></div>, \\tag{n} in math | both dropped                         |
    | code block       | <pre><code class=language-julia>…             | <div class="language-julia highlight"><pre>…<span>…     | CODE[julia] token with the text      |
    | footnotes        | <sup><a class=fnref>[1]</a>, <table class=fndef> where defined | Python-Markdown footnotes, <div class=footnote> at the end | FNREF 1 / FNDEF … at the end |
    | (footnote text)  | <td class=fndef-content>text</td>             | <li><p>text&#160;<a class=footnote-backref>…</a></p>   | FNDEF text (backref, <p> dropped)    |
    | lone block in <p>| <p><div>…</div></p>, <p>\\[x\\]</p>             | the block alone                                        | the block alone; empty <p> dropped   |
    | entities         | &#33; &#40; &#61; …                          | ! ( = …                                                | the character                        |
    | list items       | <li><p>A</p></li> (Julia's Markdown: always)  | <li>A</li> (Python-Markdown: tight lists)              | <p> inside <li> unwrapped            |
    | div content      | @@d x @@ → <div class=d>x</div>               | md_in_html: <div class=d><p>x</p></div>                | a div's only <p> unwrapped           |
    | admonitions      | <div class=note><div class=title>             | Material: <div class="admonition note"><div class=admonition-title> | class admonition dropped, admonition-title → title |

Everything else counts: a different tag, attribute, id, text, math or code is a disagreement.

Output: one line per pair (agree / differ / not comparable / raised) with --verbose, a compact
diff of the normalised token streams for each disagreement, disagreements grouped by construct,
and the summary: pairs extracted, comparable, agree, differ, raised.
"""
from __future__ import annotations

import argparse
import difflib
import re
import subprocess
import sys
import traceback
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_REPO = Path("/work/.mirror/tlienart+Franklin.jl/repo")

# ============================================================================================
# Julia lexing
# ============================================================================================

@dataclass
class Tok:
    kind: str  # ident, macro, str, ostr (other string macro), op, nl, num, char
    text: str  # for str: the string's value
    start: int
    end: int
    raw: bool = False
    interpolated: bool = False


BLOCK_OPENERS = {"begin", "function", "for", "while", "if", "let", "do", "try", "quote", "struct",
                 "module", "macro"}
OPERATORS = sorted(["|>", "//", "===", "==", "!=", "->", "=>", "&&", "||", "<=", ">=", "...", "::",
                    "+=", "-=", "*=", ".=", "<:", ">:", "÷", "≈"], key=len, reverse=True)
IDENT = re.compile(r"[A-Za-z_\u00a0-\uffff][\w!\u00a0-\uffff]*(?:\.[A-Za-z_\u00a0-\uffff][\w!\u00a0-\uffff]*)*")
CONTINUATION = {"|>", "*", "=", ",", "//", "==", "&&", "||", "=>", "->", "+"}


class JuliaLexError(Exception):
    pass


def _dedent(content: str) -> str:
    """Julia's triple-quoted string rules on the source text: drop a leading newline, remove the
    common leading whitespace of the lines (whitespace-only lines do not count, except the one
    holding the closing quotes)."""
    starts_with_newline = content.startswith("\n")
    if starts_with_newline:
        content = content[1:]
    lines = content.split("\n")
    # lines that begin after a newline (the first one only if a newline was dropped)
    candidates = list(range(0 if starts_with_newline else 1, len(lines)))
    indents = []
    for i in candidates:
        line = lines[i]
        if line.strip(" \t") == "" and i != len(lines) - 1:
            continue
        indents.append(re.match(r"[ \t]*", line).group(0))
    if not indents:
        return content
    prefix = indents[0]
    for ind in indents[1:]:
        while not ind.startswith(prefix):
            prefix = prefix[:-1]
    if not prefix:
        return content
    for i in candidates:
        line = lines[i]
        if line.startswith(prefix):
            lines[i] = line[len(prefix):]
        elif line.strip(" \t") == "":
            lines[i] = ""
    return "\n".join(lines)


SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "e": "\x1b", "a": "\a", "b": "\b",
                  "f": "\f", "v": "\v", "\\": "\\", '"': '"', "'": "'", "$": "$"}


def _unescape(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        c = text[i]
        if c != "\\":
            out.append(c)
            i += 1
            continue
        n = text[i + 1] if i + 1 < len(text) else ""
        if n == "\n":  # line continuation: newline and the next line's indentation go
            i += 2
            while i < len(text) and text[i] in " \t":
                i += 1
            continue
        if n == "x":
            m = re.match(r"[0-9a-fA-F]{1,2}", text[i + 2:])
            out.append(chr(int(m.group(0), 16)))
            i += 2 + len(m.group(0))
        elif n in "uU":
            m = re.match(r"[0-9a-fA-F]{1,8}" if n == "U" else r"[0-9a-fA-F]{1,4}", text[i + 2:])
            out.append(chr(int(m.group(0), 16)))
            i += 2 + len(m.group(0))
        elif n in "01234567" and re.match(r"[0-7]{2,3}", text[i + 1:]):
            m = re.match(r"[0-7]{1,3}", text[i + 1:])
            out.append(chr(int(m.group(0), 8)))
            i += 1 + len(m.group(0))
        elif n in SIMPLE_ESCAPES:
            out.append(SIMPLE_ESCAPES[n])
            i += 2
        else:
            raise JuliaLexError(f"invalid escape \\{n}")
    return "".join(out)


def _unescape_raw(text: str) -> str:
    """raw"…": backslashes are literal except before a quote (and at the end), where they pair."""
    def sub(m: re.Match) -> str:
        n = len(m.group(1))
        return "\\" * (n // 2) + m.group(2) if m.group(2) else "\\" * (n // 2)
    return re.sub(r'(\\+)("|$)', sub, text)


def lex_julia(src: str) -> list[Tok]:
    toks: list[Tok] = []
    i, n = 0, len(src)

    def prev_sig() -> Tok | None:
        return toks[-1] if toks else None

    def scan_string(j: int, triple: bool, raw: bool) -> tuple[int, bool]:
        """Index just after the closing quote(s), and whether the string interpolates."""
        interp = False
        close = '"""' if triple else '"'
        while j < n:
            if src.startswith(close, j):
                return j + len(close), interp
            c = src[j]
            if c == "\\":
                j += 2
                continue
            if c == "$" and not raw:
                interp = True
                if j + 1 < n and src[j + 1] == "(":
                    depth, j = 1, j + 2
                    while j < n and depth:
                        if src[j] == '"':
                            t3 = src.startswith('"""', j)
                            j, _ = scan_string(j + (3 if t3 else 1), t3, False)
                            continue
                        depth += {"(": 1, ")": -1}.get(src[j], 0)
                        j += 1
                    continue
            j += 1
        raise JuliaLexError("unterminated string")

    while i < n:
        c = src[i]
        if c == "#":
            if src.startswith("#=", i):
                depth, j = 1, i + 2
                while j < n and depth:
                    if src.startswith("#=", j):
                        depth, j = depth + 1, j + 2
                    elif src.startswith("=#", j):
                        depth, j = depth - 1, j + 2
                    else:
                        j += 1
                i = j
            else:
                j = src.find("\n", i)
                i = n if j < 0 else j
            continue
        if c == "\n":
            toks.append(Tok("nl", "\n", i, i + 1))
            i += 1
            continue
        if c in " \t\r":
            i += 1
            continue
        if c == '"':
            prefix = ""
            p = prev_sig()
            if p and p.kind == "ident" and p.end == i:
                prefix = toks.pop().text
            start = p.start if prefix else i
            triple = src.startswith('"""', i)
            body_start = i + (3 if triple else 1)
            raw = prefix == "raw"
            if prefix and not raw:  # r"…", html"…", L"…": raw-like string macros
                end, _ = scan_string(body_start, triple, True)
                toks.append(Tok("ostr", src[body_start:end - (3 if triple else 1)], start, end))
                i = end
                continue
            end, interp = scan_string(body_start, triple, raw)
            body = src[body_start:end - (3 if triple else 1)]
            if triple:
                body = _dedent(body)
            try:
                value = _unescape_raw(body) if raw else (body if interp else _unescape(body))
            except (JuliaLexError, AttributeError, ValueError):
                value, interp = body, True  # not a string Julia would accept as is: do not use
            toks.append(Tok("str", value, start, end, raw=raw, interpolated=interp))
            i = end
            continue
        if c == "'":
            p = prev_sig()
            if p and p.end == i and (p.kind in ("ident", "num", "str") or p.text in (")", "]", "}", "'")):
                toks.append(Tok("op", "'", i, i + 1))
                i += 1
                continue
            m = re.match(r"'(\\(?:x[0-9a-fA-F]+|u[0-9a-fA-F]+|.)|[^\\'])'", src[i:], re.S)
            if m:
                toks.append(Tok("char", m.group(1), i, i + m.end()))
                i += m.end()
                continue
            toks.append(Tok("op", "'", i, i + 1))
            i += 1
            continue
        if c == "@":
            m = IDENT.match(src, i + 1)
            if m:
                toks.append(Tok("macro", "@" + m.group(0), i, m.end()))
                i = m.end()
                continue
        m = IDENT.match(src, i)
        if m:
            toks.append(Tok("ident", m.group(0), i, m.end()))
            i = m.end()
            continue
        m = re.match(r"\d[\w.]*", src[i:])
        if m:
            toks.append(Tok("num", m.group(0), i, i + m.end()))
            i += m.end()
            continue
        for op in OPERATORS:
            if src.startswith(op, i):
                toks.append(Tok("op", op, i, i + len(op)))
                i += len(op)
                break
        else:
            toks.append(Tok("op", c, i, i + 1))
            i += 1
    return toks


@dataclass
class Statement:
    toks: list[Tok]
    line: int
    text: str
    testset: str | None
    enclosing: list[str]  # block keywords open around it (outermost first)


def statements(src: str) -> list[Statement]:
    """Split the token stream into top-level statements, tracking testsets and blocks."""
    toks = lex_julia(src)
    out: list[Statement] = []
    blocks: list[tuple[str, str | None]] = []  # (keyword, testset name)
    cur: list[Tok] = []
    depth = 0

    def testset() -> str | None:
        names = [name for _, name in blocks if name]
        return " / ".join(names) if names else None

    def flush() -> None:
        nonlocal cur
        if cur:
            out.append(Statement(cur, src.count("\n", 0, cur[0].start) + 1, src[cur[0].start:cur[-1].end],
                                 testset(), [kw for kw, _ in blocks]))
        cur = []

    for k, t in enumerate(toks):
        if t.kind == "op" and t.text in "([{":
            depth += 1
        elif t.kind == "op" and t.text in ")]}":
            depth = max(0, depth - 1)
        if depth == 0 and t.kind == "ident" and t.text == "end":
            flush()
            if blocks:
                blocks.pop()
            continue
        if depth == 0 and t.kind == "ident" and t.text in BLOCK_OPENERS:
            name = None
            if t.text == "begin" and cur and cur[0].kind == "macro" and cur[0].text == "@testset":
                strs = [x for x in cur if x.kind == "str"]
                name = strs[0].text if strs else "?"
            if t.text == "begin" and cur and cur[0].kind == "macro" and cur[0].text == "@testset":
                flush()
            else:
                cur.append(t)
                flush()
            blocks.append((t.text, name))
            continue
        if depth == 0 and (t.kind == "nl" or (t.kind == "op" and t.text == ";")):
            if cur and not (cur[-1].kind == "op" and cur[-1].text in CONTINUATION) and t.kind == "nl":
                flush()
            elif t.kind == "op":
                flush()
            continue
        if t.kind != "nl":
            cur.append(t)
    flush()
    return out


# ============================================================================================
# Pair extraction
# ============================================================================================

PAGE_HELPERS = {"fd2html", "fd2html_td", "seval", "conv", "Franklin.fd2html", "F.fd2html"}
STATE_HELPERS = {"fdi", "F.convert_md", "cmd", "chtml", "F.convert_html", "fd2html_v", "F.fd2html_v"}
HARMLESS = re.compile(r"^\s*(fs\(\)|gotd\(\)|set_globals\(\)|resource\(\)|F\.def_GLOBAL_VARS!\(\)|"
                      r"F\.def_GLOBAL_LXDEFS!\(\)|F\.def_LOCAL_VARS!\(\)|set_curpath\(\"index\.md\"\)|"
                      r"write\(\"config\.md\", *\"\"\)|println\(.*\)|flush_td\(\))\s*$")
STATE_MARKERS = re.compile(r"set_var!|write\(|GLOBAL_VARS\[|GLOBAL_LXDEFS\[|LOCAL_VARS\[|FD_ENV\[|PATHS\[|"
                           r"mkpath|mkdir|cp\(|include\(|process_config|serve\(|ALL_PAGE_VARS|PAGE_[A-Z]+|"
                           r"internal *= *true|\bfdi\b|convert_md|set_curpath|open\(")
NEEDS_JULIA = [
    (re.compile(r"```[a-zA-Z]*:|```[!>;?\]]"), "eval code block (incl. REPL modes)"),
    (re.compile(r"^\+\+\+[^+]*^\s*\w+\([^)]*\)\s*=", re.M | re.S), "Julia function defined in +++"),
    (re.compile(r"\{\{\s*(href|author|date|fd_\w+|prepath|website_\w+)\b"), "{{…}} on Franklin internals/built-in globals"),
    (re.compile(r"\\(output|show|textoutput|codeoutput|plotlyfig|literate|mdshow)\{"), "\\output & co."),
    (re.compile(r"\\(input|tableinput|fig|figalt|file|textinput|toc_file)\{"), "file input (\\input, \\fig …)"),
    (re.compile(r"\{\{\s*(insert|include|fill\s+\S+\s+\S+|redirect|rss|sitemap_opts|paginate|taglist|page_tags)\b"),
     "{{…}} reading files or other pages"),
    (re.compile(r"\{\{\s*(isdef|ifdef|isnotdef|ifndef|fill|isempty|isnotempty)\s+(author|date|fd_\w+|prepath|"
                r"website_\w+|hasmath|hascode|lang|reflinks|mintoclevel|maxtoclevel|div_content|title)\b"),
     "{{…}} on Franklin's built-in global/page variables"),
    (re.compile(r"\{\{\s*(ispage|isnotpage|ishomepage|isnothomepage)\b"), "{{ispage}} (site paths)"),
]


@dataclass
class Value:
    kind: str  # "str" or "out"
    text: str
    interpolated: bool = False
    helper: str = ""
    nop: bool = False
    state: str = ""  # why it depends on Franklin's state, if it does


@dataclass
class Case:
    file: str
    line: int
    testset: str
    input: str
    expected: str
    mode: str  # approx / strip / exact
    nop: bool = False
    skip: str = ""  # reason not comparable
    status: str = ""  # agree / differ / skip / raised
    detail: str = ""
    construct: str = ""
    ours: str = ""


class ExprParser:
    """A tiny recursive-descent parser for the string expressions of the tests."""

    def __init__(self, toks: list[Tok], env: dict[str, Value]):
        self.toks, self.pos, self.env = toks, 0, env

    def peek(self, k: int = 0) -> Tok | None:
        return self.toks[self.pos + k] if self.pos + k < len(self.toks) else None

    def is_op(self, text: str, k: int = 0) -> bool:
        t = self.peek(k)
        return t is not None and t.kind == "op" and t.text == text

    def expr(self) -> Value | None:
        v = self.concat()
        while v is not None and self.is_op("|>"):
            self.pos += 1
            t = self.peek()
            if t is None or t.kind != "ident":
                return None
            self.pos += 1
            v = self.apply(t.text, v, {})
        return v

    def apply(self, helper: str, v: Value | None, kwargs: dict[str, str]) -> Value | None:
        if v is None or v.kind != "str":
            return None
        state = ""
        if helper in STATE_HELPERS or kwargs.get("internal") == "true":
            state = f"helper {helper}{' internal=true' if kwargs.get('internal') else ''} (Franklin's current state)"
        elif helper not in PAGE_HELPERS:
            return None
        if set(kwargs) - {"nop", "dir", "internal"}:
            return None
        return Value("out", v.text, v.interpolated, helper, kwargs.get("nop") == "true", state)

    def concat(self) -> Value | None:
        v = self.atom()
        while v is not None and self.is_op("*"):
            self.pos += 1
            w = self.atom()
            if w is None or v.kind != "str" or w.kind != "str":
                return None
            v = Value("str", v.text + w.text, v.interpolated or w.interpolated)
        return v

    def atom(self) -> Value | None:
        t = self.peek()
        if t is None:
            return None
        if t.kind == "str":
            self.pos += 1
            return Value("str", t.text, t.interpolated)
        if t.kind == "op" and t.text == "(":
            self.pos += 1
            v = self.expr()
            if not self.is_op(")"):
                return None
            self.pos += 1
            return v
        if t.kind == "ident":
            if t.text == "EOS":  # Franklin's end-of-string marker '\0': not page text
                self.pos += 1
                return Value("str", "")
            if self.is_op("(", 1):  # helper(s; kw=…)
                self.pos += 2
                v = self.expr()
                kwargs: dict[str, str] = {}
                if self.is_op(";") or self.is_op(","):
                    self.pos += 1
                    while self.peek() is not None and not self.is_op(")"):
                        k, eq, val = self.peek(), self.peek(1), self.peek(2)
                        if not (k and eq and val and k.kind == "ident" and eq.text == "="):
                            return None
                        kwargs[k.text] = val.text
                        self.pos += 3
                        if self.is_op(","):
                            self.pos += 1
                if not self.is_op(")"):
                    return None
                self.pos += 1
                return self.apply(t.text, v, kwargs)
            self.pos += 1
            return self.env.get(t.text)
        return None

    def full(self) -> Value | None:
        v = self.expr()
        return v if self.pos == len(self.toks) else None


def split_top(toks: list[Tok], sep: str) -> list[list[Tok]]:
    parts, cur, depth = [], [], 0
    for t in toks:
        if t.kind == "op" and t.text in "([{":
            depth += 1
        elif t.kind == "op" and t.text in ")]}":
            depth -= 1
        if depth == 0 and t.kind == "op" and t.text == sep:
            parts.append(cur)
            cur = []
        else:
            cur.append(t)
    parts.append(cur)
    return parts


def extract_cases(path: str, src: str) -> list[Case]:
    """The (input, expected) pairs of one test file."""
    cases: list[Case] = []
    env: dict[str, Value] = {}
    file_state = ""
    set_state: dict[str | None, str] = {}
    last_testset: str | None = None
    for st in statements(src):
        if st.testset != last_testset:
            env = {}
            last_testset = st.testset
        toks = st.toks
        nested = [kw for kw in st.enclosing if kw != "begin"]
        # state changes
        if not toks or toks[0].kind != "macro":
            if not HARMLESS.match(st.text) and STATE_MARKERS.search(st.text):
                why = st.text.split("\n")[0].strip()[:60]
                if st.testset is None:
                    file_state = file_state or why
                else:
                    set_state.setdefault(st.testset, why)
        if nested:
            continue
        # X = expr
        if len(toks) >= 3 and toks[0].kind == "ident" and toks[1].kind == "op" and toks[1].text == "=":
            v = ExprParser(toks[2:], env).full()
            if v is not None:
                env[toks[0].text] = v
            else:
                env.pop(toks[0].text, None)
            continue
        if not toks or toks[0].kind != "macro" or toks[0].text != "@test" or st.testset is None:
            continue
        body = toks[1:]
        mode = ""
        if body and body[0].kind == "ident" and body[0].text == "isapproxstr" and len(body) > 2 and body[1].text == "(" \
                and body[-1].text == ")":
            sides = split_top(body[2:-1], ",")
            mode = "approx"
        else:
            sides = split_top(body, "//")
            mode = "strip"
            if len(sides) != 2:
                sides = split_top(body, "==")
                mode = "exact"
        if len(sides) != 2:
            continue
        values = [ExprParser(side, env).full() for side in sides]
        outs = [v for v in values if v is not None and v.kind == "out"]
        strs = [v for v in values if v is not None and v.kind == "str"]
        if len(outs) != 1 or len(strs) != 1:
            continue
        out, exp = outs[0], strs[0]
        case = Case(path, st.line, st.testset, out.text, exp.text, mode, out.nop)
        state = out.state or set_state.get(st.testset, "") or file_state
        if out.interpolated:
            case.skip = "input interpolates Julia values"
        elif exp.interpolated:
            case.skip = "expected HTML interpolates Julia values"
        elif state:
            case.skip = f"needs Franklin's state: {state}"
        else:
            for pattern, why in NEEDS_JULIA:
                if pattern.search(out.text):
                    case.skip = f"needs Julia/Franklin internals: {why}"
                    break
        cases.append(case)
    return cases


# ============================================================================================
# Our layer
# ============================================================================================

def ours(text: str, label: str) -> str:
    """Our layer's HTML for a Franklin page text, rendered as the site renders it."""
    from site_hooks.franklin.standalone import render_page
    return render_page(text, label, "index.md", ROOT)[0]


# ============================================================================================
# HTML normalisation
# ============================================================================================

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
BLOCKS = {"div", "pre", "table", "ul", "ol", "dl", "blockquote", "hr", "h1", "h2", "h3", "h4", "h5", "h6",
          "p", "figure", "section", "nav", "CODE", "MATHD", "FNDEF"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list = field(default_factory=list)  # Node | str

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)


class TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("ROOT")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: (v or "") for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Node(tag, {k: (v or "") for k, v in attrs}))

    def handle_endtag(self, tag):
        for k in range(len(self.stack) - 1, 0, -1):
            if self.stack[k].tag == tag:
                del self.stack[k:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse_html(text: str) -> Node:
    builder = TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root


MATH = re.compile(r"\\\[(.*?)\\\]|\\\((.*?)\\\)|\$\$(.*?)\$\$", re.S)
TAG = re.compile(r"\\tag\{[^{}]*\}")


def _split_math(text: str) -> list:
    """Text with \\(…\\) / \\[…\\] split out as MATHI / MATHD nodes."""
    parts: list = []
    pos = 0
    for m in MATH.finditer(text):
        if m.start() > pos:
            parts.append(text[pos:m.start()])
        body = m.group(1) if m.group(1) is not None else (m.group(2) if m.group(2) is not None else m.group(3))
        body = re.sub(r"\s+", "", TAG.sub("", body))
        parts.append(Node("MATHI" if m.group(2) is not None else "MATHD", {"tex": body}))
        pos = m.end()
    if pos < len(text):
        parts.append(text[pos:])
    return parts


def normalise(node: Node, footnotes: list[Node]) -> list:
    """Normalised children of `node` (see the module docstring for what is normalised)."""
    out: list = []
    for child in node.children:
        if isinstance(child, str):
            out.extend(_split_math(child))
            continue
        cls = child.classes()
        # heading anchors
        if child.tag == "a" and "headerlink" in cls:
            continue
        if child.tag == "a" and "header-anchor" in cls:
            out.extend(normalise(child, footnotes))
            continue
        # math wrappers and equation-number anchors
        if child.tag in ("span", "div") and "arithmatex" in cls:
            out.extend(normalise(child, footnotes))
            continue
        if (child.tag == "a" and "anchor" in cls and not child.children) or \
                (child.tag == "div" and "equation-anchor" in cls):
            continue
        # code blocks
        pre = child if child.tag == "pre" else None
        if child.tag == "div" and "highlight" in cls:
            pres = [c for c in child.children if isinstance(c, Node) and c.tag == "pre"]
            pre = pres[0] if len(pres) == 1 else None
        if pre is not None:
            lang = ""
            for holder in (child, *[c for c in pre.children if isinstance(c, Node) and c.tag == "code"]):
                for c in holder.classes():
                    if c.startswith("language-"):
                        lang = c[len("language-"):]
            code_text = re.sub(r"[ \t]+\n", "\n", pre.text()).strip("\n")
            out.append(Node("CODE", {"lang": lang, "text": code_text}))
            continue
        # footnotes
        if child.tag == "sup" and child.attrs.get("id", "").startswith("fnref"):
            out.append(Node("FNREF", {"n": child.text().strip().strip("[]")}))
            continue
        if child.tag == "table" and "fndef" in cls:
            content = [td for td in _descendants(child) if "fndef-content" in td.classes()]
            footnotes.append(Node("FNDEF", {}, _unwrap_p(normalise(content[0], [])) if content else []))
            continue
        if child.tag == "div" and "footnote" in cls:
            for li in _descendants(child):
                if li.tag == "li" and li.attrs.get("id", "").startswith("fn:"):
                    body = Node("li", {}, [c for c in li.children])
                    footnotes.append(Node("FNDEF", {}, _unwrap_p(normalise(_drop_backrefs(body), []))))
            continue
        new = Node(child.tag, dict(child.attrs), normalise(child, footnotes))
        if child.tag == "p":
            out.extend(_paragraph(new))
        else:
            out.append(new)
    return out


def _unwrap_p(children: list) -> list:
    """A footnote's text: Franklin's table cell holds it inline, Python-Markdown in a <p>."""
    return [g for k in children for g in (k.children if isinstance(k, Node) and k.tag == "p" else [k])]


def _descendants(node: Node):
    for c in node.children:
        if isinstance(c, Node):
            yield c
            yield from _descendants(c)


def _drop_backrefs(node: Node) -> Node:
    kids = []
    for c in node.children:
        if isinstance(c, Node):
            if c.tag == "a" and "footnote-backref" in c.classes():
                continue
            kids.append(_drop_backrefs(c))
        else:
            kids.append(c.replace("\u00a0", " "))
    return Node(node.tag, node.attrs, kids)


def _significant(children: list) -> list:
    return [c for c in children if not (isinstance(c, str) and not c.strip())]


def _paragraph(p: Node) -> list:
    """A paragraph split around display math; a lone block is unwrapped; empty ones go."""
    pieces: list[Node] = []
    cur = Node("p", p.attrs)
    for c in p.children:
        if isinstance(c, Node) and c.tag == "MATHD":
            pieces.extend([cur, c])
            cur = Node("p", p.attrs)
        else:
            cur.children.append(c)
    pieces.append(cur)
    out: list = []
    for piece in pieces:
        if piece.tag != "p":
            out.append(piece)
            continue
        sig = _significant(piece.children)
        if not sig:
            continue
        if len(sig) == 1 and isinstance(sig[0], Node) and sig[0].tag in BLOCKS:
            out.append(sig[0])
        else:
            out.append(piece)
    return out


def _unwrap_lone_blocks(children: list) -> list:
    out = []
    for c in children:
        if isinstance(c, Node):
            kids = _unwrap_lone_blocks(c.children)
            sig = _significant(kids)
            if c.tag == "li" or (c.tag == "div" and len(sig) == 1):  # list items, one-paragraph divs
                kids = [g for k in kids for g in ((k.children if isinstance(k, Node) and k.tag == "p" else [k]))]
            attrs = dict(c.attrs)
            if "class" in attrs:  # Material admonitions: `admonition note`, `admonition-title`
                classes = ["title" if x == "admonition-title" else x for x in attrs["class"].split() if x != "admonition"]
                attrs["class"] = " ".join(classes)
            c = Node(c.tag, attrs, kids)
            if c.tag == "p":
                sig = _significant(c.children)
                if not sig:
                    continue
                if len(sig) == 1 and isinstance(sig[0], Node) and sig[0].tag in BLOCKS:
                    out.append(sig[0])
                    continue
        out.append(c)
    return out


def tokens(html_text: str, nows: bool) -> list[str]:
    """The normalised token stream of an HTML fragment (text without whitespace if `nows`)."""
    footnotes: list[Node] = []
    children = normalise(parse_html(html_text), footnotes)
    children = _unwrap_lone_blocks(children) + footnotes
    stream: list[str] = []

    def text_token(s: str) -> None:
        s = re.sub(r"\s+", "" if nows else " ", s)
        if nows:
            s = s.strip()
        if s.strip():
            if stream and stream[-1].startswith('"'):
                stream[-1] = stream[-1][:-1] + s + '"'
            else:
                stream.append('"' + s + '"')

    def walk(items: list) -> None:
        for c in items:
            if isinstance(c, str):
                text_token(c)
            elif c.tag == "MATHI":
                stream.append(f"${c.attrs['tex']}$")
            elif c.tag == "MATHD":
                stream.append(f"$${c.attrs['tex']}$$")
            elif c.tag == "CODE":
                body = re.sub(r"\s+", "" if nows else " ", c.attrs["text"]).strip()
                stream.append(f"CODE[{c.attrs['lang']}] {body}")
            elif c.tag == "FNREF":
                stream.append(f"FNREF {c.attrs['n']}")
            else:
                attrs = " ".join(f'{k}="{v}"' for k, v in sorted(c.attrs.items()))
                stream.append(f"<{c.tag}{' ' + attrs if attrs else ''}>")
                walk(c.children)
                if c.tag not in VOID:
                    stream.append(f"</{c.tag}>")

    walk(children)
    # text tokens: strip the spaces at tag boundaries (block formatting), keep inner spaces
    return [('"' + t[1:-1].strip() + '"') if t.startswith('"') else t for t in stream if t != '" "']


# ============================================================================================
# Running
# ============================================================================================

CONSTRUCTS = [
    ("footnote", re.compile(r"\[\^")),
    ("toc", re.compile(r"\\toc|\\tableofcontents")),
    ("hyperref/label", re.compile(r"\\(label|eqref|cite|citet|citep|biblabel|reflink)\b")),
    ("{{…}} function", re.compile(r"\{\{")),
    ("@def / page variable", re.compile(r"^\s*@def|^\+\+\+", re.M)),
    ("\\newcommand/\\newenvironment", re.compile(r"\\new(command|environment)")),
    ("\\begin…\\end", re.compile(r"\\begin\{")),
    ("raw HTML ~~~", re.compile(r"~~~")),
    ("div @@", re.compile(r"@@")),
    ("code", re.compile(r"```|`")),
    ("math", re.compile(r"\$")),
    ("heading", re.compile(r"^\s*#+ ", re.M)),
    ("table", re.compile(r"^\s*\|", re.M)),
    ("list", re.compile(r"^\s*([*+-]|\d+\.) ", re.M)),
    ("link/image", re.compile(r"\]\(|\]\[|<http")),
    ("html entity / escape", re.compile(r"\\[*_`$@{}#~<>&]|&\w+;")),
    ("emphasis", re.compile(r"\*|_")),
]


def construct_of(text: str) -> str:
    for name, pattern in CONSTRUCTS:
        if pattern.search(text):
            return name
    return "plain text"


def strip_p(html_text: str) -> str:
    """Franklin's `nop=true`: strip the outer <p>…</p> of a one-paragraph result."""
    h = html_text.strip()
    if h.startswith("<p>") and h.endswith("</p>"):
        return h[3:-4]
    return h


def compare(case: Case) -> None:
    label = f"franklin:{case.file}:{case.line}"
    try:
        ours_html = ours(case.input, label)
    except Exception as e:  # noqa: BLE001 — every failure of our layer is a result here
        case.status, case.detail = "raised", f"{type(e).__name__}: {str(e).strip().splitlines()[0] if str(e).strip() else ''}"
        if not str(e).strip():
            case.detail += " " + traceback.format_exc().strip().splitlines()[-3].strip()
        return
    if case.nop:
        ours_html = strip_p(ours_html)
    case.ours = ours_html
    nows = case.mode == "approx"
    a, b = tokens(case.expected, nows), tokens(ours_html, nows)
    if a == b:
        case.status = "agree"
        return
    case.status = "differ"
    diff = [line for line in difflib.unified_diff(a, b, "franklin", "ours", n=1, lineterm="")][2:]
    case.detail = "\n".join(diff)


def test_files(repo: Path) -> list[str]:
    listing = subprocess.run(["git", "-C", str(repo), "ls-tree", "-r", "--name-only", "HEAD", "test"],
                             check=True, capture_output=True, text=True).stdout.split()
    return sorted(p for p in listing if p.endswith(".jl") and not p.startswith("test/_"))


def read(repo: Path, path: str) -> str:
    return subprocess.run(["git", "-C", str(repo), "show", f"HEAD:{path}"], check=True,
                          capture_output=True, text=True).stdout


def indent(text: str, prefix: str = "        ") -> str:
    return "\n".join(prefix + line for line in text.splitlines())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--franklin-repo", type=Path, default=DEFAULT_REPO,
                        help="a clone or bare mirror of Franklin.jl (read at HEAD)")
    parser.add_argument("--verbose", action="store_true", help="one line per pair, inputs and outputs of disagreements")
    args = parser.parse_args(argv)
    repo: Path = args.franklin_repo
    head = subprocess.run(["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    cases: list[Case] = []
    lex_failures: list[str] = []
    for path in test_files(repo):
        try:
            cases.extend(extract_cases(path, read(repo, path)))
        except JuliaLexError as e:
            lex_failures.append(f"{path}: {e}")
    for case in cases:
        case.construct = construct_of(case.input)
        if case.skip:
            case.status = "skip"
        else:
            compare(case)

    counts = Counter(c.status for c in cases)
    print(f"Franklin.jl {head[:10]} ({repo}) — our layer vs Franklin's tests\n")
    if args.verbose:
        for c in cases:
            what = {"skip": "not comparable", "raised": "our layer raised"}.get(c.status, c.status)
            extra = f" — {c.skip or c.detail.splitlines()[0]}" if c.status in ("skip", "raised") else ""
            print(f"{what:16} {c.file}:{c.line} [{c.testset}]{extra}")
        print()
    bad = [c for c in cases if c.status in ("differ", "raised")]
    groups: dict[str, list[Case]] = defaultdict(list)
    for c in bad:
        groups[c.construct].append(c)
    if bad:
        print("Disagreements by construct (construct = first matching input feature):")
        for construct, items in sorted(groups.items(), key=lambda kv: -len(kv[1])):
            print(f"\n## {construct} ({len(items)})")
            for c in items:
                print(f"  - {c.status}: {c.file}:{c.line} [{c.testset}] ({c.mode})")
                if args.verbose:
                    print("      input:")
                    print(indent(c.input.rstrip("\n")))
                    if c.status == "differ":
                        print("      ours:")
                        print(indent(c.ours.strip()))
                print(indent(c.detail, "      | "))
    skipped = Counter(re.sub(r"\(.*", "", c.skip).split(":")[0] + (":" + c.skip.split(":")[1][:40] if c.skip.startswith("needs Julia") else "")
                      for c in cases if c.status == "skip")
    print("\nNot comparable:")
    for why, n in skipped.most_common():
        print(f"  {n:4}  {why}")
    if lex_failures:
        print("\nTest files the harness could not lex (no pairs taken from them):")
        for f in lex_failures:
            print("  " + f)
    comparable = len(cases) - counts["skip"]
    print(f"\nSummary: {len(cases)} pairs extracted from {len({c.file for c in cases})} files, "
          f"{comparable} comparable, {counts['agree']} agree, {counts['differ']} differ, "
          f"{counts['raised']} our layer raised, {counts['skip']} not comparable.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
