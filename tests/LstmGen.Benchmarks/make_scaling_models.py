"""Writes the scaling benchmark's models, Models/Scaling/lstm_u{U}.json: LSTM(U) over 16 features with variable
timesteps, then Dense(1), for U in 8, 32, 128, 512 (the last one has 1.08M parameters and doubles as the
build-time model of docs/performance.md). Weights are seeded uniform values in +-1/sqrt(U), written with 5
significant digits to keep the files small: only timing is measured with these models, never numbers.
    python3 tests/LstmGen.Benchmarks/make_scaling_models.py
"""
import json
import os
import random

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "Models", "Scaling")
FEATURES = 16
UNITS = (8, 32, 128, 512)


def matrix(rng, rows, columns, scale):
    return [[float(f"{rng.uniform(-scale, scale):.5g}") for _ in range(columns)] for _ in range(rows)]


def model(units):
    rng = random.Random(units)
    scale = units ** -0.5
    lstm = {"class_name": "LSTM",
            "config": {"name": "lstm", "units": units, "batch_input_shape": [None, None, FEATURES]},
            "weights": [matrix(rng, FEATURES, 4 * units, scale), matrix(rng, units, 4 * units, scale),
                        matrix(rng, 1, 4 * units, scale)[0]]}
    dense = {"class_name": "Dense", "config": {"name": "dense", "units": 1},
             "weights": [matrix(rng, units, 1, scale), [0.0]]}
    return {"class_name": "Sequential", "exported_by": "tests/LstmGen.Benchmarks/make_scaling_models.py",
            "config": {"layers": [lstm, dense]}}


def main():
    os.makedirs(HERE, exist_ok=True)
    for units in UNITS:
        with open(os.path.join(HERE, f"lstm_u{units}.json"), "w") as f:
            json.dump(model(units), f, separators=(",", ":"))
    print("done")


if __name__ == "__main__":
    main()
