#!/usr/bin/env bash
# Build time and generated-source size for the ~1M-parameter model (Models/Scaling/lstm_u512.json: LSTM(512)
# over 16 features + Dense(1), 1.08M parameters): a fresh console project that references the generator and the
# runtime, built once to warm up restore and the compiler server, then rebuilt from clean with the compiler's
# own timing of the generator (ReportAnalyzer). Prints the generated source size, the generator's time and the
# whole build's wall time. Another model (a path under Models/) and Unroll = true can be given:
#     bash measure-build.sh [Models/l.json [unroll]]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"; root="$(cd "$here/../.." && pwd)"
model="${1:-Models/Scaling/lstm_u512.json}"; unroll="false"; [ "${2:-}" = "unroll" ] && unroll="true"
model_file="$(basename "$model")"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
dotnet build "$root/generator/LstmGen.Generator.csproj" -c Release --nologo -v quiet >/dev/null
dotnet build "$root/src/LstmGen/LstmGen.csproj" -c Release --nologo -v quiet >/dev/null
cat > "$work/BuildTime.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><Nullable>enable</Nullable>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors><EmitCompilerGeneratedFiles>true</EmitCompilerGeneratedFiles>
    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
  </PropertyGroup>
  <ItemGroup>
    <Reference Include="$root/src/LstmGen/bin/Release/net8.0/LstmGen.dll" />
    <Analyzer Include="$root/generator/bin/Release/netstandard2.0/LstmGen.Generator.dll" />
    <AdditionalFiles Include="$here/$model" />
  </ItemGroup>
</Project>
XML
cat > "$work/Program.cs" <<CS
[LstmGen.LstmModel("$model_file", Unroll = $unroll)] static partial class Big { }
static class Program { static void Main() => System.Console.WriteLine(Big.OutputUnits); }
CS
cd "$work"
dotnet build -c Release --nologo -v quiet >/dev/null   # restore, warm compiler server
rm -rf obj/Release/net10.0/*.dll bin obj/Release/net10.0/generated
start=$(date +%s.%N)
dotnet build -c Release --nologo --no-restore -v detailed -p:ReportAnalyzer=true > build.log
end=$(date +%s.%N)
generated=$(find obj -name '*.g.cs' -path '*LstmGen*' | head -1)
echo "generated source: $(stat -c %s "$generated") bytes ($generated)"
grep -E "LstmGen\.Generator\.LstmModelGenerator|Total generator execution time" build.log | sed 's/^ *//' | sort -u | head -4
echo "build wall time: $(echo "$end - $start" | bc) s"
dotnet bin/Release/net10.0/BuildTime.dll
