namespace Dwarfsmith.DebugTest;

/// <summary>
/// Finds the .NET host that runs a module in Wasmtime (<c>dwarfsmith-wasmtime-host.dll</c>):
/// <c>DWARFSMITH_WASMTIME_HOST</c> when set, else built on first use from the repository's
/// <c>src/Dwarfsmith.DebugTest.WasmtimeHost</c> into <c>CACHE/wasmtime-host/HASH/</c> (keyed by its sources).
/// </summary>
public static class WasmtimeHost
{
    public const string EnvironmentVariable = "DWARFSMITH_WASMTIME_HOST";
    private const string ProjectName = "Dwarfsmith.DebugTest.WasmtimeHost";
    private const string AssemblyFile = "dwarfsmith-wasmtime-host.dll";
    private static readonly TimeSpan s_buildTimeout = TimeSpan.FromMinutes(10);
    private static readonly Lock s_lock = new();

    /// <summary>The dotnet executable (its real path: debuggers load it as the program).</summary>
    public static string Dotnet()
    {
        var dotnet = ToolRunner.Require("dotnet", "dotnet-sdk-10.0");
        return File.ResolveLinkTarget(dotnet, returnFinalTarget: true)?.FullName ?? dotnet;
    }

    public static string Locate(string cacheDirectory)
    {
        var given = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(given))
        {
            return File.Exists(given) ? Path.GetFullPath(given)
                : throw new DebugTestException($"{EnvironmentVariable}={given}: no such file");
        }
        var project = FindProject() ?? throw new DebugTestException(
            $"the Wasmtime host's project ({ProjectName}) was not found above {AppContext.BaseDirectory}; set {EnvironmentVariable}");
        var files = Directory.EnumerateFiles(project, "*.cs*", SearchOption.TopDirectoryOnly).Order(StringComparer.Ordinal).ToList();
        var key = CacheFiles.Hash(string.Join('\n', files.Select(f => Path.GetFileName(f) + " " + CacheFiles.HashFile(f))))[..16];
        var output = Path.Combine(cacheDirectory, "wasmtime-host", key);
        var dll = Path.Combine(output, AssemblyFile);
        lock (s_lock)
        {
            if (File.Exists(dll))
                return dll;
            var staged = output + $".tmp-{Environment.ProcessId}";
            var result = ToolRunner.Run(ToolRunner.Require("dotnet", "dotnet-sdk-10.0"),
                ["build", Path.Combine(project, ProjectName + ".csproj"), "-c", "Release", "-o", staged, "-nologo", "-v:quiet",
                 "--artifacts-path", staged + "-obj"],
                s_buildTimeout);
            if (!result.Succeeded)
                throw new DebugTestException($"building the Wasmtime host failed:\n{result.StandardOutput}{result.StandardError}");
            Directory.Delete(staged + "-obj", recursive: true);
            CacheFiles.Publish(staged, output);
            return dll;
        }
    }

    private static string? FindProject()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "src", ProjectName);
            if (Directory.Exists(candidate))
                return candidate;
        }
        return null;
    }
}
