using Dwarfsmith.TestSupport;
using Xunit;

namespace Dwarfsmith.DebugTest.Tests;

/// <summary>A fact that needs the debuggers and the aot engine's debug information (issue 17); skipped with the reason until then.</summary>
public sealed class AotEngineFactAttribute : FactAttribute
{
    public AotEngineFactAttribute()
    {
        if ((DebuggerCapability.MissingReason ?? AotEngine.MissingReason) is { } reason)
            Skip = reason;
    }
}

/// <summary>
/// The project's own strongest test of the wasm→native DWARF: Dwarfsmith's AOT engine against the host build,
/// stepped in gdb and lldb. Five fixed seeds in the default run, a hundred in the long one.
/// </summary>
public sealed class AotEngineTests
{
    [AotEngineFact]
    public void Aot_agrees_with_native_on_the_fixed_seeds() => AssertAgrees([1, 2, 3, 4, 5], [0]);

    [AotEngineFact]
    [Trait("Category", "Long")]
    public void Aot_agrees_with_native_on_100_seeds() => AssertAgrees([.. Enumerable.Range(1, 100).Select(s => (long)s)], [0, 2]);

    private static void AssertAgrees(IReadOnlyList<long> seeds, IReadOnlyList<int> levels)
    {
        var report = Harness.Run(Harness.Options(seeds, engine: "aot") with { Optimizations = levels });
        File.WriteAllText(Path.Combine(RepoPaths.Reports, $"debugtest-aot-{seeds.Count}.md"), report.ToText());
        Assert.False(report.HasDivergences, report.ToText());
    }
}
