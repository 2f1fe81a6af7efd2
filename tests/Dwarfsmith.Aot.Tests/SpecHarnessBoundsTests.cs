using Dwarfsmith.Aot.SpecTests;
using Dwarfsmith.TestSupport;
using Xunit;

namespace Dwarfsmith.Aot.Tests;

/// <summary>
/// Out-of-bounds traps in the spec-test harness, through guard pages (the harness catches each fault
/// and goes on) and through explicit checks: Programs/guard_pages.wast, and the suite's memory files
/// with explicit checks, so that the mode kept for debugging stays correct too (the whole suite runs
/// with guard pages in <see cref="SpecSuiteAotTests"/>).
/// </summary>
public sealed class SpecHarnessBoundsTests
{
    private static readonly string GuardPagesScript = Path.Combine(RepoPaths.Root, "tests", "Dwarfsmith.Aot.Tests", "Programs", "guard_pages.wast");

    public static TheoryData<int, BoundsChecks> Modes => new()
    {
        { 0, BoundsChecks.GuardPages },
        { 2, BoundsChecks.GuardPages },
        { 0, BoundsChecks.Explicit },
        { 2, BoundsChecks.Explicit },
    };

    [Theory]
    [MemberData(nameof(Modes))]
    public void Out_of_bounds_accesses_trap_and_the_harness_goes_on(int level, BoundsChecks checks) =>
        AssertAllPass(GuardPagesScript, level, checks);

    public static TheoryData<string> MemoryFiles => new()
    {
        "address", "memory_trap", "memory_grow", "memory_fill", "memory_copy", "memory_init", "bulk", "simd_address", "float_memory",
    };

    [Theory]
    [MemberData(nameof(MemoryFiles))]
    public void Memory_scripts_pass_with_explicit_checks(string file) =>
        AssertAllPass(Path.Combine(RepoPaths.Shared, "wasm-testsuite", file + ".wast"), 0, BoundsChecks.Explicit);

    private static void AssertAllPass(string script, int level, BoundsChecks checks)
    {
        var options = new SpecRunOptions { CacheDirectory = RepoPaths.CacheDirectory("spectest"), OptimizationLevel = level, BoundsChecks = checks };
        var result = SpecTestRunner.RunFile(script, options);
        Assert.True(result.Converted, $"{script}: {result.ConversionError}");
        Assert.True(result.Failed == 0, $"{Path.GetFileName(script)} -O{level} {checks}: {result.Failed} of {result.Commands.Count} failed:\n{string.Join('\n', SpecReport.Failures(result, 20))}");
        Assert.True(result.Passed > 0, "no command passed");
    }
}
