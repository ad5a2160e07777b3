using LstmGen;

namespace LstmGen.Benchmarks.DebugModels;

[LstmModel("../LstmGen.Benchmarks/Models/s.json")] public static partial class DebugModelS { }
[LstmModel("../LstmGen.Benchmarks/Models/m.json")] public static partial class DebugModelM { }
[LstmModel("../LstmGen.Benchmarks/Models/l.json")] public static partial class DebugModelL { }
[LstmModel("../LstmGen.Benchmarks/Models/w.json")] public static partial class DebugModelW { }
