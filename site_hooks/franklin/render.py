"""Rendering scanned tokens as Python-Markdown: math for arithmatex, commands, divs, raw HTML."""
from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass, field
from typing import Callable

from site_hooks.errors import PageError
from site_hooks.franklin.assets import Assets
from site_hooks.franklin.bibliography import Bibliography, bib_id, escape
from site_hooks.franklin.figures import caption_alt, collect_figures, figure_id, figure_number, snippet_docstring
from site_hooks.franklin.outputs import MissingOutput, Outputs, SnippetFailed, duration
from site_hooks.franklin.scan import EVAL_INFO, LIST_ITEM, Token
from site_hooks.franklin.tikzcd import TikzcdError, contains_tikzcd, tikzcd_svg

# Raw HTML waits in the Markdown as a placeholder: a comment where it stands as a block of its own,
# an empty span inside a line (Python-Markdown moves a comment that opens a paragraph away from it).
RAW_PLACEHOLDER = re.compile(r'<!--franklin-raw-(\d+)-->|<span data-franklin-raw="(\d+)"></span>')
TOC_PLACEHOLDER = "<!--franklin-toc:{0}:{1}-->"
INLINE_COMMANDS = ("textoutput", "runtime")  # replaced by text inside a paragraph
LABEL = re.compile(r"\\label\{([^}]*)\}")
NUMBERED_ENVIRONMENTS = ("equation", "align", "gather", "multline", "eqnarray")
# Franklin environment → what KaTeX draws in its place (one number per block, as Franklin counts)
KATEX_ENVIRONMENT = {"equation": None, "align": "aligned", "aligned": "aligned", "gather": "gathered",
                     "multline": "gathered", "eqnarray": "array}{rcl"}
# Franklin div classes drawn as collapsed blocks: (classes, summary); `@@details` takes its
# summary from an `@@title … @@` inside it
COLLAPSED = {"solution": ("success solution", "<summary>Solution</summary>"), "details": ("note", "")}
# Franklin div classes that are Material admonitions (styled and titled the same way)
ADMONITIONS = ("note", "abstract", "info", "tip", "success", "question", "warning", "failure", "danger", "bug",
               "example", "quote", "important", "caution", "hint", "attention", "error", "todo")


@dataclass
class PageState:
    source: str
    page_uri: str
    outputs: Outputs
    equations: dict[str, int] = field(default_factory=dict)
    numbers: dict[int, int] = field(default_factory=dict)  # id(display-math token) → its equation number
    bibliography: dict[str, str] = field(default_factory=dict)  # page-local \\biblabel{key}{label}
    references: Bibliography = field(default_factory=Bibliography)  # the site's .bib
    cited: list[str] = field(default_factory=list)  # keys cited from `references`, in order
    raw_html: list[str] = field(default_factory=list)
    figures: dict[str, int] = field(default_factory=dict)  # the ref a figure command names → its number
    figure_numbers: dict[int, int] = field(default_factory=dict)  # id(figure command token) → its number
    captions: dict[int, tuple[int, int]] = field(default_factory=dict)  # id(figure token) → its \\caption tokens
    assets: Assets | None = None
    meta: dict = field(default_factory=dict)
    warn: Callable[[str], None] = lambda message: None

    def error(self, line: int, message: str) -> PageError:
        return PageError(self.source, line, message)

    def raw(self, html: str, inline: bool = False) -> str:
        """Keep `html` away from Markdown; it is put back into the rendered page."""
        self.raw_html.append(html)
        number = len(self.raw_html) - 1
        return f'<span data-franklin-raw="{number}"></span>' if inline else f"<!--franklin-raw-{number}-->"

    def cite_label(self, key: str, parenthetical: bool = False) -> str | None:
        """A citation's label: the page's `\\biblabel` wins over the .bib; None if neither has `key`."""
        if key in self.bibliography:
            return self.bibliography[key]
        if key in self.references:
            return self.references.parenthetical(key) if parenthetical else self.references.textual(key)
        return None

    def cite(self, command: str, keys: str, line: int) -> list[tuple[str, str]]:
        """(key, label) of each key of `\\cite{a,b}` (`command` is cite, citet or citep), in order;
        works from the .bib are recorded for the page's References. Unknown keys are errors."""
        cited = []
        for key in (k.strip() for k in keys.split(",")):
            label = self.cite_label(key, parenthetical=command == "citep")
            if label is None:
                raise self.error(line, f"\\{command}{{{key}}}: no entry in {self.references.source} "
                                       f"and no \\biblabel on this page")
            if key not in self.bibliography and key not in self.cited:
                self.cited.append(key)
            cited.append((key, label))
        return cited


def block(content: str, indent: str) -> str:
    """Content that must stand as its own Markdown block, at the current indentation (inside a
    list item, Python-Markdown continues the item only at 4 spaces a level; Franklin, like
    CommonMark, at the column of the item's text: the indentation is rounded up to 4s)."""
    width = len(indent.expandtabs(4))
    indent = " " * (4 * -(-width // 4))
    body = "\n".join(indent + line if line.strip() else "" for line in content.split("\n"))
    return f"\n\n{body}\n\n"


def fenced(code: str, language: str, title: str | None = None) -> str:
    ticks = "`" * max(3, 1 + max((len(m) for m in re.findall(r"`+", code)), default=0))
    head = f'{ticks}{language}' + (f' title="{title}"' if title else "")
    return f"{head}\n{code.rstrip()}\n{ticks}"


def is_numbered(token: Token) -> bool:
    env = token.args[1] if token.args[0] == "environment" else None
    return bool(LABEL.search(token.text)) or env in NUMBERED_ENVIRONMENTS


def katex_display(token: Token, number: int | None) -> str:
    """The TeX KaTeX typesets for a display block: environments as Franklin rewrites them, one
    `\\tag{n}` per numbered block, labels removed (their anchors stand before the block)."""
    body = LABEL.sub("", token.text).strip()
    if token.args[0] == "environment":
        env = token.args[1].rstrip("*")
        inner = re.sub(rf"^\\begin\{{{re.escape(token.args[1])}\}}|\\end\{{{re.escape(token.args[1])}\}}$", "",
                       body).strip()
        inner = re.sub(r"\\(?:nonumber|notag)\b", "", inner)
        target = KATEX_ENVIRONMENT[env]
        body = inner if target is None else f"\\begin{{{target}}}{inner}\\end{{{target.split('}')[0]}}}"
    tag = f"\\tag{{{number}}}" if number is not None else ""
    return f"\\[\n{body}\n{tag}\\]" if tag else f"\\[\n{body}\n\\]"


def equation_id(label: str) -> str:
    return "eq-" + re.sub(r"[^\w\-]+", "-", label.removeprefix("eq:"))


def render_display_math(token: Token, state: PageState) -> str:
    if contains_tikzcd(token.text):
        try:
            return block(state.raw(tikzcd_svg(token.text.strip(), state.warn)), token.indent)
        except TikzcdError as exc:
            raise state.error(token.line, f"tikzcd diagram: {exc}") from None
    number = state.numbers.get(id(token))
    anchors = "".join(f'<div id="{equation_id(label)}" class="equation-anchor"></div>\n\n'
                      for label in LABEL.findall(token.text))
    lines = "\n".join(line.strip() for line in katex_display(token, number).split("\n") if line.strip())
    return block(anchors + lines, token.indent)


def unsearchable(markdown: str) -> str:
    """Code and printed output stay out of the search index (Material's data-search-exclude)."""
    return f'<div class="snippet" data-search-exclude markdown="1">\n\n{markdown}\n\n</div>'


def figure_markdown(urls: list[str], alt: str, page_uri: str) -> str:
    base = posixpath.dirname(page_uri)
    links = [posixpath.relpath(url, base or ".") for url in urls]
    return "\n\n".join(f"[![{alt}]({link}){{ .snippet-figure loading=lazy }}]({link})" for link in links)


def failure_admonition(exc: SnippetFailed) -> str:
    details = "\n".join("    " + line for line in fenced(exc.details, "text").split("\n"))
    return f'\n\n!!! failure "Snippet failed: {exc.location}"\n\n{details}\n\n'


def figure(token: Token, state: PageState, alt: str, ref: str) -> str:
    """`\\fig` / `\\figalt`: an image file of the site (Franklin's form) or a snippet's figures."""
    if state.assets is not None and state.assets.is_image(ref):
        uri = state.assets.resolve(ref, state.page_uri, token.line, state.source)
        link = posixpath.relpath(uri, posixpath.dirname(state.page_uri) or ".")
        alt, link = alt.replace("]", "\\]"), link.replace(" ", "%20")
        return block(f"![{alt}]({link}){{ .snippet-figure loading=lazy }}", token.indent)
    return block(figure_markdown(state.outputs.figures(ref, state.page_uri), alt.replace("]", "\\]"), state.page_uri),
                 token.indent)


def render_figure(tokens: list[Token], index: int, state: PageState) -> str:
    """A numbered figure: the command's output and its caption (the page's `\\caption`, else the
    snippet's docstring) in one `<figure>`, the caption outside any tabs so that it stays in view."""
    token = tokens[index]
    number, span = state.figure_numbers[id(token)], state.captions.get(id(token))
    if span:
        alt = caption_alt(tokens[span[0]])
        caption = render(tokens[span[0] + 1:span[1]], state).strip()
    else:
        docstring = snippet_docstring(token, state)
        if not docstring:
            state.warn(f"{state.source}:{token.line}: figure {number} ({token.args[-1]}) has no caption: add "
                       f"\\caption{{alt text}}{{caption}} on the next line, or a docstring to its snippet")
        alt = token.args[0] if token.text == "figalt" and token.args[0].strip() else docstring
        caption = state.raw(html.escape(docstring), inline=True)
    body = render_command(token, state, alt)
    anchor = f'<div id="{figure_id(token.args[-1])}" class="figure-anchor"></div>'  # in the Markdown: links check it
    caption = f'<span class="figure-number">Figure {number}.</span> {caption}'
    return (block(anchor, token.indent) + block(state.raw('<figure class="numbered-figure">'), token.indent) + body
            + block(state.raw("<figcaption>"), token.indent) + block(caption, token.indent)
            + block(state.raw("</figcaption></figure>"), token.indent))


def render_command(token: Token, state: PageState, alt: str = "") -> str:
    """A command's Markdown; `alt` is the alt text of the figure it shows, if any."""
    name, args, outputs, uri = token.text, list(token.args), state.outputs, state.page_uri
    try:
        if name in ("toc", "tableofcontents"):
            levels = token.args or (state.meta.get("mintoclevel", 1), state.meta.get("maxtoclevel", 10))
            return block(TOC_PLACEHOLDER.format(*levels), token.indent)
        if name in ("fig", "figalt"):
            return figure(token, state, alt or (args[0] if name == "figalt" else ""), args[-1])
        if name in ("output", "codeoutput"):
            printed = outputs.stdout(args[0], uri)
            if not printed.strip():
                raise MissingOutput(f"\\output{{{args[0]}}}: the snippet printed nothing")
            return block(unsearchable(fenced(printed, "text")), token.indent)
        if name in INLINE_COMMANDS:
            return inline_value(name, args[0], outputs, uri)
        if name == "input":
            if args[0] in ("plot", "output"):
                raise state.error(token.line, f"\\input{{{args[0]}}}{{…}} shows what a Julia script produced, "
                                              f"which this site cannot run; use \\fig or \\output of a snippet")
            path, code = outputs.source(args[1], uri)
            return block(unsearchable(fenced(code, args[0] or "text", path)), token.indent)
        if name == "snippet":
            return block(unsearchable(snippet_tabs(args[0], outputs, uri, alt)), token.indent)
    except SnippetFailed as exc:
        return failure_admonition(exc)
    except MissingOutput as exc:
        raise state.error(token.line, str(exc)) from None
    if name in ("cite", "citet", "citep"):
        links = [f"[{label if key in state.bibliography else escape(label)}](#{bib_id(key)})"
                 for key, label in state.cite(name, args[0], token.line)]
        joined = "; ".join(links)
        return f"({joined})" if name == "citep" else joined
    if name == "biblabel":
        return f'<a id="{bib_id(args[0])}"></a>'
    if name == "label":
        return f'<a id="{equation_id(args[0])}"></a>'
    if name == "eqref":
        numbers = []
        for label in (x.strip() for x in args[0].split(",")):
            if label not in state.equations:
                raise state.error(token.line, f"\\eqref{{{label}}}: no display equation has \\label{{{label}}}")
            numbers.append(f"[{state.equations[label]}](#{equation_id(label)})")
        return "(" + ", ".join(numbers) + ")"
    if name == "figref":
        return f"[Figure {figure_number(args[0], token, state)}](#{figure_id(args[0])})"
    raise AssertionError(name)


def inline_value(name: str, arg: str, outputs: Outputs, page_uri: str) -> str:
    """The text that replaces `\\textoutput{ref}`, `\\textoutput{ref#key}` or `\\runtime{ref}`."""
    if name == "runtime":
        return duration(outputs.seconds(arg, page_uri))
    ref, _, key = arg.partition("#")
    printed = outputs.stdout(ref, page_uri)
    return printed_value(printed, key, arg) if key else printed.strip()


def printed_value(printed: str, key: str, ref: str) -> str:
    """The value a snippet printed as `key: value` or `key = value` (first such line)."""
    for line in printed.splitlines():
        match = re.match(rf"\s*{re.escape(key)}\s*[:=]\s*(.*\S)", line)
        if match:
            return match.group(1)
    raise MissingOutput(f"\\textoutput{{{ref}}}: the snippet printed no line '{key}: …' or '{key} = …'")


def snippet_tabs(ref: str, outputs: Outputs, page_uri: str, alt: str = "") -> str:
    """Content tabs: what the snippet shows (figures, printed text) ⇄ its source."""
    path, code = outputs.source(ref, page_uri)
    parts = []
    try:
        urls = outputs.figures(ref, page_uri)
    except MissingOutput:  # a snippet that only prints
        urls = []
    if urls:
        parts.append(figure_markdown(urls, alt.replace("]", "\\]"), page_uri))
    printed = outputs.stdout(ref, page_uri)
    if printed.strip():
        parts.append(fenced(printed, "text"))
    if not parts:
        raise MissingOutput(f"\\snippet{{{ref}}}: the snippet shows nothing (no figure, no printed output)")

    def tab(title: str, body: str) -> str:
        return f'=== "{title}"\n\n' + "\n".join("    " + l if l.strip() else "" for l in body.split("\n"))
    return tab("Result", "\n\n".join(parts)) + "\n\n" + tab("Code", fenced(code, "python", path))


def render_code(token: Token, state: PageState) -> str:
    indent, marker, info, body = token.args
    match = EVAL_INFO.match(info)
    if match:  # ```lang:name — an evaluated block: show it plainly; python's outputs live in the runner
        if match.group(1) != "python":
            state.warn(f"{state.source}:{token.line}: ```{info}: only python blocks are run on this site; "
                       f"this {match.group(1)} block is shown as code, not run")
        return f"\n\n{indent}{marker}{match.group(1)}\n{body}{indent}{marker}\n\n"
    return f"\n\n{token.text}\n\n"  # Franklin closes the paragraph around a code block


def collect_labels(tokens: list[Token], state: PageState) -> None:
    """Number the numbered display blocks in order; record labels and `\\biblabel`s."""
    for token in tokens:
        if token.kind == "display_math" and is_numbered(token) and not contains_tikzcd(token.text):
            number = len(state.numbers) + 1
            state.numbers[id(token)] = number
            for label in LABEL.findall(token.text):
                if label in state.equations:
                    raise state.error(token.line, f"\\label{{{label}}} is used twice on this page")
                state.equations[label] = number
        if token.kind == "command" and token.text == "biblabel":
            state.bibliography[token.args[0]] = token.args[1]
    collect_figures(tokens, state)


def div_open(token: Token, stack: list[Token], state: PageState) -> str:
    """`@@note` is a Material admonition (and `@@title` inside one its title); `@@solution` is a collapsed
    block titled "Solution", `@@details` one titled by the `@@title` inside it; other classes stay.
    At the top level the div's Markdown is rendered by md_in_html; in a list item (which md_in_html
    does not reach) the div's tags wait as raw HTML around the item's Markdown."""
    classes = list(token.args)
    if classes[0] in COLLAPSED:  # a collapsed block (pymdownx.details), closed by default
        stack.append(token)
        tag = f'<details class="{COLLAPSED[classes[0]][0]}"'
        summary = COLLAPSED[classes[0]][1]
        if token.indent:
            return block(state.raw(tag + ">" + summary), token.indent)
        return block(tag + ' markdown="1">' + ("\n" + summary if summary else ""), token.indent)
    if classes[0] == "title" and stack and stack[-1].args[0] == "details":
        stack.append(token)
        return block(state.raw("<summary>") if token.indent else '<summary markdown="span">', token.indent)
    if classes[0] in ADMONITIONS:
        classes.insert(0, "admonition")
    elif classes[0] == "title" and stack and stack[-1].args[0] in ADMONITIONS:
        classes[0] = "admonition-title"
    stack.append(token)
    tag = f'<div class="{" ".join(classes)}"'
    return block(state.raw(tag + ">") if token.indent else tag + ' markdown="1">', token.indent)


def div_close(token: Token, stack: list[Token], state: PageState) -> str:
    if not stack:
        raise state.error(token.line, "'@@' closes a div that was never opened")
    opened = stack.pop()
    if opened.args[0] in COLLAPSED:
        closing = "</details>"
    elif opened.args[0] == "title" and stack and stack[-1].args[0] == "details":
        closing = "</summary>"
    else:
        closing = "</div>"
    return block(state.raw(closing) if opened.indent else closing, opened.indent)


def blank_line_before(out: list[str]) -> bool:
    """The output so far ends with a blank line (or is empty): what comes next starts a block."""
    tail = "".join(out[-2:])[-2:]
    return not out or tail == "\n\n" or (len(out) == 1 and out[0] in ("", "\n"))


LIST_INTERRUPT = re.compile(r"[ \t]{0,3}(?:[-*+]|1[.)])(?:[ \t]+\S|[ \t]*$)")  # may start a list under a paragraph line
RULE = re.compile(r"[ \t]{0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*")


def render_text(text: str, before: str) -> str:
    """Line rules where Franklin's Markdown and Python-Markdown differ, applied to a text token:

    - a list starts right after a paragraph line (Python-Markdown needs a blank line first);
    - a line right after a list that is not indented starts a new paragraph (no lazy continuation);
    - a rule (`---`) after a blank line is a rule, never the underline of a heading.
    `before` is the output so far: its last line is the context of the token's first line."""
    tail = before.rsplit("\n", 2)
    mid_line = bool(before) and not before.endswith("\n")
    previous = tail[-1] if mid_line else (tail[-2] if len(tail) > 1 else "")
    in_list = bool(LIST_ITEM.match(previous))
    lines = text.split("\n")
    out: list[str] = []
    for index, line in enumerate(lines):
        if index == 0 and mid_line:
            out.append(line)
            previous += line
            continue
        if previous.strip() and line.strip():
            starts_list = LIST_INTERRUPT.match(line) and not in_list
            leaves_list = in_list and not line[0].isspace() and not LIST_ITEM.match(line)
            if starts_list or leaves_list:
                out.append("")
        elif not previous.strip() and RULE.fullmatch(line):
            out.extend(["<hr>", ""])
            previous, in_list = "", False
            continue
        if LIST_ITEM.match(line):
            in_list = True
        elif line.strip() and not line[0].isspace():
            in_list = False
        out.append(line)
        previous = line
    return "\n".join(out)


def render(tokens: list[Token], state: PageState) -> str:
    out: list[str] = []
    stack: list[Token] = []  # the open divs
    after = 0  # tokens before this index are rendered already (a figure's caption)
    for index, token in enumerate(tokens):
        if index < after:
            continue
        kind = token.kind
        if kind == "text":
            out.append(render_text(token.text, out[-1] if out else ""))
        elif kind == "code":
            out.append(render_code(token, state))
        elif kind == "inline_code":
            out.append(token.text)
        elif kind == "linebreak":
            out.append("<br>")
        elif kind == "math":
            out.append("\\(" + " ".join(token.text.split()) + "\\)")
        elif kind == "display_math":
            if out:
                out[-1] = out[-1].rstrip(" \t")
            out.append(render_display_math(token, state))
        elif kind == "raw":  # a block of its own between blank lines, else part of a paragraph
            following = tokens[index + 1] if index + 1 < len(tokens) else None
            alone = (blank_line_before(out) and token.text.lstrip().startswith("<")
                     and (following is None or following.kind != "text" or following.text.startswith("\n\n")
                          or not following.text.strip()))
            out.append(state.raw(token.text, inline=not alone))
        elif kind == "div_open":
            out.append(div_open(token, stack, state))
        elif kind == "div_close":
            if out:  # Franklin strips a div's content
                out[-1] = out[-1].rstrip(" \t")
            out.append(div_close(token, stack, state))
        elif kind == "command" and id(token) in state.figure_numbers:
            out.append(render_figure(tokens, index, state))
            after = state.captions.get(id(token), (0, index))[1] + 1
        elif kind == "command":
            out.append(render_command(token, state))
    if stack:
        raise state.error(stack[-1].line, f"'{stack[-1].text}' opens a div that is never closed (no '@@' after it)")
    return "".join(out)
