using System.Diagnostics;
using Dwarfsmith.TestSupport;

namespace Dwarfsmith.Bench;

/// <summary>Timing helpers: whole processes and in-process work, reported as median and minimum.</summary>
public static class Measure
{
    public sealed record Timing(string What, IReadOnlyList<double> Milliseconds)
    {
        public double Median => Sorted[Sorted.Length / 2];

        public double Min => Sorted[0];

        private double[] Sorted => Milliseconds.Order().ToArray();

        public override string ToString() => $"{What,-52} median {Median,8:F1} ms   min {Min,8:F1} ms   ({Milliseconds.Count} runs)";
    }

    /// <summary>Runs each command <paramref name="runs"/> times, interleaved so that machine noise hits all alike.</summary>
    public static IReadOnlyList<Timing> Processes(int runs, params (string What, string File, string[] Args)[] commands)
    {
        var times = commands.Select(_ => new List<double>()).ToArray();
        foreach (var (_, file, args) in commands)
            ProcessRunner.Run(file, args).EnsureSuccess();
        for (var run = 0; run < runs; run++)
        {
            for (var i = 0; i < commands.Length; i++)
            {
                var stopwatch = Stopwatch.StartNew();
                ProcessRunner.Run(commands[i].File, commands[i].Args).EnsureSuccess();
                times[i].Add(stopwatch.Elapsed.TotalMilliseconds);
            }
        }
        return commands.Select((c, i) => new Timing(c.What, times[i])).ToList();
    }

    public static Timing InProcess(string what, int runs, Action work)
    {
        for (var i = 0; i < 3; i++)
            work();
        var times = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            var stopwatch = Stopwatch.StartNew();
            work();
            times.Add(stopwatch.Elapsed.TotalMilliseconds);
        }
        return new Timing(what, times);
    }

    /// <summary>The published CLI (./dwarfsmith publishes it on first use).</summary>
    public static string Cli()
    {
        ProcessRunner.Run(Path.Combine(RepoPaths.Root, "dwarfsmith"), ["--version"], new ProcessOptions { Timeout = TimeSpan.FromMinutes(5) }).EnsureSuccess();
        return Path.Combine(RepoPaths.Cache, "cli", "dwarfsmith");
    }

    public static void Report(string name, IEnumerable<string> lines)
    {
        var text = lines.ToList();
        foreach (var line in text)
            Console.WriteLine(line);
        File.WriteAllLines(Path.Combine(RepoPaths.Reports, $"bench-{name}.txt"), text);
    }
}
