using System.Text.RegularExpressions;

namespace Dwarfsmith.TestSupport;

/// <summary>
/// One of the project's C programs under corpus/, with what its header says about running it
/// (<c>@description</c>, <c>@exit</c>, <c>@args</c>, <c>@env</c>, <c>@workdir</c>) and its
/// <c>/* BREAK: name */</c> labels.
/// </summary>
public sealed partial class CorpusProgram
{
    private CorpusProgram(
        string name,
        string sourcePath,
        string description,
        int expectedExitCode,
        IReadOnlyList<string> args,
        IReadOnlyDictionary<string, string> environment,
        bool needsWorkingDirectory,
        IReadOnlyDictionary<string, int> breakpoints)
    {
        Name = name;
        SourcePath = sourcePath;
        Description = description;
        ExpectedExitCode = expectedExitCode;
        Args = args;
        Environment = environment;
        NeedsWorkingDirectory = needsWorkingDirectory;
        Breakpoints = breakpoints;
    }

    /// <summary>File name without .c, e.g. "structs".</summary>
    public string Name { get; }

    public string SourcePath { get; }

    public string Description { get; }

    /// <summary>The exit code the program must end with (<c>@exit</c>, default 0).</summary>
    public int ExpectedExitCode { get; }

    /// <summary>argv[1..] to run it with (<c>@args</c>, shell-like words; double quotes group).</summary>
    public IReadOnlyList<string> Args { get; }

    /// <summary>Environment variables to run it with (<c>@env: NAME=value</c>, one per line).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>True when it writes files in its current directory (<c>@workdir: true</c>): run it in a scratch directory.</summary>
    public bool NeedsWorkingDirectory { get; }

    /// <summary>Breakpoint labels → 1-based line numbers.</summary>
    public IReadOnlyDictionary<string, int> Breakpoints { get; }

    /// <summary>The 1-based line of a <c>/* BREAK: label */</c>; throws when the label is unknown.</summary>
    public int BreakLine(string label) =>
        Breakpoints.TryGetValue(label, out var line)
            ? line
            : throw new KeyNotFoundException($"{Name}.c has no /* BREAK: {label} */ (it has: {string.Join(", ", Breakpoints.Keys)}).");

    /// <summary>Compiles it (cached).</summary>
    public BuildOutput Build(CompileOptions options) => CCompiler.Compile(SourcePath, options);

    /// <summary>Compiles it for wasm32-wasi (cached).</summary>
    public BuildOutput BuildWasm(OptLevel opt = OptLevel.O0, int dwarfVersion = 4) => Build(CompileOptions.Wasm(opt, dwarfVersion));

    /// <summary>Runs a wasm build of it under node with its arguments and environment (in a scratch directory if it needs one).</summary>
    public ProcessResult RunWasm(string wasmPath)
    {
        var directory = NeedsWorkingDirectory ? RepoPaths.NewScratchDirectory(Name) : null;
        try
        {
            var options = directory is null ? new WasiOptions() : WasiOptions.InDirectory(directory);
            return NodeWasi.Run(wasmPath, options with { Args = Args, Environment = Environment, Argv0 = Name });
        }
        finally
        {
            DeleteScratch(directory);
        }
    }

    /// <summary>Runs a host build of it with its arguments and environment (in a scratch directory if it needs one).</summary>
    public ProcessResult RunHost(string executablePath)
    {
        var directory = NeedsWorkingDirectory ? RepoPaths.NewScratchDirectory(Name) : null;
        try
        {
            return ProcessRunner.Run(Path.GetFullPath(executablePath), Args, new ProcessOptions
            {
                WorkingDirectory = directory,
                Environment = Environment.ToDictionary(p => p.Key, p => (string?)p.Value),
                Timeout = TimeSpan.FromSeconds(60),
            });
        }
        finally
        {
            DeleteScratch(directory);
        }
    }

    public override string ToString() => Name;

    /// <summary>Reads a program's metadata and labels from its source file.</summary>
    public static CorpusProgram Load(string sourcePath)
    {
        var lines = File.ReadAllLines(sourcePath);
        var description = "";
        var exitCode = 0;
        var args = new List<string>();
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        var workdir = false;
        var breakpoints = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Length; i++)
        {
            var tag = TagPattern().Match(lines[i]);
            if (tag.Success)
            {
                var value = tag.Groups["value"].Value.Trim();
                switch (tag.Groups["tag"].Value)
                {
                    case "description":
                        description = value;
                        break;
                    case "exit":
                        exitCode = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
                        break;
                    case "args":
                        args.AddRange(SplitWords(value));
                        break;
                    case "env":
                        var eq = value.IndexOf('=', StringComparison.Ordinal);
                        if (eq <= 0)
                        {
                            throw new FormatException($"{sourcePath}:{i + 1}: @env needs NAME=value.");
                        }

                        environment[value[..eq]] = value[(eq + 1)..];
                        break;
                    case "workdir":
                        workdir = value == "true";
                        break;
                    default:
                        throw new FormatException($"{sourcePath}:{i + 1}: unknown tag @{tag.Groups["tag"].Value}.");
                }
            }

            foreach (Match label in BreakPattern().Matches(lines[i]))
            {
                if (!breakpoints.TryAdd(label.Groups[1].Value, i + 1))
                {
                    throw new FormatException($"{sourcePath}:{i + 1}: duplicate label BREAK: {label.Groups[1].Value}.");
                }
            }
        }

        var name = Path.GetFileNameWithoutExtension(sourcePath);
        return new CorpusProgram(name, Path.GetFullPath(sourcePath), description, exitCode, args, environment, workdir, breakpoints);
    }

    private static IEnumerable<string> SplitWords(string text)
    {
        foreach (Match word in WordPattern().Matches(text))
        {
            yield return word.Groups[1].Success ? word.Groups[1].Value : word.Value;
        }
    }

    private static void DeleteScratch(string? directory)
    {
        if (directory is not null && Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [GeneratedRegex(@"^\s*(?:/\*|\*|//)\s*@(?<tag>[a-z]+):(?<value>.*?)(?:\*/)?\s*$")]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"/\*\s*BREAK:\s*([A-Za-z0-9_.-]+)\s*\*/")]
    private static partial Regex BreakPattern();

    [GeneratedRegex("\"([^\"]*)\"|\\S+")]
    private static partial Regex WordPattern();
}
