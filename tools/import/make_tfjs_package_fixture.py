"""Writes tests/fixtures/import/tfjs_lstm/: the fixture keras2_tutorial_3x_lstm10 (3 x LSTM(10) + Dense, whose
outputs tfjs computed) as a TensorFlow.js Layers model.json + one float32 shard, named the way tfjsconverter names
Keras 2 weights ("lstm/lstm_cell/kernel"), listed in sorted order as the converter lists them. The package test
builds it through the build step and checks it gives the plain JSON fixture's outputs bit for bit.

    /usr/bin/python3 tools/import/make_tfjs_package_fixture.py
"""
import json
import os
import struct

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
source = json.load(open(os.path.join(ROOT, "tests/fixtures/models/keras2_tutorial_3x_lstm10.json")))
roles = {"LSTM": ["kernel", "recurrent_kernel", "bias"], "Dense": ["kernel", "bias"]}


def flatten(value):
    if isinstance(value, list):
        for item in value:
            yield from flatten(item)
    else:
        yield value


def shape(value):
    dims = []
    while isinstance(value, list):
        dims.append(len(value))
        value = value[0]
    return dims


entries = []
for layer in source["config"]["layers"]:
    weights = layer.pop("weights", None)
    if not weights:
        continue
    cell = "/lstm_cell" if layer["class_name"] == "LSTM" else ""
    for role, array in zip(roles[layer["class_name"]], weights):
        entries.append((layer["config"]["name"] + cell + "/" + role, shape(array), list(flatten(array))))
entries.sort(key=lambda e: e[0])

out = os.path.join(ROOT, "tests/fixtures/import/tfjs_lstm")
os.makedirs(out, exist_ok=True)
with open(os.path.join(out, "group1-shard1of1.bin"), "wb") as f:
    for _, _, values in entries:
        f.write(struct.pack("<%df" % len(values), *values))
model = {
    "format": "layers-model",
    "generatedBy": "keras v2.15.0",
    "convertedBy": "LstmGen tools/import/make_tfjs_package_fixture.py",
    "modelTopology": source,
    "weightsManifest": [{"paths": ["group1-shard1of1.bin"],
                         "weights": [{"name": n, "shape": s, "dtype": "float32"} for n, s, _ in entries]}],
}
with open(os.path.join(out, "model.json"), "w") as f:
    json.dump(model, f, indent=1)
print(out, len(entries), "weights")
