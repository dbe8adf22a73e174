"""The BibTeX reader, author–year labels, full entries, and citations resolved against docs/references.bib."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import FakeOutputs, ROOT, site_markdown
from site_hooks import franklin
from site_hooks.errors import PageError
from site_hooks.franklin.bibliography import Bibliography, load_bibliography, parse_names
from site_hooks.franklin.bibtex import parse_bibtex

BIB = r"""
% a comment line, with an @ sign that is not an entry
@string{icml = "Proc. ICML"}
@comment{ anything {nested} here }
@inproceedings{cw16,
  author = {Cohen, Taco S. and Welling, Max},
  title  = {Group Equivariant {Convolutional} Networks},   % trailing comment
  booktitle = icml # " 2016",
  year   = 2016,
  eprint = {1602.07576}, archiveprefix = {arXiv},
}
@article(solo,
  Author = "Erik J. Bekkers",
  TITLE = "{B}-Spline {CNNs} on {L}ie Groups",
  journal = {Journal {of {Nested} Braces}},
  year = {2020},
  doi = {10.1000/example}
)
@misc{many, author = {Bekkers, Erik J. and Lafarge, Maxime W. and Veta, Mitko}, title = {Roto-Translation},
  year = 2018, url = {https://example.org/paper}}
@misc{other, author = {Bekkers, Erik J. and others}, title = {Another One}, year = 2018}
@book{vdp, author = {van der Pol, Elise and Kuan-Chieh Wang}, title = {A Book}, publisher = {Springer},
  edition = {2nd}, year = 2021}
@misc{tut, organization = {University of Amsterdam}, title = {A Tutorial}, shorthand = {UvA tutorial}}
"""


@pytest.fixture
def bib() -> Bibliography:
    return Bibliography(parse_bibtex(BIB, "docs/references.bib"))


def render_page(text: str, bibliography: Bibliography, page_uri: str = "page.md"):
    converted = franklin.convert(text, "docs/page.md", page_uri, FakeOutputs(), bibliography=bibliography)
    return converted.restore_raw_html(site_markdown().convert(converted.markdown)), converted


# ----------------------------------------------------------------------------- the reader
def test_fields_strings_concatenation_nesting_and_comments():
    entries = parse_bibtex(BIB, "refs.bib")
    assert list(entries) == ["cw16", "solo", "many", "other", "vdp", "tut"]
    cw = entries["cw16"]
    assert cw.kind == "inproceedings" and cw.line == 5
    assert cw.fields["title"] == "Group Equivariant {Convolutional} Networks"
    assert cw.fields["booktitle"] == "Proc. ICML 2016" and cw.fields["year"] == "2016"
    solo = entries["solo"]
    assert solo.kind == "article" and solo.fields["author"] == "Erik J. Bekkers"
    assert solo.fields["journal"] == "Journal {of {Nested} Braces}" and solo.fields["doi"] == "10.1000/example"
    assert entries["many"].fields["author"].count(" and ") == 2


@pytest.mark.parametrize("text, line, message", [
    ("@misc{a, title = {x}}\n\n@misc{a, title = {y}}", 3, r"duplicate key 'a' \(first defined on line 1\)"),
    ("@misc{a,\n  title = {never {closed,\n}\n", 2, r"'\{' is never closed"),
    ("@misc{a,\n  title {x}\n}", 2, r"expected '=' after field 'title' of entry 'a'"),
    ("@misc{a,\n  title = {x} year = 1\n}", 2, r"expected ',' or '\}' after field 'title'"),
    ("@misc{a,\n\n  title = undefined\n}", 3, r"unknown @string abbreviation 'undefined'"),
    ("@misc{a, title = {x}, title = {y}}", 1, r"field 'title' appears twice in entry 'a'"),
    ("\n@misc{a, title = \"x {y\"}", 2, r"quoted value is never closed"),
])
def test_malformed_input_names_file_and_line(text, line, message):
    with pytest.raises(PageError, match=rf"^docs/references\.bib:{line}: .*{message}"):
        parse_bibtex(text, "docs/references.bib")


def test_entry_without_title_or_year_is_an_error():
    with pytest.raises(PageError, match=r"^refs\.bib:2: entry 'x' has no year"):
        Bibliography(parse_bibtex("\n@misc{x, title = {T}}", "refs.bib"), "refs.bib")


# ----------------------------------------------------------------------------- labels and entries
def test_names_in_all_three_forms():
    names, others = parse_names("van der Pol, Elise and Kuan-Chieh Wang and {Deep Learning Group} and others")
    assert [(n.first, n.last) for n in names] == [("Elise", "van der Pol"), ("Kuan-Chieh", "Wang"),
                                                  ("", "Deep Learning Group")]
    assert others and names[1].full() == "K.-C. Wang"


def test_labels_for_one_two_and_more_authors(bib):
    assert bib.textual("solo") == "Bekkers (2020)"
    assert bib.textual("cw16") == "Cohen & Welling (2016)" and bib.parenthetical("cw16") == "Cohen & Welling, 2016"
    assert bib.textual("vdp") == "van der Pol & Wang (2021)"
    # three authors, and `and others`, both read "et al."; equal labels get a, b
    assert bib.textual("many") == "Bekkers et al. (2018a)" and bib.textual("other") == "Bekkers et al. (2018b)"
    assert bib.textual("tut") == bib.parenthetical("tut") == "UvA tutorial"


def test_full_entries(bib):
    assert bib.full("cw16") == ("T. S. Cohen, M. Welling. *Group Equivariant Convolutional Networks.* Proc. ICML 2016, "
                                "2016. [arXiv:1602.07576](https://arxiv.org/abs/1602.07576)")
    assert bib.full("solo") == ("E. J. Bekkers. *B-Spline CNNs on Lie Groups.* Journal of Nested Braces, 2020. "
                                "[doi:10.1000/example](https://doi.org/10.1000/example)")
    assert bib.full("vdp").startswith("E. van der Pol, K.-C. Wang. *A Book.* 2nd ed., Springer, 2021.")
    assert bib.full("other").startswith("E. J. Bekkers et al. *Another One.*")
    assert bib.full("many").endswith("[example.org/paper](https://example.org/paper)")


# ----------------------------------------------------------------------------- citations on a page
def test_cite_citet_citep_link_to_the_appended_references(bib):
    html, _ = render_page("As \\cite{cw16} show, and \\citet{solo}, see \\citep{many, cw16}.\n", bib)
    assert 'As <a href="#ref-cw16">Cohen &amp; Welling (2016)</a> show' in html
    assert '<a href="#ref-solo">Bekkers (2020)</a>' in html
    assert ('(<a href="#ref-many">Bekkers et al., 2018a</a>; <a href="#ref-cw16">Cohen &amp; Welling, 2016</a>)'
            in html)
    section = html.split('<h2 id="references">References')[1]
    listed = re.findall(r'<li><a id="ref-([\w-]+)"></a>', section)
    assert listed == ["many", "solo", "cw16"]  # exactly the cited works, by author then year
    assert "<em>Group Equivariant Convolutional Networks.</em>" in section


def test_no_citation_no_references_section(bib):
    html, _ = render_page("Nothing cited here.\n", bib)
    assert "References" not in html


def test_page_local_biblabel_wins_and_is_not_listed_again(bib):
    html, _ = render_page("See \\citep{cw16} and \\cite{solo}.\n\n"
                          "- \\biblabel{cw16}{CW 2016} hand-written entry.\n", bib)
    assert '(<a href="#ref-cw16">CW 2016</a>)' in html and html.count('id="ref-cw16"') == 1
    section = html.split('<h2 id="references">References')[1]
    assert re.findall(r'<a id="ref-([\w-]+)"></a>', section) == ["solo"]


def test_unknown_key_names_page_and_line(bib):
    with pytest.raises(PageError, match=r"^docs/page\.md:3: \\citep\{nope\}: no entry in docs/references\.bib "
                                        r"and no \\biblabel on this page$"):
        render_page("Text.\n\nSee \\citep{cw16, nope}.\n", bib)


def test_bib_download_link_is_relative_to_the_page(bib):
    bib.uri = "references.bib"
    _, top = render_page("\\cite{cw16}\n", bib, page_uri="page.md")
    _, nested = render_page("\\cite{cw16}\n", bib, page_uri="api/page.md")
    assert "[references.bib](references.bib)" in top.markdown
    assert "[references.bib](../references.bib)" in nested.markdown


def test_site_bibliography_has_every_key_the_pages_cite():
    bib = load_bibliography(ROOT / "docs" / "references.bib", "docs/references.bib")
    for page in (ROOT / "docs").rglob("*.md"):
        text = page.read_text()
        local = set(re.findall(r"\\biblabel\{([^}]*)\}", text))
        for keys in re.findall(r"\\cite[tp]?\{([^}]*)\}", text):
            for key in (k.strip() for k in keys.split(",")):
                assert key in bib or key in local, f"{page.relative_to(ROOT)} cites {key!r}"
    for key, entry in bib.entries.items():
        assert entry.get("title") and (entry.get("author") or entry.get("organization")), key


def test_missing_bib_file_is_an_empty_bibliography(tmp_path: Path):
    bib = load_bibliography(tmp_path / "none.bib", "docs/references.bib")
    assert not bib.entries and "x" not in bib
