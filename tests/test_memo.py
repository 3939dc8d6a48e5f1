"""Results remembered on disk (audiocoach/memo.py): a remembered value is always the computed one."""

import hashlib

import pytest

from audiocoach import memo
from audiocoach.audio.engines.piper import _sha256, file_sha256
from audiocoach.output.cover import cover_png
from audiocoach.pipeline import plan_file
from tests.conftest import EXAMPLES_BY_NAME


@pytest.fixture(autouse=True)
def empty_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("AUDIOCOACH_CACHE", str(tmp_path / "cache"))
    _sha256.cache_clear()
    yield tmp_path / "cache"
    _sha256.cache_clear()


def entries(cache, kind):
    return sorted((cache / "memo" / kind).iterdir())


def test_a_remembered_payload_comes_back_and_a_damaged_one_does_not(empty_cache):
    memo.remember("k", "key", b"payload")
    assert memo.recall("k", "key") == b"payload"
    assert memo.recall("k", "other key") is None
    [entry] = entries(empty_cache, "k")
    entry.write_bytes(entry.read_bytes()[:-1])  # truncated
    assert memo.recall("k", "key") is None
    entry.write_bytes(b"")
    assert memo.recall("k", "key") is None


def test_an_unwritable_cache_costs_only_the_recomputing(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("AUDIOCOACH_CACHE", str(blocker))
    memo.remember("k", "key", b"x")  # no error
    assert memo.recall("k", "key") is None


def test_the_cover_is_the_same_bytes_cold_warm_and_after_damage(empty_cache):
    workout, plan = plan_file(EXAMPLES_BY_NAME["mile-400s"])
    cold = cover_png(plan, workout.kind)
    [entry] = entries(empty_cache, "cover-png")
    assert cover_png(plan, workout.kind) == cold
    entry.write_bytes(entry.read_bytes()[:100])
    assert cover_png(plan, workout.kind) == cold
    other_workout, other = plan_file(EXAMPLES_BY_NAME["core-circuit"])
    assert cover_png(other, other_workout.kind) != cold  # other pixels, another entry
    assert len(entries(empty_cache, "cover-png")) == 2


def test_a_model_file_is_hashed_once_per_version_of_the_file(empty_cache, tmp_path):
    model = tmp_path / "voice.onnx"
    model.write_bytes(b"weights " * 1000)
    assert file_sha256(model) == hashlib.sha256(model.read_bytes()).hexdigest()
    _sha256.cache_clear()
    [entry] = entries(empty_cache, "file-sha256")
    entry.write_bytes(entry.read_bytes()[:32] + b"f" * 64)  # a payload that does not match its digest
    assert file_sha256(model) == hashlib.sha256(model.read_bytes()).hexdigest()
    model.write_bytes(b"other weights")  # new size and times: hashed again, not recalled
    assert file_sha256(model) == hashlib.sha256(b"other weights").hexdigest()
