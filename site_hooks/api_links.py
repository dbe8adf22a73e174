"""Links from the pages to the API reference: the first code span per page that names a public
`gcnn` object becomes an autorefs link to its entry in `docs/api/`.

The linkable names are read from the API pages themselves: every `::: identifier` directive there
documents an object, and a module documented with its members contributes its public members
(`__all__`, read statically by griffe), exactly what mkdocstrings renders. A name spelled on a page
links only if it resolves to one of those entries, so a removed object is never linked; an entry
that mkdocstrings did not render fails `mkdocs build --strict` through autorefs.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import griffe
import yaml

from site_hooks.errors import PageError

DIRECTIVE = re.compile(r"^:::[ \t]+(\S+)[ \t]*$")

# What the linker must leave alone, and the code spans it may link, in one left-to-right scan.
SCAN = re.compile(r"""
    (?P<fence>^[ \t]*(?P<marker>`{3,}|~{3,})[^\n]*\n(?:.*?\n)??[ \t]*(?P=marker)[`~]*[ \t]*$)
  | (?P<heading>^[ \t]{0,3}\#{1,6}(?:[ \t][^\n]*)?$)
  | (?P<comment><!--.*?-->)
  | (?P<math>\\\(.*?\\\)|\\\[.*?\\\]|\$\$.*?\$\$|\\begin\{(?P<env>[a-z]+\*?)\}.*?\\end\{(?P=env)\})
  | (?P<escape>\\.)
  | (?P<code>(?P<ticks>`+)(?P<body>(?:(?!\n[ \t]*\n).)+?)(?<!`)(?P=ticks)(?!`))
  | (?P<open>\[) | (?P<close>\]) | (?P<blank>\n[ \t]*\n)
""", re.M | re.S | re.X)

# A code span names an object when it is the name, optionally called: `GroupConv2d(group, 3, 8, 5)`.
SPELLING = re.compile(r"\s*([A-Za-z_][\w.]*)\s*(?:\(.*\))?\s*", re.S)


@dataclass
class ApiNames:
    """Spellings that may link, each mapped to the identifier of its API entry."""

    qualified: dict[str, str] = field(default_factory=dict)  # `gcnn.nn.LiftingConv2d`, `gcnn.testing`
    bare: dict[str, str] = field(default_factory=dict)  # `LiftingConv2d`: classes whose name is unambiguous

    def target(self, spelling: str) -> str | None:
        return self.qualified.get(spelling) or self.bare.get(spelling)


def directives(api_dir: Path, root: Path) -> list[tuple[str, dict, tuple[str, int]]]:
    """(identifier, options, (`docs/api/page.md`, line)) of every `::: identifier` in the API pages."""
    found = []
    for page in sorted(api_dir.glob("*.md")):
        lines = page.read_text().split("\n")
        for number, line in enumerate(lines, 1):
            match = DIRECTIVE.match(line)
            if not match:
                continue
            block = []
            for following in lines[number:]:
                if following.strip() and not following.startswith((" ", "\t")):
                    break
                block.append(following)
            options = (yaml.safe_load("\n".join(block)) or {}).get("options") or {}
            found.append((match.group(1), options, (page.relative_to(root).as_posix(), number)))
    return found


def documented_members(obj: griffe.Object, members: object) -> list[str]:
    """The members of a module that mkdocstrings renders (modules apart): `__all__` or the public ones."""
    if members is False or not obj.is_module:
        return []
    if isinstance(members, list):
        return members
    names = obj.exports if obj.exports is not None else [n for n, m in obj.members.items() if m.is_public]
    return [n for n in names if n in obj.members and not obj[n].is_module and obj[n].docstring]


def shadows_its_module(obj: griffe.Object) -> bool:
    """A function re-exported by its package under its own module's name, which griffe cannot
    tell from the module (griffe issue #124): the API pages document it by its full path."""
    module = obj.parent
    package = module.parent if module is not None else None
    return (not obj.is_module and module is not None and module.name == obj.name and package is not None
            and obj.name in (package.exports or []))


def load_names(api_dir: Path, root: Path) -> ApiNames:
    """The linkable names of the objects documented in `api_dir` (empty when there is none)."""
    found = directives(api_dir, root) if api_dir.is_dir() else []
    names = ApiNames()
    packages: dict[str, griffe.Object] = {}
    classes: dict[str, set[str]] = {}
    for identifier, options, where in found:
        package = identifier.split(".")[0]
        if package not in packages:
            packages[package] = griffe.load(package, search_paths=[str(root)])
        try:
            obj = packages[package][identifier.removeprefix(package).lstrip(".")] if "." in identifier \
                else packages[package]
        except KeyError:
            raise PageError(*where, f"::: {identifier} names nothing in the package "
                            f"{package!r} (expected a module, class or function path)") from None
        names.qualified[identifier] = identifier
        if shadows_its_module(obj):  # `gcnn.graph.aggregate` is the function of `gcnn.graph.aggregate.aggregate`
            names.qualified.setdefault(obj.parent.parent.path + "." + obj.name, identifier)
        for name in documented_members(obj, options.get("members")):
            member, target = obj[name], f"{identifier}.{name}"
            names.qualified[target] = target
            if member.is_alias and member.target_path != target:
                names.qualified.setdefault(member.target_path, target)
            if member.is_class:
                classes.setdefault(name, set()).add(target)
    names.bare = {name: next(iter(targets)) for name, targets in classes.items() if len(targets) == 1}
    return names


def link_first_mentions(markdown: str, names: ApiNames) -> str:
    """Turn the first code span naming each documented object into `[`span`][identifier]`.

    Code blocks, math, headings, HTML comments and code spans already inside a link stay as
    they are; later mentions of an object already linked on the page stay plain.
    """
    if not names.qualified:
        return markdown
    out: list[str] = []
    linked: set[str] = set()
    depth, last = 0, 0
    for match in SCAN.finditer(markdown):
        kind = match.lastgroup  # the outer group: inner groups close before it
        if kind == "open":
            depth += 1
        elif kind == "close":
            depth = max(0, depth - 1)
        elif kind == "blank":
            depth = 0
        elif kind == "code" and depth == 0:
            spelling = SPELLING.fullmatch(match.group("body"))
            target = names.target(spelling.group(1)) if spelling else None
            if target and target not in linked:
                linked.add(target)
                out.append(markdown[last:match.start()])
                out.append(f"[{match.group(0)}][{target}]")
                last = match.end()
    out.append(markdown[last:])
    return "".join(out)
