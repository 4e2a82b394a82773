"""Only the package list, which pyproject.toml cannot compute: the design's folders nlp/, graph/, exports/
install as plankg.nlp, plankg.graph, plankg.exports, and every data folder below them (nlp/data, the saved
pipeline nlp/models/plankg_zh/..., exports/queries, plankg/sample) is a package of its own, so setuptools
ships it without "Package would be ignored" warnings. Everything else is in pyproject.toml."""

from setuptools import find_namespace_packages, setup

FOLDERS = {"plankg": "plankg", "plankg.nlp": "nlp", "plankg.graph": "graph", "plankg.exports": "exports"}


def packages() -> list[str]:
    found = []
    for name, folder in FOLDERS.items():
        below = find_namespace_packages(folder, exclude=["*__pycache__*"])
        found += [name] + [f"{name}.{sub}" for sub in below]
    return sorted(set(found))


setup(packages=packages())
