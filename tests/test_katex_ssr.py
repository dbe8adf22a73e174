"""Math typeset at build time (site_hooks/katex_ssr.py): KaTeX in embedded V8."""
from __future__ import annotations

import pytest

pytest.importorskip("py_mini_racer", reason="mini-racer is not installed")

from site_hooks.katex_ssr import KatexError, KatexRenderer, typeset_page  # noqa: E402


@pytest.fixture(scope="module")
def katex() -> KatexRenderer:
    return KatexRenderer()


def test_inline_and_display(katex):
    inline = katex.render(r"x^2", display=False)
    assert inline.startswith('<span class="katex">') and "katex-display" not in inline
    assert '<annotation encoding="application/x-tex">x^2</annotation>' in inline
    display = katex.render(r"\sum_{g \in G} f(g)", display=True)
    assert display.startswith('<span class="katex-display">')


def test_error_names_the_tex_and_katex_message(katex):
    with pytest.raises(KatexError) as caught:
        katex.render(r"\frac{a", display=False)
    assert isinstance(caught.value, ValueError)
    assert caught.value.tex == r"\frac{a"
    assert "KaTeX parse error" in caught.value.message
    assert r"\\frac{a" in str(caught.value) and "KaTeX parse error" in str(caught.value)


def test_strict_warnings_do_not_fail(katex):
    assert 'class="katex"' in katex.render("é", display=False)  # LaTeX-incompatible, not an error


def test_memoised(katex):
    calls = katex.calls
    first = katex.render(r"\rho(g)\,\rho(h) = \rho(gh)", display=False)
    assert katex.calls == calls + 1
    assert katex.render(r"\rho(g)\,\rho(h) = \rho(gh)", display=False) is first
    assert katex.calls == calls + 1
    katex.render(r"\rho(g)\,\rho(h) = \rho(gh)", display=True)  # display is another rendering
    assert katex.calls == calls + 2


def test_page_entities_are_unescaped(katex):
    page = '<p><span class="arithmatex">\\(a &lt; b \\&amp; c &gt; d\\)</span></p>'
    expected = katex.render(r"a < b \& c > d", False)
    assert typeset_page(page, katex) == f'<p><span class="arithmatex">{expected}</span></p>'


def test_page_display_delimited_and_bare_environment(katex):
    page = ('<div class="arithmatex">\\[\nf(gx) = g f(x)\n\\]</div>\n'
            '<div class="arithmatex">\\begin{align}\na &amp;= b \\tag{2}\\\\\nc &amp;= d\n\\end{align}</div>')
    out = typeset_page(page, katex)
    assert out.count('<span class="katex-display">') == 2
    assert "\\[" not in out.replace('encoding="application/x-tex">', "")
    assert '<span class="tag">' in out or "katex-tag" in out  # \tag numbers the align


def test_page_titles_in_navigation_and_toc(katex):
    page = ('<title>G-CNN</title><script>const re = "\\(x\\)"</script>'
            '<a href="x/" class="md-nav__link" aria-label="\\(G\\)"><span class="md-ellipsis">\n  \\(G\\)-CNN\n</span></a>'
            '<a href="#h" class="md-nav__link"><span class="md-ellipsis">'
            '<span class="arithmatex">\\(G\\)</span>-CNNs</span></a>'
            '<li><a href="#g-cnn">\\(G\\)-CNN: the \\(x &lt; y\\) case</a></li>'
            '<pre><code>re.compile(r"\\(x\\)")</code></pre><code>\\(y\\)</code>')
    out = typeset_page(page, katex)
    assert out.count('<span class="katex">') == 4
    assert out.count("\\(G\\)") == 1 and 'aria-label="\\(G\\)"' in out  # attributes are not text
    assert katex.render("x < y", False) in out
    assert 'const re = "\\(x\\)"' in out and 're.compile(r"\\(x\\)")' in out and "<code>\\(y\\)</code>" in out


def test_page_error_raises_or_is_reported(katex):
    page = '<p><span class="arithmatex">\\(\\frac{a\\)</span></p>'
    with pytest.raises(KatexError, match=r"frac\{a"):
        typeset_page(page, katex)
    reported: list[KatexError] = []
    assert typeset_page(page, katex, on_error=reported.append) == page
    assert [e.tex for e in reported] == [r"\frac{a"]
