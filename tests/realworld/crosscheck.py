"""Second opinion on the references: a plain numpy forward pass (float64) of every Keras HDF5 / .keras model
(weights read with h5py) and every tfjs model.json (shards read and dequantized here: uint8 q -> min + scale*q),
compared with the committed expected/<dir>.expected.json (made by tfjs).

    /usr/bin/python3 crosscheck.py          # from tests/realworld; needs h5py, numpy

Implements what these files use: InputLayer, Embedding, Dropout, SpatialDropout1D, Conv1D (valid / same, stride 1),
LSTM, GRU (reset_after false and true), SimpleRNN, Bidirectional (concat), Dense, Activation; activations tanh, sigmoid, hard_sigmoid (Keras 2 dialect),
relu, linear, softmax.
"""
import io
import json
import os
import sys
import zipfile

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, '..', '..', '..', 'shared', 'realworld')


def act(name, major):
    return {
        'tanh': np.tanh,
        'sigmoid': lambda x: 1 / (1 + np.exp(-x)),
        'hard_sigmoid': (lambda x: np.clip(0.2 * x + 0.5, 0, 1)) if major < 3 else (lambda x: np.clip(x + 3, 0, 6) / 6),
        'relu': lambda x: np.maximum(x, 0),
        'linear': lambda x: x,
        'softmax': lambda x: np.exp(x - x.max(-1, keepdims=True)) / np.exp(x - x.max(-1, keepdims=True)).sum(-1, keepdims=True),
    }[name]


def rnn(x, w, cfg, major, cls):
    u = cfg['units']
    a, ra = act(cfg['activation'], major), act(cfg.get('recurrent_activation', 'sigmoid'), major)
    k, rk = w[0], w[1]
    b = w[2] if len(w) > 2 else np.zeros(k.shape[1])
    T = x.shape[0]
    order = range(T - 1, -1, -1) if cfg.get('go_backwards') else range(T)
    h = np.zeros(u)
    c = np.zeros(u)
    outs = []
    for t in order:
        if cls == 'LSTM':
            g = x[t] @ k + h @ rk + b
            i, f, cc, o = ra(g[:u]), ra(g[u:2 * u]), a(g[2 * u:3 * u]), ra(g[3 * u:])
            c = f * c + i * cc
            h = o * a(c)
        elif cls == 'GRU' and cfg.get('reset_after'):
            b2 = b.reshape(2, 3 * u)
            mx = x[t] @ k + b2[0]
            mh = h @ rk + b2[1]
            z = ra(mx[:u] + mh[:u])
            r = ra(mx[u:2 * u] + mh[u:2 * u])
            hh = a(mx[2 * u:] + r * mh[2 * u:])
            h = z * h + (1 - z) * hh
        elif cls == 'SimpleRNN':
            h = a(x[t] @ k + h @ rk + b)
        elif cls == 'GRU':
            mx = x[t] @ k + b
            z = ra(mx[:u] + h @ rk[:, :u])
            r = ra(mx[u:2 * u] + h @ rk[:, u:2 * u])
            hh = a(mx[2 * u:] + (r * h) @ rk[:, 2 * u:])
            h = z * h + (1 - z) * hh
        else:
            raise ValueError(cls)
        outs.append(h)
    return np.array(outs) if cfg.get('return_sequences') else h


def snake(name):
    import re
    s = re.sub(r'\W+', '', name)
    s = re.sub('(.)([A-Z][a-z]+)', r'\1_\2', s)
    return re.sub('([a-z])([A-Z])', r'\1_\2', s).lower()


def load_tfjs(path):
    m = json.load(open(path))
    topo = m['modelTopology']
    mc = topo.get('model_config', topo)
    kv = str(topo.get('keras_version', '2'))
    major = 3 if kv.startswith('3') else 2  # 'tfjs-layers 0.7.4' -> tfjs = Keras 2 dialect
    layers = mc['config'] if isinstance(mc['config'], list) else mc['config']['layers']
    prefix = None if isinstance(mc['config'], list) else mc['config'].get('name', '') + '/'
    specs = [w for g in m['weightsManifest'] for w in g['weights']]
    data = b''.join(open(os.path.join(os.path.dirname(path), p), 'rb').read() for g in m['weightsManifest'] for p in g['paths'])
    off, byname = 0, {}
    for w in specs:
        n = int(np.prod(w['shape'])) if w['shape'] else 1
        q = w.get('quantization')
        if q:
            assert q['dtype'] == 'uint8'
            v = q['min'] + q['scale'] * np.frombuffer(data, np.uint8, n, off).astype(np.float64)
            off += n
        else:
            assert w['dtype'] == 'float32'
            v = np.frombuffer(data, np.float32, n, off).astype(np.float64)
            off += 4 * n
        name = w['name']
        if prefix and name.startswith(prefix) and all(s['name'].startswith(prefix) for s in specs):
            name = name[len(prefix):]
        byname[name] = v.reshape(w['shape'])
    weights = {}
    rank = {'embeddings': 0, 'kernel': 0, 'recurrent_kernel': 1, 'bias': 2}
    for l in layers:
        ln = l['config']['name']
        mine = [(k, v) for k, v in byname.items() if k.split('/')[0] == ln]
        mine.sort(key=lambda kv: ('backward' in kv[0], rank[kv[0].split('/')[-1]]))
        weights[ln] = [v for _, v in mine]
    assert sum(len(v) for v in weights.values()) == len(specs), 'unassigned weights'
    return layers, weights, major


def load(spec):
    d = os.path.join(ROOT, spec['dir'])
    path = os.path.join(ROOT, spec['model'])
    if spec['kind'] == 'tfjs':
        return load_tfjs(path)
    if spec['kind'] == 'keras3-archive':
        z = zipfile.ZipFile(path)
        cfg = json.loads(z.read('config.json'))
        major = int(json.loads(z.read('metadata.json'))['keras_version'].split('.')[0])
        f = h5py.File(io.BytesIO(z.read('model.weights.h5')), 'r')
        layers = cfg['config']['layers']
        used, weights = {}, {}
        def vars_(g):
            return [g['vars'][str(i)][()] for i in range(len(g['vars']))] if 'vars' in g else []
        for l in layers:
            key = snake(l['class_name'])
            if key in used:
                used[key] += 1
                key = f'{key}_{used[key]}'
            else:
                used[key] = 0
            if key not in f['layers']:
                continue
            g = f['layers'][key]
            if 'forward_layer' in g:
                weights[l['config']['name']] = vars_(g['forward_layer/cell']) + vars_(g['backward_layer/cell'])
            elif 'cell' in g:
                weights[l['config']['name']] = vars_(g['cell'])
            else:
                weights[l['config']['name']] = vars_(g)
        return layers, weights, major
    if spec['kind'] == 'keras-topology+weights':
        topo = json.load(open(path))
        f = h5py.File(os.path.join(ROOT, spec['weights']), 'r')
    else:
        f = h5py.File(path, 'r')
        topo = json.loads(f.attrs['model_config'])
    kv = f.attrs.get('keras_version', topo.get('keras_version', '2'))
    major = int((kv.decode() if isinstance(kv, bytes) else kv).split('.')[0])
    # Keras 3 legacy .h5 is still the Keras 2 layout, but hard_sigmoid would be Keras 3's
    root = f['model_weights'] if 'model_weights' in f else f
    weights = {}
    for ln in root.attrs['layer_names']:
        ln = ln.decode() if isinstance(ln, bytes) else ln
        names = [n.decode() if isinstance(n, bytes) else n for n in root[ln].attrs.get('weight_names', [])]
        weights[ln] = [root[ln][n][()] for n in names]
    layers = topo['config'] if isinstance(topo['config'], list) else topo['config']['layers']
    return layers, weights, major


def forward(layers, weights, major, x):
    for l in layers:
        cls, cfg = l['class_name'], l['config']
        w = [np.asarray(v, dtype=np.float64) for v in weights.get(cfg['name'], [])]
        if cls in ('InputLayer', 'Dropout', 'SpatialDropout1D'):
            continue
        if cls == 'Embedding':
            x = w[0][x.astype(np.int64).reshape(-1)]
        elif cls == 'Conv1D':
            assert cfg.get('padding', 'valid') in ('valid', 'same') and tuple(cfg.get('strides', [1])) == (1,) \
                and tuple(cfg.get('dilation_rate', [1])) == (1,)
            kk = w[0].shape[0]
            if cfg.get('padding') == 'same':  # TF: total padding k-1, the smaller half first
                x = np.concatenate([np.zeros(((kk - 1) // 2, x.shape[1])), x, np.zeros((kk - 1 - (kk - 1) // 2, x.shape[1]))])
            x = np.stack([np.einsum('ki,kio->o', x[t:t + kk], w[0]) for t in range(x.shape[0] - kk + 1)]) + w[1]
            x = act(cfg['activation'], major)(x)
        elif cls in ('LSTM', 'GRU', 'SimpleRNN'):
            x = rnn(x, w, cfg, major, cls)
        elif cls == 'Bidirectional':
            inner = cfg['layer']
            assert cfg.get('merge_mode', 'concat') == 'concat'
            n = len(w) // 2
            fw = rnn(x, w[:n], inner['config'], major, inner['class_name'])
            bcfg = dict(inner['config'], go_backwards=not inner['config'].get('go_backwards', False))
            bw = rnn(x, w[n:], bcfg, major, inner['class_name'])
            if inner['config'].get('return_sequences'):
                bw = bw[::-1]
            x = np.concatenate([fw, bw], axis=-1)
        elif cls == 'Dense':
            x = act(cfg['activation'], major)(x @ w[0] + (w[1] if len(w) > 1 else 0))
        elif cls == 'Activation':
            x = act(cfg['activation'], major)(x)
        else:
            raise ValueError(cls)
    return x


def main():
    manifest = json.load(open(os.path.join(HERE, 'manifest.json')))
    worst_all = 0.0
    for spec in manifest['models']:
        if spec['kind'] == 'onnx':
            continue
        layers, weights, major = load(spec)
        exp = json.load(open(os.path.join(HERE, 'expected', spec['dir'] + '.expected.json')))
        worst = 0.0
        for c in exp['cases']:
            inp = np.array(c['input'], dtype=np.float32).astype(np.float64)
            x = inp if exp['tokenIds'] else inp.reshape(c['timesteps'], exp['features'])
            y = forward(layers, weights, major, x).reshape(-1)
            worst = max(worst, float(np.max(np.abs(y - np.array(c['output'], dtype=np.float64)))))
        worst_all = max(worst_all, worst)
        print(f'{spec["dir"]:32s} max |tfjs - numpy float64| = {worst:.3g}')
    print('OK' if worst_all < 1e-4 else 'MISMATCH')
    return 0 if worst_all < 1e-4 else 1


if __name__ == '__main__':
    sys.exit(main())
