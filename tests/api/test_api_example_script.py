"""The README's example (scripts/api_example.py) against a live server: it pushes a call with its recording,
sends it again (same interaction), and reads back the evaluation once a reviewer has released it."""

import importlib.util
from pathlib import Path

import pytest

from qa import recordings, services
from qa.models import Interaction
from tests import factories as f
from tests.api.conftest import make_token

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "api_example.py"


@pytest.fixture
def example():
    spec = importlib.util.spec_from_file_location("api_example", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.django_db(transaction=True)
def test_the_readme_example_pushes_a_call_and_reads_its_evaluation(live_server, world, example, tmp_path, capsys):
    wav = tmp_path / "call.wav"
    wav.write_bytes(recordings.wav_bytes(1.0))
    token = make_token(world.reviewer)[1]
    common = ["--url", live_server.url, "--token", token]
    args = ["push", "--id", "CALL-7", "--location", world.location_a.code, "--employee",
            world.employee_a.employee_code, "--recording", str(wav)]
    first = example.main(common + args)
    second = example.main(common + args)
    assert first["id"] == second["id"] and Interaction.objects.count() == 1
    assert example.main(common + ["evaluation", "--id", "CALL-7"]) is None  # not scored yet
    evaluation = f.make_evaluation(world.version, world.location_a, world.reviewer, f.ALL_GOOD,
                                   employee=world.employee_a, status="submitted",
                                   interaction=Interaction.objects.get())
    services.release(evaluation)
    body = example.main(common + ["evaluation", "--id", "CALL-7"])
    assert body["id"] == evaluation.pk and body["overall_score"] == "100.00"
    out = capsys.readouterr().out
    assert "Created interaction" in out and "Already there:" in out and "Evaluation" in out
    with pytest.raises(SystemExit) as refused:
        example.main(["--url", live_server.url, "--token", "sqa_bad_token"] + args)
    assert "401" in str(refused.value)
