using System.Diagnostics.CodeAnalysis;
using Dwarfsmith.Wasm;
using Dwarfsmith.Wasm.Validation;

namespace Dwarfsmith.Aot.SpecTests;

/// <summary>
/// Plans the harness program of one .wast file: walks its commands in order, decides those that
/// need no execution (malformed/invalid modules through the reader and validator, unlinkable
/// modules through <see cref="SpecLinker"/>), translates every module that is instantiated into C
/// with its own <see cref="ModuleLinkage"/>, and gives the rest to the driver.
/// </summary>
internal sealed class SpecHarness
{
    private readonly string _directory;
    private readonly SpecLinker _linker = new();
    private readonly Dictionary<string, SpecInstance?> _named = new(StringComparer.Ordinal);
    private SpecInstance? _current;
    private string? _currentFailure = "no module yet";

    private SpecHarness(string directory) => _directory = directory;

    /// <summary>Per command: its result when decided without running, else null.</summary>
    public List<SpecCommandResult?> Decided { get; } = [];

    /// <summary>The command index of each driver command.</summary>
    public List<int> DriverCommands { get; } = [];

    /// <summary>The C translation of each instantiated module: file name and source.</summary>
    public List<(string FileName, string Source)> Modules { get; } = [];

    public SpecDriverWriter Driver { get; } = new();

    public static SpecHarness Plan(IReadOnlyList<SpecCommand> commands, string directory)
    {
        var harness = new SpecHarness(directory);
        foreach (var command in commands)
            harness.Add(command);
        return harness;
    }

    private void Add(SpecCommand command)
    {
        var index = Decided.Count;
        Decided.Add(null);
        string? failure;
        switch (command.Type)
        {
            case "module":
                failure = Instantiate(command, index, expectedTrap: null);
                break;
            case "assert_uninstantiable":
                failure = Instantiate(command, index, command.Text ?? "");
                break;
            case "assert_unlinkable":
                failure = CheckUnlinkable(command, index);
                break;
            case "assert_malformed" or "assert_invalid":
                if (command.IsTextModule)
                {
                    Decided[index] = new SpecCommandResult(command.Line, command.Type, SpecOutcome.Skipped, "text-form module (tests a text parser)");
                    return;
                }
                failure = Read(command, out _) is not null ? $"accepted, expected {command.Type["assert_".Length..]} ({command.Text})" : null;
                break;
            case "register":
                failure = Register(command);
                break;
            case "assert_return" or "action" or "assert_trap" or "assert_exhaustion":
                failure = AddAction(command, index);
                break;
            default:
                failure = $"unknown command {command.Type}";
                break;
        }
        // A command given to the driver is decided when the program runs.
        var runs = DriverCommands.Count > 0 && DriverCommands[^1] == index;
        if (failure is not null)
            Decided[index] = new SpecCommandResult(command.Line, command.Type, SpecOutcome.Failed, failure);
        else if (!runs)
            Decided[index] = new SpecCommandResult(command.Line, command.Type, SpecOutcome.Passed, null);
    }

    /// <summary>Reads and validates a module file; null when rejected (with the reason in <paramref name="error"/>).</summary>
    private WasmModule? Read(SpecCommand command, out string? error)
    {
        try
        {
            var module = WasmModule.Read(File.ReadAllBytes(Path.Combine(_directory, command.FileName!)), WasmFeatures.Wasm2);
            ModuleValidator.Validate(module);
            error = null;
            return module;
        }
        catch (WasmFormatException ex)
        {
            error = ex.Message;
            return null;
        }
    }

    private string? Instantiate(SpecCommand command, int index, string? expectedTrap)
    {
        var failure = Translate(command, out var instance, out var sizeChecks);
        if (expectedTrap is null)
        {
            // A module that cannot run makes the actions on it fail, with its reason.
            _current = instance;
            _currentFailure = failure is null ? null : $"module at line {command.Line} failed: {failure}";
            if (command.Name is { } name)
                _named[name] = instance;
        }
        if (failure is not null)
            return failure;
        Driver.AddInstantiation(command.Line, instance!.Prefix, sizeChecks!, expectedTrap);
        DriverCommands.Add(index);
        return null;
    }

    private string? Translate(SpecCommand command, out SpecInstance? instance, out List<SpecSizeCheck>? sizeChecks)
    {
        instance = null;
        sizeChecks = null;
        var module = Read(command, out var error);
        if (module is null)
            return $"module rejected: {error}";
        var prefix = $"m{Modules.Count}_";
        if (!_linker.TryLink(module, prefix, out var linkage, out var linked, out sizeChecks, out var linkError))
            return linkError;
        try
        {
            var translation = CTranslator.Translate(module, command.FileName!, linkage);
            Modules.Add(($"m{Modules.Count}.c", translation.Source));
        }
        catch (AotException ex)
        {
            return $"cannot translate: {ex.Message}";
        }
        instance = linked;
        return null;
    }

    private string? CheckUnlinkable(SpecCommand command, int index)
    {
        var module = Read(command, out var error);
        if (module is null)
            return $"module rejected: {error}";
        if (_linker.TryLink(module, "unlinkable_", out _, out _, out var sizeChecks, out var linkError))
        {
            if (sizeChecks.Count == 0)
                return $"linked, expected \"{command.Text}\"";
            // Only the sizes at this point of the script can decide.
            Driver.AddSizeMismatchExpectation(command.Line, sizeChecks, command.Text ?? "");
            DriverCommands.Add(index);
            return null;
        }
        return linkError.StartsWith(command.Text ?? "", StringComparison.Ordinal) ? null : $"{linkError}, expected \"{command.Text}\"";
    }

    private string? Register(SpecCommand command)
    {
        if (!TryFindInstance(command.Name, out var instance, out var failure))
            return failure;
        _linker.Register(command.As!, instance);
        return null;
    }

    private string? AddAction(SpecCommand command, int index)
    {
        var action = command.Action!;
        if (!TryFindInstance(action.Module, out var instance, out var failure))
            return failure;
        if (!instance.Exports.TryGetValue(action.Field, out var target))
            return $"no export \"{action.Field}\"";
        var expectedTrap = command.Type switch
        {
            "assert_trap" => command.Text,
            "assert_exhaustion" => command.Text,
            _ => null,
        };
        var expected = command.Type == "assert_return" ? command.Expected : null;
        if (!Driver.TryAddAction(command.Line, target, action, expected, expectedTrap, out var error))
            return error;
        DriverCommands.Add(index);
        return null;
    }

    private bool TryFindInstance(string? name, [NotNullWhen(true)] out SpecInstance? instance, [NotNullWhen(false)] out string? failure)
    {
        if (name is null)
        {
            instance = _current;
            failure = instance is null ? _currentFailure ?? "no module" : null;
            return instance is not null;
        }
        if (!_named.TryGetValue(name, out instance) || instance is null)
        {
            failure = $"module {name} is not available";
            return false;
        }
        failure = null;
        return true;
    }
}
