using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Dwarfsmith.DebugTest;

/// <summary>
/// A run's results: metrics per engine × debugger × level and in total, and every divergence. Its JSON keeps
/// the counts beside the fractions, so that the reports of shards merge into the report of the whole range.
/// </summary>
public sealed class DebugTestReport
{
    private readonly SortedDictionary<GroupKey, Metrics> _groups = new(Comparer<GroupKey>.Create(
        (a, b) => (a.Engine, a.Debugger, a.Optimization).CompareTo((b.Engine, b.Debugger, b.Optimization))));
    private readonly List<Divergence> _divergences = [];

    /// <summary>32 when the host side was built with <c>-m32</c>, 64 when the machine cannot run i386 programs.</summary>
    public int HostBits { get; set; }

    public Timings Timings { get; } = new();

    public IReadOnlyDictionary<GroupKey, Metrics> Groups => _groups;

    /// <summary>Divergences in a fixed order: by program, group, step, kind, variable.</summary>
    public IReadOnlyList<Divergence> Divergences => [.. _divergences
        .OrderBy(d => d.Program, StringComparer.Ordinal).ThenBy(d => d.Engine, StringComparer.Ordinal)
        .ThenBy(d => d.Debugger, StringComparer.Ordinal).ThenBy(d => d.Optimization).ThenBy(d => d.Step)
        .ThenBy(d => d.Kind).ThenBy(d => d.Variable, StringComparer.Ordinal)];

    /// <summary>All groups together. Programs counts distinct programs only within one group; in total it is the largest group's count.</summary>
    public Metrics Total
    {
        get
        {
            var total = new Metrics();
            foreach (var metrics in _groups.Values)
                total.Add(metrics);
            total.Programs = _groups.Count == 0 ? 0 : _groups.Values.Max(m => m.Programs);
            total.DivergentPrograms = _divergences.Select(d => d.Program).Distinct(StringComparer.Ordinal).Count();
            return total;
        }
    }

    public bool HasDivergences => _divergences.Count > 0;

    public void Add(GroupKey group, ProgramComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        if (!_groups.TryGetValue(group, out var metrics))
            _groups[group] = metrics = new Metrics();
        metrics.Add(comparison.Metrics);
        _divergences.AddRange(comparison.Divergences);
    }

    /// <summary>The reports of several shards (their JSON) as one.</summary>
    public static DebugTestReport Merge(IEnumerable<string> jsonReports)
    {
        ArgumentNullException.ThrowIfNull(jsonReports);
        var merged = new DebugTestReport();
        foreach (var json in jsonReports)
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            merged.HostBits = root.GetProperty("host_bits").GetInt32();
            foreach (var group in root.GetProperty("groups").EnumerateArray())
            {
                var key = new GroupKey(group.GetProperty("engine").GetString()!, group.GetProperty("debugger").GetString()!, group.GetProperty("opt").GetInt32());
                var counts = group.GetProperty("counts");
                var metrics = new Metrics
                {
                    Programs = counts.GetProperty("programs").GetInt32(),
                    DivergentPrograms = counts.GetProperty("divergent_programs").GetInt32(),
                    Steps = counts.GetProperty("steps").GetInt64(),
                    LocationMatches = counts.GetProperty("location_matches").GetInt64(),
                    VariablePairs = counts.GetProperty("variable_pairs").GetInt64(),
                    VisibleOnBoth = counts.GetProperty("visible_on_both").GetInt64(),
                    ValuePairs = counts.GetProperty("value_pairs").GetInt64(),
                    ValuesEqual = counts.GetProperty("values_equal").GetInt64(),
                    ValuesExcluded = counts.GetProperty("values_excluded").GetInt64(),
                    FailedSessions = counts.GetProperty("failed_sessions").GetInt32(),
                };
                merged.Add(key, new ProgramComparison(metrics, []));
            }
            foreach (var d in root.GetProperty("divergences").EnumerateArray())
            {
                merged._divergences.Add(new Divergence(
                    d.GetProperty("program").GetString()!, d.GetProperty("engine").GetString()!, d.GetProperty("debugger").GetString()!,
                    d.GetProperty("opt").GetInt32(), DivergenceKinds.Parse(d.GetProperty("kind").GetString()!), d.GetProperty("step").GetInt32(),
                    d.GetProperty("count").GetInt32(), d.GetProperty("variable").GetString(), d.GetProperty("reference").GetString()!,
                    d.GetProperty("test").GetString()!, d.GetProperty("line").GetInt32(), d.GetProperty("source").GetString()!));
            }
        }
        return merged;
    }

    /// <summary>
    /// One JSON object: <c>programs</c>, <c>steps</c>, <c>location_match</c>, <c>variables_visible</c>,
    /// <c>values_equal</c> (fractions 0–1), <c>divergences</c>, and <c>groups</c> with the same per engine ×
    /// debugger × level and their counts. Timings are left out: they differ from run to run, the rest does not.
    /// </summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            WriteMetrics(json, Total);
            json.WriteNumber("host_bits", HostBits);
            json.WriteStartArray("groups");
            foreach (var (key, metrics) in _groups)
            {
                json.WriteStartObject();
                json.WriteString("engine", key.Engine);
                json.WriteString("debugger", key.Debugger);
                json.WriteNumber("opt", key.Optimization);
                WriteMetrics(json, metrics);
                json.WriteStartObject("counts");
                json.WriteNumber("programs", metrics.Programs);
                json.WriteNumber("divergent_programs", metrics.DivergentPrograms);
                json.WriteNumber("steps", metrics.Steps);
                json.WriteNumber("location_matches", metrics.LocationMatches);
                json.WriteNumber("variable_pairs", metrics.VariablePairs);
                json.WriteNumber("visible_on_both", metrics.VisibleOnBoth);
                json.WriteNumber("value_pairs", metrics.ValuePairs);
                json.WriteNumber("values_equal", metrics.ValuesEqual);
                json.WriteNumber("values_excluded", metrics.ValuesExcluded);
                json.WriteNumber("failed_sessions", metrics.FailedSessions);
                json.WriteEndObject();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("divergences");
            foreach (var d in Divergences)
            {
                json.WriteStartObject();
                json.WriteString("program", d.Program);
                json.WriteString("engine", d.Engine);
                json.WriteString("debugger", d.Debugger);
                json.WriteNumber("opt", d.Optimization);
                json.WriteString("kind", DivergenceKinds.Name(d.Kind));
                json.WriteNumber("step", d.Step);
                json.WriteNumber("count", d.Count);
                json.WriteString("variable", d.Variable);
                json.WriteString("reference", d.Reference);
                json.WriteString("test", d.Test);
                json.WriteNumber("line", d.Line);
                json.WriteString("source", d.SourceLine);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>A table of the metrics per group, then the divergences (at most <paramref name="divergenceLimit"/> per program and group).</summary>
    public string ToText(int divergenceLimit = 10)
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"host side: {(HostBits == 32 ? "i386 (-m32)" : "x86-64 (no i386 build: the machine cannot run one, or DWARFSMITH_DEBUGTEST_HOST=x86-64)")}");
        text.AppendLine("| engine | debugger | level | programs | steps | same location | variables visible on both | values equal | divergent programs | failed sessions |");
        text.AppendLine("|---|---|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (key, m) in _groups)
        {
            text.AppendLine(c, $"| {key.Engine} | {key.Debugger} | -O{key.Optimization} | {m.Programs} | {m.Steps} | {Percent(m.LocationMatch)} | {Percent(m.VariablesVisible)} | {Percent(m.ValuesEqualFraction)} | {m.DivergentPrograms} | {m.FailedSessions} |");
        }
        foreach (var program in Divergences.GroupBy(d => (d.Program, d.Group)))
        {
            var list = program.ToList();
            text.AppendLine();
            text.AppendLine(c, $"{program.Key.Program} ({program.Key.Group}): {list.Count} divergent places");
            foreach (var d in list.Take(divergenceLimit))
            {
                var variable = d.Variable is null ? "" : " " + d.Variable;
                var times = d.Count > 1 ? $" (x{d.Count})" : "";
                text.AppendLine(c, $"  step {d.Step}: {DivergenceKinds.Name(d.Kind)}{variable}{times} at line {d.Line}: {d.SourceLine}");
                text.AppendLine(c, $"    reference: {d.Reference}");
                text.AppendLine(c, $"    test:      {d.Test}");
            }
            if (list.Count > divergenceLimit)
                text.AppendLine(c, $"  … and {list.Count - divergenceLimit} more (see --json)");
        }
        return text.ToString();
    }

    /// <summary>Where the time went.</summary>
    public string TimingText()
    {
        var t = Timings;
        return string.Create(CultureInfo.InvariantCulture,
            $"time: {t.Total.TotalSeconds:0.0} s wall; summed over programs: builds {t.Build.TotalSeconds:0.0} s, reference sessions {t.Reference.TotalSeconds:0.0} s, test sessions {t.Test.TotalSeconds:0.0} s, comparison {t.Compare.TotalSeconds:0.0} s");
    }

    private static void WriteMetrics(Utf8JsonWriter json, Metrics metrics)
    {
        json.WriteNumber("programs", metrics.Programs);
        json.WriteNumber("steps", metrics.Steps);
        json.WriteNumber("location_match", Math.Round(metrics.LocationMatch, 6));
        json.WriteNumber("variables_visible", Math.Round(metrics.VariablesVisible, 6));
        json.WriteNumber("values_equal", Math.Round(metrics.ValuesEqualFraction, 6));
    }

    private static string Percent(double fraction) => (fraction * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";
}
