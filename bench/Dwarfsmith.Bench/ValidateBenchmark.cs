using Dwarfsmith.TestSupport;
using Dwarfsmith.Wasm;
using Dwarfsmith.Wasm.Validation;

namespace Dwarfsmith.Bench;

/// <summary>
/// Reading, decoding every instruction and validating the SQLite module, against wabt's
/// wasm-validate (C++): whole process against whole process, plus the in-process time.
/// </summary>
public static class ValidateBenchmark
{
    public static int Run(int runs)
    {
        var sqlite = Corpus.Sqlite().Path;
        var bytes = File.ReadAllBytes(sqlite);
        var cli = Measure.Cli();
        var processes = Measure.Processes(runs,
            ("wasm-validate sqlite.wasm (wabt 1.0.32)", Toolchain.WasmValidate, [sqlite]),
            ("dwarfsmith validate sqlite.wasm", cli, ["validate", sqlite]));
        var instructions = 0L;
        var inProcess = Measure.InProcess("in-process: read + decode + validate", runs * 2, () =>
        {
            var module = WasmModule.Read(bytes);
            instructions = ModuleValidator.Validate(module).InstructionCount;
        });
        var anchor = processes[0];
        var ours = processes[1];
        var codeBytes = WasmModule.Read(bytes).CodeSection!.PayloadSize;
        var lines = new List<string>
        {
            $"SQLite module: {bytes.Length / 1e6:F2} MB, code section {codeBytes / 1e6:F2} MB, {instructions:N0} instructions",
            anchor.ToString(),
            ours.ToString(),
            inProcess.ToString(),
            $"in-process throughput: {bytes.Length / 1e6 / (inProcess.Median / 1000):F0} MB/s of module, {instructions / (inProcess.Median / 1000) / 1e6:F0} M instructions/s",
            $"ratio dwarfsmith / wasm-validate (whole process, median): {ours.Median / anchor.Median:F2} (target <= 1.00: {(ours.Median <= anchor.Median ? "met" : "NOT met")})",
        };
        Measure.Report("validate", lines);
        return 0;
    }
}
