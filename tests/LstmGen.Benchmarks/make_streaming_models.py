"""Writes the streaming benchmark's models (issue 17), Models/Streaming/{lstm,gru}_n{N}.json: one LSTM(N) or
GRU(N) layer over N input features (input = hidden), variable timesteps, return_sequences, no Dense, for N in 8,
16, 32, 64, 128. The GRU is Keras's default reset_after=true form (bias of two rows: input bias, then recurrent
bias), the form RTNeural's GRULayerT computes. Beside each model, NAME.check.json holds a 32-step input and the
output every step, computed here in float64 with the Keras formulas, so both LstmGen (StreamingBenchmarks) and the
C++ harness of rtneural/ can check their numbers against one reference before timing.

Weights are seeded uniform values in +-1/sqrt(N) with 6 significant digits; pure Python, no other dependency:
    python3 tests/LstmGen.Benchmarks/make_streaming_models.py
"""
import json
import math
import os
import random

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "Models", "Streaming")
SIZES = (8, 16, 32, 64, 128)
GATES = {"lstm": 4, "gru": 3}
CHECK_STEPS = 32


def matrix(rng, rows, columns, scale):
    return [[float(f"{rng.uniform(-scale, scale):.6g}") for _ in range(columns)] for _ in range(rows)]


def weights(kind, n, seed):
    rng = random.Random(seed)
    scale = n ** -0.5
    g = GATES[kind]
    kernel = matrix(rng, n, g * n, scale)
    recurrent = matrix(rng, n, g * n, scale)
    bias = matrix(rng, 2 if kind == "gru" else 1, g * n, scale)
    return kernel, recurrent, bias if kind == "gru" else bias[0]


def model(kind, n, w):
    config = {"name": kind, "units": n, "return_sequences": True, "batch_input_shape": [None, None, n]}
    if kind == "gru":
        config["reset_after"] = True
    layer = {"class_name": kind.upper(), "config": config, "weights": list(w)}
    return {"class_name": "Sequential", "keras_version": "2.15.0",
            "exported_by": "tests/LstmGen.Benchmarks/make_streaming_models.py", "config": {"layers": [layer]}}


def sigmoid(x):
    return 1 / (1 + math.exp(-x))


def project(x, m, columns):
    """x (len rows) times m (rows x columns)."""
    out = [0.0] * columns
    for i, xi in enumerate(x):
        row = m[i]
        for j in range(columns):
            out[j] += xi * row[j]
    return out


def reference(kind, n, w, inputs):
    """Keras LSTM (gates i, f, c, o) or GRU reset_after=true (gates z, r, h), float64, zero initial state."""
    kernel, recurrent, bias = w
    h, c, outputs = [0.0] * n, [0.0] * n, []
    for x in inputs:
        xw = project(x, kernel, GATES[kind] * n)
        hu = project(h, recurrent, GATES[kind] * n)
        if kind == "lstm":
            a = [xw[j] + hu[j] + bias[j] for j in range(4 * n)]
            i = [sigmoid(v) for v in a[0:n]]
            f = [sigmoid(v) for v in a[n:2 * n]]
            g = [math.tanh(v) for v in a[2 * n:3 * n]]
            o = [sigmoid(v) for v in a[3 * n:4 * n]]
            c = [f[j] * c[j] + i[j] * g[j] for j in range(n)]
            h = [o[j] * math.tanh(c[j]) for j in range(n)]
        else:
            xb = [xw[j] + bias[0][j] for j in range(3 * n)]
            hb = [hu[j] + bias[1][j] for j in range(3 * n)]
            z = [sigmoid(xb[j] + hb[j]) for j in range(n)]
            r = [sigmoid(xb[n + j] + hb[n + j]) for j in range(n)]
            hh = [math.tanh(xb[2 * n + j] + r[j] * hb[2 * n + j]) for j in range(n)]
            h = [z[j] * h[j] + (1 - z[j]) * hh[j] for j in range(n)]
        outputs.append(h)
    return outputs


def main():
    os.makedirs(HERE, exist_ok=True)
    for kind in GATES:
        for n in SIZES:
            name = f"{kind}_n{n}"
            w = weights(kind, n, seed=1000 * n + GATES[kind])
            with open(os.path.join(HERE, name + ".json"), "w") as f:
                json.dump(model(kind, n, w), f, separators=(",", ":"))
            rng = random.Random(n + 7)
            inputs = [[float(f"{rng.uniform(-1, 1):.6g}") for _ in range(n)] for _ in range(CHECK_STEPS)]
            outputs = reference(kind, n, w, inputs)
            with open(os.path.join(HERE, name + ".check.json"), "w") as f:
                json.dump({"steps": CHECK_STEPS, "features": n, "input": [v for row in inputs for v in row],
                           "output": [v for row in outputs for v in row]}, f, separators=(",", ":"))
            print(name)


if __name__ == "__main__":
    main()
