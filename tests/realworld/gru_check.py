"""Checks the manual Keras GRU (reset_after=True) of make-references.mjs against torch.nn.GRU.

Run from tests/realworld (needs h5py, numpy, torch: /usr/bin/python3 on the dev machine):

    node make-references.mjs --gru-states /tmp/obaiz_gru_states.json
    /usr/bin/python3 gru_check.py /tmp/obaiz_gru_states.json

1. The GRU states: torch.nn.GRU with obaiz_btc_gru_keras's weights (read with h5py from the original
   .keras archive) on the same inputs, compared with every hidden state the tfjs-ops GRU produced.
2. The whole model: torch GRU + the two Dense layers in numpy (Dropout is the identity), compared with the
   outputs committed in expected/obaiz_btc_gru_keras.expected.json.

Keras gates are (z, r, h) along the 3u axis; torch's are (r, z, n). Keras: h~ = tanh(x Wh + b_in_h +
r * (h Uh + b_rec_h)), h = z * h_prev + (1 - z) * h~; torch: n = tanh(W_in x + b_in + r * (W_hn h + b_hn)),
h = (1 - z) * n + z * h_prev: the same cell.
"""
import io
import json
import os
import sys
import zipfile

import h5py
import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL = os.path.join(HERE, '..', '..', '..', 'shared', 'realworld', 'obaiz_btc_gru_keras', 'gru_model.keras')
EXPECTED = os.path.join(HERE, 'expected', 'obaiz_btc_gru_keras.expected.json')


def main(states_file):
    z = zipfile.ZipFile(MODEL)
    cfg = json.loads(z.read('config.json'))
    layers = [l for l in cfg['config']['layers'] if l['class_name'] != 'InputLayer']
    f = h5py.File(io.BytesIO(z.read('model.weights.h5')), 'r')
    kernel = f['layers/gru/cell/vars/0'][()]          # (F, 3u), gates z r h
    rec = f['layers/gru/cell/vars/1'][()]             # (u, 3u)
    bias = f['layers/gru/cell/vars/2'][()]            # (2, 3u): input bias, recurrent bias
    u = rec.shape[0]
    gru_cfg = layers[0]['config']
    assert layers[0]['class_name'] == 'GRU' and gru_cfg['reset_after'] and gru_cfg['activation'] == 'tanh' \
        and gru_cfg['recurrent_activation'] == 'sigmoid' and not gru_cfg['go_backwards']

    def to_torch(m):  # Keras (in, 3u) z,r,h -> torch (3u, in) r,z,n
        zz, rr, hh = np.split(m, 3, axis=-1)
        return np.concatenate([rr, zz, hh], axis=-1)

    gru = torch.nn.GRU(kernel.shape[0], u, batch_first=True)
    with torch.no_grad():
        gru.weight_ih_l0.copy_(torch.from_numpy(to_torch(kernel).T.copy()))
        gru.weight_hh_l0.copy_(torch.from_numpy(to_torch(rec).T.copy()))
        gru.bias_ih_l0.copy_(torch.from_numpy(to_torch(bias[0])))
        gru.bias_hh_l0.copy_(torch.from_numpy(to_torch(bias[1])))

    dense = [(f[f'layers/{k}/vars/0'][()], f[f'layers/{k}/vars/1'][()]) for k in ('dense', 'dense_1')]
    dense_layers = [l for l in layers if l['class_name'] == 'Dense']
    acts = {'relu': lambda v: np.maximum(v, 0), 'linear': lambda v: v}

    states = json.load(open(states_file))
    expected = json.load(open(EXPECTED))
    worst_state = worst_out = 0.0
    for sc, ec in zip(states['cases'], expected['cases']):
        assert np.array_equal(np.array(sc['input'], dtype=np.float32), np.array(ec['input'], dtype=np.float32))
        T = sc['timesteps']
        x = torch.tensor(np.array(sc['input'], dtype=np.float32).reshape(1, T, -1))
        with torch.no_grad():
            seq, _ = gru(x)
        seq = seq.numpy().reshape(-1)
        worst_state = max(worst_state, float(np.max(np.abs(seq - np.array(sc['states'], dtype=np.float32)))))
        v = seq.reshape(T, u)[-1]
        for (w, b), l in zip(dense, dense_layers):
            v = acts[l['config']['activation']](v @ w + b)
        worst_out = max(worst_out, float(np.max(np.abs(v - np.array(ec['output'], dtype=np.float32)))))
    print(f'GRU states: max |tfjs manual - torch.nn.GRU| = {worst_state:.3g} over {len(states["cases"])} cases')
    print(f'model output: max |expected file - torch GRU + numpy Dense| = {worst_out:.3g}')
    ok = worst_state < 1e-5 and worst_out < 1e-5
    print('OK' if ok else 'MISMATCH')
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else '/tmp/obaiz_gru_states.json'))
