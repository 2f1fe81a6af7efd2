using System.Collections.Concurrent;
using Dwarfsmith.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace Dwarfsmith.Wasm.Tests.Spec;

/// <summary>
/// Every binary module of the WebAssembly 2.0 spec suite through the reader and the validator:
/// malformed and invalid modules are rejected, all others accepted. A per-file table goes to
/// artifacts/reports/wasm-spec-tests.txt.
/// </summary>
public sealed class SpecSuiteTests(ITestOutputHelper output) : IClassFixture<SpecSuiteTests.Report>
{
    public static TheoryData<string> Files => new(SpecScript.Files());

    [Fact]
    public void Wast2json_converts_all_but_the_known_scripts()
    {
        var names = SpecScript.Files().ToList();
        Assert.Equal(TestSupport.SpecSuite.ScriptCount, names.Count);
        var notConverted = names.Where(n => SpecScript.Load(n).ConversionError is not null).ToList();
        Assert.Equal(TestSupport.SpecSuite.NotConvertedByWast2Json.Order(StringComparer.Ordinal), notConverted);
        Assert.Equal(140, names.Count - notConverted.Count);
    }

    [SkippableTheory]
    [MemberData(nameof(Files))]
    public void Binary_modules_are_accepted_or_rejected_as_the_spec_says(string file)
    {
        var script = SpecScript.Load(file);
        if (script.ConversionError is not null)
        {
            Report.Add(file, new FileResult(0, 0, 0, 0, script.TextModules, $"not run: wast2json cannot convert it ({FirstLine(script.ConversionError)})"));
            output.WriteLine($"{file}: not converted by wast2json: {script.ConversionError}");
            TestSupport.SpecSuite.SkipUnconverted(file, script.ConversionError);
        }
        var failures = new List<string>();
        var passed = new int[3];
        foreach (var module in script.Modules)
        {
            var error = WasmChecks.Check(File.ReadAllBytes(module.File), WasmFeatures.Wasm2);
            var accepted = error is null;
            if (accepted == (module.Expectation == SpecExpectation.Valid))
                passed[(int)module.Expectation]++;
            else
                failures.Add($"line {module.Line}: expected {module.Expectation} ({module.ExpectedText}), {Path.GetFileName(module.File)}: {error?.Message ?? "accepted"}");
        }
        Report.Add(file, new FileResult(passed[0], passed[1], passed[2], failures.Count, script.TextModules, ""));
        foreach (var failure in failures)
            output.WriteLine(failure);
        Assert.True(failures.Count == 0,
            $"{file}: {failures.Count} of {script.Modules.Count} modules handled wrongly:\n{string.Join('\n', failures.Take(20))}");
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0];

    public sealed record FileResult(int Valid, int Malformed, int Invalid, int Failed, int TextOnly, string Note);

    /// <summary>Collects the per-file results and writes the table once all files ran.</summary>
    public sealed class Report : IDisposable
    {
        private static readonly ConcurrentDictionary<string, FileResult> Results = new(StringComparer.Ordinal);

        public static void Add(string file, FileResult result) => Results[file] = result;

        public void Dispose()
        {
            if (Results.IsEmpty)
                return;
            var lines = new List<string>
            {
                "WebAssembly 2.0 spec suite: binary modules through reader + validator",
                "(passed counts: valid modules accepted, malformed rejected, invalid rejected; text-form asserts test a text parser and are not run)",
                $"{"file",-36} {"valid",6} {"malformed",10} {"invalid",8} {"failed",7} {"text",6}  note",
            };
            foreach (var (file, r) in Results.OrderBy(p => p.Key, StringComparer.Ordinal))
                lines.Add($"{file,-36} {r.Valid,6} {r.Malformed,10} {r.Invalid,8} {r.Failed,7} {r.TextOnly,6}  {r.Note}");
            var all = Results.Values;
            lines.Add($"{$"total ({Results.Count} files)",-36} {all.Sum(r => r.Valid),6} {all.Sum(r => r.Malformed),10} {all.Sum(r => r.Invalid),8} {all.Sum(r => r.Failed),7} {all.Sum(r => r.TextOnly),6}  " +
                $"{all.Count(r => r.Note.Length > 0)} files not converted by wast2json");
            File.WriteAllLines(Path.Combine(RepoPaths.Reports, "wasm-spec-tests.txt"), lines);
        }
    }
}
