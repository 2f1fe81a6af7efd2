using System.Text.Json;

namespace Dwarfsmith.TestSupport;

/// <summary>How to run a wasm32-wasi command module under node: arguments, environment, preopens.</summary>
public sealed record WasiOptions
{
    /// <summary>Default time limit of one run.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>argv[1..]; argv[0] is <see cref="Argv0"/>.</summary>
    public IReadOnlyList<string> Args { get; init; } = [];

    /// <summary>argv[0]; defaults to the module's file name.</summary>
    public string? Argv0 { get; init; }

    /// <summary>The guest's whole environment (WASI programs see nothing of the host's).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Preopened directories: guest path (e.g. ".") → host directory.</summary>
    public IReadOnlyDictionary<string, string> Preopens { get; init; } = new Dictionary<string, string>();

    /// <summary>node's working directory (null: the current one).</summary>
    public string? WorkingDirectory { get; init; }

    public string? StandardInput { get; init; }

    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>Runs in <paramref name="directory"/> with it preopened as "." (relative paths resolve there).</summary>
    public static WasiOptions InDirectory(string directory) => new()
    {
        WorkingDirectory = directory,
        Preopens = new Dictionary<string, string> { ["."] = directory },
    };
}

/// <summary>
/// Runs wasm32-wasi modules under node's WASI (node 20, <c>node:wasi</c>, version "preview1"), the project's
/// reference engine. The exit code is the guest's <c>proc_exit</c> code; a trap or instantiation failure
/// exits 1 with node's message on stderr.
/// </summary>
public static class NodeWasi
{
    private const string RunnerScript = """
        // Dwarfsmith's WASI runner: node runner.mjs '<json config>'
        import { WASI } from 'node:wasi';
        import { readFile } from 'node:fs/promises';
        const config = JSON.parse(process.argv[2]);
        const wasi = new WASI({
          version: 'preview1',
          args: config.args,
          env: config.env,
          preopens: config.preopens,
          returnOnExit: true,
        });
        const module = await WebAssembly.compile(await readFile(config.wasm));
        const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
        process.exitCode = wasi.start(instance);
        """;

    private static readonly Lazy<string> s_runnerPath = new(WriteRunner);

    /// <summary>The runner script (written once into .cache/node-wasi/).</summary>
    public static string RunnerPath => s_runnerPath.Value;

    public static ProcessResult Run(string wasmPath, WasiOptions? options = null) =>
        RunAsync(wasmPath, options).GetAwaiter().GetResult();

    public static Task<ProcessResult> RunAsync(string wasmPath, WasiOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new WasiOptions();
        return ProcessRunner.RunAsync(Toolchain.Node, CommandLine(wasmPath, options), new ProcessOptions
        {
            WorkingDirectory = options.WorkingDirectory,
            StandardInput = options.StandardInput,
            Timeout = options.Timeout,
        }, cancellationToken);
    }

    /// <summary>node's arguments that run <paramref name="wasmPath"/> (for callers that time node themselves).</summary>
    public static string[] CommandLine(string wasmPath, WasiOptions options)
    {
        ArgumentNullException.ThrowIfNull(wasmPath);
        var fullPath = Path.GetFullPath(wasmPath);
        if (!File.Exists(fullPath))
        {
            throw new FileNotFoundException($"No wasm module at {fullPath}.", fullPath);
        }

        var config = new Dictionary<string, object>
        {
            ["wasm"] = fullPath,
            ["args"] = new[] { options.Argv0 ?? Path.GetFileName(fullPath) }.Concat(options.Args).ToArray(),
            ["env"] = options.Environment,
            ["preopens"] = options.Preopens.ToDictionary(p => p.Key, p => Path.GetFullPath(p.Value)),
        };
        return ["--disable-warning=ExperimentalWarning", RunnerPath, JsonSerializer.Serialize(config)];
    }

    private static string WriteRunner()
    {
        var dir = RepoPaths.CacheDirectory("node-wasi");
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(RunnerScript)))[..16];
        var path = Path.Combine(dir, $"runner-{hash}.mjs");
        if (!File.Exists(path))
        {
            var temp = path + $".{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
            File.WriteAllText(temp, RunnerScript + "\n");
            File.Move(temp, path, overwrite: true);
        }

        return path;
    }
}
