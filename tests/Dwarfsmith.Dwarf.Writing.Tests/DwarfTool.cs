using Dwarfsmith.TestSupport;
using Xunit;
using Dwarfsmith.Wasm.Writing;

namespace Dwarfsmith.Dwarf.Writing.Tests;

/// <summary>Wraps emitted sections into a wasm module and runs llvm-dwarfdump on it.</summary>
internal static class DwarfTool
{
    private static readonly Lazy<string> s_directory = new(() => RepoPaths.NewScratchDirectory("dwarf-writing"));

    /// <summary>Writes a minimal wasm module (address size 4) holding the sections; returns its path.</summary>
    public static string WriteModule(IReadOnlyDictionary<string, ReadOnlyMemory<byte>> sections, string name)
    {
        var builder = new ModuleBuilder();
        foreach (var (sectionName, bytes) in sections.OrderBy(s => s.Key, StringComparer.Ordinal))
            builder.Add(SectionEntry.Custom(sectionName, bytes));
        string path = Path.Combine(s_directory.Value, name + ".wasm");
        File.WriteAllBytes(path, builder.ToArray());
        return path;
    }

    public static string Dump(string path, params string[] options)
    {
        var result = ProcessRunner.Run(Toolchain.LlvmDwarfdump, [.. options, path]);
        Assert.True(result.Succeeded, result.Describe());
        return result.StandardOutput;
    }

    /// <summary>Runs --verify and fails the test with its output unless it reports no errors.</summary>
    public static void Verify(string path)
    {
        var result = ProcessRunner.Run(Toolchain.LlvmDwarfdump, ["--verify", path]);
        string output = result.StandardOutput + result.StandardError;
        Assert.True(result.ExitCode == 0 && output.Contains("No errors.", StringComparison.Ordinal) && !output.Contains("error:", StringComparison.Ordinal),
            $"llvm-dwarfdump --verify {path}:\n{output}");
    }

    /// <summary>The CPU time (user + system) of llvm-dwarfdump --verify on a file, measured by the shell.</summary>
    public static TimeSpan VerifyCpuTime(string path)
    {
        var result = ProcessRunner.Run("/bin/bash", ["-c", $"\"{Toolchain.LlvmDwarfdump}\" --verify \"{path}\" >/dev/null 2>&1; times"]);
        string children = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
        return children.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(ParseTimes).Aggregate(TimeSpan.Zero, (a, b) => a + b);
    }

    private static TimeSpan ParseTimes(string text)
    {
        // "0m0.210s"
        int m = text.IndexOf('m', StringComparison.Ordinal);
        return TimeSpan.FromMinutes(int.Parse(text[..m], System.Globalization.CultureInfo.InvariantCulture))
            + TimeSpan.FromSeconds(double.Parse(text[(m + 1)..^1], System.Globalization.CultureInfo.InvariantCulture));
    }

    public static string EmitAndWrap(DwarfOutput output, string name, out IReadOnlyDictionary<string, byte[]> sections)
    {
        var emitted = output.Emit();
        sections = emitted.ToDictionary(s => s.Key, s => s.Value.ToArray());
        return WriteModule(emitted, name);
    }
}
