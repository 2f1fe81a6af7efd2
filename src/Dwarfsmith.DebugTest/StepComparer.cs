namespace Dwarfsmith.DebugTest;

/// <summary>The comparison of one program's two transcripts: its metrics and its divergences.</summary>
public sealed record ProgramComparison(Metrics Metrics, IReadOnlyList<Divergence> Divergences);

/// <summary>
/// Compares the side under test with the reference stop by stop (the i-th recorded stop with the i-th; both
/// sessions step with the same commands): location, visible variables, values. Differences that are not
/// debug-information defects are excluded by the rules of <see cref="ExclusionRules"/>, which are counted.
/// </summary>
/// <param name="moduleVariables">For a wasm engine: the names of every variable and parameter in the module's DWARF,
/// by which a missing variable is told apart as <see cref="DivergenceKind.MissingInModule"/>.</param>
public sealed class StepComparer(TestProgram program, string engine, string debugger, int optimization,
    IReadOnlySet<string>? moduleVariables = null)
{
    private readonly Dictionary<(DivergenceKind, string?, string, int), int> _index = [];
    private readonly List<Divergence> _divergences = [];

    public ProgramComparison Compare(Transcript reference, Transcript test)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(test);
        var metrics = new Metrics { Programs = 1 };
        metrics.FailedSessions = (reference.Error is null ? 0 : 1) + (test.Error is null ? 0 : 1);
        var count = Math.Max(reference.Stops.Count, test.Stops.Count);
        metrics.Steps = count;
        for (var i = 0; i < count; i++)
        {
            var a = i < reference.Stops.Count ? reference.Stops[i] : null;
            var b = i < test.Stops.Count ? test.Stops[i] : null;
            if (a is null || b is null)
            {
                Ended(i, a, b, a is null ? reference : test);
                continue;
            }
            if (SameLocation(a, b))
                metrics.LocationMatches++;
            else
                Add(DivergenceKind.Location, i, null, a.Location, b.Location, a);
            CompareVariables(metrics, i, a, b, a.Variables, b.Variables, "");
            if (a.Globals is not null && b.Globals is not null)
                CompareVariables(metrics, i, a, b, a.Globals, b.Globals, "::");
        }
        if (reference.Error is null && test.Error is null && reference.EndReason == "exit" && test.EndReason == "exit"
            && reference.ExitCode != test.ExitCode)
        {
            Add(DivergenceKind.TimeoutOrCrash, count, null, $"exit {reference.ExitCode}", $"exit {test.ExitCode}", null);
        }
        SessionFailure(count, reference, "reference");
        SessionFailure(count, test, "test");
        metrics.DivergentPrograms = _divergences.Count > 0 ? 1 : 0;
        return new ProgramComparison(metrics, [.. _divergences]);
    }

    private static bool SameLocation(StopState a, StopState b) =>
        a.Function == b.Function && a.File == b.File && a.Line == b.Line && a.Column == b.Column && a.Depth == b.Depth;

    private void Ended(int step, StopState? a, StopState? b, Transcript ended)
    {
        var where = a ?? b!;
        var end = ended.Error is not null ? "session failed: " + ended.Error
            : ended.EndReason == "exit" ? $"program exited ({ended.ExitCode})" : "no stop";
        var kind = ended.Error is not null ? DivergenceKind.TimeoutOrCrash : DivergenceKind.Location;
        Add(kind, step, null, a?.Location ?? end, b?.Location ?? end, where, keyLine: -1);
    }

    private void SessionFailure(int step, Transcript transcript, string side)
    {
        if (transcript.Error is not null)
            Add(DivergenceKind.TimeoutOrCrash, step, null, side == "reference" ? transcript.Error : "", side == "test" ? transcript.Error : "", null, keyLine: -2);
    }

    private void CompareVariables(Metrics metrics, int step, StopState a, StopState b,
        IReadOnlyList<VariableState> reference, IReadOnlyList<VariableState> test, string prefix)
    {
        var testByName = new Dictionary<string, VariableState>(StringComparer.Ordinal);
        foreach (var variable in test)
            testByName.TryAdd(variable.Name, variable);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var left in reference)
        {
            if (!seen.Add(left.Name))
                continue;
            metrics.VariablePairs++;
            if (!testByName.TryGetValue(left.Name, out var right))
            {
                var missing = moduleVariables is not null && !moduleVariables.Contains(left.Name) ? DivergenceKind.MissingInModule : DivergenceKind.MissingVariable;
                Add(missing, step, prefix + left.Name, left.Text, "(not shown)", a, GlobalKey(prefix));
                continue;
            }
            metrics.VisibleOnBoth++;
            if (prefix.Length == 0 && ExclusionRules.ValueExcluded(a, left) | ExclusionRules.ValueExcluded(b, right))
            {
                metrics.ValuesExcluded++;
                continue;
            }
            var (leftLeaves, rightLeaves) = ExclusionRules.ComparedLeaves(left, right);
            metrics.ValuePairs++;
            if (leftLeaves.SequenceEqual(rightLeaves))
            {
                metrics.ValuesEqual++;
                continue;
            }
            var kind = left.IsOptimizedOut != right.IsOptimizedOut ? DivergenceKind.OptimizedOut : DivergenceKind.Value;
            Add(kind, step, prefix + left.Name, left.Text, right.Text, a, GlobalKey(prefix));
        }
        foreach (var right in test)
        {
            if (seen.Contains(right.Name) || !seen.Add("\0" + right.Name))
                continue;
            metrics.VariablePairs++;
            Add(DivergenceKind.ExtraVariable, step, prefix + right.Name, "(not shown)", right.Text, a, GlobalKey(prefix));
        }
    }

    /// <summary>A global's divergence is one place however many lines it shows at (the program's first line stands for them).</summary>
    private static int? GlobalKey(string prefix) => prefix.Length == 0 ? null : 0;

    /// <summary>Records a divergence, or counts it again when the same kind recurs at the same place.</summary>
    private void Add(DivergenceKind kind, int step, string? variable, string reference, string test, StopState? at, int? keyLine = null)
    {
        var function = keyLine == 0 ? "" : at?.Function ?? "";
        var line = at?.Line ?? 0;
        var key = (kind, variable, function, keyLine ?? line);
        if (_index.TryGetValue(key, out var existing))
        {
            _divergences[existing] = _divergences[existing] with { Count = _divergences[existing].Count + 1 };
            return;
        }
        _index[key] = _divergences.Count;
        _divergences.Add(new Divergence(program.Name, engine, debugger, optimization, kind, step, 1, variable,
            reference, test, line, program.Line(line)));
    }
}

/// <summary>
/// Differences that are not debug-information defects, excluded by rule (and counted as excluded), never by
/// loosening the comparison of what remains:
/// <list type="number">
/// <item>A local's value at a stop on or before its declaration's line: its declaration has not run yet, so it
/// holds whatever its stack slot held, which differs between a native stack and wasm's shadow stack in linear
/// memory. Its visibility is still compared. (After its declaration, a local that was declared without an
/// initializer and is read before its first assignment holds zero on both sides: both are built with
/// <c>-ftrivial-auto-var-init=zero</c>.)</item>
/// <item>What <c>main</c>'s <c>argv</c> points to: the program's name, which differs by construction (a path to
/// the executable against the module's name). Its null-ness is still compared.</item>
/// <item>What a pointer into a frame that has returned points to (the drivers mark a pointer below the innermost
/// frame's stack pointer, on the native stack, <c>&lt;dead frame&gt;</c>): whatever that stack held since, which
/// differs between a native stack and wasm's shadow stack. Its null-ness is still compared.</item>
/// </list>
/// </summary>
public static class ExclusionRules
{
    public static bool ValueExcluded(StopState stop, VariableState variable)
    {
        ArgumentNullException.ThrowIfNull(stop);
        ArgumentNullException.ThrowIfNull(variable);
        return variable.DeclarationLine > 0 && stop.Line <= variable.DeclarationLine && stop.Line > 0;
    }

    /// <summary>What a driver records instead of what a pointer into a returned frame points to.</summary>
    public const string DeadFrame = "<dead frame>";

    /// <summary>The leaves of a variable the two sides show that are compared: all but those the rules leave out.</summary>
    public static (List<KeyValuePair<string, string>> Reference, List<KeyValuePair<string, string>> Test) ComparedLeaves(
        VariableState reference, VariableState test)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(test);
        var dead = reference.Leaves.Concat(test.Leaves).Where(l => l.Value == DeadFrame).Select(l => l.Key).ToList();
        bool Compared(KeyValuePair<string, string> leaf) =>
            !(reference.Name == "argv" && leaf.Key.StartsWith('*')) && !dead.Exists(target => Targets(leaf.Key, target));
        return ([.. reference.Leaves.Where(Compared)], [.. test.Leaves.Where(Compared)]);
    }

    /// <summary>
    /// Whether a leaf's path reads through <paramref name="target"/> (a <c>*</c> and a pointer's path): the target
    /// itself, a member or element of it, or a pointer dereferenced there (<c>*p</c>, <c>*p.x</c>, <c>**p</c>).
    /// </summary>
    private static bool Targets(string path, string target)
    {
        for (var at = path; ; at = at[1..])
        {
            if (at.StartsWith(target, StringComparison.Ordinal) && (at.Length == target.Length || at[target.Length] is '.' or '['))
                return true;
            if (!at.StartsWith('*'))
                return false;
        }
    }
}
