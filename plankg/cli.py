"""Command line: `plankg build`, `eval`, `validate`, `query`, `push`, `view` (training: training/).

Errors the user can fix (bad input, missing files) print one line and exit non-zero;
they never show a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from plankg.exports import formats as registry

from . import __version__

FORMATS = registry.choices()  # every name and alias the format registry (exports/formats.py) writes
DEFAULT_FORMATS = registry.defaults()  # what `plankg build` writes without --format


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="plankg")
def cli() -> None:
    """Turn Chinese government plan news into a knowledge graph."""


@cli.command()
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    default=Path("out"),
    show_default=True,
    help="Folder for graph.graphml and graph.ttl.",
)
@click.option(
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(FORMATS),
    help="Repeatable; default: graphml and ttl.",
)
@click.option("--quiet", is_flag=True, help="No progress bar or summary.")
@click.option(
    "--update",
    "update_dir",
    type=click.Path(path_type=Path),
    help="Add INPUTS to the build in this folder (it must hold one; documents seen again are replaced)"
    " instead of starting anew; with --out, the result goes there and DIR is left as it was.",
)
@click.option("--jobs", default=1, show_default=True, help="Worker processes for the extraction.")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True)
@click.option("--scheduler", help="Dask scheduler address (--engine dask); a LocalCluster when omitted.")
@click.option(
    "--min-confidence",
    type=click.FloatRange(0, 1),
    help="Leave out nodes, edges and targets whose confidence is below this (0..1); facts.sqlite keeps all.",
)
@click.option(
    "--evidence",
    default="all",
    show_default=True,
    metavar="all|first|none|N",
    help="Supporting sentences kept per fact: all, the first, none (documents only), or at most N.",
)
def build(
    inputs: tuple[Path, ...],
    out_dir: Path,
    formats: tuple[str, ...],
    quiet: bool,
    update_dir: Path | None,
    jobs: int,
    engine: str,
    scheduler: str | None,
    min_confidence: float | None,
    evidence: str,
) -> None:
    """Build ONE graph from INPUTS (.txt files, folders, .jsonl); the bundled sample when none.

    With --update DIR the INPUTS are added to the build in DIR, which must hold one (facts.sqlite); the
    result goes to DIR, or to --out when given (DIR is then left as it was).
    """
    from click.core import ParameterSource
    from tqdm import tqdm

    # no monitor thread: worker processes and exports fork safely only without threads
    tqdm.monitor_interval = 0

    from plankg.graph.filtering import evidence_count, parse_evidence
    from plankg.nlp.pipeline import PipelineMissing

    from .api import BuildError
    from .api import build as run_build
    from .sources import InputError
    from .store import StoreError

    def progress(facts, total: int | None):
        if quiet or (total is not None and total < 2):
            return facts
        # disable=None: no bar when stderr is not a terminal (logs, CI)
        return tqdm(
            facts, total=total, desc="documents", unit="doc", file=sys.stderr, leave=False, disable=None
        )

    def warn(message: str) -> None:
        tqdm.write(f"plankg: warning: {message}", file=sys.stderr)  # above the progress bar, if any

    def tell(message: str) -> None:
        tqdm.write(f"plankg: {message}", file=sys.stderr)

    out_given = click.get_current_context().get_parameter_source("out_dir") != ParameterSource.DEFAULT
    try:
        parse_evidence(evidence)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--evidence") from None
    try:
        if update_dir is not None and not inputs:
            raise click.UsageError("--update DIR needs the new INPUTS to add")
        result = run_build(
            list(inputs),
            out_dir if update_dir is None or out_given else update_dir,
            formats or DEFAULT_FORMATS,
            progress=progress,
            on_skip=warn,
            update=update_dir is not None,
            n_process=max(1, jobs),
            engine=engine,
            scheduler=scheduler,
            min_confidence=min_confidence,
            evidence=evidence,
            base=update_dir,
            on_progress=None if quiet else tell,
        )
    except (InputError, PipelineMissing, BuildError, StoreError) as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(f"cannot write output: {exc}") from None
    if not quiet:
        counts = result.summary
        skipped = f" (skipped {len(result.skipped)})" if result.skipped else ""
        if update_dir is not None:
            click.echo(
                f"documents: {result.documents} read{skipped}, {result.added} added, {result.replaced} replaced;"
                f" the graph now holds {result.total}"
            )
        else:
            click.echo(f"documents: {result.documents}{skipped}")
        unusual = {k: v for k, v in result.encodings.items() if k != "utf-8"}
        if unusual:
            click.echo("encodings: " + ", ".join(f"{k} {v}" for k, v in sorted(unusual.items())))
        click.echo("nodes: " + ", ".join(f"{k} {v}" for k, v in counts["nodes"].items()))
        click.echo("edges: " + ", ".join(f"{k} {v}" for k, v in counts["edges"].items()))
        items, spans = evidence_count(result.graph)
        click.echo(f"evidence ({evidence}): {items} items on the facts, {spans} distinct sentence spans")
        if min_confidence is not None:
            click.echo(f"min confidence: {min_confidence:g} (facts below it left out)")
        for path in result.written:
            click.echo(f"wrote {path}")


@cli.command("eval")
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--graph",
    "graph_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Score this GraphML instead of building one from the gold texts.",
)
@click.option(
    "--errors/--no-errors", default=True, show_default=True, help="List false positives and misses."
)
@click.option("--reliability", is_flag=True, help="Also print the share of right facts per confidence bin.")
@click.option(
    "--cv",
    "folds",
    type=click.IntRange(2, 20),
    help="Cross-validate: train the learned layers on all folds but one, score the one, for each fold "
    "(needs the development checkout: training/ is not installed).",
)
@click.option(
    "--cv-seed",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="With --cv: which partition into folds (0 is the one every earlier CV used); the mean over "
    "several seeds measures a change smaller than the spread of one run.",
)
def evaluate(
    gold_dir: Path,
    graph_path: Path | None,
    errors: bool,
    reliability: bool,
    folds: int | None,
    cv_seed: int,
) -> None:
    """Score against gold files in GOLD_DIR (README "Gold format"), as the gold scorer does."""
    import tempfile

    from .evaluate import format_reliability, format_report, load_gold, read_graph, score

    try:
        gold = load_gold(gold_dir)
    except (FileNotFoundError, ValueError, KeyError) as exc:
        raise click.ClickException(f"cannot read gold files: {exc}") from None
    if folds:
        try:
            from training.crossval import cross_validate
        except ImportError:
            raise click.ClickException(
                "--cv trains models: run it from the development checkout (training/ is not installed)"
            ) from None
        report = cross_validate(gold_dir, folds, log=lambda m: click.echo(m, err=True), seed=cv_seed)
    else:
        if graph_path is None:
            from .api import build as run_build
            from .sources import Document

            with tempfile.TemporaryDirectory() as tmp:
                docs = [Document(doc_id, text) for doc_id, text in gold.texts.items()]
                run_build(documents=docs, out_dir=tmp, formats=("graphml",))
                graph = read_graph(Path(tmp) / "graph.graphml")
        else:
            try:
                graph = read_graph(graph_path)
            except Exception as exc:  # noqa: BLE001 - any parse failure is reported in one line
                raise click.ClickException(f"{graph_path}: not a readable GraphML file ({exc})") from None
        report = score(gold, graph)
    click.echo(format_report(report, show_errors=errors))
    if reliability:
        click.echo("\nRELIABILITY (share right, facts in the bin)\n" + format_reliability(report))


# ---------------------------------------------------------------- linked data (issue 4)


@cli.command("validate")
@click.argument("graph_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--shapes",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="SHACL shapes to use instead of the bundled exports/shapes.ttl.",
)
def validate_cmd(graph_file: Path, shapes: Path | None) -> None:
    """Check GRAPH_FILE (.ttl/.nt/.nq/.jsonld) against plankg's SHACL shapes; exit 1 on violations."""
    from .linkeddata import LinkedDataError, format_violations, validate

    try:
        conforms, violations = validate(graph_file, shapes)
    except LinkedDataError as exc:
        raise click.ClickException(str(exc)) from None
    if violations:
        click.echo(format_violations(violations))
    errors = sum(v.severity == "Violation" for v in violations)
    if conforms:
        click.echo(f"{graph_file}: conforms to the plankg shapes")
        return
    click.echo(f"{graph_file}: {errors} violation{'s' if errors != 1 else ''}", err=True)
    sys.exit(1)


def _list_queries(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from .linkeddata import list_queries

    click.echo(list_queries())
    ctx.exit()


@cli.command("query")
@click.argument("graph_files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.argument("query", nargs=1)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="json is the SPARQL 1.1 results format.",
)
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="A value for one of the query's parameters (repeatable; see --list).",
)
@click.option(
    "--list",
    is_flag=True,
    is_eager=True,
    expose_value=False,
    callback=_list_queries,
    help="List the bundled queries with their parameters and defaults, and exit.",
)
def query_cmd(graph_files: tuple[Path, ...], query: str, fmt: str, params: tuple[str, ...]) -> None:
    """Run a SPARQL QUERY (text, a .rq file, or a bundled example name) over GRAPH_FILES.

    Common prefixes (pkg: org: prov: skos: schema: dcterms: oa: rdfs: xsd: ...) need no PREFIX lines.
    N-Quads and TriG files are queried as the union of their graphs (each triple once).
    """
    from .linkeddata import (
        LinkedDataError,
        bind,
        format_result,
        has_union,
        load_store,
        parse_assignments,
        read_query,
        run_query,
    )

    try:
        text = bind(read_query(query), parse_assignments(params))
        store = load_store(graph_files)
        if has_union(graph_files):
            click.echo("plankg: querying the union of the named graphs (each triple once)", err=True)
        result = run_query(store, text)
        click.echo(format_result(result, fmt))
    except LinkedDataError as exc:
        raise click.ClickException(str(exc)) from None


@cli.command("push")
@click.argument("graph_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--endpoint", required=True, help="Graph Store Protocol URL, e.g. http://localhost:7878/store.")
@click.option(
    "--graph", "graph_iri", help="Named graph IRI (default: the default graph; .nq: one per graph)."
)
@click.option("--user", help="Basic-auth user name.")
@click.option("--password", envvar="PLANKG_PASSWORD", help="Basic-auth password (or $PLANKG_PASSWORD).")
@click.option("--replace", is_flag=True, help="PUT: replace the graph instead of adding to it.")
def push_cmd(
    graph_file: Path,
    endpoint: str,
    graph_iri: str | None,
    user: str | None,
    password: str | None,
    replace: bool,
) -> None:
    """Load GRAPH_FILE into a SPARQL 1.1 store over the Graph Store HTTP Protocol."""
    from .linkeddata import LinkedDataError, push

    try:
        done = push(graph_file, endpoint, graph_iri, user, password, replace)
    except LinkedDataError as exc:
        raise click.ClickException(str(exc)) from None
    for target, status in done:
        click.echo(f"{target}: HTTP {status}")


# ---------------------------------------------------------------- HTML view (issue 5)


@cli.command("view")
@click.argument("graph_file", metavar="GRAPH", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--out",
    "out_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The page to write (default: GRAPH with .html).",
)
def view_cmd(graph_file: Path, out_path: Path | None) -> None:
    """Write one self-contained HTML page to browse GRAPH (.graphml, .gexf or node-link .json).

    Nodes are coloured by type; search by name; click a node for its facts, edges and source sentences.
    The page needs no network access.
    """
    from .view import ViewError, write_view

    try:
        page = write_view(graph_file, out_path)
    except ViewError as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(f"cannot write the page: {exc}") from None
    click.echo(f"wrote {page}")


def main() -> None:
    """The console script. Ctrl-C ends a run with exit 130 and one line (not click's "Aborted!", exit 1):
    the command has removed its temporary files and the previous output is as it was."""
    try:
        code = cli.main(standalone_mode=False)
    except (KeyboardInterrupt, click.exceptions.Abort):
        click.echo("plankg: interrupted; previous output kept", err=True)  # after click's blank line
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
