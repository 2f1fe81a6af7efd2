namespace Dwarfsmith.DebugTest;

/// <summary>How the side under test differs from the reference at a stop.</summary>
public enum DivergenceKind
{
    /// <summary>Function, file, line, column or frame depth differ, or one side has stopped no more.</summary>
    Location,

    /// <summary>The reference shows a variable that the side under test does not.</summary>
    MissingVariable,

    /// <summary>
    /// The reference shows a variable that the side under test does not, and the wasm module's DWARF has no
    /// variable of that name at all: the wasm producer's loss (its compiler's), which no engine can show.
    /// </summary>
    MissingInModule,

    /// <summary>The side under test shows a variable that the reference does not.</summary>
    ExtraVariable,

    /// <summary>Both show the variable with different values.</summary>
    Value,

    /// <summary>One side shows the value, the other says it is optimized out (or cannot read it).</summary>
    OptimizedOut,

    /// <summary>A debugger session timed out or failed, or the programs ended differently.</summary>
    TimeoutOrCrash,
}

/// <summary>The names that reports and JSON use for the kinds.</summary>
public static class DivergenceKinds
{
    public static string Name(DivergenceKind kind) => kind switch
    {
        DivergenceKind.Location => "location",
        DivergenceKind.MissingVariable => "missing-variable",
        DivergenceKind.MissingInModule => "missing-in-module",
        DivergenceKind.ExtraVariable => "extra-variable",
        DivergenceKind.Value => "value",
        DivergenceKind.OptimizedOut => "optimized-out",
        _ => "timeout-or-crash",
    };

    public static DivergenceKind Parse(string name) =>
        Enum.GetValues<DivergenceKind>().FirstOrDefault(k => Name(k) == name, DivergenceKind.TimeoutOrCrash);
}

/// <summary>
/// One place where the side under test differs: the first stop where it showed, how often it recurred at the
/// same place (kind, variable and reference location), both states and the source line.
/// </summary>
/// <param name="Variable">The variable (a global is prefixed with <c>::</c>), or null for location and session divergences.</param>
/// <param name="Reference">The reference side's state (a location or a variable's leaves).</param>
/// <param name="Test">The side under test's state.</param>
public sealed record Divergence(
    string Program, string Engine, string Debugger, int Optimization, DivergenceKind Kind, int Step, int Count,
    string? Variable, string Reference, string Test, int Line, string SourceLine)
{
    public string Group => $"{Engine} {Debugger} -O{Optimization}";
}
