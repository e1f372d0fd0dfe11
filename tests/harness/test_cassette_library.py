"""The bundled cassette library: provenance for every file, authored cases marked, nothing dropped."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from edgequake_harness.cassettes.case import collect, discover, meta_path

REPO = Path(__file__).resolve().parents[2]
BUNDLED = REPO / "cassettes"

AUTHORED = "edgequake (authored)"
CORPUS = REPO.parent / "shared" / "corpus"


def _rows(name: str):
    with (BUNDLED / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def test_every_cassette_has_one_provenance_row_and_every_row_a_file() -> None:
    # cassettes/regressions/ holds the fuzz suite's shrunk failures, documented in its own README
    files = {
        p.relative_to(BUNDLED).as_posix()
        for p in discover([BUNDLED])
        if p.relative_to(BUNDLED).parts[0] != "regressions"
    }
    rows = [r["local_file"] for r in _rows("PROVENANCE.tsv")]
    assert len(rows) == len(set(rows))
    assert set(rows) == files


def test_authored_cases_are_marked_in_metadata_and_provenance() -> None:
    authored = {r["local_file"] for r in _rows("PROVENANCE.tsv") if r["source_repo"] == AUTHORED}
    assert authored, "no authored cases"
    for local in authored:
        path = BUNDLED / local
        assert path.name.startswith("authored__")
        notes = yaml.safe_load(meta_path(path).read_text())["notes"]
        assert notes.startswith("authored:"), local


def test_library_size_and_no_unexplained_skips() -> None:
    cases = collect([BUNDLED])
    assert len(cases) >= 250
    assert [c.id for c in cases if c.skip] == []


@pytest.mark.skipif(not (CORPUS / "MANIFEST.tsv").exists(), reason="shared corpus not present")
def test_every_corpus_file_is_imported_or_excluded_with_a_reason() -> None:
    with (CORPUS / "MANIFEST.tsv").open(encoding="utf-8", newline="") as handle:
        manifest = {r["local_file"] for r in csv.DictReader(handle, delimiter="\t")}
    imported = {r["local_file"] for r in _rows("PROVENANCE.tsv") if r["source_repo"] != AUTHORED}
    excluded = {r["corpus_file"]: r["reason"] for r in _rows("EXCLUDED.tsv")}
    assert imported | set(excluded) == manifest
    assert not imported & set(excluded)
    assert all(reason.strip() for reason in excluded.values())


@pytest.mark.skipif(not (CORPUS / "MANIFEST.tsv").exists(), reason="shared corpus not present")
def test_import_and_authoring_scripts_are_up_to_date() -> None:
    for script in ("tools/import_corpus.py", "tools/author_cases.py"):
        done = subprocess.run([sys.executable, script, "--check"], cwd=REPO, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr


def test_imported_files_are_byte_identical_to_the_corpus() -> None:
    if not CORPUS.exists():
        pytest.skip("shared corpus not present")
    for row in _rows("PROVENANCE.tsv"):
        if row["source_repo"] != AUTHORED:
            local = Path(row["local_file"])
            assert (BUNDLED / local).read_bytes() == (CORPUS / local).read_bytes(), local


def test_notice_credits_every_source_of_imported_recordings() -> None:
    notice = (BUNDLED / "NOTICE.md").read_text(encoding="utf-8")
    sources = {r["source_repo"] for r in _rows("PROVENANCE.tsv") if r["source_repo"] != AUTHORED}
    assert sources and all(repo in notice for repo in sources), sources - {s for s in sources if s in notice}


def test_exclusion_reasons_describe_the_recording_not_the_candidate() -> None:
    # A recording of a call litellm makes is imported (a candidate without the function fails it);
    # an exclusion names what makes the recording unreplayable, never what the candidate lacks.
    for row in _rows("EXCLUDED.tsv"):
        reason = row["reason"].lower()
        assert "edgequake" not in reason, row["corpus_file"]
        assert "not a litellm completion()/embedding() call" not in reason, row["corpus_file"]
        assert "not a harness call" not in reason, row["corpus_file"]
    excluded = {r["corpus_file"] for r in _rows("EXCLUDED.tsv")}
    assert not [f for f in excluded if "responses" in f and not f.startswith(("vertex_ai/", "xai/"))]
