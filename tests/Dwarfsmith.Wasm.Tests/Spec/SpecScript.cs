using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dwarfsmith.TestSupport;

namespace Dwarfsmith.Wasm.Tests.Spec;

/// <summary>What a spec-test command expects of a binary module.</summary>
public enum SpecExpectation
{
    /// <summary>A module that must decode and validate (module, assert_unlinkable, assert_uninstantiable…).</summary>
    Valid,
    Malformed,
    Invalid,
}

public sealed record SpecModule(string Script, string File, int Line, SpecExpectation Expectation, string ExpectedText)
{
    /// <summary>Script and line, e.g. "binary.wast:796".</summary>
    public string Where => $"{Script}.wast:{Line}";
}

/// <summary>
/// A .wast file of the spec test suite converted by wabt's wast2json (cached under .cache/spec,
/// keyed by the file's contents and the wast2json version), reduced to its binary modules.
/// </summary>
public sealed class SpecScript
{
    private SpecScript(string name, string? conversionError, IReadOnlyList<SpecModule> modules, int textModules, string directory)
    {
        Name = name;
        ConversionError = conversionError;
        Modules = modules;
        TextModules = textModules;
        Directory = directory;
    }

    public string Name { get; }

    /// <summary>Why wast2json could not convert the file, or null.</summary>
    public string? ConversionError { get; }

    public IReadOnlyList<SpecModule> Modules { get; }

    /// <summary>Text-form assert_malformed modules, which test the text parser and are not run here.</summary>
    public int TextModules { get; }

    public string Directory { get; }

    public static string SuiteDirectory => TestSupport.SpecSuite.Directory;

    public static IEnumerable<string> Files() => TestSupport.SpecSuite.ScriptNames();

    /// <summary>Every binary module of every script wast2json converts.</summary>
    public static IReadOnlyList<SpecModule> AllModules => s_allModules.Value;

    private static readonly Lazy<IReadOnlyList<SpecModule>> s_allModules =
        new(() => Files().SelectMany(name => Load(name).Modules).ToList());

    public static SpecScript Load(string name)
    {
        var wast = Path.Combine(SuiteDirectory, name + ".wast");
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Convert.ToBase64String(File.ReadAllBytes(wast)) + "|wabt-1.0.32")))[..16];
        var directory = Path.Combine(RepoPaths.Cache, "spec", $"{name}-{key}");
        var json = Path.Combine(directory, name + ".json");
        var failure = Path.Combine(directory, "wast2json.error");
        if (!File.Exists(json) && !File.Exists(failure))
            ConvertWast(wast, directory, json, failure);
        if (File.Exists(failure))
            return new SpecScript(name, File.ReadAllText(failure), [], 0, directory);
        return Parse(name, json, directory);
    }

    private static void ConvertWast(string wast, string directory, string json, string failure)
    {
        var staging = directory + ".tmp-" + Environment.ProcessId + "-" + Environment.CurrentManagedThreadId;
        System.IO.Directory.CreateDirectory(staging);
        var result = ProcessRunner.Run(Toolchain.Wast2Json, [wast, "-o", Path.Combine(staging, Path.GetFileName(json))]);
        if (!result.Succeeded)
            File.WriteAllText(Path.Combine(staging, Path.GetFileName(failure)), result.StandardError.Trim());
        try
        {
            System.IO.Directory.Move(staging, directory);
        }
        catch (IOException) when (System.IO.Directory.Exists(directory))
        {
            System.IO.Directory.Delete(staging, recursive: true);
        }
    }

    private static SpecScript Parse(string name, string json, string directory)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(json));
        var modules = new List<SpecModule>();
        var textModules = 0;
        foreach (var command in document.RootElement.GetProperty("commands").EnumerateArray())
        {
            var type = command.GetProperty("type").GetString();
            if (!command.TryGetProperty("filename", out var fileProperty))
                continue;
            var file = Path.Combine(directory, fileProperty.GetString()!);
            var line = command.GetProperty("line").GetInt32();
            var text = command.TryGetProperty("text", out var t) ? t.GetString() ?? "" : "";
            var isBinary = !command.TryGetProperty("module_type", out var moduleType) || moduleType.GetString() == "binary";
            switch (type)
            {
                case "module" or "assert_unlinkable" or "assert_uninstantiable":
                    modules.Add(new SpecModule(name, file, line, SpecExpectation.Valid, text));
                    break;
                case "assert_malformed" when isBinary:
                    modules.Add(new SpecModule(name, file, line, SpecExpectation.Malformed, text));
                    break;
                case "assert_invalid" when isBinary:
                    modules.Add(new SpecModule(name, file, line, SpecExpectation.Invalid, text));
                    break;
                case "assert_malformed" or "assert_invalid":
                    textModules++;
                    break;
            }
        }
        return new SpecScript(name, null, modules, textModules, directory);
    }
}
