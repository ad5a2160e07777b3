"""Writes a Keras 3 .keras archive of about 3.9M parameters (LSTM(700) over 700 features, Dense(10)) with random
weights, for measuring how long importing and compiling a model at LstmGen's size limit takes.

    /usr/bin/python3 tools/import/make_large_keras.py OUT.keras

The layout is Keras 3's (config.json, metadata.json, model.weights.h5 with layers/<key>/.../vars/<i>), written with
h5py and zipfile because Keras itself is not installable here. Not committed: it is 15 MB of random numbers.
"""
import io
import json
import sys
import zipfile

import h5py
import numpy as np

UNITS, FEATURES, STEPS, OUT = 700, 700, 20, 10


def layer(class_name, config):
    return {"module": "keras.layers", "class_name": class_name, "config": config, "registered_name": None}


config = {
    "module": "keras", "class_name": "Sequential", "registered_name": None,
    "config": {"name": "sequential", "trainable": True, "dtype": "float32", "layers": [
        layer("InputLayer", {"batch_shape": [None, STEPS, FEATURES], "dtype": "float32", "sparse": False, "name": "input_layer"}),
        layer("LSTM", {"name": "lstm", "trainable": True, "dtype": "float32", "return_sequences": False, "return_state": False,
                       "go_backwards": False, "stateful": False, "unroll": False, "zero_output_for_mask": False, "units": UNITS,
                       "activation": "tanh", "recurrent_activation": "sigmoid", "use_bias": True, "unit_forget_bias": True,
                       "dropout": 0.0, "recurrent_dropout": 0.0, "seed": None}),
        layer("Dense", {"name": "dense", "trainable": True, "dtype": "float32", "units": OUT, "activation": "softmax", "use_bias": True}),
    ]},
}

rng = np.random.default_rng(20261203)
weights = io.BytesIO()
with h5py.File(weights, "w") as f:
    cell = f.create_group("layers/lstm/cell/vars")
    cell["0"] = (rng.standard_normal((FEATURES, 4 * UNITS)) * 0.03).astype(np.float32)
    cell["1"] = (rng.standard_normal((UNITS, 4 * UNITS)) * 0.03).astype(np.float32)
    cell["2"] = np.zeros(4 * UNITS, np.float32)
    f.create_group("layers/lstm/vars")
    dense = f.create_group("layers/dense/vars")
    dense["0"] = (rng.standard_normal((UNITS, OUT)) * 0.1).astype(np.float32)
    dense["1"] = np.zeros(OUT, np.float32)

with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("metadata.json", json.dumps({"keras_version": "3.6.0", "date_saved": "2026-12-03@00:00:00"}))
    z.writestr("config.json", json.dumps(config))
    z.writestr("model.weights.h5", weights.getvalue())
print(sys.argv[1], 4 * UNITS * (FEATURES + UNITS + 1) + UNITS * OUT + OUT, "parameters")
