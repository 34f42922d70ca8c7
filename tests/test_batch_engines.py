"""``align batch`` end to end with the bundled model: the local and the Ray engine agree byte for byte,
exit 4 lists the failed pairs, the merged TMX is valid, and a worker killed mid-run costs nothing."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from lxml import etree

from align.batch.jobs import MANIFEST_NAME, REPORT_NAMES
from align.cli.main import main
from tests.conftest import DATA, REPO

pytestmark = pytest.mark.slow  # loads the model; the Ray tests also start a local Ray with 2 CPUs

NTREX = DATA / "bench" / "ntrex_en-ru_dev"


def _listing(folder: Path, numbers=("001", "002"), bad: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    lines = [f"{NTREX / (n + '.src')}\t{NTREX / (n + '.tgt')}\t{n}" for n in numbers]
    if bad:
        (folder / "empty.ru").write_bytes(b"")
        lines.append(f"{NTREX / '001.src'}\tempty.ru\tbad")
    (folder / "pairs.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder / "pairs.tsv"


def _batch(capsys, *argv):
    code = main(["batch", *map(str, argv)])
    return code, capsys.readouterr().err


def test_local_and_ray_engines_write_the_same_bytes_and_report_the_failed_pair(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # one TMX creation date for both runs
    listing = _listing(tmp_path / "in")
    common = ["--list", listing, "--presplit", "--format", "tmx", "--no-cache"]
    code, err = _batch(capsys, *common, "--out-dir", tmp_path / "local", "--merged-tmx", tmp_path / "all.tmx")
    assert code == 4, err
    assert "empty.ru is empty" in err and "aligned 2 of 3 pairs" in err
    code, err = _batch(capsys, *common, "--out-dir", tmp_path / "ray", "--engine", "ray", "--workers", "2")
    assert code == 4, err
    for name in ("001.tmx", "002.tmx"):
        assert (tmp_path / "local" / name).read_bytes() == (tmp_path / "ray" / name).read_bytes()
    report = json.loads((tmp_path / "ray" / REPORT_NAMES[0]).read_text(encoding="utf-8"))
    assert (report["pairs"], report["aligned"], report["failed"]) == (3, 2, 1)
    assert report["engine"] == "ray, 2 workers" and report["sentences"] > 300
    assert report["failures"][0]["reason"].endswith("in/empty.ru is empty")
    assert sum(w["pairs"] for w in report["workers"].values()) == 2
    # The merged TMX: valid against the TMX 1.4 DTD, every unit of both pairs, each naming its document.
    dtd = etree.DTD(str(DATA / "formats" / "tmx14.dtd"))
    merged = etree.parse(str(tmp_path / "all.tmx"), etree.XMLParser(resolve_entities=False, no_network=True))
    assert dtd.validate(merged), dtd.error_log
    per_pair = sum(len(etree.parse(str(tmp_path / "local" / n)).findall(".//tu")) for n in ("001.tmx", "002.tmx"))
    documents = [tu.findtext("prop[@type='x-document']") for tu in merged.findall(".//tu")]
    assert len(documents) == per_pair and set(documents) == {"001.tmx", "002.tmx"}


def test_resume_on_ray_skips_the_done_pairs(capsys, tmp_path):
    listing = _listing(tmp_path / "in", bad=False)
    out = tmp_path / "out"
    assert _batch(capsys, "--list", listing, "--presplit", "--out-dir", out, "--engine", "ray",
                  "--workers", "1")[0] == 0
    first = (out / "001.tsv").stat().st_mtime_ns
    code, err = _batch(capsys, "--list", listing, "--presplit", "--out-dir", out, "--engine", "ray",
                       "--workers", "1", "--resume")
    assert code == 0 and "(0 aligned, 2 already done, 0 failed)" in err
    assert (out / "001.tsv").stat().st_mtime_ns == first


def _encoder_actor_pids() -> list[int]:
    ps = subprocess.run(["ps", "-eo", "pid=,args="], capture_output=True, text=True).stdout
    return [int(line.split()[0]) for line in ps.splitlines() if "ray::EncoderActor" in line]


def test_a_worker_killed_mid_run_is_replaced_and_the_run_completes(tmp_path):
    listing = _listing(tmp_path / "in", numbers=("001", "002", "003", "004"), bad=False)
    out = tmp_path / "out"
    env = {**os.environ, "ALIGN_CACHE_DIR": str(tmp_path / "cache")}
    run = subprocess.Popen([sys.executable, "-m", "align", "batch", "--list", str(listing), "--presplit",
                            "--out-dir", str(out), "--engine", "ray", "--workers", "2"],
                           cwd=REPO, env=env, stderr=subprocess.PIPE, text=True)
    killed = None
    deadline = time.monotonic() + 300
    while killed is None and run.poll() is None and time.monotonic() < deadline:
        manifest = out / MANIFEST_NAME
        pids = _encoder_actor_pids()
        if pids and manifest.is_file() and manifest.read_text().count("\n") >= 1:
            killed = pids[0]
            os.kill(killed, signal.SIGKILL)  # one worker dies with pairs in flight
        time.sleep(0.2)
    err = run.communicate(timeout=600)[1]
    assert killed is not None, f"the run ended before a worker could be killed: {err}"
    assert run.returncode == 0, err
    records = [json.loads(line) for line in (out / MANIFEST_NAME).read_text().splitlines()]
    assert sorted(r["output"] for r in records) == ["001.tsv", "002.tsv", "003.tsv", "004.tsv"]
    assert all(r["status"] == "ok" for r in records)
