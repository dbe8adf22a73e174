"""The matplotlib style file of the notes: `plt.style.use(STYLE)`."""
from pathlib import Path

STYLE: Path = Path(__file__).with_name("notes.mplstyle")
"""Path of the style file; the site applies it to every snippet before it runs."""
