using System.Collections.Concurrent;
using Dwarfsmith.Aot.SpecTests;
using Dwarfsmith.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace Dwarfsmith.Aot.Tests;

/// <summary>
/// Every command of every script of the WebAssembly 2.0 spec suite that wast2json converts, run
/// against the AOT engine by the spectest runner: each file's commands must all pass (text-form
/// modules are skipped: they test a text parser). The per-file table goes to
/// artifacts/reports/aot-spec-tests.txt.
/// </summary>
public sealed class SpecSuiteAotTests(ITestOutputHelper output) : IClassFixture<SpecSuiteAotTests.Report>
{
    public static TheoryData<string> Files => new(SpecSuite.ScriptNames());

    [SkippableTheory]
    [MemberData(nameof(Files))]
    public void Every_command_passes(string file) => RunFile(file, 0);

    /// <summary>The same with the harness at -O2, where the C compiler's folding meets wasm's float rules. Long: about five minutes more.</summary>
    [SkippableTheory]
    [MemberData(nameof(Files))]
    [Trait("Category", "Long")]
    public void Every_command_passes_at_O2(string file) => RunFile(file, 2);

    private void RunFile(string file, int level)
    {
        var options = new SpecRunOptions { CacheDirectory = RepoPaths.CacheDirectory("spectest"), OptimizationLevel = level };
        var result = SpecTestRunner.RunFile(Path.Combine(SpecSuite.Directory, file + ".wast"), options);
        Report.Add(level, result);
        if (result.ConversionError is { } conversionError)
        {
            output.WriteLine($"{file}: not converted by wast2json: {conversionError}");
            SpecSuite.SkipUnconverted(file, conversionError);
        }
        var failures = SpecReport.Failures(result, 20).ToList();
        Assert.True(result.Failed == 0, $"{file}: {result.Failed} of {result.Commands.Count} commands failed:\n{string.Join('\n', failures)}");
        Assert.True(result.Commands.Count > 0, $"{file}: no commands");
    }

    /// <summary>Collects the per-file results and writes the table once all files ran.</summary>
    public sealed class Report : IDisposable
    {
        private static readonly ConcurrentDictionary<(int Level, string File), SpecFileResult> Results = new();

        public static void Add(int level, SpecFileResult result) => Results[(level, result.Name)] = result;

        public void Dispose()
        {
            foreach (var level in Results.Keys.Select(k => k.Level).Distinct())
            {
                var files = Results.Where(p => p.Key.Level == level).Select(p => p.Value).OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
                var text = $"WebAssembly 2.0 spec suite through the AOT engine (dwarfsmith spectest, harness at -O{level}): commands per file\n" +
                    "(skipped: text-form modules of assert_malformed/assert_invalid, which test a text parser)\n" + SpecReport.Table(files);
                File.WriteAllText(Path.Combine(RepoPaths.Reports, level == 0 ? "aot-spec-tests.txt" : $"aot-spec-tests-O{level}.txt"), text);
            }
        }
    }
}
