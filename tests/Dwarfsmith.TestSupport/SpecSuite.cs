using Xunit;
namespace Dwarfsmith.TestSupport;

/// <summary>The WebAssembly 2.0 core spec tests in <c>../shared/wasm-testsuite</c>, as wast2json sees them.</summary>
public static class SpecSuite
{
    /// <summary>The number of .wast scripts in the suite.</summary>
    public const int ScriptCount = 147;

    /// <summary>
    /// The scripts that Debian 12's wast2json (wabt 1.0.32) cannot convert: it rejects syntax newer
    /// than it (<c>if</c>'s and <c>comments</c>' text forms, the table instructions' abbreviations) or aborts.
    /// Tests skip these, naming the reason; any other script that fails to convert fails its test,
    /// so that a broken converter cannot make the suite pass.
    /// </summary>
    public static readonly IReadOnlySet<string> NotConvertedByWast2Json = new HashSet<string>(StringComparer.Ordinal)
    {
        "comments", "if", "table_fill", "table_get", "table_grow", "table_set", "table_size",
    };

    public static string Directory => Path.Combine(RepoPaths.Shared, "wasm-testsuite");

    /// <summary>The scripts' names (without .wast), in order.</summary>
    public static IEnumerable<string> ScriptNames() =>
        System.IO.Directory.EnumerateFiles(Directory, "*.wast").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)!;

    /// <summary>
    /// For a script wast2json could not convert: fails when it is not one of the known ones, and
    /// otherwise skips the calling test with the converter's message.
    /// </summary>
    public static void SkipUnconverted(string script, string conversionError)
    {
        var firstLine = conversionError.Split('\n', 2)[0];
        if (!NotConvertedByWast2Json.Contains(script))
        {
            throw new Xunit.Sdk.XunitException($"{script}.wast: wast2json failed, which it does not for this script with wabt 1.0.32: {firstLine}");
        }

        throw new SkipException($"wast2json (wabt 1.0.32) cannot convert the script: {script}.wast: {firstLine}");
    }
}
