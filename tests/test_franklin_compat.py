"""Franklin's documented behaviour, construct by construct, each with our own minimal input.

The references in brackets point to Franklin.jl's source or tests, where the behaviour is set.
"""
from __future__ import annotations

import datetime
import re

import pytest

from conftest import FakeOutputs
from site_hooks import franklin
from site_hooks.errors import PageError
from site_hooks.franklin.assets import Assets
from site_hooks.franklin.config import load_site_config


def convert(text, **kwargs):
    return franklin.convert(text, "docs/p.md", "p.md", FakeOutputs(), **kwargs)


def error_of(text, **kwargs) -> PageError:
    with pytest.raises(PageError) as info:
        convert(text, **kwargs)
    return info.value


# ------------------------------------------------------------------ 1. macros: uses, not a count
def test_a_macro_used_a_thousand_times_expands_everywhere():
    # the old layer stopped after 50 expansions per stretch of text; the limit is on depth now
    # (speed: `python benchmarks/franklin_speed.py` prints the time per page size, side by side)
    uses = "".join(f"Line {i}: $x \\in \\R^{{{i}}}$ and $\\R$.\n\n" for i in range(1000))
    markdown = convert("\\newcommand{\\R}{\\mathbb{R}}\n\n" + uses).markdown
    assert markdown.count("\\mathbb{R}") == 2000 and "\\R" not in markdown


def test_a_macro_that_uses_itself_fails_at_its_line():
    error = error_of("ok\n\n\\newcommand{\\loop}{a \\loop}\n\ntext \\loop here\n")
    assert error.line == 5 and "nested deeper" in error.message


def test_macros_nest_deeply_but_finitely():
    defs = "".join(f"\\newcommand{{\\m{chr(97 + i)}}}{{\\m{chr(98 + i)}}}\n" for i in range(20))
    assert "END" in convert(defs + "\\newcommand{\\mu}{END}\n\nx \\ma y\n").markdown


# ------------------------------------------------------------------ 2. lines are the author's lines
def test_error_after_a_multiline_macro_body_names_the_right_line():
    page = "\\newcommand{\\block}[1]{\n@@box\n#1\n@@\n}\n\n\\block{one}\n\ntext\n\n\\nosuch\n"
    assert error_of(page).line == 11


def test_error_inside_a_macro_expansion_names_the_line_of_the_use():
    page = "\\newcommand{\\bad}{\\nosuch}\n\nfine\n\nstill fine \\bad\n"
    assert error_of(page).line == 5


def test_code_spans_do_not_shift_lines_or_break_macro_arguments(render):
    html, _ = render("\\newcommand{\\em}[1]{*!#1*}\n\n\\em{see `x` here}\n")
    assert "<em>see <code>x</code> here</em>" in html
    error = error_of("`a`\n`b`\n\n`c` \\nosuch\n")
    assert error.line == 4


def test_error_lines_inside_front_matter_and_after_it():
    assert error_of('+++\ntitle = "x"\nbad = \n+++\n').line == 3
    assert error_of('+++\ntitle = "x"\n+++\n\n\\nosuch\n').line == 5


# ------------------------------------------------------------------ 3. Franklin's argument spacing
def test_hash_k_gets_a_space_and_bang_hash_k_none(render):
    page = ("\\newcommand{\\ip}[1]{\\left\\langle#1\\right\\rangle}\n\\newcommand{\\glue}[1]{pre!#1post}\n\n"
            "$\\ip{x}$ and \\glue{X}\n")
    html, _ = render(page)
    assert r"\left\langle x\right\rangle" in html and "\\langlex" not in html
    assert "preXpost" in html


def test_newcommand_spacing_variants():
    page = "\\newcommand{ \\x }[ 1]{<#1>}\n\\newcommand{\\y}[]{Y}\n\n\\x{a} \\y\n"
    assert "< a> Y" in convert(page).markdown


def test_arguments_are_stripped_and_must_follow_the_name():
    assert "[ b]" in convert("\\newcommand{\\w}[1]{[#1]}\n\n\\w{  b  }\n").markdown
    error = error_of("\\newcommand{\\w}[1]{[#1]}\n\n\\w {b}\n")
    assert error.line == 3 and "no space" in error.message


def test_redefinition_applies_from_its_position_on():
    page = "\\newcommand{\\v}{first}\n\n\\v\n\n\\newcommand{\\v}{second}\n\n\\v\n"
    markdown = convert(page).markdown
    assert markdown.index("first") < markdown.index("second")


def test_newcommand_in_code_is_text_not_a_definition(render):
    html, _ = render("`\\newcommand{\\z}{Z}`\n\n```\n\\newcommand{\\q}{Q}\n```\n")
    assert "\\newcommand{\\z}{Z}" in html and "\\newcommand{\\q}{Q}" in html
    assert "unknown command \\z" in error_of("`\\newcommand{\\z}{Z}`\n\n\\z\n").message


def test_newenvironment_with_arguments(render):
    html, _ = render("\\newenvironment{boxed}[1]{@@box\n**!#1**\n}{\n@@}\n\n\\begin{boxed}{Title}\n\nInside.\n\\end{boxed}\n")
    assert re.search(r'<div class="box">\s*<p><strong>Title</strong></p>\s*<p>Inside.</p>\s*</div>', html)


# ------------------------------------------------------------------ 4. one-line divs
def test_one_line_div_and_one_produced_by_a_macro(render):
    html, _ = render("@@note Some *text* @@\n\n\\newcommand{\\warn}[1]{@@warning !#1 @@}\n\n\\warn{Careful}\n")
    assert re.search(r'<div class="admonition note">\s*<p>Some <em>text</em></p>\s*</div>', html)
    assert re.search(r'<div class="admonition warning">\s*<p>Careful</p>\s*</div>', html)
    assert "@@" not in html


def test_block_macro_with_nested_one_line_divs(render):
    page = ("\\newcommand{\\block}[2]{@@block @@title !#1 @@ @@content !#2 @@ @@}\n\n"
            "\\block{Lemma}{If $x$ then $y$.}\n")
    html, _ = render(page)
    assert re.search(r'<div class="block">\s*<div class="title">\s*<p>Lemma</p>\s*</div>\s*'
                     r'<div class="content">\s*<p>If <span class="arithmatex">', html)


def test_an_unclosed_div_names_the_line_that_opened_it():
    error = error_of("text\n\n@@note\nbody\n\n@@box inner @@\n\nmore\n")
    assert error.line == 3 and "'@@note' opens a div that is never closed" in error.message


def test_admonition_title_inside_a_note(render):
    html, _ = render("@@note\n@@title Heads up @@\n@@content Body. @@\n@@\n")
    assert re.search(r'<div class="admonition note">\s*<div class="admonition-title">\s*<p>Heads up</p>', html)


def test_solution_div_is_a_collapsed_block_with_markdown_and_math(render):
    html, _ = render("1. **Task.** Show it.\n\n@@solution\nSince *this*, $x = 1$.\n@@\n\nAfter.\n")
    assert re.search(r'<details class="success solution">\s*<summary>Solution</summary>\s*'
                     r'<p>Since <em>this</em>, <span class="arithmatex">', html)
    assert re.search(r"</details>\s*<p>After.</p>", html) and "@@" not in html


def test_details_div_takes_its_summary_from_its_title(render):
    html, _ = render("@@details\n@@title The *computations* @@\nBody $x$.\n@@\n")
    assert re.search(r'<details class="note">\s*<summary>\s*The <em>computations</em>\s*</summary>\s*<p>Body ', html)
    assert html.count("</details>") == 1 and "@@" not in html


def test_solution_div_inside_a_list_item(render):
    html, _ = render("- item\n\n  @@solution\n  Inside.\n  @@\n")
    assert '<details class="success solution"><summary>Solution</summary>' in html
    assert html.index("Inside.") < html.index("</details>")


# ------------------------------------------------------------------ 5. breaks, lists, eqnarray, numbering
def test_double_backslash_is_a_line_break(render):
    html, _ = render("first line\\\\second line\n")
    assert "first line<br>" in html and "\\" not in re.sub(r"<[^>]+>", "", html)


def test_list_right_after_a_paragraph_line(render):
    html, _ = render("Some items:\n- one\n- two\n\nAfter.\n\nIn the year\n1998. it was\n")
    assert re.search(r"<p>Some items:</p>\s*<ul>\s*<li>one</li>\s*<li>two</li>\s*</ul>", html)
    assert "<p>In the year\n1998. it was</p>" in html  # only 1. or a bullet interrupts a paragraph


def test_eqnarray_becomes_an_array_katex_can_draw(render):
    html, _ = render("\\begin{eqnarray}\na &=& b \\\\\nc &=& d\n\\end{eqnarray}\n")
    assert "\\begin{array}{rcl}" in html and "eqnarray" not in html and "\\tag{1}" in html


def test_one_numbering_scheme_for_labels_and_numbered_environments(render):
    page = ("$$ a \\label{eq:a} $$\n\n\\begin{equation}\nb\n\\end{equation}\n\n$$ c $$\n\n"
            "\\begin{align*}\nd &= e\n\\end{align*}\n\n$$ f \\label{eq:f} $$\n\n\\eqref{eq:a}, \\eqref{eq:f}\n")
    html, _ = render(page)
    assert re.findall(r"\\tag\{(\d+)\}", html) == ["1", "2", "3"]
    assert "\\begin{equation}" not in html and "\\begin{align*}" not in html
    assert '(<a href="#eq-a">1</a>), (<a href="#eq-f">3</a>)' in html


# ------------------------------------------------------------------ 6. figures as files, assets
def test_fig_with_an_image_path_is_a_file_not_a_snippet(tmp_path, render):
    (tmp_path / "_assets" / "posts" / "p").mkdir(parents=True)
    (tmp_path / "_assets" / "posts" / "p" / "a b.png").write_bytes(b"png")
    (tmp_path / "_assets" / "logo.svg").write_text("<svg/>")
    assets = Assets(tmp_path)
    converted = franklin.convert("\\fig{./a b.png}\n\n\\figalt{Logo}{/assets/logo.svg}\n", "docs/posts/p.md",
                                 "posts/p.md", FakeOutputs(), assets=assets)
    assert "(../_assets/posts/p/a%20b.png)" in converted.markdown
    assert "![Logo](../_assets/logo.svg)" in converted.markdown
    with pytest.raises(PageError, match=r"docs/posts/p\.md:3: no file for '/assets/none\.png'"):
        franklin.convert("a\n\n\\fig{/assets/none.png}\n", "docs/posts/p.md", "posts/p.md", FakeOutputs(),
                         assets=assets)


def test_mintoclevel_and_maxtoclevel_limit_the_toc(render):
    html, _ = render("@def mintoclevel = 2\n@def maxtoclevel = 2\n\n# Top\n\n\\toc\n\n## Kept\n\n### Dropped\n")
    toc = re.search(r'<div class="franklin-toc">.*?</div>', html, re.S).group(0)
    assert "#kept" in toc and "#top" not in toc and "#dropped" not in toc


def test_config_md_at_the_root_of_a_franklin_folder(tmp_path):
    (tmp_path / "config.md").write_text('+++\nauthor = "Ada"\n+++\n@def prepath = "notes"\n'
                                        "\\newcommand{\\E}{\\mathbb{E}}\n")
    site = load_site_config(tmp_path)
    assert site.variables == {"author": "Ada", "prepath": "notes"} and "E" in site.macros
    markdown = convert("By {{fill author}}: $\\E[x]$\n", site=site).markdown
    assert "By Ada:" in markdown and "\\mathbb{E}[x]" in markdown


# ------------------------------------------------------------------ 7. {{…}} functions
def test_fill_and_variables(render):
    html, _ = render('+++\ntitle = "T"\nn = 3\n+++\n\n{{fill title}} has {{n}} parts.\n')
    assert "<p>T has 3 parts.</p>" in html


def test_isdef_if_else(render):
    page = ('@def draft = false\n@def author = "Bo"\n\n{{isdef author}}by {{author}}{{end}}'
            "{{isnotdef nope}} (nope unset){{end}}\n\n{{if draft}}DRAFT{{else}}FINAL{{end}}\n")
    html, _ = render(page)
    assert "by Bo (nope unset)" in html and "FINAL" in html and "DRAFT" not in html and "{{" not in html


def test_toc_function_insert_redirect_and_tags(tmp_path):
    (tmp_path / "_layout").mkdir()
    (tmp_path / "_layout" / "banner.html").write_text('<div id="banner">B</div>')
    site = load_site_config(tmp_path)
    converted = convert('@def tags = ["a", "b"]\n\n{{insert banner.html}}\n\n{{redirect /old/}}\n\n'
                        "{{page_tags}}\n\n{{toc 1 2}}\n\n# H\n", site=site)
    assert converted.redirects == ["/old/"] and "<!--franklin-toc:1:2-->" in converted.markdown
    assert '<div id="banner">B</div>' in converted.raw_html and any("page-tag" in r for r in converted.raw_html)


def test_unknown_function_is_a_julia_error_naming_utils(tmp_path):
    (tmp_path / "utils.jl").write_text("function hfun_bar(params)\n  return \"x\"\nend\nlx_baz(com, _) = \"y\"\n"
                                       "@delay function hfun_posts()\nend\nhfun_page_tags() = \"\"\n")
    site = load_site_config(tmp_path)
    error = error_of("text\n\n{{bar 1}}\n", site=site)
    assert error.line == 3 and "hfun_bar of the site's utils.jl" in error.message
    assert "lx_baz" in error_of("\\baz{1}\n", site=site).message
    assert "hfun_posts" in error_of("{{posts}}\n", site=site).message
    convert('@def tags = ["a"]\n{{page_tags}}\n', site=site)  # a site's own version of a built-in: the built-in


# ------------------------------------------------------------------ 8. Julia-only constructs
@pytest.mark.parametrize("block", ["```julia:ex\nx = 1\n```", "```!\nx = 1\n```", "```>\n1+1\n```"])
def test_julia_eval_blocks_fail_with_page_and_line(block):
    error = error_of(f"intro\n\n{block}\n")
    assert error.line == 3 and "Julia code is not run by this site" in error.message and "python:name" in error.message


def test_julia_values_in_def_fail_and_julia_literals_are_read():
    error = error_of('ok\n@def meta = Dict("a" => 1)\n')
    assert error.line == 2 and "Julia expression" in error.message
    page = '@def tags = ("a", "b")\n@def img = nothing\n@def date = Date(2021, 03, 1)\n'
    assert convert(page).meta == {"tags": ["a", "b"], "img": None, "date": datetime.date(2021, 3, 1)}


def test_julia_values_in_config_fail_only_where_a_page_uses_them(tmp_path):
    (tmp_path / "config.md").write_text('+++\nimport Dates\nurl = get(ENV, "URL", "x")\nname = "N"\n+++\n')
    site = load_site_config(tmp_path)
    assert convert("{{fill name}} is fine\n", site=site).markdown.startswith("N is fine")
    error = error_of("text\n\n{{fill url}}\n", site=site)
    assert error.line == 3 and "config.md:3" in error.message and "Julia expression" in error.message


@pytest.mark.parametrize("command", ["\\show{ex}", "\\literate{/x.jl}", "\\tableinput{}{/x.csv}"])
def test_julia_commands_fail_naming_the_python_way(command):
    error = error_of(f"a\n\n{command}\n")
    assert error.line == 3 and "runs Python" in error.message


def test_eval_block_in_another_language_is_shown_and_said_not_run(render):
    warnings = []
    converted = franklin.convert("```r:ex\nx <- 1\n```\n", "docs/p.md", "p.md", FakeOutputs(), warn=warnings.append)
    assert "```r\nx <- 1" in converted.markdown
    assert warnings and "docs/p.md:1" in warnings[0] and "not run" in warnings[0]


# ------------------------------------------------------------------ 9. heading ids
def test_heading_ids_are_franklins(render):
    html, _ = render("## Sub Title\n\n## Sub Title\n\n## $G$-CNN: The First Class!\n\n[back](#sub_title)\n")
    assert 'id="sub_title"' in html and 'id="sub_title__2"' in html
    assert 'id="g-cnn_the_first_class"' in html


def test_raw_html_inside_a_line_stays_in_place(render):
    # Python-Markdown moves an HTML comment that opens a paragraph; inline raw HTML must not move.
    page = ("\\newcommand{\\collapse}[2]{~~~<button class=\"c\">~~~ !#1 ~~~</button><div class=\"cc\">~~~ !#2 ~~~</div>~~~}\n\n"
            "\\collapse{Show}{Hidden text.}\n\nAfter.\n")
    html, _ = render(page)
    assert re.search(r'<button class="c">\s*Show\s*</button><div class="cc">\s*Hidden text.\s*</div>', html)
    assert html.index("</div>") < html.index("After.")


# ------------------------------------------------------------------ 10. commutative diagrams
def test_tikzcd_in_display_math_is_drawn_with_macros_expanded_and_takes_no_number(render):
    page = ("\\newcommand{\\R}{\\mathbb{R}}\n\n$$ a \\label{eq:a} $$\n\n$$\n\\begin{tikzcd}\n"
            "\\R^2 \\arrow[r, \"f\"] \\arrow[dr, \"g\"'] & \\R \\arrow[d, \"h\"] \\\\\n & \\R\n\\end{tikzcd}\n$$\n\n"
            "\\begin{tikzcd} A \\arrow[r] & B \\end{tikzcd}\n\n$$ b \\label{eq:b} $$\n")
    html, _ = render(page)
    assert html.count('<div class="tikzcd">') == 2 and "\\begin{tikzcd}" not in html
    assert "ℝ" in html  # the aria-label reads \mathbb{R} as ℝ: the macro was expanded
    assert re.findall(r"\\tag\{(\d+)\}", html) == ["1", "2"]


def test_a_broken_tikzcd_diagram_names_page_and_line():
    error = error_of("text\n\n$$\n\\begin{tikzcd}\nA \\arrow[rr] & B\n\\end{tikzcd}\n$$\n")
    assert error.line == 3 and "tikzcd" in error.message and "column" in error.message


def test_julia_string_interpolation_is_julia_but_paired_dollars_are_math():
    assert convert('+++\ntitle = "Notes on $G$-CNNs"\n+++\n').meta["title"] == "Notes on \\(G\\)-CNNs"
    error = error_of('+++\npretitle = "GMRES"\ntitle = "$pretitle, part I"\n+++\n')
    assert error.line == 3 and "Julia expression" in error.message
    assert "Julia expression" in error_of('@def t = "$(uppercase("x"))"\n').message


# ------------------------------------------------------------------ found by a cold review
def test_display_math_and_divs_inside_list_items_indented_as_commonmark(render):
    html, _ = render("1. First we have\n   $$\n   a = b\n   $$\n2. next\n")
    assert re.search(r'<li>\s*<p>First we have</p>\s*<div class="arithmatex">\\\[\s*a = b\s*\\\]</div>\s*</li>', html)
    html, _ = render("- item\n\n   @@warning\n   Be *careful* with $x$.\n   @@\n- next\n")
    assert re.search(r'<li>\s*<p>item</p>\s*<div class="admonition warning">\s*<p>Be <em>careful</em> with '
                     r'<span class="arithmatex">\\\(x\\\)</span>.</p>\s*</div>\s*</li>', html)
    assert "markdown=" not in html and "franklin-raw" not in html


def test_html_comments_are_dropped_like_franklin(render):
    html, _ = render("Some text <!-- hidden\n\nstill hidden --> visible.\n\n<!--\n## Intro\n-->\n## Intro\n")
    assert "hidden" not in html and "Some text  visible." in html and 'id="intro"' in html


def test_hash_inside_a_string_of_a_page_variable_block_is_text():
    assert convert('+++\ntitle = "C# notes" # a comment\n+++\n').meta["title"] == "C# notes"


def test_error_lines_inside_arguments_and_multiline_math():
    page = "\\newcommand{\\box}[1]{@@note #1 @@}\n\\box{first\n\nsecond\n\n third \\bad}\n"
    assert error_of(page).line == 6
    math = "\\newcommand{\\norm}[1]{|#1|}\n\n$$\na = b\nc = d\ne = \\norm x\n$$\n"
    error = error_of(math)
    assert error.line == 6 and "\\norm expects 1 argument" in error.message
    assert "got '\\n{b}" in error_of("\\newcommand{\\f}[2]{#1#2}\n\\f{a}\n{b}\n").message


def test_function_errors_name_their_lines():
    error = error_of("a\n\n{{isdef a}}\nb\n\nc\n")
    assert error.line == 3 and "{{isdef a}} is never closed" in error.message
    assert error_of("\n{{fill}}\n").line == 2
    assert "expected two heading levels" in error_of("{{toc a b}}\n").message


def test_two_rule_lines_are_two_rules_not_a_heading(render):
    html, _ = render("text\n\n---\n---\n")
    assert html.count("<hr>") == 2 and "<h2" not in html


def test_list_from_a_macro_and_text_after_a_list(render):
    html, _ = render("\\newcommand{\\lst}{\n* a\n* b\n}\nIntro:\n\\lst\nend\n")
    assert re.search(r"<p>Intro:</p>\s*<ul>\s*<li>a</li>\s*<li>b</li>\s*</ul>\s*<p>end</p>", html)
    html, _ = render("* a\n* b\nfollow-on para\n")
    assert re.search(r"</ul>\s*<p>follow-on para</p>", html)


def test_inline_raw_html_on_its_own_line_stays_in_the_paragraph(render):
    html, _ = render("Intro *em*\n~~~<b>x</b>~~~\nmore\n")
    assert re.search(r"<p>Intro <em>em</em>\s*<b>x</b>\s*more</p>", html)


def test_material_block_openers_are_plain_text(render):
    html, _ = render('??? Why does this work\nBecause.\n\n=== "x"\n')
    assert "<details" not in html and "tabbed" not in html and "??? Why does this work" in html


def test_figures_in_a_plain_assets_folder(tmp_path):
    (tmp_path / "assets" / "p" / "code").mkdir(parents=True)
    (tmp_path / "assets" / "p" / "code" / "x.png").write_bytes(b"png")
    converted = convert("\\fig{x.png}\n", assets=Assets(tmp_path))
    assert "(assets/p/code/x.png)" in converted.markdown
