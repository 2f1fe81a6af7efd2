namespace Dwarfsmith.DebugTest;

/// <summary>
/// The counts behind the metrics of one engine × debugger × level (or of a whole run). Counts, not fractions,
/// so that shards add up exactly.
/// </summary>
public sealed class Metrics
{
    public int Programs { get; set; }

    /// <summary>Programs whose comparison found a divergence.</summary>
    public int DivergentPrograms { get; set; }

    /// <summary>Compared stops: the longer side's count, per program.</summary>
    public long Steps { get; set; }

    public long LocationMatches { get; set; }

    /// <summary>(variable, stop) pairs that either side shows.</summary>
    public long VariablePairs { get; set; }

    /// <summary>(variable, stop) pairs that both sides show.</summary>
    public long VisibleOnBoth { get; set; }

    /// <summary>Pairs visible on both whose values were compared (not excluded by a documented rule).</summary>
    public long ValuePairs { get; set; }

    public long ValuesEqual { get; set; }

    /// <summary>Pairs visible on both whose values a documented rule excludes.</summary>
    public long ValuesExcluded { get; set; }

    /// <summary>Debugger sessions that timed out or failed.</summary>
    public int FailedSessions { get; set; }

    public double LocationMatch => Fraction(LocationMatches, Steps);

    public double VariablesVisible => Fraction(VisibleOnBoth, VariablePairs);

    public double ValuesEqualFraction => Fraction(ValuesEqual, ValuePairs);

    public void Add(Metrics other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Programs += other.Programs;
        DivergentPrograms += other.DivergentPrograms;
        Steps += other.Steps;
        LocationMatches += other.LocationMatches;
        VariablePairs += other.VariablePairs;
        VisibleOnBoth += other.VisibleOnBoth;
        ValuePairs += other.ValuePairs;
        ValuesEqual += other.ValuesEqual;
        ValuesExcluded += other.ValuesExcluded;
        FailedSessions += other.FailedSessions;
    }

    /// <summary>An empty denominator counts as full agreement: nothing was there to differ.</summary>
    private static double Fraction(long part, long whole) => whole == 0 ? 1.0 : (double)part / whole;
}
