"""Result objects: JSON-safe dicts and long-format frames, for every registered model."""

import dataclasses
import json

import numpy as np
import pytest

from truce.forecast import MODELS, ForecastResult, ForecastTrace, Move


def random_inputs(n_actors=6, n_dims=2, seed=3):
    rng = np.random.default_rng(seed)
    capability = rng.uniform(10, 100, n_actors)
    positions = rng.uniform(0, 1, (n_actors, n_dims))
    salience = rng.dirichlet(np.ones(n_dims + 1), n_actors)[:, :n_dims]
    return capability, positions, salience


@pytest.mark.parametrize("name", sorted(MODELS))
def test_every_model_returns_a_complete_result(name):
    model = MODELS[name]
    capability, positions, salience = random_inputs()
    result = model.function(capability, positions, salience)
    n_states = result.n_rounds + 1
    assert result.model == name
    assert result.trace.positions.shape == (n_states, 6, 2)
    assert result.trace.forecast.shape == (n_states, 2)
    np.testing.assert_array_equal(result.trace.positions[0], positions)
    np.testing.assert_array_equal(result.final_positions, result.trace.positions[-1])
    text = json.dumps(result.to_dict(), allow_nan=False)
    assert json.loads(text)["model"] == name
    frame = result.to_frame()
    assert list(frame.columns) == [
        "round",
        "actor",
        "dimension",
        "position",
        "win_probability",
        "risk_attitude",
    ]
    assert len(frame) == n_states * 6 * 2
    assert len(result.to_frame("forecast")) == n_states * 2
    moves = result.to_frame("moves")
    assert set(moves["kind"]) <= {"challenge", "accept", "confrontation", "compromise"}


@pytest.mark.parametrize("name", sorted(MODELS))
def test_every_model_is_invariant_to_actor_order(name):
    model = MODELS[name]
    capability, positions, salience = random_inputs(n_actors=8, seed=5)
    order = np.random.default_rng(0).permutation(8)
    result = model.function(capability, positions, salience)
    shuffled = model.function(capability[order], positions[order], salience[order])
    np.testing.assert_allclose(
        shuffled.trace.positions, result.trace.positions[:, order], rtol=0, atol=1e-12
    )


def small_result():
    positions = np.array([[[0.0], [1.0]], [[0.5], [1.0]]])
    return ForecastResult(
        model="toy",
        parameters={"rounds": 1},
        trace=ForecastTrace(
            positions=positions,
            forecast=np.array([[0.5], [0.75]]),
            win_probabilities=np.array([[0.25, np.nan], [0.5, 0.5]]),
            risk_attitudes=np.array([[1.0, -1.0], [0.0, 0.0]]),
        ),
        moves=(
            Move(
                round=1,
                kind="compromise",
                actor=0,
                counterpart=1,
                position=(0.5,),
                dimension=0,
                gain=-0.1,
                counterpart_gain=0.2,
            ),
        ),
    )


def test_to_dict_is_json_safe_with_missing_values_as_none():
    as_dict = small_result().to_dict()
    json.dumps(as_dict, allow_nan=False)
    assert as_dict["trace"]["win_probabilities"][0] == [0.25, None]
    assert as_dict["final_positions"] == [[0.5], [1.0]]
    assert as_dict["moves"][0]["counterpart_gain"] == 0.2
    assert as_dict["trace"]["stop_ratios"] is None


def test_to_frame_uses_names_when_attached():
    named = dataclasses.replace(
        small_result(), actor_names=("east", "west"), dimension_names=("aid",)
    )
    frame = named.to_frame()
    assert list(frame["actor"][:2]) == ["east", "west"]
    assert frame.loc[(frame["round"] == 1) & (frame["actor"] == "east"), "position"].item() == 0.5
    assert frame["risk_attitude"].tolist() == [1.0, -1.0, 0.0, 0.0]
    moves = named.to_frame("moves")
    assert moves.iloc[0][["actor", "counterpart", "dimension"]].tolist() == ["east", "west", "aid"]
    with pytest.raises(ValueError, match="table must be"):
        named.to_frame("table")
