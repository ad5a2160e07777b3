#!/usr/bin/env bash
# Packs LstmGen and builds + runs a fresh consumer project that references only the .nupkg,
# for a net10.0 and a net8.0 consumer (net8.0 runs with roll-forward when no .NET 8 runtime is installed).
# Usage: tests/package/run.sh [work-dir]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="${1:-$(mktemp -d)}"
feed="$work/feed"
mkdir -p "$feed"

echo "== pack"
dotnet pack "$root/LstmGen.sln" -c Release -o "$feed" -v quiet -nologo
ls "$feed"
# The LstmGen package plus its symbols package (.snupkg), and the LstmGen.Tool package.
count=$(ls "$feed"/LstmGen.[0-9]*.nupkg | grep -vc '\.symbols\.nupkg$' || true)
if [ "$count" != "1" ]; then echo "expected exactly one LstmGen package, found $count"; exit 1; fi
nupkg=$(ls "$feed"/LstmGen.[0-9]*.nupkg | grep -v '\.symbols\.nupkg$')
# Every check greps a captured text (here-string), never a pipe: with pipefail, `producer | grep -q` fails at
# random when grep exits on its match while the producer still writes (SIGPIPE), as unzip does line by line.
symbols=$(unzip -l "${nupkg%.nupkg}.snupkg")
grep -q "lib/net8.0/LstmGen.pdb" <<< "$symbols" || { echo "symbols package without lib/net8.0/LstmGen.pdb"; exit 1; }
ls "$feed"/LstmGen.Tool.[0-9]*.nupkg >/dev/null || { echo "LstmGen.Tool package missing"; exit 1; }
case "$(basename "$nupkg")" in LstmGen.*.nupkg) ;; *) echo "unexpected package name $nupkg"; exit 1;; esac
listing=$(unzip -l "$nupkg")
grep -q "analyzers/dotnet/cs/LstmGen.Generator.dll" <<< "$listing" || { echo "generator missing from analyzers/dotnet/cs"; exit 1; }
grep -q "lib/net8.0/LstmGen.dll" <<< "$listing" || { echo "runtime library missing from lib/net8.0"; exit 1; }
grep -q "build/LstmGen.targets" <<< "$listing" || { echo "build targets missing"; exit 1; }
grep -q "tools/import/LstmGen.Import.dll" <<< "$listing" || { echo "importer missing from tools/import"; exit 1; }
for file in LICENSE icon.png README.md; do
  grep -q " $file\$" <<< "$listing" || { echo "$file missing from the package"; exit 1; }
done
grep -q "dotnet add package LstmGen" <<< "$(unzip -p "$nupkg" README.md)" || { echo "the package README is not src/LstmGen/PACKAGE.md"; exit 1; }
grep -q '<license type="expression">MIT</license>' <<< "$(unzip -p "$nupkg" LstmGen.nuspec)" || { echo "no MIT license expression"; exit 1; }
version=$(basename "$nupkg" .nupkg); version="${version#LstmGen.}"

for tfm in net10.0 net8.0; do
  app="$work/consumer-$tfm"
  echo "== consumer $tfm"
  rm -rf "$app"; mkdir -p "$app/Models"
  cp "$root/tests/package/consumer/Program.cs" "$app/"
  cp "$root/tests/package/consumer/Models/model.json" "$app/Models/"
  for fixture in embedding_mask_zero_gru_seq keras2_mask_bidi_lstm_concat_seq glue_autoencoder_repeat_vector keras3_glue_global_max_pooling_variable; do
    cp "$root/tests/fixtures/models/$fixture.json" "$app/Models/"
  done
  # An isolated package cache so the freshly packed LstmGen is what gets restored.
  cat > "$app/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <config><add key="globalPackagesFolder" value="$work/packages" /></config>
  <packageSources><add key="local" value="$feed" /></packageSources>
</configuration>
XML
  cat > "$app/Consumer.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>$tfm</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
    <AnalysisLevel>latest-recommended</AnalysisLevel>
    <RollForward>Major</RollForward>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="LstmGen" Version="$version" />
    <AdditionalFiles Include="Models/*.json" />
  </ItemGroup>
</Project>
XML
  # Empty Directory.Build.props/.packages.props stop the repo's own settings from leaking in when work is inside it.
  echo "<Project />" > "$app/Directory.Build.props"
  echo "<Project />" > "$app/Directory.Packages.props"
  dotnet build "$app/Consumer.csproj" -c Release -nologo -v quiet
  DOTNET_ROLL_FORWARD=Major dotnet "$app/bin/Release/$tfm/Consumer.dll"
  # The default configuration too: a Debug build must also allocate nothing per call (the consumer checks).
  dotnet build "$app/Consumer.csproj" -c Debug -nologo -v quiet
  DOTNET_ROLL_FORWARD=Major dotnet "$app/bin/Debug/$tfm/Consumer.dll"
done
echo "== tool"
# The lstmgen tool from the packed LstmGen.Tool package, into a tool path of its own.
dotnet tool install LstmGen.Tool --version "$version" --tool-path "$work/tool" --add-source "$feed" \
  --configfile "$work/consumer-net10.0/nuget.config" >/dev/null
app="$work/importer"
rm -rf "$app"; mkdir -p "$app/Models"
cp "$root/tests/package/importer/Program.cs" "$app/"
cp -r "$root/tests/fixtures/import/tfjs_lstm" "$app/Models/"
cp "$root/tests/fixtures/models/keras2_tutorial_3x_lstm10.json" "$app/Models/plain.json"
"$work/tool/lstmgen" inspect "$app/Models/tfjs_lstm/model.json"
"$work/tool/lstmgen" convert "$app/Models/tfjs_lstm/model.json" -o "$app/Models/converted.json"
if "$work/tool/lstmgen" inspect "$root/tests/fixtures/import/tfjs_float16.json" >/dev/null; then
  echo "inspect should fail (exit 1) for a model without a recurrent layer"; exit 1
fi

echo "== importer consumer (build step)"
cp "$work/consumer-net10.0/nuget.config" "$work/consumer-net10.0/Directory.Build.props" "$work/consumer-net10.0/Directory.Packages.props" "$app/"
cat > "$app/Importer.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="LstmGen" Version="$version" />
    <!-- Only the model.json is listed: its shard is read from beside it. -->
    <AdditionalFiles Include="Models/tfjs_lstm/model.json;Models/plain.json;Models/converted.json" />
  </ItemGroup>
</Project>
XML
dotnet build "$app/Importer.csproj" -c Release -nologo -v quiet
dotnet "$app/bin/Release/net10.0/Importer.dll"
ls "$app"/obj/Release/net10.0/lstmgen/model-*.lstmgen.json >/dev/null || { echo "no import document under obj/"; exit 1; }
# A second build with nothing changed must not run the importer at all: its stamp and documents stay as they were.
stamp="$app/obj/Release/net10.0/lstmgen/import.stamp"
before=$(stat -c '%n %.9Y' "$stamp" "$app"/obj/Release/net10.0/lstmgen/model-*.lstmgen.json)
second=$(dotnet build "$app/Importer.csproj" -c Release -nologo -v detailed)
after=$(stat -c '%n %.9Y' "$stamp" "$app"/obj/Release/net10.0/lstmgen/model-*.lstmgen.json)
if [ "$before" != "$after" ]; then
  echo "the importer ran again on an unchanged build"
  grep -E '_LstmGenImportRun|Input file .* is newer' <<< "$second" || true
  exit 1
fi
# Touching the shard imports again.
touch "$app/Models/tfjs_lstm/group1-shard1of1.bin"
third=$(dotnet build "$app/Importer.csproj" -c Release -nologo -v detailed)
grep -q "LstmGen: imported 1 model file" <<< "$third" || { echo "a changed shard was not imported again"; exit 1; }
echo "package test: OK"
