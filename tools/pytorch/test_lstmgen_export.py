"""Unit tests of lstmgen_export.py (rejections, float round trip, CLI). Run with Debian's python3-torch:
  /usr/bin/python3 tools/pytorch/test_lstmgen_export.py
The numbers of every supported layout are checked by make_export_fixtures.py (and, for LSTM, by the C# tests).
"""
import contextlib
import io
import json
import os
import sys
import tempfile
import unittest

import numpy as np
import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lstmgen_export as E  # noqa: E402


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.GRU(3, 6, num_layers=2, batch_first=True, bidirectional=True)
        self.fc = nn.Linear(12, 4)

    def forward(self, x):
        out, h_n = self.rnn(x)
        return torch.softmax(self.fc(torch.cat([h_n[-2], h_n[-1]], dim=-1)), dim=-1)


class CnnLstm(nn.Module):
    """A CNN-LSTM as PyTorch users write it: forward() transposes around the convolutional front end."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv1d(4, 8, 3, stride=2, dilation=2, padding=3)
        self.relu = nn.ReLU()
        self.pool = nn.MaxPool1d(2)
        self.conv2 = nn.Conv1d(8, 6, 3, padding=1, groups=2)
        self.avg = nn.AvgPool1d(2, stride=1, padding=1)
        self.lstm = nn.LSTM(6, 5, batch_first=True)
        self.fc = nn.Linear(5, 3)

    def forward(self, x):  # x: (batch, T, 4)
        x = self.pool(self.relu(self.conv(x.transpose(1, 2))))  # (batch, 8, T')
        x = self.avg(torch.tanh(self.conv2(x)))
        out, _ = self.lstm(x.transpose(1, 2))
        return self.fc(out[:, -1])

    def export_layers(self):
        return [self.conv, self.relu, self.pool, self.conv2, nn.Tanh(), self.avg, self.lstm, self.fc]


class ExporterTests(unittest.TestCase):
    def setUp(self):
        torch.manual_seed(7)
        self.dir = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.dir.name, "model.json")

    def tearDown(self):
        self.dir.cleanup()

    def rejects(self, layers, fragment, **kw):
        with self.assertRaises(E.ExportError) as ctx:
            E.to_keras(layers, **kw)
        self.assertIn(fragment, str(ctx.exception))

    def test_rejections(self):
        self.rejects([nn.LSTM(3, 5, proj_size=2)], "proj_size")
        self.rejects([nn.LSTM(3, 5), nn.Softmax(dim=1)], "dim=-1")
        self.rejects([nn.LSTM(3, 5), nn.Linear(6, 2)], "in_features 6")
        self.rejects([nn.LSTM(3, 5, bidirectional=True), nn.Linear(5, 2)], "in_features 5, but its input has 10")
        self.rejects([nn.LSTM(3, 5), nn.GRU(4, 2)], "input_size 4")
        self.rejects([nn.LSTM(3, 5)], "input_size 3", input_features=4)
        self.rejects([nn.LSTM(3, 5), nn.Conv1d(5, 2, 1)], "Conv1d")
        self.rejects([nn.Linear(3, 5), nn.LSTM(5, 2)], "first layer")
        self.rejects([nn.Linear(3, 5)], "no nn.LSTM")
        self.rejects([nn.LSTM(3, 5)], "head", head="first")
        self.rejects([nn.LSTM(3, 5)], "activation", activation="gelu")
        self.rejects([nn.LSTM(3, 5), nn.Embedding(10, 5)], "only supported as the first module")
        self.rejects([nn.Embedding(10, 3, max_norm=1.0), nn.LSTM(3, 5)], "max_norm")
        self.rejects([nn.Embedding(10, 3), nn.Linear(3, 3), nn.LSTM(3, 5)], "first layer")

    def test_structure(self):
        layers = E.to_keras([nn.Sequential(nn.LSTM(3, 5, num_layers=2, dropout=0.2), nn.Dropout(0.5)),
                             nn.Linear(5, 4), nn.ReLU(), nn.Linear(4, 2)], timesteps=7, activation="softmax")
        self.assertEqual([l["class_name"] for l in layers], ["LSTM", "LSTM", "Dense", "Dense"])
        self.assertEqual(layers[0]["config"]["batch_input_shape"], [None, 7, 3])
        self.assertEqual([l["config"].get("return_sequences") for l in layers[:2]], [True, False])
        self.assertEqual([l["config"]["activation"] for l in layers[2:]], ["relu", "softmax"])
        self.assertEqual([l["config"]["name"] for l in layers], ["lstm", "lstm_1", "dense", "dense_1"])
        # An activation with no Dense to fold into becomes an Activation layer.
        layers = E.to_keras([nn.RNN(2, 3, bidirectional=True), nn.Tanh()], head="sequence")
        self.assertEqual([l["class_name"] for l in layers], ["Bidirectional", "Activation"])
        cfg = layers[0]["config"]
        self.assertEqual((cfg["merge_mode"], cfg["layer"]["config"]["go_backwards"],
                          cfg["backward_layer"]["config"]["go_backwards"]), ("concat", False, True))
        self.assertEqual([np.shape(w) for w in layers[0]["weights"]], [(2, 3), (3, 3), (3,)] * 2)
        gru = E.to_keras([nn.GRU(2, 3)])[0]
        self.assertTrue(gru["config"]["reset_after"])
        self.assertEqual([np.shape(w) for w in gru["weights"]], [(2, 9), (3, 9), (2, 9)])

    def test_embedding_first(self):
        embedding, lstm, linear = nn.Embedding(27, 4, padding_idx=0), nn.LSTM(4, 6, batch_first=True), nn.Linear(6, 27)
        layers = E.to_keras([embedding, lstm, linear], head="sequence")
        self.assertEqual([l["class_name"] for l in layers], ["Embedding", "LSTM", "Dense"])
        self.assertEqual(layers[0]["config"]["batch_input_shape"], [None, None])
        self.assertEqual((layers[0]["config"]["input_dim"], layers[0]["config"]["output_dim"],
                          layers[0]["config"]["mask_zero"]), (27, 4, False))
        self.assertEqual(np.shape(layers[0]["weights"][0]), (27, 4))
        # The numbers: the written file through the numpy Keras evaluator against PyTorch, on token ids.
        E.export(self.path, [embedding, lstm, linear], head="sequence")
        check = E.self_check(self.path, [embedding, lstm, linear], head="sequence")
        self.assertTrue(check.ok, check)
        with open(self.path) as f:
            model = json.load(f)
        ids = np.array([0, 5, 26, 5, 1])
        expected = linear(lstm(embedding(torch.as_tensor(ids)).unsqueeze(0))[0])[0].detach().numpy().reshape(-1)
        self.assertTrue(E.compare(expected, E.keras_predict(model, ids))[0])

    def test_lstm_autoencoder(self):
        encoder, decoder, head = nn.LSTM(2, 5, batch_first=True), nn.LSTM(5, 4, batch_first=True), nn.Linear(4, 2)
        modules = [encoder, E.RepeatVector(6), decoder, E.TimeDistributed(head)]
        layers = E.to_keras(modules, timesteps=6, head="sequence")
        self.assertEqual([l["class_name"] for l in layers], ["LSTM", "RepeatVector", "LSTM", "TimeDistributed"])
        self.assertEqual([layers[0]["config"]["return_sequences"], layers[2]["config"]["return_sequences"]],
                         [False, True])
        self.assertEqual(layers[1]["config"]["n"], 6)
        self.assertEqual(layers[3]["config"]["layer"]["class_name"], "Dense")
        self.assertEqual([np.shape(w) for w in layers[3]["weights"]], [(4, 2), (2,)])
        E.export(self.path, modules, timesteps=6, head="sequence")
        self.assertTrue(E.self_check(self.path, modules, head="sequence", timesteps=6).ok)
        # The numbers against the autoencoder as one would write it in PyTorch.
        x = torch.randn(1, 6, 2)
        _, (h_n, _) = encoder(x)
        expected = head(decoder(h_n[-1].unsqueeze(1).repeat(1, 6, 1))[0])[0].detach().numpy().reshape(-1)
        with open(self.path) as f:
            self.assertTrue(E.compare(expected, E.keras_predict(json.load(f), x[0].numpy()))[0])
        self.rejects([E.RepeatVector(3), nn.LSTM(3, 5)], "first layer")
        with self.assertRaises(E.ExportError):
            E.TimeDistributed(nn.LSTM(2, 3))

    def test_conv_front_end_structure(self):
        conv = nn.Conv1d(6, 9, 4, groups=3)
        layers = E.to_keras([conv, nn.ReLU(), nn.MaxPool1d(3, stride=2), nn.LSTM(9, 5)], timesteps=20)
        self.assertEqual([l["class_name"] for l in layers], ["Conv1D", "MaxPooling1D", "LSTM"])
        cfg = layers[0]["config"]
        self.assertEqual(cfg["batch_input_shape"], [None, 20, 6])
        self.assertEqual((cfg["filters"], cfg["kernel_size"], cfg["strides"], cfg["padding"], cfg["dilation_rate"],
                          cfg["groups"], cfg["activation"], cfg["data_format"]),
                         (9, [4], [1], "valid", [1], 3, "relu", "channels_last"))
        kernel = layers[0]["weights"][0]
        self.assertEqual(kernel.shape, (4, 2, 9))  # (kernel_size, in / groups, filters)
        self.assertTrue(np.array_equal(kernel, conv.weight.detach().double().permute(2, 1, 0).numpy()))
        self.assertEqual((layers[1]["config"]["pool_size"], layers[1]["config"]["strides"],
                          layers[1]["config"]["padding"]), ([3], [2], "valid"))

        def classes(modules, **kw):
            return [(l["class_name"], l["config"].get("padding"), l["config"].get("strides"))
                    for l in E.to_keras(modules + [nn.GRU(4, 2)], **kw)][:-1]
        # padding: 0 / "valid" -> valid; "same" or an int equal to it (stride 1) -> same; else ZeroPadding1D + valid.
        self.assertEqual(classes([nn.Conv1d(3, 4, 3, padding="valid")]), [("Conv1D", "valid", [1])])
        self.assertEqual(classes([nn.Conv1d(3, 4, 4, padding="same")]), [("Conv1D", "same", [1])])
        self.assertEqual(classes([nn.Conv1d(3, 4, 5, padding=2)]), [("Conv1D", "same", [1])])
        self.assertEqual(classes([nn.Conv1d(3, 4, 3, padding=2, dilation=2)]), [("Conv1D", "same", [1])])
        self.assertEqual(classes([nn.Conv1d(3, 4, 3, padding=2)]), [("ZeroPadding1D", [2, 2], None),
                                                                    ("Conv1D", "valid", [1])])
        self.assertEqual(classes([nn.Conv1d(3, 4, 3, stride=2, padding=1)]), [("ZeroPadding1D", [1, 1], None),
                                                                              ("Conv1D", "valid", [2])])
        # stride > 1 with dilation > 1 (not one Keras Conv1D): stride 1, then every stride-th row.
        self.assertEqual(classes([nn.Conv1d(3, 4, 3, stride=3, dilation=2), nn.Sigmoid()]),
                         [("Conv1D", "valid", [1]), ("MaxPooling1D", "valid", [3])])
        layers = E.to_keras([nn.Conv1d(3, 4, 3, stride=3, dilation=2), nn.Sigmoid(), nn.GRU(4, 2)])
        self.assertEqual((layers[0]["config"]["activation"], layers[1]["config"]["pool_size"]), ("sigmoid", [1]))
        self.assertEqual(classes([nn.AvgPool1d(3, padding=1, stride=1)], input_features=4),
                         [("ZeroPadding1D", [1, 1], None), ("AveragePooling1D", "valid", [1])])
        # Softmax over the channels of (batch, channels, length) is Keras's softmax over the features.
        self.assertEqual(E.to_keras([nn.Conv1d(3, 4, 1), nn.Softmax(dim=1), nn.GRU(4, 2)])[0]["config"]["activation"],
                         "softmax")
        # The explicit form: an nn.Sequential front end that transposes itself; Transpose writes nothing.
        front = nn.Sequential(E.Transpose(), nn.Conv1d(3, 4, 3), nn.ReLU(), E.Transpose())
        self.assertEqual([l["class_name"] for l in E.to_keras([front, nn.GRU(4, 2)])], ["Conv1D", "GRU"])
        # An Embedding, then a convolution over its vectors.
        layers = E.to_keras([nn.Embedding(30, 4), nn.Conv1d(4, 6, 3, padding=1), nn.LSTM(6, 2)])
        self.assertEqual([l["class_name"] for l in layers], ["Embedding", "Conv1D", "LSTM"])

    def test_conv_front_end_matches_forward(self):
        model = CnnLstm().eval()
        E.export(self.path, model.export_layers(), head="last")
        with open(self.path) as f:
            model_json = json.load(f)
        self.assertEqual([l["class_name"] for l in model_json["config"]["layers"]],
                         ["ZeroPadding1D", "Conv1D", "MaxPooling1D", "MaxPooling1D", "Conv1D", "ZeroPadding1D",
                          "AveragePooling1D", "LSTM", "Dense"])
        for t in (1, 6, 17):
            x = torch.rand(1, t, 4) * 4 - 2
            with torch.no_grad():
                expected = model(x)[0].numpy()
            ok, d, _ = E.compare(expected, E.keras_predict(model_json, x[0].numpy()))
            self.assertTrue(ok, (t, d))
        check = E.self_check(self.path, model.export_layers(), cases=6)
        self.assertTrue(check.ok, check)
        # The nn.Sequential form, run by PyTorch as it is.
        front = nn.Sequential(E.Transpose(), nn.Conv1d(3, 5, 4, padding="same"), nn.Tanh(),
                              nn.AvgPool1d(2), E.Transpose())
        gru, fc = nn.GRU(5, 4, batch_first=True), nn.Linear(4, 2)
        E.export(self.path, [front, gru, fc], head="sequence")
        x = torch.rand(1, 9, 3) * 4 - 2
        with torch.no_grad():
            expected = fc(gru(front(x))[0])[0].numpy().reshape(-1)
        with open(self.path) as f:
            self.assertTrue(E.compare(expected, E.keras_predict(json.load(f), x[0].numpy()))[0])

    def test_conv_rejections(self):
        gru = nn.GRU(4, 2)
        self.rejects([nn.Conv1d(3, 4, 3, padding=1, padding_mode="reflect"), gru], "padding_mode='reflect'")
        self.rejects([nn.Conv1d(3, 4, 3, padding=1, padding_mode="circular"), gru], "padding_mode='circular'")
        self.rejects([nn.Conv1d(3, 4, 3), nn.MaxPool1d(3, padding=1), gru], "padding=1")
        self.rejects([nn.Conv1d(3, 4, 3), nn.MaxPool1d(3, dilation=2), gru], "dilation=2")
        self.rejects([nn.Conv1d(3, 4, 3), nn.MaxPool1d(3, ceil_mode=True), gru], "ceil_mode=True")
        self.rejects([nn.Conv1d(3, 4, 3), nn.MaxPool1d(3, return_indices=True), gru], "return_indices=True")
        self.rejects([nn.Conv1d(3, 4, 3), nn.AvgPool1d(3, ceil_mode=True), gru], "ceil_mode=True")
        self.rejects([nn.Conv1d(3, 4, 3), nn.AvgPool1d(3, padding=1, count_include_pad=False), gru],
                     "count_include_pad=False")
        self.rejects([nn.Conv1d(3, 5, 3), gru], "input_size 4")
        self.rejects([nn.Conv1d(3, 4, 3), nn.Conv1d(5, 4, 3), gru], "in_channels 5, but its input has 4")
        self.rejects([nn.Conv1d(3, 4, 3), gru], "in_channels 3, but its input has 5", input_features=5)
        self.rejects([nn.LSTM(3, 4), nn.Conv1d(4, 4, 3), nn.GRU(4, 2)], "before the first recurrent layer only")
        self.rejects([nn.Conv1d(3, 4, 3), nn.Softmax(dim=-1), gru], "over the channels")
        self.rejects([nn.Conv1d(3, 4, 5), nn.MaxPool1d(2), gru], "leaves no rows", timesteps=5)
        self.rejects([nn.MaxPool1d(2), gru], "input_features")
        self.rejects([nn.Conv1d(3, 4, 3), nn.Flatten(), gru], "lstmgen_export.Transpose()")
        # The explicit layout is checked: each convolution sees channels-first data, the recurrent layers not.
        self.rejects([nn.Sequential(nn.Conv1d(3, 4, 3), E.Transpose()), gru], "sees (batch, length, channels)")
        self.rejects([nn.Sequential(E.Transpose(), nn.Conv1d(3, 4, 3)), gru], "sees (batch, channels, length)")
        self.rejects([nn.Conv2d(3, 4, 3), gru], "first layer")

    def test_batch_norm(self):
        def bn(n, **kw):
            b = nn.BatchNorm1d(n, **kw)
            with torch.no_grad():
                b.running_mean.uniform_(-0.5, 0.5)
                b.running_var.uniform_(0.1, 2.0)
                if b.affine:
                    b.weight.uniform_(0.5, 1.5)
                    b.bias.uniform_(-0.5, 0.5)
            return b.eval()

        # Front end: Conv1d -> BatchNorm1d -> ReLU; the ReLU cannot fold into the Conv1D past the normalization.
        norm = bn(8, eps=1e-3)
        layers = E.to_keras([nn.Conv1d(4, 8, 3), norm, nn.ReLU(), nn.LSTM(8, 6), nn.Linear(6, 3)])
        self.assertEqual([l["class_name"] for l in layers], ["Conv1D", "BatchNormalization", "Activation", "LSTM", "Dense"])
        cfg, weights = layers[1]["config"], layers[1]["weights"]
        self.assertEqual((cfg["axis"], cfg["epsilon"], cfg["center"], cfg["scale"]), (-1, 1e-3, True, True))
        for got, name in zip(weights, ("weight", "bias", "running_mean", "running_var")):  # gamma, beta, mean, variance
            np.testing.assert_array_equal(got, getattr(norm, name).detach().double().numpy())
        self.assertEqual(layers[0]["config"]["activation"], "linear")
        # affine=False: center and scale false, only the running statistics.
        layers = E.to_keras([nn.LSTM(3, 5), bn(5, affine=False), nn.Linear(5, 2)])
        cfg = layers[1]["config"]
        self.assertEqual((cfg["center"], cfg["scale"], cfg["epsilon"], len(layers[1]["weights"])), (False, False, 1e-5, 2))
        # The numbers: the modules' own forward(), on a vector and (transposed in forward()) on a sequence.
        lstm, fc = nn.LSTM(3, 7, batch_first=True), nn.Linear(7, 2)
        for head, affine in (("last", True), ("sequence", True), ("sequence", False)):
            norm = bn(7, affine=affine)
            E.export(self.path, [lstm, norm, fc], head=head)
            x = torch.rand(1, 6, 3) * 4 - 2
            with torch.no_grad():
                out, _ = lstm(x)
                if head == "last":
                    expected = fc(norm(out[:, -1]))
                else:
                    expected = fc(norm(out.transpose(1, 2)).transpose(1, 2))
            with open(self.path) as f:
                ok, d, _ = E.compare(expected.numpy().reshape(-1), E.keras_predict(json.load(f), x[0].numpy()))
            self.assertTrue(ok, (head, affine, d))
            self.assertTrue(E.self_check(self.path, [lstm, norm, fc], head).ok)
        # The explicit layout: a BatchNorm1d on a sequence sees channels-first data, between Transposes.
        front = nn.Sequential(E.Transpose(), nn.Conv1d(3, 4, 2), bn(4), nn.Tanh(), E.Transpose())
        gru, norm2 = nn.GRU(4, 5, batch_first=True), nn.Sequential(E.Transpose(), bn(5), E.Transpose())
        layers = [front, gru, norm2, nn.Linear(5, 2)]
        E.export(self.path, layers, head="sequence")
        self.assertTrue(E.self_check(self.path, layers, "sequence").ok)

    def test_batch_norm_rejections(self):
        gru = nn.GRU(4, 2)
        self.rejects([nn.Conv1d(3, 4, 3), nn.BatchNorm1d(4, track_running_stats=False).eval(), gru],
                     "track_running_stats=False")
        self.rejects([nn.Conv1d(3, 4, 3), nn.BatchNorm1d(4).train(), gru], "call model.eval() first")
        self.rejects([nn.Conv1d(3, 4, 3), nn.BatchNorm1d(5).eval(), gru], "num_features 5, but its input has 4")
        self.rejects([nn.LSTM(3, 4), nn.BatchNorm1d(3).eval(), nn.Linear(3, 2)], "num_features 3")
        self.rejects([nn.Sequential(E.Transpose(), nn.Conv1d(3, 4, 3), E.Transpose(), nn.BatchNorm1d(4).eval()), gru],
                     "nn.BatchNorm1d normalizes dimension 1")
        self.rejects([nn.Conv1d(3, 4, 3), nn.BatchNorm2d(4).eval(), gru], "first layer")
        self.rejects([E.Transpose(), nn.Conv1d(3, 4, 1), E.Transpose(), gru, E.Transpose()], "Transpose")
        self.rejects([nn.LSTM(3, 4), E.Transpose(), nn.BatchNorm1d(4).eval()], "end on (batch, channels, length)",
                     head="sequence")

    def test_weights_round_trip_to_identical_float32(self):
        lstm = nn.LSTM(4, 6)
        with torch.no_grad():
            for p in lstm.parameters():  # values across the whole float32 range, subnormals included
                p.copy_(torch.from_numpy((np.random.default_rng(1).standard_normal(p.shape) *
                                          10.0 ** np.random.default_rng(2).integers(-44, 38, p.shape)).astype(np.float32)))
        E.export(self.path, [lstm])
        with open(self.path) as f:
            written = json.load(f)["config"]["layers"][0]["weights"]
        kernel = np.asarray(written[0], np.float64).astype(np.float32)
        self.assertTrue(np.array_equal(kernel.view(np.uint32), lstm.weight_ih_l0.detach().numpy().T.copy().view(np.uint32)))
        bias = np.asarray(written[2], np.float64).astype(np.float32)
        exact = (lstm.bias_ih_l0.detach().double() + lstm.bias_hh_l0.detach().double()).float().numpy()
        self.assertTrue(np.array_equal(bias.view(np.uint32), exact.view(np.uint32)))
        self.assertTrue(np.array_equal(np.asarray(written[2], np.float64), bias.astype(np.float64)))

    def test_cli_torchscript_and_pickled_module(self):
        model = Classifier().eval()
        x = torch.rand(1, 5, 3) * 4 - 2
        for label, save in (("torchscript", lambda p: torch.jit.save(torch.jit.script(model), p)),
                            ("pickle", lambda p: torch.save(model, p))):
            source = os.path.join(self.dir.name, label + ".pt")
            save(source)
            with contextlib.redirect_stdout(io.StringIO()) as out:
                status = E.main([source, self.path, "--activation", "softmax", "--self-check"])
            self.assertEqual(status, 0, out.getvalue())
            self.assertIn("self-check: ok", out.getvalue())
            with open(self.path) as f:
                model_json = json.load(f)
            with torch.no_grad():
                expected = model(x)[0].numpy()
            ok, _, _ = E.compare(expected, E.keras_predict(model_json, x[0].numpy()))
            self.assertTrue(ok, label)

    def test_self_check_runs_in_eval_mode_and_restores_training(self):
        lstm = nn.LSTM(3, 5, num_layers=3, dropout=0.9)  # left in training mode
        E.export(self.path, [lstm])
        result = E.self_check(self.path, [lstm])
        self.assertTrue(result.ok)
        self.assertLess(result.max_abs_difference, 1e-4)
        self.assertTrue(lstm.training)

    def test_cli_cnn_lstm(self):
        class Net(nn.Module):  # children registered in the order forward() applies them, activations as modules
            def __init__(self):
                super().__init__()
                self.conv = nn.Conv1d(3, 6, 3, padding=1)
                self.relu = nn.ReLU()
                self.pool = nn.AvgPool1d(2)
                self.lstm = nn.LSTM(6, 4, batch_first=True)
                self.fc = nn.Linear(4, 2)

            def forward(self, x):
                out, _ = self.lstm(self.pool(self.relu(self.conv(x.transpose(1, 2)))).transpose(1, 2))
                return self.fc(out[:, -1])

        model = Net().eval()
        source = os.path.join(self.dir.name, "cnn.pt")
        torch.jit.save(torch.jit.script(model), source)
        with contextlib.redirect_stdout(io.StringIO()) as out:
            status = E.main([source, self.path, "--self-check"])
        self.assertEqual(status, 0, out.getvalue())
        self.assertIn("Conv1D -> AveragePooling1D -> LSTM -> Dense", out.getvalue())
        x = torch.rand(1, 8, 3) * 4 - 2
        with torch.no_grad():
            expected = model(x)[0].numpy()
        with open(self.path) as f:
            self.assertTrue(E.compare(expected, E.keras_predict(json.load(f), x[0].numpy()))[0])

    def test_cli_rejects_state_dict(self):
        source = os.path.join(self.dir.name, "state.pt")
        torch.save(Classifier().state_dict(), source)
        with contextlib.redirect_stderr(io.StringIO()) as err:
            self.assertEqual(E.main([source, self.path]), 2)
        self.assertIn("not a module", err.getvalue())

    def test_cli_explains_a_model_class_defined_in_the_training_script(self):
        # torch.save(model) from a script whose class lives in __main__: loading it elsewhere cannot find the class.
        source = os.path.join(self.dir.name, "net.pt")
        script = ("import torch\nfrom torch import nn\n"
                  "class Net(nn.Module):\n"
                  "    def __init__(self):\n        super().__init__()\n        self.lstm = nn.LSTM(2, 3)\n"
                  "torch.save(Net(), %r)\n" % source)
        import subprocess
        subprocess.run([sys.executable, "-c", script], check=True)
        with contextlib.redirect_stderr(io.StringIO()) as err:
            self.assertEqual(E.main([source, self.path]), 2)
        message = err.getvalue()
        self.assertIn("torch.jit.save(torch.jit.script(model)", message)
        self.assertIn("Net", message)
        self.assertNotIn("Traceback", message)


if __name__ == "__main__":
    unittest.main()
