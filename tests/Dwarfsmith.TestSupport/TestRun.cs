namespace Dwarfsmith.TestSupport;

/// <summary>How this test run was asked for.</summary>
public static class TestRun
{
    /// <summary>
    /// <c>DWARFSMITH_LONG_TESTS=1</c>: the long set runs too (test.sh then drops its
    /// <c>Category!=Long</c> filter), and data-driven theories take their whole matrix.
    /// </summary>
    public static bool Long { get; } = Environment.GetEnvironmentVariable("DWARFSMITH_LONG_TESTS") == "1";
}
