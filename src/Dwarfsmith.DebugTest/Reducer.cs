using System.Globalization;
using System.Text;

namespace Dwarfsmith.DebugTest;

/// <summary>
/// Reduces a divergent program to a minimal one with C-Vise (or C-Reduce), whose interestingness test is the
/// divergence itself: <c>dwarfsmith debugtest</c> on the candidate, with the same engine, debugger, level and
/// steps, still reports a divergence of the same kind for the same variable.
/// </summary>
public static class Reducer
{
    /// <summary>The reducer on PATH (cvise, else creduce), or null.</summary>
    public static string? Find() => ToolRunner.Find("cvise") ?? ToolRunner.Find("creduce");

    /// <summary>Writes <c>DIRECTORY/NAME.c</c> (the reduced program) and returns its path.</summary>
    /// <param name="dwarfsmith">The command that runs dwarfsmith (the executable, or dotnet and the assembly).</param>
    public static string Reduce(TestProgram program, Divergence divergence, DebugTestOptions options, IReadOnlyList<string> dwarfsmith,
        string directory, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(divergence);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(dwarfsmith);
        var reducer = Find() ?? throw new DebugTestException("--reduce needs cvise or creduce (Debian packages cvise, creduce)");
        Directory.CreateDirectory(directory);
        var source = Path.Combine(directory, program.SourceFileName);
        File.Copy(program.SourcePath, source, overwrite: true);
        var script = Path.Combine(directory, "interesting.sh");
        File.WriteAllText(script, Script(program, divergence, options, dwarfsmith));
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var check = ToolRunner.Run(script, [], timeout, workingDirectory: directory);
        if (!check.Succeeded)
            throw new DebugTestException($"{program.Name}: the divergence does not reproduce on the program as given; not reduced");
        // The reducer wants the test case by a bare file name, in its working directory.
        var result = ToolRunner.Run(reducer, ["--n", "1", script, program.SourceFileName], timeout, workingDirectory: directory);
        if (!result.Succeeded)
            throw new DebugTestException($"{Path.GetFileName(reducer)} failed on {program.Name}{(result.TimedOut ? " (time limit)" : "")}: {result.StandardError}");
        return source;
    }

    /// <summary>The interestingness test: exit 0 when the candidate still shows the divergence.</summary>
    private static string Script(TestProgram program, Divergence divergence, DebugTestOptions options, IReadOnlyList<string> dwarfsmith)
    {
        var command = new List<string>(dwarfsmith)
        {
            "debugtest", program.SourceFileName, "--engine", options.Engine, "--debugger", divergence.Debugger,
            "-O" + divergence.Optimization.ToString(CultureInfo.InvariantCulture),
            "--steps", options.Steps.ToString(CultureInfo.InvariantCulture), "--jobs", "1", "--json",
            "--cache", options.CacheDirectory,
        };
        if (options.Damage != SourceDamage.None)
            command.AddRange(["--damage", SourceDamages.Name(options.Damage)]);
        var text = new StringBuilder();
        text.AppendLine("#!/bin/sh");
        text.AppendLine(CultureInfo.InvariantCulture, $"# Interesting when {program.Name} still shows: {DivergenceKinds.Name(divergence.Kind)} {divergence.Variable}");
        text.AppendLine(CultureInfo.InvariantCulture, $"{ToolRunner.CommandLine(command[0], command.Skip(1))} > report.json 2> /dev/null");
        text.AppendLine("[ $? -eq 1 ] || exit 1");
        var variable = divergence.Variable is null ? "None" : "'" + divergence.Variable + "'";
        text.AppendLine(CultureInfo.InvariantCulture,
            $"exec python3 -c \"import json,sys; r=json.load(open('report.json')); sys.exit(0 if any(d['kind']=='{DivergenceKinds.Name(divergence.Kind)}' and d['variable']=={variable} for d in r['divergences']) else 1)\"");
        return text.ToString();
    }
}
