using Dwarfsmith.Wasm.Tests.Instructions;
using Dwarfsmith.Wasm.Validation;
using Xunit;
using Xunit.Abstractions;

namespace Dwarfsmith.Wasm.Tests.Validation;

/// <summary>
/// Runs every binary module of the spec suite through reader + validator: valid modules must pass,
/// assert_invalid and assert_malformed modules must be rejected. Reports counts per script.
/// </summary>
public class SpecSuiteValidationTests(ITestOutputHelper output)
{
    private sealed class Tally
    {
        public int Valid, ValidPassed, Invalid, InvalidRejected, InvalidSameReason, Malformed, MalformedRejected, MalformedSameReason;
    }

    [Fact]
    public void Spec_suite_modules_validate_as_expected()
    {
        var tallies = new SortedDictionary<string, Tally>(StringComparer.Ordinal);
        var failures = new List<string>();
        var reasons = new List<string>();
        foreach (var module in SpecSuite.Modules)
        {
            if (!tallies.TryGetValue(module.Script, out var tally))
                tallies[module.Script] = tally = new Tally();
            var bytes = File.ReadAllBytes(module.Path);
            WasmFormatException? error = null;
            try
            {
                var wasm = WasmModule.Read(bytes, WasmFeatures.Wasm2);
                ModuleValidator.Validate(wasm);
            }
            catch (WasmFormatException e)
            {
                error = e;
            }
            var where = $"{module.Script}.wast:{module.Line} {module.Kind}";
            switch (module.Kind)
            {
                case "assert_invalid":
                    tally.Invalid++;
                    if (error is null)
                        failures.Add($"{where}: accepted, expected \"{module.ExpectedText}\"");
                    else
                    {
                        tally.InvalidRejected++;
                        if (SameReason(error, module.ExpectedText))
                            tally.InvalidSameReason++;
                        else
                            reasons.Add($"{where}: expected \"{module.ExpectedText}\", got {error.Message}");
                    }
                    break;
                case "assert_malformed":
                    tally.Malformed++;
                    if (error is null)
                    {
                        failures.Add($"{where}: accepted, expected \"{module.ExpectedText}\"");
                    }
                    else
                    {
                        tally.MalformedRejected++;
                        if (SameReason(error, module.ExpectedText))
                            tally.MalformedSameReason++;
                        else
                            reasons.Add($"{where}: expected \"{module.ExpectedText}\", got {error.Message}");
                    }
                    break;
                default:
                    tally.Valid++;
                    if (error is null)
                        tally.ValidPassed++;
                    else
                        failures.Add($"{where}: rejected: {error.Message}");
                    break;
            }
        }
        output.WriteLine("script: valid passed/total, invalid rejected/total (same reason), malformed rejected/total (same reason)");
        var total = new Tally();
        foreach (var (script, t) in tallies)
        {
            output.WriteLine($"{script}: {t.ValidPassed}/{t.Valid}, {t.InvalidRejected}/{t.Invalid} ({t.InvalidSameReason}), {t.MalformedRejected}/{t.Malformed} ({t.MalformedSameReason})");
            total.Valid += t.Valid;
            total.ValidPassed += t.ValidPassed;
            total.Invalid += t.Invalid;
            total.InvalidRejected += t.InvalidRejected;
            total.InvalidSameReason += t.InvalidSameReason;
            total.Malformed += t.Malformed;
            total.MalformedRejected += t.MalformedRejected;
            total.MalformedSameReason += t.MalformedSameReason;
        }
        output.WriteLine($"TOTAL: valid {total.ValidPassed}/{total.Valid}, invalid {total.InvalidRejected}/{total.Invalid} ({total.InvalidSameReason} same reason), malformed {total.MalformedRejected}/{total.Malformed} ({total.MalformedSameReason} same reason)");
        output.WriteLine($"scripts wast2json cannot convert: {string.Join(", ", SpecSuite.Unconvertible)}");
        foreach (var failure in failures)
            output.WriteLine(failure);
        output.WriteLine("rejected for another reason than the script's:");
        foreach (var reason in reasons)
            output.WriteLine(reason);
        Assert.True(failures.Count == 0, $"{failures.Count} failures:\n" + string.Join("\n", failures.Take(40)));
    }

    private static bool SameReason(WasmFormatException error, string? expected) =>
        expected is not null && error.Reason.StartsWith(expected, StringComparison.Ordinal);
}
