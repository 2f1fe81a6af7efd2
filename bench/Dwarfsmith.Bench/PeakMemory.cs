using System.Diagnostics;

namespace Dwarfsmith.Bench;

/// <summary>
/// A process's peak resident memory, read from /proc/PID/status (VmHWM, the kernel's high-water
/// mark) while it runs. The last reading before exit can miss growth in the final few milliseconds.
/// </summary>
public static class PeakMemory
{
    public static double Megabytes(string file, IReadOnlyList<string> args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        long peakKb = 0;
        string status = $"/proc/{process.Id}/status";
        while (!process.HasExited)
        {
            try
            {
                foreach (var line in File.ReadLines(status))
                {
                    if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                        peakKb = Math.Max(peakKb, long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture));
                }
            }
            catch (IOException)
            {
                break; // exited between the check and the read
            }

            Thread.Sleep(2);
        }

        process.WaitForExit();
        return peakKb / 1024.0;
    }
}
