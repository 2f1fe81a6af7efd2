using Dwarfsmith.TestSupport;

namespace Dwarfsmith.Bench;

/// <summary>
/// A process's peak resident memory, as the kernel accounts it (getrusage's ru_maxrss, printed by
/// GNU time, which scripts/install-toolchain.sh installs).
/// </summary>
public static class PeakMemory
{
    private const string GnuTime = "/usr/bin/time";

    public static double Megabytes(string file, IReadOnlyList<string> args)
    {
        var result = ProcessRunner.Run(GnuTime, ["-f", "maxrss %M", file, .. args]).EnsureSuccess();
        var line = result.StandardError.Split('\n').Last(l => l.StartsWith("maxrss ", StringComparison.Ordinal));
        return long.Parse(line["maxrss ".Length..], System.Globalization.CultureInfo.InvariantCulture) / 1024.0;
    }
}
