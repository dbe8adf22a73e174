"""After `make test` in CI: every snippet of the site executed exactly once, and where the time went.

Usage: report_executions.py RUN_LOG CI_REPORT WALL_SECONDS. RUN_LOG has one `<root> <name>` line
per execution (GCNN_NOTES_RUN_LOG); executions in throwaway test projects (other roots) are not
the site's and are not counted. Exits 1 unless each snippet ran exactly once.
"""
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from site_hooks.snippet_outputs import discover_snippets  # noqa: E402


def main(run_log: str, ci_report: str, wall: str) -> int:
    root = str(ROOT)
    executions = Counter(line.split(" ", 1)[1] for line in Path(run_log).read_text().splitlines()
                         if line.split(" ", 1)[0] == root)
    names = [s.name for s in discover_snippets(ROOT, ROOT / "docs")]
    wrong = {name: executions.get(name, 0) for name in names if executions.get(name, 0) != 1}
    wrong |= {name: count for name, count in executions.items() if name not in names}
    report = dict(line.split() for line in Path(ci_report).read_text().splitlines() if line.strip())
    cold = float(report.get("cold_run_seconds", "nan"))
    print(f"== snippet executions: {sum(executions.values())} for {len(names)} snippets"
          + (" (each exactly once)" if not wrong else f"; not once: {wrong}"))
    print(f"== wall time: {int(wall)} s = cold execution of all snippets (2 workers) {cold:.0f} s"
          f" + everything else {int(wall) - cold:.0f} s")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
