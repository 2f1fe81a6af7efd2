namespace Dwarfsmith.Aot.SpecTests;

/// <summary>What happened to one command of a .wast file.</summary>
public enum SpecOutcome
{
    Passed,
    Failed,
    /// <summary>Not run: a text-form module (assert_malformed/assert_invalid of .wat text tests a text parser).</summary>
    Skipped,
}

/// <summary>The outcome of one command, with why it failed.</summary>
public sealed record SpecCommandResult(int Line, string Type, SpecOutcome Outcome, string? Reason);

/// <summary>The outcome of a .wast file: per command, or why it could not be converted.</summary>
public sealed record SpecFileResult(string Name, string? ConversionError, IReadOnlyList<SpecCommandResult> Commands)
{
    public int Passed => Commands.Count(c => c.Outcome == SpecOutcome.Passed);

    public int Failed => Commands.Count(c => c.Outcome == SpecOutcome.Failed);

    public int Skipped => Commands.Count(c => c.Outcome == SpecOutcome.Skipped);

    public bool Converted => ConversionError is null;
}
