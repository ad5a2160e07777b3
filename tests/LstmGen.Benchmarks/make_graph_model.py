"""Writes Models/Graph/residual.json, GraphBatchBenchmarks' Functional graph: Dense(64) over 8 features, LSTM(64)
returning sequences, Add of the two (a residual connection), LSTM(64), Dense(1), 100 timesteps. Weights are seeded
uniform values in +-1/sqrt(fan-in) with 6 significant digits: only timing is measured with this model.
    python3 tests/LstmGen.Benchmarks/make_graph_model.py
"""
import json
import os
import random

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "Models", "Graph")
TIMESTEPS, FEATURES, UNITS = 100, 8, 64


def matrix(rng, rows, columns):
    scale = rows ** -0.5
    return [[float(f"{rng.uniform(-scale, scale):.6g}") for _ in range(columns)] for _ in range(rows)]


def layer(class_name, name, config, inputs, weights=None):
    entry = {"class_name": class_name, "name": name, "config": {"name": name, **config},
             "inbound_nodes": [[[i, 0, 0, {}] for i in inputs]] if inputs else []}
    if weights is not None:
        entry["weights"] = weights
    return entry


def lstm(rng, name, inputs, width, return_sequences):
    return layer("LSTM", name, {"units": UNITS, "return_sequences": return_sequences}, inputs,
                 [matrix(rng, width, 4 * UNITS), matrix(rng, UNITS, 4 * UNITS), matrix(rng, 1, 4 * UNITS)[0]])


def main():
    rng = random.Random(16)
    layers = [
        layer("InputLayer", "x", {"batch_input_shape": [None, TIMESTEPS, FEATURES]}, None),
        layer("Dense", "project", {"units": UNITS}, ["x"], [matrix(rng, FEATURES, UNITS), matrix(rng, 1, UNITS)[0]]),
        lstm(rng, "lstm", ["project"], UNITS, True),
        layer("Add", "skip", {}, ["project", "lstm"]),
        lstm(rng, "lstm_1", ["skip"], UNITS, False),
        layer("Dense", "head", {"units": 1}, ["lstm_1"], [matrix(rng, UNITS, 1), [0.0]]),
    ]
    model = {"class_name": "Functional", "keras_version": "2.15.0", "exported_by": "tests/LstmGen.Benchmarks/make_graph_model.py",
             "config": {"name": "residual", "layers": layers, "input_layers": [["x", 0, 0]], "output_layers": [["head", 0, 0]]}}
    os.makedirs(HERE, exist_ok=True)
    with open(os.path.join(HERE, "residual.json"), "w") as f:
        json.dump(model, f, separators=(",", ":"))
    print("done")


if __name__ == "__main__":
    main()
