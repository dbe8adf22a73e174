"""Headings as Franklin has them: its ids (`## Sub Title` → `sub_title`) and its table of contents.

Franklin's id of a heading (`refstring`): the heading's text without tags and `&#N;` entities,
without characters other than letters, digits, `_`, `-` and white space, lower-cased, white
space runs as `_`, `__` as `_`; a repeated id gets `__2`, `__3`, … So links written for a
Franklin site (`[see](#sub_title)`) work here too.
"""
from __future__ import annotations

import re

HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t]*$")
FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
EXPLICIT_ID = re.compile(r"\{[^}]*#[\w\-]+[^}]*\}\s*$")
TOC = re.compile(r"<!--franklin-toc:(\d+):(\d+)-->")
HTML_HEADING = re.compile(r'<h([1-6]) id="([^"]+)"[^>]*>(.*?)</h\1>', re.S)
HEADERLINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.S)


def refstring(title: str) -> str:
    """Franklin's id for a heading whose Markdown is `title`."""
    text = re.sub(r"\\[()\[\]]", "", title)  # math delimiters; the TeX inside stays, as in Franklin
    text = re.sub(r"<[^>]*>|&#\d+;|[*`]", "", text)
    text = re.sub(r"[^\w\-\s]", "", text)
    text = re.sub(r"\s+", "_", text.strip().lower()).replace("__", "_")
    return text or "section"


def add_heading_ids(markdown: str) -> str:
    """Give every `#` heading (outside code) Franklin's id, as an attribute list."""
    seen: dict[str, int] = {}
    lines = markdown.split("\n")
    fence: str | None = None
    for index, line in enumerate(lines):
        opener = FENCE.match(line)
        if opener:
            marker = opener.group(1)
            fence = None if fence and marker.startswith(fence) else (fence or marker)
            continue
        match = None if fence else HEADING.match(line)
        if match is None or EXPLICIT_ID.search(line):
            continue
        title = re.sub(r"[ \t]+#+$", "", match.group(2))
        base = refstring(title)
        seen[base] = seen.get(base, 0) + 1
        ident = base if seen[base] == 1 else f"{base}__{seen[base]}"
        seen.setdefault(ident, 1)
        lines[index] = f"{match.group(1)} {title} {{ #{ident} }}"
    return "\n".join(lines)


def table_of_contents(html: str) -> str:
    """Replace each `\\toc` placeholder by a nested list of the page's headings between two levels."""
    if "<!--franklin-toc:" not in html:
        return html
    headings = [(int(level), ident, HEADERLINK.sub("", inner).strip())
                for level, ident, inner in HTML_HEADING.findall(html)]

    def build(match: re.Match) -> str:
        low, high = int(match.group(1)), int(match.group(2))
        chosen = [h for h in headings if low <= h[0] <= high]
        if not chosen:
            return ""
        # Franklin's nesting: a deeper heading goes one level in; a heading at the shallowest level
        # chosen goes back to the left, any other one to the second level
        base = min(level for level, _, _ in chosen)
        depths = [1]
        for (previous, _, _), (level, _, _) in zip(chosen, chosen[1:]):
            depths.append(depths[-1] + 1 if previous < level else 1 if level == base else 2)
        out: list[str] = []
        current = 0
        for depth, (_, ident, inner) in zip(depths, chosen):
            if depth <= current:
                out.append("</li>" + "</ol></li>" * (current - depth) + "<li>")
            else:
                out.append("<ol><li>" * (depth - current))
            out.append(f'<a href="#{ident}">{inner}</a>')
            current = depth
        out.append("</li></ol>" * current)
        return '<div class="franklin-toc">' + "".join(out) + "</div>"
    return TOC.sub(build, html)
