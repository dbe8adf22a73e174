"""Messages for what only Julia can do: a Franklin site's utils.jl functions, eval blocks, \\show…

This site runs Python. Each message names the construct, says why it cannot be used here, and
points to the Python equivalent where there is one.
"""
from __future__ import annotations

import re
from pathlib import Path

JULIA_COMMANDS = {
    "show": "\\show{name} prints the result of a Julia eval block",
    "literate": "\\literate{path} runs a Literate.jl script",
    "textinput": "\\textinput{path} inserts a file that a Julia script wrote",
    "tableinput": "\\tableinput{header}{path} reads a CSV file with Julia",
    "plotlyfig": "\\plotlyfig{name} shows a PlotlyJS figure made by Julia code",
}
PYTHON_EQUIVALENT = ("a ```python:name block on the page (or a snippet file) and \\output{name}, "
                     "\\textoutput{name} or \\fig{name}")
FUNCTION = re.compile(r"^\s*(?:@delay\s+)?function\s+((?:lx|hfun|env)_\w+)", re.M)
SHORT_FUNCTION = re.compile(r"^\s*((?:lx|hfun|env)_\w+)\s*\([^)]*\)\s*=", re.M)


def utils_functions(utils: Path) -> frozenset[str]:
    """The `lx_*`, `hfun_*` and `env_*` functions a site's utils.jl defines."""
    if not utils.is_file():
        return frozenset()
    text = utils.read_text(errors="replace")
    return frozenset(FUNCTION.findall(text) + SHORT_FUNCTION.findall(text))


def eval_block_message(info: str) -> str:
    kind = {"!": "```! (run and show the result)", ">": "```> (Julia REPL)", "?": "```? (Julia help mode)",
            ";": "```; (shell mode of the Julia REPL)", "]": "```] (Julia package mode)"}.get(info[:1])
    what = kind or f"```{info} (a Julia code block that Franklin evaluates)"
    return f"{what}: Julia code is not run by this site (it runs Python); use {PYTHON_EQUIVALENT}"


def command_message(command: str, utils: frozenset[str], known: list[str]) -> str:
    if f"lx_{command}" in utils:
        return (f"\\{command} is the Julia function lx_{command} of the site's utils.jl, which this site "
                f"cannot run (it runs Python): write the result into the page, or define it with \\newcommand")
    if command in JULIA_COMMANDS:
        return f"{JULIA_COMMANDS[command]}, which this site cannot do (it runs Python); use {PYTHON_EQUIVALENT}"
    return (f"unknown command \\{command} outside math (known: {', '.join(known)}, and \\newcommand macros; "
            f"math goes between $…$)")


def environment_message(env: str) -> str:
    return (f"\\begin{{{env}}} is the Julia function env_{env} of the site's utils.jl, which this site cannot "
            f"run (it runs Python): define it with \\newenvironment instead")


def hfun_message(name: str, utils: frozenset[str]) -> str:
    if f"hfun_{name}" in utils:
        return (f"{{{{{name}}}}} is the Julia function hfun_{name} of the site's utils.jl, which this site "
                f"cannot run (it runs Python): write its result into the page")
    return (f"{{{{{name} …}}}}: not a page variable and not one of Franklin's built-in functions "
            f"(fill, insert, isdef, isnotdef, if, elseif, else, end, toc, redirect, page_tags); "
            f"a utils.jl function would need Julia")
