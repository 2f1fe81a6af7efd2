using System.Globalization;
using System.Text.RegularExpressions;

namespace Dwarfsmith.DebugTest;

/// <summary>One C program under test: a Csmith seed or a given file.</summary>
/// <param name="Name">How reports name it: <c>seed1234</c> or the file's name.</param>
/// <param name="SourcePath">The C file (absolute).</param>
/// <param name="Seed">The Csmith seed, when generated.</param>
/// <param name="IncludeDirectories">Extra <c>-I</c> directories (Csmith's headers).</param>
public sealed partial record TestProgram(string Name, string SourcePath, long? Seed, IReadOnlyList<string> IncludeDirectories)
{
    private readonly Lazy<string[]> _lines = new(() => File.Exists(SourcePath) ? File.ReadAllLines(SourcePath) : []);

    /// <summary>The file name that the debuggers' line tables carry (both sides compile the same file).</summary>
    public string SourceFileName => Path.GetFileName(SourcePath);

    /// <summary>
    /// The line of <c>main</c>'s definition. Both sides break there by line rather than by name, so that the
    /// breakpoint does not depend on what the engine calls <c>main</c> (Wasmtime names it <c>__main_argc_argv</c>);
    /// the debugger moves it past the prologue, to the same first statement on both sides.
    /// </summary>
    public int EntryLine()
    {
        var lines = _lines.Value;
        for (var i = 0; i < lines.Length; i++)
        {
            if (MainDefinition().IsMatch(lines[i]) && !lines[i].TrimEnd().EndsWith(';'))
                return i + 1;
        }
        throw new DebugTestException($"{SourcePath}: no definition of main");
    }

    /// <summary>The source line (1-based) for reports, or an empty string.</summary>
    public string Line(int line) => line > 0 && line <= _lines.Value.Length ? _lines.Value[line - 1].Trim() : "";

    /// <summary>A given C file.</summary>
    public static TestProgram FromFile(string path) =>
        File.Exists(path)
            ? new TestProgram(Path.GetFileName(path), Path.GetFullPath(path), null, [Csmith.IncludeDirectory])
            : throw new FileNotFoundException($"{path}: no such file", path);

    public static string SeedName(long seed) => "seed" + seed.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^\s*(int\s+)?main\s*\(")]
    private static partial Regex MainDefinition();
}
