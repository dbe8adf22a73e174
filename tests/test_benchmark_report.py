"""The Benchmarks page rendered from made-up rows (no timing is measured or asserted), and the
benchmark scripts' row functions that report.py uses."""
from __future__ import annotations

import importlib
import re
import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

import build_speed  # noqa: E402
import egnn_speed  # noqa: E402
import gconv_speed  # noqa: E402
import graph_models_speed  # noqa: E402
import nbody_training_time  # noqa: E402
import page  # noqa: E402
import steerable_speed  # noqa: E402
from interleaved import TrainEval, train_eval  # noqa: E402
from machine import Machine, describe  # noqa: E402

MACHINE = Machine(cpu="Test CPU 9000", cores=2, memory_gib=7.5, system="Testix 1", python="3.11.7",
                  torch="2.13.0+cpu", torch_threads=2)
COMMAND, DATE = "python benchmarks/report.py --budget 3", "2030-01-02 03:04 UTC"


def timing(train_ratio: float, eval_ratio: float) -> TrainEval:
    return TrainEval(7, 10.0, 10.0 * train_ratio, train_ratio, 8.0, 8.0 * eval_ratio, eval_ratio)


def results(nbody: bool = True, build: bool = True) -> page.Results:
    return page.Results(
        budget=3.0,
        gconv=[gconv_speed.SpeedRow("C4", 1, timing(1.01, 1.00)), gconv_speed.SpeedRow("C8", 32, timing(1.20, 1.03))],
        gconv_construction=gconv_speed.Construction(layer_ms=4.0, conv2d_ms=1.0),
        steerable=[steerable_speed.SpeedRow("C8 regular ×16", 128, 1, timing(1.04, 0.99), 1.02)],
        steerable_construction=steerable_speed.Construction(first_ms=40.0, field_type_ms=0.5, layer_ms=3.0,
                                                            conv2d_ms=1.0),
        egnn=[egnn_speed.SpeedRow(5, 100, 3e-7, 9, 2.0, 1.5, 0.75, 1.0, 1.2, 1.2)],
        graph_models=[graph_models_speed.SpeedRow(5, 100, "forward", 11, {"EGNN": 5.0, "SEGNN": 15.0, "PONITA-12": 7.5,
                                                                        "PONITA-62": 45.0},
                                                  {"SEGNN": 3.0, "PONITA-12": 1.5, "PONITA-62": 9.0})],
        nbody=[nbody_training_time.Timing("load_nbody()", 0, 4.0), nbody_training_time.Timing("EGNN", 100, 80.0),
               nbody_training_time.Timing("GNN", 80, 125.0), nbody_training_time.Timing("SEGNN", 81, 150.0),
               nbody_training_time.Timing("PONITA", 160, 190.0)] if nbody else None,
        build=build_speed.BuildSpeed(snippets=40, repeat=1, cold_s=200.0, warm_s=1.5, runner_snippets=10,
                                     overhead_s=0.05, interpreter_s=2.0, warmup_s=3.0) if build else None)


def tables(text: str) -> list[list[str]]:
    """Each Markdown table of a page as its lines."""
    found, current = [], []
    for line in text.splitlines() + [""]:
        if line.startswith("|"):
            current.append(line)
        elif current:
            found.append(current)
            current = []
    return found


def row_of(text: str, *cells: str) -> str:
    """The one table line that starts with these cells."""
    start = "| " + " | ".join(cells) + " |"
    lines = [line for line in text.splitlines() if line.startswith(start)]
    assert len(lines) == 1, f"expected one row starting {start!r}, found {lines}"
    return lines[0]


def test_the_header_states_command_date_machine_and_not_to_edit():
    text = page.render(results(), MACHINE, COMMAND, DATE)
    assert text.startswith('+++\ntitle = "Benchmarks"')
    head = text[:text.index("## How it is measured")]
    for fact in (COMMAND, DATE, "Test CPU 9000", "| cores | 2 |", "7.5 GiB", "Testix 1", "3.11.7",
                 "2.13.0+cpu (2 threads)", "do not edit"):
        assert fact in head
    assert "e2cnn_side_by_side.py" in text


def test_goal_marks_follow_the_ratios_and_times():
    text = page.render(results(), MACHINE, COMMAND, DATE)
    assert row_of(text, "C4", "1", "train").endswith(f"| 1.010× | ≤ 1.05× | {page.MET} |")
    assert row_of(text, "C8", "32", "train").endswith(f"| 1.200× | ≤ 1.05× | {page.MISSED} |")
    assert row_of(text, "C8", "32", "eval").endswith(f"| 1.030× | ≤ 1.02× | {page.MISSED} |")
    assert row_of(text, "C8 regular ×16", "128", "1", "train").endswith(f"| {page.MET} | 1.020× |")
    assert row_of(text, "5", "100", "3.0e-07", "train").endswith(f"| 0.750× | ≤ 1.0× | {page.MET} |")
    assert row_of(text, "5", "100", "3.0e-07", "eval").endswith(f"| 1.200× | ≤ 1.0× | {page.MISSED} |")
    assert row_of(text, "first in the process (field types + bases)").endswith(f"| ≤ 10 ms | {page.MISSED} |")
    assert row_of(text, "again (bases kept), median").endswith(f"| ≤ 10 ms | {page.MET} |")
    assert row_of(text, "EGNN").endswith(f"| ≤ 120 s | {page.MET} |")
    assert row_of(text, "GNN").endswith(f"| ≤ 120 s | {page.MISSED} |")
    assert row_of(text, "SEGNN").endswith(f"| ≤ 180 s | {page.MET} |")
    assert row_of(text, "PONITA").endswith(f"| ≤ 180 s | {page.MISSED} |")
    assert row_of(text, "5", "100", "forward", "11", "5.00", "15.00", "7.50", "45.00").endswith("| 3.00× | 1.50× | 9.00× |")
    assert row_of(text, "warm / cold").endswith(f"| 0.007 | ≤ 0.1 | {page.MET} |")


def test_every_table_is_rectangular_with_a_separator():
    text = page.render(results(), MACHINE, COMMAND, DATE)
    found = tables(text)
    assert len(found) == 9  # machine, gconv ×2, steerable ×2, EGNN, graph models, N-body, build
    for lines in found:
        widths = {line.count("|") for line in lines}
        assert len(widths) == 1, f"ragged table: {lines}"
        assert re.fullmatch(r"\|( --- \|)+", lines[1])


def test_skipped_benchmarks_say_so_instead_of_a_table():
    text = page.render(results(nbody=False, build=False), MACHINE, COMMAND, DATE)
    assert text.count("Not measured in this run") == 2
    assert len(tables(text)) == 7


def test_the_page_converts_to_html_tables_through_the_site_converter(render):
    html, _ = render(page.render(results(), MACHINE, COMMAND, DATE))
    assert html.count("<table>") == 9
    assert 'class="admonition info"' in html and "admonition-title" in html
    visible = re.sub(r"<!--.*?-->", "", html, flags=re.S)  # the source comment stays a comment
    assert "change benchmarks/page.py and rerun" not in visible and COMMAND in visible


def test_a_ragged_row_or_a_pipe_in_a_cell_is_refused():
    with pytest.raises(ValueError, match="2 cells, expected 3"):
        page.table(["a", "b", "c"], [["1", "2"]])
    with pytest.raises(ValueError, match="contains '|'"):
        page.table(["a"], [["x | y"]])


def test_the_machine_is_described():
    machine = describe()
    assert machine.cores >= 1 and machine.memory_gib > 0 and machine.cpu and machine.python and machine.torch


@pytest.mark.parametrize("script, function", [
    ("gconv_speed", "speed_rows"), ("gconv_speed", "construction"),
    ("steerable_speed", "speed_rows"), ("steerable_speed", "construction"),
    ("egnn_speed", "speed_rows"), ("graph_models_speed", "speed_rows"), ("nbody_training_time", "timings"), ("build_speed", "measure")])
def test_each_script_exposes_its_row_function_and_main(script, function):
    module = importlib.import_module(script)
    assert callable(getattr(module, function)) and callable(module.main)
    report = (ROOT / "benchmarks" / "report.py").read_text()
    assert f"{script}.{function}(" in report


def test_train_eval_summarises_paired_rounds():
    times = {"plain train": [1.0, 2.0, 1.0], "layer train": [1.1, 2.0, 1.3],
             "plain eval": [1.0, 1.0, 1.0], "layer eval": [0.9, 1.0, 1.1]}
    summary = train_eval(3, times)
    assert summary.rounds == 3
    assert summary.train_ratio == pytest.approx(1.1) and summary.eval_ratio == pytest.approx(1.0)
    assert summary.plain_train_ms == pytest.approx(1000.0) and summary.layer_train_ms == pytest.approx(1300.0)


def peer_run(library: str) -> dict:
    timing = {"rounds": 7, "plain_train_ms": 6.0, "layer_train_ms": 9.0, "train_ratio": 1.5,
              "plain_eval_ms": 6.0, "layer_eval_ms": 6.1, "eval_ratio": 1.017}
    return {"library": library, "command": f"python benchmarks/e2cnn_side_by_side.py --library {library} --save",
            "date": "2026-12-01 09:30 UTC", "gcnn_commit": "abc1234", "budget": 4.0,
            "versions": {library: "9.9", "torch": "2.13.0+cpu", "numpy": "1.26.4"},
            "machine": {"cpu": "Peer CPU", "cores": 2, "memory_gib": 7.5, "system": "Testix 1", "python": "3.11.7",
                        "torch": "2.13.0+cpu", "torch_threads": 2},
            "speed": [{"fields": "C8 regular ×16", "layer": who, "channels": 128, "batch": 1, **timing}
                      for who in ("ours", library)],
            "construction": [{"fields": "C8 regular ×16", "layer": who, "first_ms": 26.2, "again_ms": ms,
                              "weights": 30720, "bias": 16} for who, ms in (("ours", 5.5), (library, 72.7))]}


def test_peer_runs_are_shown_with_their_own_date_machine_and_versions():
    text = page.render(results(), MACHINE, COMMAND, DATE, [peer_run("e2cnn"), peer_run("escnn")])
    section = text[text.index("## Side by side with e2cnn and escnn"):]
    assert "not measured by this\npage's command" in section
    for library in ("e2cnn", "escnn"):
        part = section[section.index(f"### Against {library}"):]
        assert f"--library {library} --save" in part and "2026-12-01 09:30 UTC" in part and "`abc1234`" in part
        assert "Peer CPU (2 cores, 2 torch threads)" in part and f"{library} 9.9, torch 2.13.0+cpu" in part
    assert row_of(section, "C8 regular ×16", "`escnn`", "1", "train").endswith("| 1.500× | 6.00 | 9.00 | 7 |")
    assert row_of(section, "C8 regular ×16", "`escnn`", "26.2").endswith("| 72.7 | 30,736 |")
    assert len(tables(text)) == 9 + 4
    assert "No run is committed" in page.render(results(), MACHINE, COMMAND, DATE)
