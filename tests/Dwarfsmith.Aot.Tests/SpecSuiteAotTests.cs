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
    private static readonly string Suite = Path.Combine(RepoPaths.Shared, "wasm-testsuite");

    public static TheoryData<string> Files => new(Directory.EnumerateFiles(Suite, "*.wast").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)!);

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_command_passes(string file)
    {
        var options = new SpecRunOptions { CacheDirectory = RepoPaths.CacheDirectory("spectest") };
        var result = SpecTestRunner.RunFile(Path.Combine(Suite, file + ".wast"), options);
        Report.Add(result);
        if (!result.Converted)
        {
            output.WriteLine($"{file}: not converted by wast2json: {result.ConversionError}");
            return;
        }
        var failures = SpecReport.Failures(result, 20).ToList();
        Assert.True(result.Failed == 0, $"{file}: {result.Failed} of {result.Commands.Count} commands failed:\n{string.Join('\n', failures)}");
        Assert.True(result.Commands.Count > 0, $"{file}: no commands");
    }

    /// <summary>Collects the per-file results and writes the table once all files ran.</summary>
    public sealed class Report : IDisposable
    {
        private static readonly ConcurrentDictionary<string, SpecFileResult> Results = new(StringComparer.Ordinal);

        public static void Add(SpecFileResult result) => Results[result.Name] = result;

        public void Dispose()
        {
            if (Results.IsEmpty)
                return;
            var files = Results.Values.OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
            var text = "WebAssembly 2.0 spec suite through the AOT engine (dwarfsmith spectest): commands per file\n" +
                "(skipped: text-form modules of assert_malformed/assert_invalid, which test a text parser)\n" + SpecReport.Table(files);
            File.WriteAllText(Path.Combine(RepoPaths.Reports, "aot-spec-tests.txt"), text);
        }
    }
}
