// Computes the reference outputs of the real published Keras / TensorFlow.js models in ../shared/realworld
// (relative to the repository root) with TensorFlow.js 4.22 (CPU backend, float32), from the original files.
// Writes tests/realworld/expected/<dir>.expected.json, expected/unsupported.json and manifest.json.
// See README.md in this folder.
//
//   cd tests/realworld && npm install --no-save @tensorflow/tfjs@4.22.0 h5wasm
//   node make-references.mjs [dir ...]          # all models, or only the named dirs
//   node make-references.mjs --gru-states FILE  # dumps the manual GRU's states for gru_check.py
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import h5wasm from 'h5wasm/node';
import { mulberry32, fnv1a, normalSampler, readZip, toSnakeCase, expectedJson } from './lib.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..', '..');
const REALWORLD = path.resolve(REPO, '..', 'shared', 'realworld');
const OUT = path.join(HERE, 'expected');

// kind: tfjs | keras-h5 | keras-topology+weights | keras3-archive | keras2-hdf5-as-keras | onnx
// timesteps: only for variable-length models (input timesteps null): the three case lengths.
export const MODELS = [
  { dir: 'aa760_abusive_bilstm3', kind: 'tfjs', model: 'model.json' },
  { dir: 'adithya_gesture_lstm3', kind: 'tfjs', model: 'model.json' },
  { dir: 'agampandeyy_sarcasm_h5', kind: 'keras-topology+weights', model: 'model.json', weights: 'model_weights.h5' },
  { dir: 'aksha_stock_lstm', kind: 'tfjs', model: 'model.json' },
  { dir: 'anushree_imdb_bigru_h5', kind: 'keras-h5', model: 'bigru_model.h5', timesteps: [1, 7, 100] },
  { dir: 'arafat_emoji_bilstm2_h5', kind: 'keras-h5', model: 'bilstm_model.h5' },
  { dir: 'bernhard_lstm_onnx', kind: 'onnx', model: 'lstm.onnx' },
  { dir: 'galalen_arabic_lstm_h5', kind: 'keras-h5', model: 'bilstm_model.h5' },
  { dir: 'jessvb_drseuss_keras224', kind: 'tfjs', model: 'dr-seuss-20.json' },
  { dir: 'jessvb_nietzsche_tfjs074', kind: 'tfjs', model: 'nietzsche.json' },
  { dir: 'komei_lstm2_keras', kind: 'keras3-archive', model: 'lstm_model.keras' },
  { dir: 'lemon_mnist_lstm_onnx', kind: 'onnx', model: 'lstm.onnx' },
  { dir: 'made_bigru_onnx', kind: 'onnx', model: 'model.onnx' },
  { dir: 'mbittu_bilstm3_relu', kind: 'tfjs', model: 'model.json' },
  { dir: 'obaiz_btc_gru_keras', kind: 'keras3-archive', model: 'gru_model.keras' },
  { dir: 'partha_stock_bilstm2_keras', kind: 'keras3-archive', model: 'bilstm_model.keras' },
  { dir: 'reiinakano_lstm_keras215', kind: 'tfjs', model: 'model.json' },
  { dir: 'sailesh_bilstm_keras_hdf5', kind: 'keras2-hdf5-as-keras', model: 'bilstm_model.keras' },
  { dir: 'vaishakh_phoneme_bilstm_h5', kind: 'keras-h5', model: 'bilstm_model.h5' },
  // Conv1D (padding same, 6 sensor features) first; T = 1, 7 and a typical 50.
  { dir: 'zapp_bilstm', kind: 'tfjs', model: 'model.json', timesteps: [1, 7, 50] },
  { dir: 'zapp_gru', kind: 'tfjs', model: 'model.json', timesteps: [1, 7, 50] },
  { dir: 'zapp_simple_rnn', kind: 'tfjs', model: 'model.json', timesteps: [1, 7, 50] },
];

// Layers LstmGen supports (README "Supported now"); any other class makes the model "unsupported".
const SUPPORTED = new Set(['InputLayer', 'LSTM', 'GRU', 'SimpleRNN', 'Bidirectional', 'Dense', 'Activation',
  'Conv1D', 'MaxPooling1D', 'AveragePooling1D', 'ZeroPadding1D', 'Cropping1D', 'UpSampling1D', 'TimeDistributed', 'RepeatVector', 'Flatten', 'GlobalAveragePooling1D', 'GlobalMaxPooling1D',
  'BatchNormalization', 'LayerNormalization', 'Dropout', 'SpatialDropout1D', 'GaussianNoise', 'GaussianDropout',
  'AlphaDropout', 'ActivityRegularization', 'Masking', 'Embedding']);

const MAX_NUMBERS = 200000;

// ---------------------------------------------------------------- topology rewrites (only when tfjs refuses)

/** Rewrites a Keras 3 / newer topology into what tfjs 4.22 reads; returns the list of rewrites made. */
function rewriteTopology(node, log) {
  const note = (s) => { if (!log.includes(s)) log.push(s); };
  if (Array.isArray(node)) return node.map(n => rewriteTopology(n, log));
  if (node === null || typeof node !== 'object') return node;
  if ((node.class_name === 'DTypePolicy' || node.class_name === 'Policy') && node.config && 'name' in node.config) {
    const name = node.config.name;
    if (name !== 'float32') note(`DTypePolicy "${name}" -> "float32"`);
    else note('DTypePolicy objects -> "float32"');
    return 'float32';
  }
  const out = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'module' || k === 'registered_name' || k === 'build_config' || k === 'shared_object_id' || k === 'compile_config') {
      note(`dropped "${k}"`);
      continue;
    }
    if (k === 'batch_shape' && !('batch_input_shape' in node)) {
      note('"batch_shape" -> "batch_input_shape"');
      out.batch_input_shape = v;
      continue;
    }
    out[k] = rewriteTopology(v, log);
  }
  // Keras 3 renamed the class; initializers do not matter for inference (the file's weights replace them).
  if (out.class_name === 'OrthogonalInitializer') {
    out.class_name = 'Orthogonal';
    note('initializer "OrthogonalInitializer" -> "Orthogonal"');
  }
  if (out.class_name === 'Bidirectional' && out.config && out.config.backward_layer) {
    const f = out.config.layer, b = out.config.backward_layer;
    const strip = (l) => JSON.stringify({ ...l.config, name: null, go_backwards: null });
    if (f.class_name !== b.class_name || strip(f) !== strip(b) || !!f.config.go_backwards === !!b.config.go_backwards)
      throw new Error('Bidirectional backward_layer is not the forward layer with go_backwards flipped');
    delete out.config.backward_layer;
    note('Bidirectional "backward_layer" dropped (it is "layer" with go_backwards flipped, what tfjs builds itself)');
  }
  return out;
}

// ---------------------------------------------------------------- loading

function tfjsHandler(dir, modelJson, topology, log) {
  return {
    load: async () => {
      let specs = [];
      const buffers = [];
      for (const group of modelJson.weightsManifest) {
        for (const p of group.paths) buffers.push(fs.readFileSync(path.join(dir, p)));
        specs.push(...group.weights);
      }
      // Keras 3 converters prefix the weight names with the model's name ("sequential_4/dense_8/kernel");
      // tfjs looks them up by layer name. Only on the rewrite pass (log != null).
      const mc = topology.model_config || topology;
      const prefix = mc.config && !Array.isArray(mc.config) && mc.config.name ? `${mc.config.name}/` : null;
      if (log && prefix && specs.every(w => w.name.startsWith(prefix))) {
        specs = specs.map(w => ({ ...w, name: w.name.slice(prefix.length) }));
        log.push(`weight names: model-name prefix "${prefix}" stripped (values unchanged)`);
      }
      const all = Buffer.concat(buffers);
      return {
        modelTopology: topology,
        weightSpecs: specs,
        weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength),
        format: modelJson.format, generatedBy: modelJson.generatedBy, convertedBy: modelJson.convertedBy,
      };
    },
  };
}

async function withRewrites(topology, build) {
  try {
    return { model: await build(topology, null), rewrites: [] };
  } catch (e) {
    const log = [];
    const rewritten = rewriteTopology(topology, log);
    console.log(`  tfjs refused the topology as is (${String(e.message).split('\n')[0]}); rewriting: ${log.join('; ')}`);
    const model = await build(rewritten, log);
    return { model, rewrites: log };
  }
}

function h5Read(ds) {
  const v = ds.value;
  if (!(v instanceof Float32Array)) throw new Error(`dataset ${ds.path}: dtype ${ds.dtype}, expected float32`);
  return { data: v, shape: ds.shape };
}

/** Keras 2 layout (also Keras 3 legacy .h5): model_weights/<layer>/<weight_names in order>. */
function keras2Weights(f) {
  const root = f.keys().includes('model_weights') ? f.get('model_weights') : f;
  const byLayer = {};
  for (const ln of root.attrs['layer_names'].value) {
    const g = root.get(ln);
    const raw = g.attrs['weight_names'] ? g.attrs['weight_names'].value : [];
    const names = typeof raw === 'string' ? [raw] : Array.from(raw);
    const list = names.map(n => ({ ...h5Read(g.get(n)), fileName: n }));
    if (list.length) byLayer[ln] = list;
  }
  return byLayer;
}

/** Keras 3 layout: layers/<snake_case_class[_n]>/[vars|cell/vars|forward_layer/cell/vars+backward_layer/...]/<i>,
 *  the key counted in model-layer order. Returns the weights per config layer name. */
function keras3Weights(f, layerConfigs) {
  const used = {}, byLayer = {};
  const vars = (g) => {
    if (!g.keys().includes('vars')) return [];
    const v = g.get('vars');
    return v.keys().map(Number).sort((a, b) => a - b).map(i => h5Read(v.get(String(i))));
  };
  for (const l of layerConfigs) {
    let key = toSnakeCase(l.class_name);
    if (key in used) { used[key] += 1; key = `${key}_${used[key]}`; } else used[key] = 0;
    if (!f.get('layers').keys().includes(key)) continue;
    const g = f.get(`layers/${key}`);
    const keys = g.keys();
    let list;
    if (keys.includes('forward_layer')) list = [...vars(g.get('forward_layer/cell')), ...vars(g.get('backward_layer/cell'))];
    else if (keys.includes('cell')) list = vars(g.get('cell'));
    else list = vars(g);
    if (list.length) byLayer[l.config.name] = list;
  }
  return byLayer;
}

function setLayerWeights(layer, list, what) {
  const ws = layer.weights;
  if (ws.length !== list.length) throw new Error(`${what}: layer ${layer.name} has ${ws.length} weights, file ${list.length}`);
  layer.setWeights(list.map((w, i) => {
    if (JSON.stringify(ws[i].shape) !== JSON.stringify(w.shape))
      throw new Error(`${what}: ${ws[i].name} shape ${ws[i].shape} vs file ${w.shape}`);
    // Keras 2 names: the last component (kernel, recurrent_kernel, bias, embeddings) must match tfjs's,
    // and forward/backward must match inside Bidirectional.
    if (w.fileName) {
      const last = (n) => n.replace(/:0$/, '').split('/').pop().replace(/_\d+$/, ''); // tfjs uniquifies: kernel_2
      if (last(w.fileName) !== last(ws[i].name)) throw new Error(`${what}: file ${w.fileName} vs tfjs ${ws[i].name}`);
      // direction: the first path component starting with forward / backward (tfjs may name the backward
      // layer "backward_forward_lstm")
      const dirOf = (n) => { const c = n.split('/').find(p => /^(forward|backward)/.test(p)); return c ? c.match(/^(forward|backward)/)[1] : null; };
      if (dirOf(w.fileName) !== dirOf(ws[i].name)) throw new Error(`${what}: file ${w.fileName} vs tfjs ${ws[i].name}`);
    }
    return tf.tensor(w.data, w.shape, 'float32');
  }));
}

function openH5(file) {
  return new h5wasm.File(file, 'r');
}

/** Reads a Keras file: the topology ({class_name, config}), the layer configs, and weights per layer name. */
function readKeras(spec) {
  const dir = path.join(REALWORLD, spec.dir);
  const file = path.join(dir, spec.model);
  if (spec.kind === 'keras3-archive') {
    const z = readZip(file);
    const cfg = JSON.parse(z['config.json'].toString('utf8'));
    const meta = JSON.parse(z['metadata.json'].toString('utf8'));
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lstmgen-refs-'));
    const h5path = path.join(tmp, 'model.weights.h5');
    fs.writeFileSync(h5path, z['model.weights.h5']);
    const f = openH5(h5path);
    const layers = cfg.config.layers;
    const weights = keras3Weights(f, layers);
    f.close();
    fs.rmSync(tmp, { recursive: true, force: true });
    return { topology: { class_name: cfg.class_name, config: cfg.config }, layers, weights, kerasVersion: meta.keras_version, layout: 'keras3' };
  }
  let topology, f;
  if (spec.kind === 'keras-topology+weights') {
    topology = JSON.parse(fs.readFileSync(file, 'utf8'));
    f = openH5(path.join(dir, spec.weights));
  } else {
    f = openH5(file);
    topology = JSON.parse(String(f.attrs['model_config'].value));
  }
  const kerasVersion = String((f.attrs['keras_version'] || { value: topology.keras_version }).value);
  const weights = keras2Weights(f);
  f.close();
  const layers = Array.isArray(topology.config) ? topology.config : topology.config.layers;
  return { topology: { class_name: topology.class_name, config: topology.config }, layers, weights, kerasVersion, layout: 'keras2' };
}

// ---------------------------------------------------------------- manual GRU (reset_after = true)

function activation(name, kerasMajor) {
  switch (name) {
    case 'tanh': return (x) => tf.tanh(x);
    case 'sigmoid': return (x) => tf.sigmoid(x);
    case 'relu': return (x) => tf.relu(x);
    case 'linear': return (x) => x;
    // Keras 3: relu6(x + 3) / 6; Keras 2 and tfjs: clip(0.2 x + 0.5, 0, 1).
    case 'hard_sigmoid': return kerasMajor >= 3
      ? (x) => tf.div(tf.relu6(tf.add(x, 3)), 6)
      : (x) => tf.clipByValue(tf.add(tf.mul(x, 0.2), 0.5), 0, 1);
    default: throw new Error(`activation ${name} not implemented in the manual GRU`);
  }
}

/** Keras GRU with reset_after=true on x [1, T, F]: kernel (F, 3u), recurrent_kernel (u, 3u), bias (2, 3u); gates z, r, h.
 *  z = σ(x·Wz + bz + h·Uz + b'z); r = σ(x·Wr + br + h·Ur + b'r); h~ = act(x·Wh + bh + r * (h·Uh + b'h));
 *  h = z * h_prev + (1 - z) * h~.  Returns the last state [1, u] or the sequence [1, T, u]. */
export function gruResetAfter(x, w, cfg, kerasMajor, returnSequences = cfg.return_sequences) {
  const u = cfg.units;
  const useBias = cfg.use_bias !== false;
  const [kernel, rec, bias] = w;
  if (!cfg.reset_after) throw new Error('gruResetAfter: reset_after false');
  if (cfg.stateful || cfg.return_state) throw new Error('gruResetAfter: stateful / return_state');
  const K = tf.tensor(kernel.data, kernel.shape), U = tf.tensor(rec.data, rec.shape);
  let bIn = tf.zeros([3 * u]), bRec = tf.zeros([3 * u]);
  if (useBias) {
    if (JSON.stringify(bias.shape) !== JSON.stringify([2, 3 * u])) throw new Error(`GRU bias shape ${bias.shape}`);
    const B = tf.tensor(bias.data, bias.shape);
    bIn = B.slice([0, 0], [1, 3 * u]).reshape([3 * u]);
    bRec = B.slice([1, 0], [1, 3 * u]).reshape([3 * u]);
  }
  const act = activation(cfg.activation, kerasMajor), ract = activation(cfg.recurrent_activation, kerasMajor);
  const T = x.shape[1];
  let h = tf.zeros([1, u]);
  const outs = [];
  for (let s = 0; s < T; s++) {
    const t = cfg.go_backwards ? T - 1 - s : s;
    const xt = x.slice([0, t, 0], [1, 1, x.shape[2]]).reshape([1, x.shape[2]]);
    const mx = tf.add(tf.matMul(xt, K), bIn);
    const mh = tf.add(tf.matMul(h, U), bRec);
    const [xz, xr, xh] = tf.split(mx, 3, 1);
    const [hz, hr, hh] = tf.split(mh, 3, 1);
    const z = ract(tf.add(xz, hz));
    const r = ract(tf.add(xr, hr));
    const cand = act(tf.add(xh, tf.mul(r, hh)));
    h = tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), cand));
    outs.push(h);
  }
  return returnSequences ? tf.stack(outs, 1) : h;
}

// ---------------------------------------------------------------- model runners

/** Layer-by-layer runner for Keras files containing a GRU with reset_after=true (tfjs has none). */
async function layerByLayer(spec, k) {
  const kerasMajor = Number(String(k.kerasVersion).split('.')[0]);
  const rewrites = [];
  const first = k.layers[0].config;
  const inShape = first.batch_shape || first.batch_input_shape;
  const steps = [];
  for (const l of k.layers) {
    if (l.class_name === 'InputLayer') continue;
    const w = k.weights[l.config.name] || [];
    if (l.class_name === 'GRU' && l.config.reset_after) {
      steps.push({ name: l.config.name, how: 'manual GRU', run: (x) => gruResetAfter(x, w, l.config, kerasMajor), gru: { w, cfg: l.config } });
      continue;
    }
    steps.push({
      name: l.config.name, how: 'tfjs',
      run: async (x) => {
        const topo = { class_name: 'Sequential', config: { name: 'single', layers: [
          { class_name: 'InputLayer', config: { batch_input_shape: [null, ...x.shape.slice(1)], dtype: 'float32', name: 'in' } }, l] } };
        const { model, rewrites: r } = await withRewrites(topo, (t) => tf.models.modelFromJSON({ modelTopology: t }));
        for (const s of r) if (!rewrites.includes(s)) rewrites.push(s);
        const layer = model.layers[model.layers.length - 1];
        if (w.length) setLayerWeights(layer, w, spec.dir);
        return model.predict(x);
      },
    });
  }
  return {
    inShape, rewrites, steps,
    predict: async (x) => { let cur = x; for (const s of steps) cur = await s.run(cur); return cur; },
    describeLayers: k.layers.map(l => ({ name: l.config.name, className: l.class_name })),
    embeddingInputDim: (k.layers.find(l => l.class_name === 'Embedding') || { config: {} }).config.input_dim,
  };
}

async function loadModel(spec) {
  const dir = path.join(REALWORLD, spec.dir);
  if (spec.kind === 'tfjs') {
    const modelJson = JSON.parse(fs.readFileSync(path.join(dir, spec.model), 'utf8'));
    const { model, rewrites } = await withRewrites(modelJson.modelTopology,
      (t, log) => tf.loadLayersModel(tfjsHandler(dir, modelJson, t, log)));
    const quantized = modelJson.weightsManifest.some(g => g.weights.some(w => w.quantization));
    return wrapTfjsModel(model, rewrites,
      `tfjs.loadLayersModel of ${spec.model} + shards${quantized ? ' (uint8-quantized weights, dequantized by tfjs)' : ''}`);
  }
  const k = readKeras(spec);
  const needsManualGru = k.layers.some(l => l.class_name === 'GRU' && l.config.reset_after);
  if (needsManualGru) {
    const r = await layerByLayer(spec, k);
    return { ...r, how: `Keras ${k.kerasVersion} ${k.layout} weights read with h5wasm; layer by layer: tfjs layers from the file's config, GRU reset_after=true as a manual tfjs-ops GRU step (checked against torch.nn.GRU, gru_check.py)` };
  }
  const { model, rewrites } = await withRewrites(k.topology, (t) => tf.models.modelFromJSON({ modelTopology: t }));
  for (const [name, list] of Object.entries(k.weights)) setLayerWeights(model.getLayer(name), list, spec.dir);
  // every layer with weights must have been set from the file
  for (const l of model.layers) if (l.weights.length && !(l.name in k.weights)) throw new Error(`${spec.dir}: no weights for ${l.name}`);
  return wrapTfjsModel(model, rewrites,
    `tf.models.modelFromJSON of the file's Keras ${k.kerasVersion} config, weights set from the ${k.layout === 'keras3' ? 'Keras 3 layers/<snake_case>/vars' : 'Keras 2 model_weights/<layer>/weight_names'} layout read with h5wasm`);
}

function wrapTfjsModel(model, rewrites, how) {
  const emb = model.layers.find(l => l.getClassName() === 'Embedding');
  return {
    inShape: model.inputs[0].shape, rewrites, how,
    predict: async (x) => model.predict(x),
    describeLayers: model.layers.map(l => ({ name: l.name, className: l.getClassName() })),
    embeddingInputDim: emb ? emb.inputDim : undefined,
  };
}

// ---------------------------------------------------------------- cases

function makeCases(spec, m) {
  const tokenIds = m.embeddingInputDim !== undefined;
  const fixedT = m.inShape[1];
  const features = tokenIds ? 1 : m.inShape[2];
  if (!tokenIds && m.inShape.length !== 3) throw new Error(`${spec.dir}: input shape ${m.inShape}`);
  let ts;
  if (fixedT == null) {
    if (!spec.timesteps) throw new Error(`${spec.dir}: variable length, needs timesteps`);
    ts = spec.timesteps;
  } else {
    if (spec.timesteps) throw new Error(`${spec.dir}: fixed timesteps ${fixedT}`);
    ts = [fixedT, fixedT, fixedT];
  }
  const rand = mulberry32(fnv1a(spec.dir));
  const normal = normalSampler(rand);
  return {
    tokenIds, features, cases: ts.map(T => {
      const n = T * features;
      const input = new Array(n);
      for (let i = 0; i < n; i++) input[i] = tokenIds ? Math.floor(rand() * m.embeddingInputDim) : normal();
      return { timesteps: T, input };
    }),
  };
}

function toTensor(c, tokenIds, features) {
  return tokenIds ? tf.tensor2d(c.input, [1, c.timesteps], 'float32') : tf.tensor3d(c.input, [1, c.timesteps, features], 'float32');
}

// ---------------------------------------------------------------- main

async function run(spec) {
  console.log(`${spec.dir}:`);
  const m = await loadModel(spec);
  const { tokenIds, features, cases } = makeCases(spec, m);
  for (const c of cases) {
    const y = await m.predict(toTensor(c, tokenIds, features));
    c.output = Array.from(y.dataSync());
    for (const v of c.output) if (!Number.isFinite(v)) throw new Error(`${spec.dir}: non-finite output`);
  }
  const total = cases.reduce((s, c) => s + c.input.length + c.output.length, 0);
  if (total > MAX_NUMBERS) throw new Error(`${spec.dir}: ${total} numbers`);
  const unsupported = m.describeLayers.find(l => !SUPPORTED.has(l.className));
  const rewriteNote = m.rewrites.length ? `; topology rewrites: ${m.rewrites.join('; ')}` : '';
  const doc = {
    source: `tfjs ${tf.version.tfjs} (${m.how}; CPU backend, float32; inputs: mulberry32 seed fnv1a("${spec.dir}")${tokenIds ? ', ids uniform in [0, input_dim)' : ', N(0,1) by Box-Muller'}${rewriteNote})`,
    model: `${spec.dir}/${spec.model}`,
    weights: spec.weights ? `${spec.dir}/${spec.weights}` : null,
    features, tokenIds, cases,
  };
  fs.writeFileSync(path.join(OUT, `${spec.dir}.expected.json`), expectedJson(doc));
  console.log(`  ${cases.map(c => `T=${c.timesteps} -> [${c.output.slice(0, 4).map(v => v.toPrecision(5)).join(', ')}${c.output.length > 4 ? ', ...' : ''}]`).join('  ')}`);
  return { unsupported, rewrites: m.rewrites, how: m.how };
}

async function gruStates(outFile) {
  const spec = MODELS.find(s => s.dir === 'obaiz_btc_gru_keras');
  const k = readKeras(spec);
  const m = await layerByLayer(spec, k);
  const { cases } = makeCases(spec, m);
  const g = m.steps.find(s => s.gru).gru;
  const res = cases.map(c => {
    const x = toTensor(c, false, m.inShape[2]);
    return { timesteps: c.timesteps, input: c.input, states: Array.from(gruResetAfter(x, g.w, g.cfg, 3, true).dataSync()) };
  });
  fs.writeFileSync(outFile, JSON.stringify({ layer: g.cfg.name, units: g.cfg.units, cases: res }));
  console.log(`wrote ${outFile}`);
}

async function main() {
  await tf.setBackend('cpu');
  await h5wasm.ready;
  const args = process.argv.slice(2);
  if (args[0] === '--gru-states') return gruStates(args[1]);
  fs.mkdirSync(OUT, { recursive: true });
  const only = new Set(args);
  const unsupportedFile = path.join(OUT, 'unsupported.json');
  const unsupported = fs.existsSync(unsupportedFile) ? JSON.parse(fs.readFileSync(unsupportedFile, 'utf8')) : {};
  const failures = [];
  for (const spec of MODELS) {
    if (spec.kind === 'onnx' || (only.size && !only.has(spec.dir))) continue;
    try {
      const r = await run(spec);
      if (r.unsupported) unsupported[spec.dir] = { layer: r.unsupported.name, class: r.unsupported.className };
      else delete unsupported[spec.dir];
    } catch (e) {
      console.log(`  FAILED: ${e.stack}`);
      failures.push(spec.dir);
    }
  }
  const sorted = Object.fromEntries(Object.keys(unsupported).sort().map(k => [k, unsupported[k]]));
  fs.writeFileSync(unsupportedFile, JSON.stringify(sorted, null, 2) + '\n');
  const manifest = {
    root: '../shared/realworld (relative to the repository root)',
    models: MODELS.map(s => ({
      dir: s.dir, kind: s.kind, model: `${s.dir}/${s.model}`, weights: s.weights ? `${s.dir}/${s.weights}` : null,
      expected: s.kind === 'onnx' ? null : `tests/realworld/expected/${s.dir}.expected.json`,
    })),
  };
  fs.writeFileSync(path.join(HERE, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  if (failures.length) { console.log(`failed: ${failures.join(', ')}`); process.exitCode = 1; }
}

main();
