"""Fixtures for the PyTorch exporter: seeded PyTorch modules, exported by lstmgen_export.py, with PyTorch's outputs.

Each case builds an nn.Module (nn.LSTM / nn.GRU / nn.RNN + nn.Linear, weights seeded by the case name), runs its
ordinary forward() on seeded inputs, exports it with lstmgen_export.export() and writes
  NAME.json           the exported weights file
  NAME.expected.json  {"source", "description", "features", "outputPerStep", "cases": [{"timesteps", "input",
                      "output"}]}: the outputs are PyTorch's own (the module's forward), never LstmGen's
Cases the generator supports (GENERATOR_SUPPORTS: LSTM, GRU, SimpleRNN, Bidirectional, Dense, Activation) go to
tests/fixtures/models/, where ReferenceModelTests compiles and checks them; a case needing any other layer would go
to tests/fixtures/pending-export/ until the generator supports it (add it to GENERATOR_SUPPORTS and rerun: the
cases move to models/).

Every written file is also re-read with lstmgen_export.keras_predict (an independent float64 numpy evaluation of
the Keras semantics) and compared with the PyTorch outputs (tolerance max(1e-5, 1e-4 |expected|)), so the weight
layouts are verified even for layers the generator does not support yet. Exit status 1 on a mismatch.

Run with Debian's python3-torch (deterministic: a rerun rewrites identical files):
  /usr/bin/python3 tools/pytorch/make_export_fixtures.py           write all fixtures and self-check them
  /usr/bin/python3 tools/pytorch/make_export_fixtures.py --check   only re-check the committed files
"""
import json
import os
import sys
import zlib

import numpy as np
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import lstmgen_export  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(HERE))
MODELS = os.path.join(ROOT, "tests", "fixtures", "models")
PENDING = os.path.join(ROOT, "tests", "fixtures", "pending-export")
SOURCE = "pytorch %s nn modules (tools/pytorch/make_export_fixtures.py)" % torch.__version__
# The layers the generator compiles now. A case whose export uses only these goes to tests/fixtures/models/
# (ReferenceModelTests checks it), any other to tests/fixtures/pending-export/. Add layers as the generator
# learns them and rerun: the cases move.
GENERATOR_SUPPORTS = {"LSTM", "GRU", "SimpleRNN", "Bidirectional", "Dense", "Activation"}


def keras_classes(layer):
    if layer["class_name"] == "Bidirectional":
        return {"Bidirectional", layer["config"]["layer"]["class_name"]}
    return {layer["class_name"]}


class Net(nn.Module):
    """Recurrent modules, then Linear layers, written the way a PyTorch user writes forward()."""

    def __init__(self, rnns, linears=(), activation=None, head="last"):
        super().__init__()
        self.rnns = nn.ModuleList(rnns)
        self.linears = nn.ModuleList(linears)
        self.activation = activation
        self.head = head

    def forward(self, x):  # x: (batch, T, F)
        for i, rnn in enumerate(self.rnns):
            inp = x if rnn.batch_first else x.transpose(0, 1)
            out, hidden = rnn(inp)
            out = out if rnn.batch_first else out.transpose(0, 1)  # (batch, T, directions * H)
            if i == len(self.rnns) - 1 and self.head == "last":
                if rnn.bidirectional:  # the final state of each direction of the last layer
                    h_n = hidden[0] if isinstance(rnn, nn.LSTM) else hidden
                    x = torch.cat([h_n[-2], h_n[-1]], dim=-1)
                else:
                    x = out[:, -1]
            else:
                x = out
        for linear in self.linears:
            x = linear(x)
        if self.activation == "softmax":
            x = torch.softmax(x, dim=-1)
        elif self.activation is not None:
            x = getattr(torch, self.activation)(x)
        return x

    def export_layers(self):
        return list(self.rnns) + list(self.linears)


# name: (description, builder, features, timesteps per case (None in the file when they differ),
#        head, activation, weight scale or None for PyTorch's default init)
CASES = [
    ("torch_export_lstm1_last", "nn.LSTM(3, 7, batch_first=True) -> out[:, -1] -> Linear(7, 2)",
     lambda: ([nn.LSTM(3, 7, batch_first=True)], [nn.Linear(7, 2)]), 3, [6, 6, 6], "last", None, None),
    ("torch_export_lstm2_seq_softmax",
     "nn.LSTM(4, 5, num_layers=2), seq-first -> Linear(5, 3) per step -> softmax",
     lambda: ([nn.LSTM(4, 5, num_layers=2)], [nn.Linear(5, 3)]), 4, [5, 5, 5], "sequence", "softmax", None),
    ("torch_export_lstm3_odd_batch_first",
     "nn.LSTM(2, 9, num_layers=3, dropout=0.3, batch_first=True) -> out[:, -1] -> Linear(9, 1)",
     lambda: ([nn.LSTM(2, 9, num_layers=3, dropout=0.3, batch_first=True)], [nn.Linear(9, 1)]),
     2, [8, 8, 8], "last", None, None),
    ("torch_export_lstm3_odd_seq_first",
     "nn.LSTM(5, 11, num_layers=3) seq-first -> Linear(11, 13) per step",
     lambda: ([nn.LSTM(5, 11, num_layers=3)], [nn.Linear(11, 13)]), 5, [7, 7], "sequence", None, None),
    ("torch_export_lstm_variable_length",
     "nn.LSTM(3, 6, batch_first=True) -> out[:, -1] -> Linear(6, 4) -> softmax, variable length",
     lambda: ([nn.LSTM(3, 6, batch_first=True)], [nn.Linear(6, 4)]), 3, [1, 4, 13], "last", "softmax", None),
    ("torch_export_lstm_two_modules",
     "nn.LSTM(3, 8, batch_first=True) -> nn.LSTM(8, 5, batch_first=True) -> out[:, -1] -> Linear(5, 3) "
     "-> Linear(3, 2) -> sigmoid",
     lambda: ([nn.LSTM(3, 8, batch_first=True), nn.LSTM(8, 5, batch_first=True)],
              [nn.Linear(5, 3), nn.Linear(3, 2)]), 3, [6, 6], "last", "sigmoid", None),
    ("torch_export_lstm_no_bias_seq",
     "nn.LSTM(2, 4, num_layers=2, bias=False) -> Linear(4, 3, bias=False) per step -> relu, weights +-1.5",
     lambda: ([nn.LSTM(2, 4, num_layers=2, bias=False)], [nn.Linear(4, 3, bias=False)]),
     2, [6, 6], "sequence", "relu", 1.5),
    ("torch_export_lstm_saturation",
     "nn.LSTM(3, 7, num_layers=2, batch_first=True), weights uniform +-1.5 -> out[:, -1] -> Linear(7, 2) -> tanh",
     lambda: ([nn.LSTM(3, 7, num_layers=2, batch_first=True)], [nn.Linear(7, 2)]), 3, [8, 8, 8], "last", "tanh", 1.5),
    # ---- pending until the generator supports GRU, SimpleRNN, Bidirectional
    ("torch_export_gru1_last", "nn.GRU(3, 7, batch_first=True) -> out[:, -1] -> Linear(7, 2)",
     lambda: ([nn.GRU(3, 7, batch_first=True)], [nn.Linear(7, 2)]), 3, [6, 6, 6], "last", None, None),
    ("torch_export_gru2_seq_softmax",
     "nn.GRU(4, 5, num_layers=2) seq-first -> Linear(5, 3) per step -> softmax",
     lambda: ([nn.GRU(4, 5, num_layers=2)], [nn.Linear(5, 3)]), 4, [5, 5], "sequence", "softmax", None),
    ("torch_export_gru3_saturation_variable",
     "nn.GRU(2, 9, num_layers=3, batch_first=True), weights +-1.5 -> out[:, -1] -> Linear(9, 1), variable length",
     lambda: ([nn.GRU(2, 9, num_layers=3, batch_first=True)], [nn.Linear(9, 1)]), 2, [1, 5, 12], "last", None, 1.5),
    ("torch_export_rnn_tanh_last", "nn.RNN(3, 6, num_layers=2) seq-first -> out[-1] -> Linear(6, 2)",
     lambda: ([nn.RNN(3, 6, num_layers=2)], [nn.Linear(6, 2)]), 3, [7, 7], "last", None, None),
    ("torch_export_rnn_relu_seq",
     "nn.RNN(3, 5, nonlinearity='relu', batch_first=True) -> Linear(5, 3) per step",
     lambda: ([nn.RNN(3, 5, nonlinearity="relu", batch_first=True)], [nn.Linear(5, 3)]), 3, [6, 6], "sequence", None, None),
    ("torch_export_rnn_no_bias_stack",
     "nn.RNN(2, 4, num_layers=3, bias=False) -> out[-1] -> Linear(4, 2) -> softmax",
     lambda: ([nn.RNN(2, 4, num_layers=3, bias=False)], [nn.Linear(4, 2)]), 2, [5, 5], "last", "softmax", None),
    # Wide layers: matrices of more than 128 columns are stored in panels; long inputs run in several blocks.
    ("torch_export_gru_wide", "nn.GRU(5, 70, batch_first=True) -> out[:, -1] -> Linear(70, 3)",
     lambda: ([nn.GRU(5, 70, batch_first=True)], [nn.Linear(70, 3)]), 5, [9, 9], "last", None, None),
    ("torch_export_rnn_wide", "nn.RNN(4, 131, num_layers=2) seq-first -> out[-1] -> Linear(131, 2)",
     lambda: ([nn.RNN(4, 131, num_layers=2)], [nn.Linear(131, 2)]), 4, [6, 6], "last", None, None),
    ("torch_export_lstm_wide_variable",
     "nn.LSTM(6, 40, batch_first=True) -> Linear(40, 140) per step -> tanh, variable length 1, 7, 37",
     lambda: ([nn.LSTM(6, 40, batch_first=True)], [nn.Linear(40, 140)]), 6, [1, 7, 37], "sequence", "tanh", None),
    # Large LSTMs (recurrent matrix of 65,536 floats and more): Predict walks the matrix in alternating directions
    # on alternate timesteps; odd and even lengths, several blocks of 16 steps.
    ("torch_export_lstm_large_alternating",
     "nn.LSTM(4, 130, batch_first=True) -> out[:, -1] -> Linear(130, 3), variable length 1, 20, 35",
     lambda: ([nn.LSTM(4, 130, batch_first=True)], [nn.Linear(130, 3)]), 4, [1, 20, 35], "last", None, None),
    ("torch_export_bilstm_large_seq",
     "nn.LSTM(3, 128, bidirectional=True, batch_first=True) -> Linear(256, 2) per step, variable length 5, 18",
     lambda: ([nn.LSTM(3, 128, bidirectional=True, batch_first=True)], [nn.Linear(256, 2)]), 3, [5, 18], "sequence", None, None),
    ("torch_export_bilstm_last",
     "nn.LSTM(3, 5, bidirectional=True, batch_first=True) -> cat(h_n[-2], h_n[-1]) -> Linear(10, 2)",
     lambda: ([nn.LSTM(3, 5, bidirectional=True, batch_first=True)], [nn.Linear(10, 2)]), 3, [6, 6, 6], "last", None, None),
    ("torch_export_bilstm2_seq_softmax",
     "nn.LSTM(3, 4, num_layers=2, bidirectional=True) seq-first -> Linear(8, 3) per step -> softmax",
     lambda: ([nn.LSTM(3, 4, num_layers=2, bidirectional=True)], [nn.Linear(8, 3)]), 3, [5, 5], "sequence", "softmax", None),
    ("torch_export_bigru2_last",
     "nn.GRU(2, 5, num_layers=2, bidirectional=True, batch_first=True) -> cat(h_n[-2], h_n[-1]) -> Linear(10, 1) -> sigmoid",
     lambda: ([nn.GRU(2, 5, num_layers=2, bidirectional=True, batch_first=True)], [nn.Linear(10, 1)]),
     2, [7, 7], "last", "sigmoid", None),
    ("torch_export_birnn_relu_seq",
     "nn.RNN(3, 4, nonlinearity='relu', bidirectional=True) seq-first -> Linear(8, 2) per step",
     lambda: ([nn.RNN(3, 4, nonlinearity="relu", bidirectional=True)], [nn.Linear(8, 2)]), 3, [6, 6], "sequence", None, None),
    ("torch_export_bilstm_then_gru",
     "nn.LSTM(3, 5, bidirectional=True, batch_first=True) -> nn.GRU(10, 4, batch_first=True) -> out[:, -1] "
     "-> Linear(4, 2), variable length",
     lambda: ([nn.LSTM(3, 5, bidirectional=True, batch_first=True), nn.GRU(10, 4, batch_first=True)],
              [nn.Linear(4, 2)]), 3, [1, 6, 9], "last", None, None),
]


def f32(values):
    return np.asarray(values, dtype=np.float32).reshape(-1).tolist()


def build(name, builder, head, activation, scale):
    torch.manual_seed(zlib.crc32(name.encode()))
    rnns, linears = builder()
    net = Net(rnns, linears, activation, head)
    if scale is not None:
        with torch.no_grad():
            for p in net.parameters():
                p.uniform_(-scale, scale)
    return net.eval()


def make(case, write):
    name, description, builder, features, steps, head, activation, scale = case
    net = build(name, builder, head, activation, scale)
    timesteps = steps[0] if len(set(steps)) == 1 else None
    keras_layers = lstmgen_export.to_keras(net.export_layers(), None, timesteps, head, activation)
    pending = not all(keras_classes(l) <= GENERATOR_SUPPORTS for l in keras_layers)
    directory = PENDING if pending else MODELS
    model_path = os.path.join(directory, name + ".json")
    expected_path = os.path.join(directory, name + ".expected.json")
    generator = torch.Generator().manual_seed(zlib.crc32((name + "/inputs").encode()))
    cases = []
    with torch.no_grad():
        for t in steps:
            x = torch.rand(1, t, features, generator=generator) * 4 - 2  # uniform +-2, float32
            y = net(x)[0]
            cases.append({"timesteps": t, "input": f32(x[0]), "output": f32(y)})
    if write:
        os.makedirs(directory, exist_ok=True)
        for suffix in (".json", ".expected.json"):
            stale = os.path.join(MODELS if pending else PENDING, name + suffix)
            if os.path.exists(stale):  # the case moved (the generator learned its layers)
                os.remove(stale)
        lstmgen_export.export(model_path, net.export_layers(), timesteps=timesteps, head=head,
                              activation=activation, name=name,
                              exported_by="tools/pytorch/lstmgen_export.py (make_export_fixtures.py)")
        expected = {"source": SOURCE, "description": description, "features": features,
                    "outputPerStep": head == "sequence", "cases": cases}
        with open(expected_path, "w") as f:
            json.dump(expected, f)
            f.write("\n")
    # Independent check of the written files: numpy Keras semantics vs the committed PyTorch outputs.
    with open(model_path) as f:
        model = json.load(f)
    with open(expected_path) as f:
        expected = json.load(f)
    worst, ok = 0.0, True
    for c in expected["cases"]:
        x = np.asarray(c["input"], np.float64).reshape(c["timesteps"], expected["features"])
        good, _, rel = lstmgen_export.compare(c["output"], lstmgen_export.keras_predict(model, x))
        ok &= good
        worst = max(worst, rel)
    where = "pending-export" if pending else "models"
    print("%s %-40s %-14s max rel diff %.2e" % ("ok " if ok else "BAD", name, where, worst))
    return ok, worst


def main():
    torch.set_num_threads(1)
    write = "--check" not in sys.argv
    results = [make(case, write) for case in CASES]
    bad = sum(1 for ok, _ in results if not ok)
    print("%d fixtures, %d mismatches, largest relative difference %.2e (numpy Keras evaluation of the exported "
          "files vs PyTorch)" % (len(results), bad, max(w for _, w in results)))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
