"""Runs one snippet inside a forked worker and collects what it shows.

The worker process already has torch and matplotlib imported (they are preloaded into the
fork server, see `snippet_launch`), so a snippet costs its own work plus a fork. Figures are
written into `out_dir` as `<stem>-<i>.svg|png`, animations as `<stem>-<i>.gif`. `prepare` and
`finish` are shared with a standalone run (`capture/sitecustomize.py`), so both give the same
bytes.
"""
from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import os
import random
import sys
import tempfile
import time
import traceback
from pathlib import Path

from site_hooks.snippet_inputs import file_hash, project_file

# A figure whose raster images hold more pixels than this is written as PNG, otherwise SVG.
PNG_PIXELS = 40_000
SAVE_OPTIONS = {
    "svg": {"metadata": {"Date": None}},
    "png": {"metadata": {"Software": None}, "dpi": 150},
}


def execute(job: dict) -> dict:
    """Run `job["code"]` as `__main__`; return stdout, stderr, figure names, any error and the files read.

    Like a standalone run: the working directory is an empty scratch folder, and a snippet file's
    own folder comes first on `sys.path`, then the project root."""
    start = time.perf_counter()
    origin = Path(job["root"]) / job["origin"]
    for entry in reversed([str(origin.parent), job["root"]] if origin.suffix == ".py" else [job["root"]]):
        if entry not in sys.path:
            sys.path.insert(0, entry)
    reads = ReadRecorder(Path(job["root"]), job["origin"])
    out, err = io.StringIO(), io.StringIO()
    namespace = {"__name__": "__main__", "__file__": str(origin)}
    sys.argv = [namespace["__file__"]]
    error = None
    with tempfile.TemporaryDirectory(prefix="snippet-cwd-") as cwd, \
            contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        os.chdir(cwd)
        try:
            prepare(job["threads"])
            code = compile("\n" * (job["first_line"] - 1) + job["code"], job["origin"], "exec")
            exec(code, namespace)
        except SystemExit as exc:
            if exc.code not in (None, 0):
                error = describe_error(exc, job)
        except BaseException as exc:  # noqa: BLE001 - any failure of the snippet is reported
            error = describe_error(exc, job)
        os.chdir(job["root"])
    return finish(namespace, job, out.getvalue(), err.getvalue(), error, reads, start)


def execute_to_file(job: dict) -> None:
    """`execute`, its report written to `job["result"]` (the runner reads it once the process ends)."""
    write_report(job, execute(job))


def write_report(job: dict, data: dict) -> None:
    """The run's report at `job["result"]`, whole or not at all (written aside, then renamed)."""
    part = Path(job["result"] + ".part")
    part.write_text(json.dumps(data))
    part.replace(job["result"])


def prepare(threads: int) -> None:
    """The same start for every run: Agg backend, the site's figure style, seeds, thread count."""
    sys.dont_write_bytecode = True  # never touch gcnn/__pycache__ (mkdocs serve watches gcnn/)
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy
    import torch

    try:  # the site's one figure style (readers opt in with the same `plt.style.use`)
        from gcnn.viz import STYLE
        plt.style.use(STYLE)
    except ModuleNotFoundError as exc:  # a project without gcnn.viz keeps matplotlib's defaults
        if exc.name not in ("gcnn", "gcnn.viz"):
            raise
    matplotlib.rcParams["svg.hashsalt"] = "gcnn-notes"
    plt.show = lambda *args, **kwargs: None
    random.seed(0)
    numpy.random.seed(0)
    torch.manual_seed(0)
    torch.set_num_threads(threads)


def finish(namespace: dict, job: dict, stdout: str, stderr: str, error: dict | None,
           reads: "ReadRecorder", start: float) -> dict:
    """Save the figures of a successful run and describe the run (what `SnippetRunner` stores)."""
    import matplotlib.pyplot as plt

    files = []
    if error is None:
        try:
            files = save_figures(namespace, Path(job["out_dir"]), job["stem"])
        except Exception as exc:  # noqa: BLE001 - an unsavable figure fails the snippet, named
            error = describe_error(exc, job)
            error["message"] = f"saving its figures failed: {error['message']}"
    plt.close("all")
    note_execution(job)
    return {"stdout": stdout, "stderr": stderr, "files": files, "error": error,
            "reads": reads.collect(), "seconds": time.perf_counter() - start}


def note_execution(job: dict) -> None:
    """With GCNN_NOTES_RUN_LOG set (for the runner), append `<root> <name>` to it: CI counts executions."""
    if job.get("run_log"):
        with open(job["run_log"], "a") as handle:
            handle.write(f"{job['root']} {job['name']}\n")


class ReadRecorder:
    """The project files a run reads, each hashed when it is first read (a file saved while the
    snippet runs then no longer matches its record, so the result re-runs next time):

    - opened for reading, seen by an audit hook; a module imported from its bytecode cache
      (`__pycache__/m.cpython-311.pyc`) counts as reading its source `m.py`;
    - looked for but absent (recorded as None: creating the file re-runs the snippet);
    - modules in `sys.modules` that the hook did not see (imported before the run started).

    The snippet's own file is not one of them (its code is part of its identity), nor is the main
    module of the process that started the workers. Audit hooks cannot be removed, so the recorder
    lives as long as its process: one run."""

    def __init__(self, root: Path, own_file: str):
        self.root = root.resolve()
        self.own_file = project_file(self.root / own_file, self.root)
        self.read: dict[str, str | None] = {}
        self._hashing = False
        sys.addaudithook(self._hook)

    def _hook(self, event: str, args: tuple) -> None:
        if event != "open" or self._hashing or not isinstance(args[0], (str, bytes, os.PathLike)):
            return
        if not _reads(args[1], args[2]):
            return
        path = os.fsdecode(args[0])
        if path.endswith(".pyc") and "__pycache__" in path:
            try:
                path = importlib.util.source_from_cache(path)
            except ValueError:
                return
        self._note(path)

    def _note(self, path: str) -> None:
        relative = project_file(path, self.root)
        if relative is None or relative in self.read or relative == self.own_file:
            return
        self._hashing = True  # hashing opens the file too
        try:
            self.read[relative] = file_hash(self.root / relative)
        finally:
            self._hashing = False

    def collect(self) -> dict[str, str | None]:
        """`{path: sha256 or None (absent)}` of every project file read, modules included."""
        for name, module in list(sys.modules.items()):
            path = getattr(module, "__file__", None)
            if name not in ("__main__", "__mp_main__") and isinstance(path, str) and os.path.isabs(path):
                self._note(path)  # (torch's `torch.ops` pretends to be a file "_ops.py")
        return dict(sorted(self.read.items()))


def _reads(mode: str | None, flags: int) -> bool:
    if mode is not None:
        return not any(c in mode for c in "wax+")
    return flags & (os.O_WRONLY | os.O_RDWR) == 0


def describe_error(exc: BaseException, job: dict) -> dict:
    """`origin:LINE`, the exception, and the traceback from the snippet's own frames on."""
    frames = traceback.extract_tb(exc.__traceback__)
    own = [i for i, frame in enumerate(frames) if frame.filename == job["origin"]]
    if isinstance(exc, SyntaxError) and exc.filename == job["origin"]:
        line = exc.lineno or job["first_line"]
    else:
        line = frames[own[-1]].lineno if own else job["first_line"]
    shown = frames[own[0]:] if own else frames
    text = "".join(traceback.format_list(shown)) + "".join(traceback.format_exception_only(exc))
    return {"location": f"{job['origin']}:{line}", "message": f"{type(exc).__name__}: {exc}",
            "traceback": "Traceback (most recent call last):\n" + text}


def save_figures(namespace: dict, out_dir: Path, stem: str) -> list[str]:
    import matplotlib.pyplot as plt
    from matplotlib.animation import Animation
    from matplotlib.image import AxesImage

    names = []
    animations = [value for value in namespace.values() if isinstance(value, Animation)]
    animated = {id(animation._fig) for animation in animations}
    figures = [plt.figure(number) for number in plt.get_fignums()]
    for figure in figures:
        if id(figure) in animated:
            continue
        pixels = sum(image.get_array().size for ax in figure.axes for image in ax.get_images()
                     if isinstance(image, AxesImage))
        extension = "png" if pixels > PNG_PIXELS else "svg"
        name = f"{stem}-{len(names) + 1}.{extension}"
        figure.savefig(out_dir / name, format=extension, bbox_inches="tight", **SAVE_OPTIONS[extension])
        names.append(name)
    for animation in animations:
        name = f"{stem}-{len(names) + 1}.gif"
        fps = max(1, round(1000 / getattr(animation, "_interval", 200)))
        hold_layout(animation)
        # GIF has no partial transparency: frames are drawn on white whatever the figure's facecolor.
        animation.save(out_dir / name, writer="pillow", fps=fps, savefig_kwargs={"facecolor": "white"})
        names.append(name)
    return names


def hold_layout(animation) -> None:
    """Lay an animation's figure out once, at its first frame, and keep that layout for every frame:
    the axes do not jump when a title changes, and a frame costs one draw (the GIF writer's) instead
    of two layouts and two draws (`Animation.save` also redraws after every frame)."""
    figure = animation._fig
    figure.canvas.draw_idle = lambda *args, **kwargs: None
    animation._init_draw()  # the first frame, with its titles, decides the layout
    figure.draw_without_rendering()
    figure.set_layout_engine("none")
