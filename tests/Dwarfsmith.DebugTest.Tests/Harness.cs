using Dwarfsmith.TestSupport;

namespace Dwarfsmith.DebugTest.Tests;

/// <summary>Runs the harness on fixed seeds with the repository's cache.</summary>
internal static class Harness
{
    /// <summary>Fixed seeds of the default run: small enough for seconds, varied enough to step through calls, loops and pointers.</summary>
    public static readonly IReadOnlyList<long> DefaultSeeds = [1, 2, 3];

    public static string CacheDirectory => RepoPaths.CacheDirectory("debugtest");

    public static DebugTestOptions Options(IReadOnlyList<long> seeds, string engine = "native", SourceDamage damage = SourceDamage.None) => new()
    {
        Seeds = seeds,
        Engine = engine,
        Damage = damage,
        Jobs = 2,
        CacheDirectory = CacheDirectory,
    };

    public static DebugTestReport Run(DebugTestOptions options) => DebugTestRunner.Run(options);
}
