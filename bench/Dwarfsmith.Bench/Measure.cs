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
    public static IReadOnlyList<Timing> Processes(int runs, params (string What, string File, string[] Args)[] commands) =>
        ProcessesExiting(0, runs, commands);

    /// <summary>As <see cref="Processes"/>, for commands that end with <paramref name="exitCode"/> (a trap's 134).</summary>
    public static IReadOnlyList<Timing> ProcessesExiting(int exitCode, int runs, params (string What, string File, string[] Args)[] commands)
    {
        void RunChecked(string file, string[] args)
        {
            var result = ProcessRunner.Run(file, args);
            if (result.ExitCode != exitCode)
                throw new InvalidOperationException($"{file} exited {result.ExitCode}, not {exitCode}:\n{result.StandardError}");
        }

        var times = commands.Select(_ => new List<double>()).ToArray();
        foreach (var (_, file, args) in commands)
            RunChecked(file, args);
        for (var run = 0; run < runs; run++)
        {
            for (var i = 0; i < commands.Length; i++)
            {
                var stopwatch = Stopwatch.StartNew();
                RunChecked(commands[i].File, commands[i].Args);
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
