// Issue 17's streaming baseline: RTNeural's compile-time API (ModelT with one LSTMLayerT<float, N, N> or
// GRULayerT<float, N, N>), one timestep per forward() call, on the same weights as LstmGen's streaming models
// (Models/Streaming/{lstm,gru}_n{N}.json, written by make_streaming_models.py). RTNeural is not a dependency of
// the repository: build_and_run.sh compiles this file against a checkout given on its command line.
//
// For each model: load the Keras weights of the LstmGen file with RTNeural's own json_parser::loadLSTM / loadGRU,
// check 32 steps against the float64 reference of NAME.check.json, then time forward() over an input of 1,000
// seeded rows, cycled (so each step reads a different row), state kept across calls as a stream keeps it.
// Warm-up, then RUNS runs of about 20 ms each; prints the best and the median ns per step.
//
// Output, one line per model: backend flags kind N best_ns median_ns max_abs_diff
#include <RTNeural/RTNeural.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <new>
#include <random>
#include <string>
#include <vector>

#ifndef BENCH_FLAGS
#define BENCH_FLAGS "?"
#endif

#if RTNEURAL_USE_EIGEN
static const char* Backend = "eigen";
#elif RTNEURAL_USE_XSIMD
static const char* Backend = "xsimd";
#else
static const char* Backend = "stl";
#endif

namespace
{
constexpr int Rows = 1000; // the input sequence, cycled
constexpr int Runs = 21;
constexpr double RunSeconds = 0.02;
// Rows are padded to 64 bytes: xsimd's ModelT loads whole aligned SIMD registers (16 floats with AVX-512).
constexpr int padded(int n) { return (n + 15) / 16 * 16; }

using Clock = std::chrono::steady_clock;

template <typename T>
struct AlignedDelete
{
    void operator()(T* p) const
    {
        p->~T();
        ::operator delete(p, std::align_val_t { 64 });
    }
};

template <typename T>
std::unique_ptr<T, AlignedDelete<T>> makeAligned()
{
    // The weights live inside the model object (fixed-size arrays): hundreds of KB at N = 128, so on the heap.
    void* p = ::operator new(sizeof(T), std::align_val_t { 64 });
    return std::unique_ptr<T, AlignedDelete<T>>(new(p) T());
}

struct AlignedFloats
{
    explicit AlignedFloats(size_t n)
        : data(static_cast<float*>(::operator new(n * sizeof(float), std::align_val_t { 64 })))
    {
        std::fill(data, data + n, 0.0f);
    }
    ~AlignedFloats() { ::operator delete(data, std::align_val_t { 64 }); }
    AlignedFloats(const AlignedFloats&) = delete;
    AlignedFloats& operator=(const AlignedFloats&) = delete;
    float* data;
};

nlohmann::json readJson(const std::string& path)
{
    std::ifstream stream(path);
    if(!stream)
    {
        std::fprintf(stderr, "cannot read %s\n", path.c_str());
        std::exit(2);
    }
    nlohmann::json j;
    stream >> j;
    return j;
}

template <int N, bool IsLstm>
void bench(const std::string& models)
{
    using Layer = std::conditional_t<IsLstm, RTNeural::LSTMLayerT<float, N, N>, RTNeural::GRULayerT<float, N, N>>;
    using Model = RTNeural::ModelT<float, N, N, Layer>;
    const std::string name = std::string(IsLstm ? "lstm" : "gru") + "_n" + std::to_string(N);

    auto model = makeAligned<Model>();
    const auto file = readJson(models + "/" + name + ".json");
    const auto& weights = file.at("config").at("layers").at(0).at("weights");
    if constexpr(IsLstm)
        RTNeural::json_parser::loadLSTM<float>(model->template get<0>(), weights);
    else
        RTNeural::json_parser::loadGRU<float>(model->template get<0>(), weights);

    // Check against the float64 Keras reference, from the zero state.
    const auto check = readJson(models + "/" + name + ".check.json");
    const auto in = check.at("input").get<std::vector<double>>();
    const auto expected = check.at("output").get<std::vector<double>>();
    const int steps = check.at("steps").get<int>();
    AlignedFloats row(padded(N));
    double maxDiff = 0;
    model->reset();
    for(int t = 0; t < steps; ++t)
    {
        for(int i = 0; i < N; ++i)
            row.data[i] = (float)in[(size_t)t * N + i];
        model->forward(row.data);
        const float* out = model->getOutputs();
        for(int i = 0; i < N; ++i)
            maxDiff = std::max(maxDiff, std::abs((double)out[i] - expected[(size_t)t * N + i]));
    }

    // The timed input: 1,000 seeded rows in [-1, 1), each padded to 64 bytes.
    AlignedFloats input((size_t)Rows * padded(N));
    std::mt19937 rng(12345 + N);
    std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
    for(int t = 0; t < Rows; ++t)
        for(int i = 0; i < N; ++i)
            input.data[(size_t)t * padded(N) + i] = uniform(rng);

    float sink = 0;
    auto run = [&](long calls) {
        int t = 0;
        for(long k = 0; k < calls; ++k)
        {
            model->forward(input.data + (size_t)t * padded(N));
            if(++t == Rows)
                t = 0;
        }
        sink += model->getOutputs()[0];
    };

    // Warm up and calibrate: calls per run such that a run takes about RunSeconds.
    long calls = Rows;
    for(;;)
    {
        const auto start = Clock::now();
        run(calls);
        const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
        if(seconds > RunSeconds / 2)
        {
            calls = std::max<long>(Rows, (long)(calls * RunSeconds / seconds));
            break;
        }
        calls *= 2;
    }
    run(calls);

    std::vector<double> ns;
    for(int r = 0; r < Runs; ++r)
    {
        const auto start = Clock::now();
        run(calls);
        ns.push_back(std::chrono::duration<double, std::nano>(Clock::now() - start).count() / (double)calls);
    }
    std::sort(ns.begin(), ns.end());
    std::printf("%s %s %s %d %.2f %.2f %.2e\n", Backend, BENCH_FLAGS, IsLstm ? "LSTM" : "GRU", N, ns.front(), ns[ns.size() / 2], maxDiff);
    std::fflush(stdout);
    if(!std::isfinite(sink) || maxDiff > 1e-4)
    {
        std::fprintf(stderr, "%s: output differs from the reference by %.3g\n", name.c_str(), maxDiff);
        std::exit(1);
    }
}
} // namespace

int main(int argc, char** argv)
{
    if(argc < 2)
    {
        std::fprintf(stderr, "usage: %s MODELS_DIR   (tests/LstmGen.Benchmarks/Models/Streaming)\n", argv[0]);
        return 2;
    }
    const std::string models = argv[1];
    bench<8, true>(models);
    bench<16, true>(models);
    bench<32, true>(models);
    bench<64, true>(models);
    bench<128, true>(models);
    bench<8, false>(models);
    bench<16, false>(models);
    bench<32, false>(models);
    bench<64, false>(models);
    bench<128, false>(models);
    return 0;
}
