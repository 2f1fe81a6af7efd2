using System.Diagnostics;
using System.Text.Json;

namespace Dwarfsmith.Wasm.Tests.Instructions;

internal static class ToolRunner
{
    public const string Clang = "/usr/lib/llvm-22/bin/clang";

    public static (int ExitCode, string Stdout, string Stderr) Run(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {file}");
        // A dedicated thread: blocking on a thread-pool task here starves the pool when tests run in parallel.
        var stderr = "";
        var stderrThread = new Thread(() => stderr = process.StandardError.ReadToEnd());
        stderrThread.Start();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        stderrThread.Join();
        return (process.ExitCode, stdout, stderr);
    }

    public static string TempDirectory(string name)
    {
        var path = Path.Combine(Path.GetTempPath(), "dwarfsmith-tests", name);
        Directory.CreateDirectory(path);
        return path;
    }
}

/// <summary>One module of a spec test script, converted to binary by wast2json.</summary>
internal sealed record SpecModule(string Script, int Line, string Kind, string Path, string? ExpectedText);

/// <summary>The spec test suite converted once per test run with wast2json.</summary>
internal static class SpecSuite
{
    public const string Directory_ = "/work/shared/wasm-testsuite";

    private static readonly Lazy<(List<SpecModule> Modules, List<string> Unconvertible)> s_modules = new(Convert);

    public static IReadOnlyList<SpecModule> Modules => s_modules.Value.Modules;

    /// <summary>Scripts wast2json (wabt) cannot parse.</summary>
    public static IReadOnlyList<string> Unconvertible => s_modules.Value.Unconvertible;

    private static (List<SpecModule>, List<string>) Convert()
    {
        var output = ToolRunner.TempDirectory($"spec-{Environment.ProcessId}");
        var modules = new List<SpecModule>();
        var failed = new List<string>();
        var scripts = Directory.GetFiles(Directory_, "*.wast").OrderBy(p => p, StringComparer.Ordinal).ToArray();
        var results = new List<SpecModule>[scripts.Length];
        for (var i = 0; i < scripts.Length; i++)
        {
            var name = Path.GetFileNameWithoutExtension(scripts[i]);
            var json = Path.Combine(output, name + ".json");
            var (exit, _, _) = ToolRunner.Run("wast2json", "--enable-all", scripts[i], "-o", json);
            if (exit != 0)
            {
                (exit, _, _) = ToolRunner.Run("wast2json", scripts[i], "-o", json);
            }
            var list = new List<SpecModule>();
            results[i] = list;
            if (exit != 0)
            {
                failed.Add(name);
                continue;
            }
            using var document = JsonDocument.Parse(File.ReadAllBytes(json));
            foreach (var command in document.RootElement.GetProperty("commands").EnumerateArray())
            {
                var type = command.GetProperty("type").GetString()!;
                if (!command.TryGetProperty("filename", out var file))
                    continue;
                if (command.TryGetProperty("module_type", out var moduleType) && moduleType.GetString() != "binary")
                    continue;
                var text = command.TryGetProperty("text", out var t) ? t.GetString() : null;
                list.Add(new SpecModule(name, command.GetProperty("line").GetInt32(), type, Path.Combine(output, file.GetString()!), text));
            }
        }
        foreach (var list in results)
            modules.AddRange(list);
        failed.Sort(StringComparer.Ordinal);
        return (modules, failed);
    }
}
