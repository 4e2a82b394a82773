"""What the research notebooks (notebooks/) share: a CJK font for matplotlib, and where outputs go.

Chinese labels need a font with CJK glyphs; without one every label is drawn as boxes. matplotlib only
knows the fonts in its cache, so a font installed after the cache was made stays invisible. `use_cjk_font`
therefore registers a font file directly (font_manager.addfont, no cache involved): the Noto Sans CJK SC
that the `mplfonts` package ships (in the notebooks extra), else a CJK font found on the system by a
fresh scan of the font folders. matplotlib is imported here only when a function is called.
"""

from __future__ import annotations

import os
from pathlib import Path

# Family names of common CJK fonts, preferred in this order when they are installed.
CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "Heiti SC",
    "AR PL UMing CN",
)
# File names that hold CJK glyphs, for the fresh scan of the system's font folders.
_CJK_FILES = ("notosanscjk", "notoserifcjk", "sourcehansans", "wqy", "simhei", "msyh", "pingfang", "uming")


def _bundled_font() -> Path | None:
    """Noto Sans CJK SC from the mplfonts package, when it is installed."""
    try:
        import mplfonts
    except ImportError:
        return None
    path = Path(mplfonts.__file__).parent / "fonts" / "NotoSansCJKsc-Regular.otf"
    return path if path.exists() else None


def use_cjk_font() -> str | None:
    """Make matplotlib draw Chinese: register a CJK font and put it first in font.sans-serif.

    Returns the family name used, or None when no CJK font can be found (then labels show as boxes and
    matplotlib warns "Glyph ... missing from font(s)")."""
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    family = None
    bundled = _bundled_font()
    if bundled is not None:
        font_manager.fontManager.addfont(str(bundled))
        family = font_manager.FontProperties(fname=str(bundled)).get_name()
    if family is None:
        known = {f.name for f in font_manager.fontManager.ttflist}
        family = next((name for name in CJK_FAMILIES if name in known), None)
    if family is None:  # installed after matplotlib's cache was built: look at the files themselves
        for path in sorted(font_manager.findSystemFonts()):
            if any(part in Path(path).name.lower().replace("-", "") for part in _CJK_FILES):
                font_manager.fontManager.addfont(path)
                family = font_manager.FontProperties(fname=path).get_name()
                break
    if family is not None:
        plt.rcParams["font.sans-serif"] = [family, *plt.rcParams["font.sans-serif"]]
        plt.rcParams["font.family"] = "sans-serif"
    plt.rcParams["axes.unicode_minus"] = False  # the CJK fonts have no U+2212 minus sign
    return family


def output_dir(default: str | os.PathLike[str] = "output") -> Path:
    """The folder for a notebook's build and outputs (graph files, targets.csv, figures), created.

    $PLANKG_OUT wins; otherwise `default`, relative to the notebook's folder (the kernel's working
    directory): notebooks/output/."""
    folder = Path(os.environ.get("PLANKG_OUT") or default).expanduser()
    folder.mkdir(parents=True, exist_ok=True)
    return folder
