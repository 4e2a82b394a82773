"""Build the spaCy pipeline plankg ships (nlp/models/plankg_zh) from its parts.

    python -m training.package --out NEW_PIPELINE [--segmenter DIR] [--models DIR]
    python -m training.package --out nlp/models/plankg_zh --force     # replace the shipped one

The parts: nlp/pipeline.cfg (components and settings), nlp/data (every component's data files),
a pkuseg model (training/segmenter.py; default: the one in the shipped pipeline) and the
learned layers (training/learn.py's --out folder, one subfolder per component; default: the
shipped ones). The shipped
pipeline is replaced only with --force: every later graph depends on it.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from plankg.nlp.pipeline import PIPELINE_DIR, SHIPPED_SEGMENTER, package

from .learn import LEARNED  # components whose models training/learn.py writes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="folder to write the pipeline to")
    parser.add_argument("--segmenter", type=Path, default=SHIPPED_SEGMENTER, help="pkuseg model folder")
    parser.add_argument(
        "--models", type=Path, help="training.learn's output folder (default: the shipped models)"
    )
    parser.add_argument("--force", action="store_true", help="allow replacing the shipped pipeline")
    args = parser.parse_args(argv)
    if args.out.resolve() == PIPELINE_DIR.resolve() and not args.force:
        parser.exit(2, f"error: {args.out} is the shipped pipeline; add --force to replace it\n")
    if args.out.exists() and not (args.out / "config.cfg").exists():
        parser.exit(2, f"error: {args.out} exists and is not a spaCy pipeline; choose another --out\n")
    models = {}
    for name in LEARNED:
        source = (args.models or PIPELINE_DIR) / name
        if source.exists():
            models[name] = {"model": str(source)}
    out = package(args.segmenter, args.out, models=models)
    print(f"pipeline: {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
